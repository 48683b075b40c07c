import { describe, expect, it } from 'vitest';

import { parseJsonLossless } from './json.ts';
import {
  inventorySearchDataPayloadSchema,
  productPayloadSchema,
  skuUpdateDataPayloadSchema,
  warehousesDataPayloadSchema,
} from './product-payloads.ts';

describe('productPayloadSchema', () => {
  it('reads ids, prices and stock leniently', () => {
    const product = productPayloadSchema.parse(
      parseJsonLossless(
        '{"id":1729582718312380123,"title":null,"status":"ACTIVATE","has_draft":"false","sales_regions":"GB","product_types":"COMBINED_PRODUCT","skus":[{"id":42,"seller_sku":"MUG-01","price":{"currency":"GBP","sale_price":24.5,"unit_price":"24.50"},"inventory":[{"warehouse_id":"7068000000000000001","quantity":"12","backorder_quantity":0}],"list_price":{"amount":"30.00","currency":"GBP"}}]}',
      ),
    );

    expect(product.id).toBe('1729582718312380123');
    expect(product.title).toBeUndefined();
    expect(product.has_draft).toBe(false);
    expect(product.sales_regions).toEqual(['GB']);
    expect(product.product_types).toEqual(['COMBINED_PRODUCT']);
    const sku = product.skus?.[0];
    expect(sku?.id).toBe('42');
    expect(sku?.price?.sale_price).toBe('24.5');
    expect(sku?.price?.unit_price).toBe('24.50');
    expect(sku?.inventory?.[0]?.quantity).toBe(12);
    expect(sku?.inventory?.[0]?.backorder_quantity).toBe(0);
    expect((sku as Record<string, unknown>).list_price).toEqual({
      amount: '30.00',
      currency: 'GBP',
    });
  });

  it('rejects a quantity that is not a count', () => {
    const result = productPayloadSchema.safeParse({
      skus: [{ inventory: [{ quantity: 'twelve' }] }],
    });
    expect(result.success).toBe(false);
  });
});

describe('product response schemas', () => {
  it('reads inventory search data', () => {
    const data = inventorySearchDataPayloadSchema.parse({
      inventory: [
        {
          product_id: '1729000000000000001',
          skus: [{ id: '1729000000000000101', total_available_quantity: null }],
        },
      ],
    });
    expect(data.inventory?.[0]?.skus?.[0]?.total_available_quantity).toBeUndefined();
  });

  it('reads item errors at both levels', () => {
    const data = skuUpdateDataPayloadSchema.parse({
      errors: [
        {
          code: '12019028',
          message: 'x',
          detail: { sku_id: 1, extra_errors: [{ warehouse_id: 2 }] },
        },
        { code: 1, sku_id: '3', extra_errors: null },
      ],
    });
    expect(data.errors?.[0]?.code).toBe(12019028);
    expect(data.errors?.[0]?.detail?.sku_id).toBe('1');
    expect(data.errors?.[0]?.detail?.extra_errors?.[0]?.warehouse_id).toBe('2');
    expect(data.errors?.[1]?.sku_id).toBe('3');
    expect(data.errors?.[1]?.extra_errors).toBeUndefined();
  });

  it('reads warehouses', () => {
    const data = warehousesDataPayloadSchema.parse({
      warehouses: [{ id: 7068000000000000, is_default: 'true', type: 'RETURN_WAREHOUSE' }],
    });
    expect(data.warehouses?.[0]?.id).toBe('7068000000000000');
    expect(data.warehouses?.[0]?.is_default).toBe(true);
  });
});
