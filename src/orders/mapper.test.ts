import { describe, expect, it } from 'vitest';

import type { OrderPayload } from '../tiktok/index.ts';
import { mapOrder } from './mapper.ts';
import { ORDER_STATUS_MAP, isFulfillable } from './status.ts';

const sampleOrder = {
  id: '576000000000000031',
  status: 'AWAITING_SHIPMENT',
  create_time: 1700000000,
  update_time: 1700000100,
  is_sample_order: true,
  payment: {
    currency: 'USD',
    original_total_product_price: '24.99',
    sub_total: '0.00',
    shipping_fee: '0.00',
    seller_discount: '0.00',
    platform_discount: '0.00',
    tax: '0.00',
    total_amount: '0.00',
  },
  line_items: [
    {
      id: '577000000000000031',
      sku_id: '1729000000000000101',
      seller_sku: 'MUG-01',
      original_price: '24.99',
      sale_price: '0.00',
      currency: 'USD',
    },
  ],
};

const asPayload = (value: unknown) => value as OrderPayload;

describe('mapOrder', () => {
  it('books a zero-priced sample at zero', () => {
    const order = mapOrder(asPayload(sampleOrder));
    expect(order.is_sample).toBe(true);
    expect(order.total_amount).toBe('0');
    expect(order.tax).toBe('0');
    expect(order.lineItems).toHaveLength(1);
    expect(order.lineItems[0]!.seller_sku).toBe('MUG-01');
  });

  it('books a full-price sample at zero too', () => {
    const fullValue = structuredClone(sampleOrder);
    fullValue.payment.sub_total = '24.99';
    fullValue.payment.total_amount = '24.99';
    fullValue.line_items[0]!.sale_price = '24.99';
    const order = mapOrder(asPayload(fullValue));
    expect(order.total_amount).toBe('0');
    expect(order.sub_total).toBe('0');
    expect(JSON.parse(order.payment)).toMatchObject({
      total_amount: '24.99',
      sample_discount: '24.99',
    });
  });

  it('does not call a discounted order a sample', () => {
    const discounted = { ...structuredClone(sampleOrder), is_sample_order: false };
    const order = mapOrder(asPayload(discounted));
    expect(order.is_sample).toBe(false);
    expect(order.total_amount).toBe('0.00');
  });

  it('keeps gift lines and per-line tax', () => {
    const order = mapOrder(
      asPayload({
        ...sampleOrder,
        is_sample_order: false,
        line_items: [
          {
            id: '1',
            currency: 'USD',
            sale_price: '10.00',
            item_tax: [{ tax_type: 'SALES_TAX', tax_amount: '0.73', tax_rate: '0.0725' }],
          },
          {
            id: '2',
            currency: 'USD',
            sale_price: '0.00',
            is_gift: true,
            gift_retail_price: '5.00',
          },
        ],
      }),
    );
    expect(order.has_gift).toBe(true);
    expect(order.lineItems[1]!.is_gift).toBe(true);
    expect(order.lineItems[1]!.gift_retail_price).toBe('5.00');
    expect(JSON.parse(order.lineItems[0]!.item_tax)).toEqual([
      { taxType: 'SALES_TAX', taxAmount: '0.73', taxRate: '0.0725' },
    ]);
  });

  it('rejects malformed money and unknown statuses', () => {
    expect(() =>
      mapOrder(asPayload({ ...sampleOrder, payment: { currency: 'USD', total_amount: '24,99' } })),
    ).toThrow(/not a decimal amount/);
    expect(() => mapOrder(asPayload({ ...sampleOrder, status: 'SHIPPED_TO_MARS' }))).toThrow(
      /unknown status/,
    );
  });
});

describe('order status table', () => {
  it('keeps ON_HOLD apart from UNPAID', () => {
    expect(ORDER_STATUS_MAP.UNPAID).toBe('pending_payment');
    expect(ORDER_STATUS_MAP.ON_HOLD).toBe('on_hold');
    expect(ORDER_STATUS_MAP.CANCEL).toBe('cancelled');
    expect(ORDER_STATUS_MAP.CANCELLED).toBe('cancelled');
  });

  it('allows shipping only when TikTok does', () => {
    const seller = { shippingType: 'SELLER', fulfillmentType: 'FULFILLMENT_BY_SELLER' };
    expect(isFulfillable({ status: 'on_hold', ...seller })).toBe(false);
    expect(isFulfillable({ status: 'pending_payment', ...seller })).toBe(false);
    expect(isFulfillable({ status: 'awaiting_fulfillment', ...seller })).toBe(true);
    expect(
      isFulfillable({
        status: 'awaiting_fulfillment',
        shippingType: 'SELLER',
        fulfillmentType: 'FULFILLMENT_BY_TIKTOK',
      }),
    ).toBe(false);
    expect(
      isFulfillable({
        status: 'awaiting_fulfillment',
        shippingType: 'TIKTOK_DIGITAL',
        fulfillmentType: null,
      }),
    ).toBe(false);
  });
});
