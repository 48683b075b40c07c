import { describe, expect, it } from 'vitest';

import { parseJsonLossless } from './json.ts';
import { orderPayloadSchema } from './payloads.ts';

const SAMPLE_ORDER = `{
  "id": "576000000000000031",
  "status": "AWAITING_SHIPMENT",
  "is_sample_order": true,
  "create_time": 1700000000,
  "payment": {"currency": "USD", "original_total_product_price": "24.99", "sub_total": "0.00",
    "shipping_fee": "0.00", "seller_discount": "0.00", "platform_discount": "0.00", "tax": "0.00",
    "product_tax": "0.00", "total_amount": "0.00"},
  "line_items": [{"id": "577000000000000031", "sku_id": "1729000000000000101", "seller_sku": "MUG-01",
    "original_price": "24.99", "sale_price": "0.00", "currency": "USD", "is_gift": false,
    "item_tax": [{"tax_type": "SALES_TAX", "tax_amount": "0.00", "tax_rate": "0.03"}],
    "future_line_field": "kept"}],
  "packages": [{"id": 1152000000000000001}],
  "recipient_address": {"name": "J*** D**", "postal_code": "90***", "region_code": "US",
    "district_info": [{"address_level": "L0", "address_level_name": "Country",
      "address_name": "United States", "iso_code": "US"}]},
  "future_order_field": {"nested": 1}
}`;

function parseOrder(text: string) {
  return orderPayloadSchema.parse(parseJsonLossless(text));
}

describe('orderPayloadSchema', () => {
  it('parses a sample order', () => {
    const order = parseOrder(SAMPLE_ORDER);

    expect(order.id).toBe('576000000000000031');
    expect(order.is_sample_order).toBe(true);
    expect(order.payment?.original_total_product_price).toBe('24.99');
    expect(order.payment?.total_amount).toBe('0.00');
    expect(order.line_items?.[0]?.sale_price).toBe('0.00');
    expect(order.line_items?.[0]?.item_tax?.[0]).toEqual({
      tax_type: 'SALES_TAX',
      tax_amount: '0.00',
      tax_rate: '0.03',
    });
    expect(order.packages?.[0]?.id).toBe('1152000000000000001');
    expect(order.recipient_address?.district_info?.[0]?.iso_code).toBe('US');
  });

  it('keeps unknown fields', () => {
    const order = parseOrder(SAMPLE_ORDER) as Record<string, unknown>;
    const lineItem = (order.line_items as Record<string, unknown>[])[0];

    expect(order.future_order_field).toEqual({ nested: 1 });
    expect(lineItem?.future_line_field).toBe('kept');
  });

  it('turns numeric ids and money into strings', () => {
    const order = parseOrder(
      '{"id":576000000000000031,"user_id":12,"payment":{"total_amount":12.5},"line_items":[{"id":577000000000000031,"sku_id":1729000000000000101}]}',
    );

    expect(order.id).toBe('576000000000000031');
    expect(order.user_id).toBe('12');
    expect(order.payment?.total_amount).toBe('12.5');
    expect(order.line_items?.[0]?.sku_id).toBe('1729000000000000101');
  });

  it('reads null as absent', () => {
    const order = parseOrder('{"id":"1","recipient_address":null,"payment":{"tax":null}}');

    expect(order.recipient_address).toBeUndefined();
    expect(order.payment?.tax).toBeUndefined();
  });

  it('accepts is_sample_order as a string', () => {
    expect(parseOrder('{"is_sample_order":"true"}').is_sample_order).toBe(true);
    expect(parseOrder('{"is_sample_order":"false"}').is_sample_order).toBe(false);
  });

  it('accepts an empty order', () => {
    expect(parseOrder('{}')).toEqual({});
  });

  it('rejects wrong shapes', () => {
    expect(orderPayloadSchema.safeParse({ line_items: 'none' }).success).toBe(false);
    expect(orderPayloadSchema.safeParse({ create_time: 'yesterday' }).success).toBe(false);
    expect(orderPayloadSchema.safeParse({ is_cod: 'maybe' }).success).toBe(false);
  });
});
