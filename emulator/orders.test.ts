import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import { callApi, createAuthorizedSeller, startHarness } from './test-helpers.ts';
import type { AuthorizedSeller, Harness } from './test-helpers.ts';
import type { OrderStatus } from './types.ts';

interface OrderPayload {
  id: string;
  status: string;
  create_time: number;
  update_time: number;
  is_sample_order: boolean;
  payment: Record<string, string>;
  line_items: Record<string, unknown>[];
  recipient_address: Record<string, unknown>;
  packages: { id: string }[];
}

interface SearchData {
  orders: OrderPayload[];
  total_count: number;
  next_page_token: string;
}

let harness: Harness;
let seller: AuthorizedSeller;

beforeEach(async () => {
  harness = await startHarness({ rateLimitPerSecond: 10_000 });
  seller = await createAuthorizedSeller(harness);
});
afterEach(async () => harness.close());

const shop = () => seller.shops[0]!;

async function searchPage(params: Record<string, string>, body: object = {}) {
  const result = await callApi(harness, {
    path: '/order/202309/orders/search',
    params,
    body: JSON.stringify(body),
    token: seller.accessToken,
    shopCipher: shop().cipher,
  });
  return result;
}

/** Walks every page and returns the orders and every page token seen. */
async function searchAll(params: Record<string, string>, body: object = {}) {
  const orders: OrderPayload[] = [];
  const tokens: string[] = [];
  let pageToken = '';
  for (;;) {
    const page = await searchPage(
      { ...params, ...(pageToken ? { page_token: pageToken } : {}) },
      body,
    );
    expect(page.body.code).toBe(0);
    const data = page.body.data as unknown as SearchData;
    orders.push(...data.orders);
    if (!data.next_page_token) return { orders, tokens, totalCount: data.total_count };
    tokens.push(data.next_page_token);
    pageToken = data.next_page_token;
  }
}

/** Creates backdated orders, one every 10 minutes, ending before now. */
function createHistory(count: number): string[] {
  const now = Math.floor(harness.clock.now() / 1000);
  const statuses: OrderStatus[] = [
    'UNPAID',
    'AWAITING_SHIPMENT',
    'IN_TRANSIT',
    'COMPLETED',
    'CANCELLED',
  ];
  const inputs = Array.from({ length: count }, (_, i) => ({
    shopId: shop().id,
    items: [{ sellerSku: 'MUG-01' }],
    createTime: now - (count - i) * 600,
    status: statuses[i % statuses.length],
    stepSeconds: 60,
  }));
  return harness.emulator.admin.createOrders(inputs).map((order) => order.id);
}

describe('Search Orders pagination', () => {
  test('walks create_time DESC with no gaps or duplicates', async () => {
    const ids = createHistory(250);
    const { orders, tokens, totalCount } = await searchAll({ page_size: '40' });
    expect(totalCount).toBe(250);
    expect(orders).toHaveLength(250);
    expect(new Set(orders.map((o) => o.id)).size).toBe(250);
    expect(orders.map((o) => o.id)).toEqual([...ids].reverse());
    expect(tokens.length).toBe(6);
    for (const token of tokens) {
      expect(token).toContain('+');
      expect(token).toContain('/');
    }
  });

  test('walks update_time ASC inside a window', async () => {
    createHistory(300);
    const now = Math.floor(harness.clock.now() / 1000);
    const window = { update_time_ge: now - 20_000, update_time_lt: now - 5_000 };
    const all = await searchAll({ page_size: '100', sort_field: 'update_time', sort_order: 'ASC' });
    const expected = all.orders.filter(
      (o) => o.update_time >= window.update_time_ge && o.update_time < window.update_time_lt,
    );
    expect(expected.length).toBeGreaterThan(0);

    const paged = await searchAll(
      { page_size: '7', sort_field: 'update_time', sort_order: 'ASC' },
      window,
    );
    expect(paged.orders.map((o) => o.id)).toEqual(expected.map((o) => o.id));
    expect(paged.totalCount).toBe(expected.length);
    const times = paged.orders.map((o) => o.update_time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test('pages stay consistent while orders change', async () => {
    const ids = createHistory(120);
    const params = { page_size: '50', sort_field: 'create_time', sort_order: 'ASC' };
    const first = (await searchPage(params)).body.data as unknown as SearchData;
    harness.emulator.admin.createOrder({
      shopId: shop().id,
      items: [{ sellerSku: 'MUG-02' }],
      createTime: 1,
    });
    harness.emulator.admin.moveOrder(ids[10]!, 'CANCELLED');
    const rest = await searchAll({ ...params, page_token: first.next_page_token });
    const seen = [...first.orders, ...rest.orders].map((o) => o.id);
    expect(seen).toEqual(ids);
  });

  test('filters by status and create_time window', async () => {
    createHistory(50);
    const now = Math.floor(harness.clock.now() / 1000);
    const { orders } = await searchAll(
      { page_size: '100' },
      { order_status: 'CANCELLED', create_time_ge: now - 20 * 600, create_time_lt: now },
    );
    expect(orders.length).toBe(4);
    for (const order of orders) expect(order.status).toBe('CANCELLED');
  });

  test('last page has an empty next_page_token', async () => {
    createHistory(3);
    const data = (await searchPage({ page_size: '3' })).body.data as unknown as SearchData;
    expect(data.orders).toHaveLength(3);
    expect(data.next_page_token).toBe('');
  });

  test('rejects invalid parameters with 36009004', async () => {
    const cases: [Record<string, string>, object][] = [
      [{}, {}],
      [{ page_size: '0' }, {}],
      [{ page_size: '101' }, {}],
      [{ page_size: '10', sort_field: 'paid_time' }, {}],
      [{ page_size: '10', sort_order: 'UP' }, {}],
      [{ page_size: '10', page_token: 'bm90IGEgdG9rZW4=' }, {}],
      [{ page_size: '10' }, { order_status: 'LOST' }],
      [{ page_size: '10' }, { create_time_ge: 'yesterday' }],
      [{ page_size: '10' }, { warehouse_ids: Array.from({ length: 101 }, (_, i) => String(i)) }],
    ];
    for (const [params, body] of cases) {
      const result = await searchPage(params, body);
      expect(result.body.code, JSON.stringify([params, body])).toBe(36009004);
    }
  });
});

describe('Get Order Detail', () => {
  const detail = (path: string, ids: string[]) =>
    callApi(harness, {
      path,
      params: { ids: ids.join(',') },
      token: seller.accessToken,
      shopCipher: shop().cipher,
    });

  test('returns orders at both versions', async () => {
    const ids = createHistory(3);
    for (const path of ['/order/202309/orders', '/order/202507/orders']) {
      const result = await detail(path, ids);
      expect(result.body.code).toBe(0);
      expect((result.body.data as unknown as SearchData).orders.map((o) => o.id)).toEqual(ids);
    }
  });

  test('allows 50 ids and rejects 51', async () => {
    const ids = createHistory(51);
    const ok = await detail('/order/202309/orders', ids.slice(0, 50));
    expect((ok.body.data as unknown as SearchData).orders).toHaveLength(50);
    const tooMany = await detail('/order/202309/orders', ids);
    expect(tooMany.body.code).toBe(36009004);
    expect(tooMany.body.message).toContain('50');
  });

  test('leaves out orders of other shops', async () => {
    const other = harness.emulator.admin.createOrder({
      shopId: seller.shops[1]!.id,
      items: [{ sellerSku: 'MUG-01' }],
    });
    const result = await detail('/order/202309/orders', [other.id]);
    expect((result.body.data as unknown as SearchData).orders).toEqual([]);
  });
});

describe('order fields', () => {
  const fetchOrder = async (orderId: string, shopIndex = 0): Promise<OrderPayload> => {
    const result = await callApi(harness, {
      path: '/order/202309/orders',
      params: { ids: orderId },
      token: seller.accessToken,
      shopCipher: seller.shops[shopIndex]!.cipher,
    });
    return (result.body.data as unknown as SearchData).orders[0]!;
  };

  test('one line item per unit, ids as strings', async () => {
    const order = harness.emulator.admin.createOrder({
      shopId: shop().id,
      items: [{ sellerSku: 'MUG-01', quantity: 3 }, { sellerSku: 'MUG-02' }],
    });
    const payload = await fetchOrder(order.id);
    expect(payload.id).toMatch(/^\d{18,19}$/);
    expect(payload.line_items).toHaveLength(4);
    const skus = payload.line_items.map((line) => line.seller_sku);
    expect(skus.filter((sku) => sku === 'MUG-01')).toHaveLength(3);
    for (const line of payload.line_items) {
      expect(line.id).toMatch(/^\d{18,19}$/);
      expect(line).not.toHaveProperty('quantity');
    }
  });

  test('US payment follows the tax formulas', async () => {
    const order = harness.emulator.admin.createOrder({
      shopId: shop().id,
      items: [
        { sellerSku: 'MUG-01', quantity: 2, sellerDiscount: '2.00', platformDiscount: '1.00' },
      ],
      shippingFee: '5.99',
      shippingFeeSellerDiscount: '1.00',
      retailDeliveryFee: '0.28',
    });
    const { payment, line_items: lines } = await fetchOrder(order.id);
    expect(payment).toMatchObject({
      currency: 'USD',
      original_total_product_price: '49.98',
      seller_discount: '4.00',
      platform_discount: '2.00',
      sub_total: '43.98',
      original_shipping_fee: '5.99',
      shipping_fee: '4.99',
      product_tax: '3.18',
      shipping_fee_tax: '0.36',
      tax: '3.54',
      retail_delivery_fee: '0.28',
      total_amount: '52.79',
    });
    expect(lines[0]).toMatchObject({
      original_price: '24.99',
      sale_price: '21.99',
      item_tax: [{ tax_type: 'SALES_TAX', tax_amount: '1.59', tax_rate: '0.0725' }],
    });
  });

  test('GBP order has no sales tax', async () => {
    const order = harness.emulator.admin.createOrder({
      shopId: seller.shops[1]!.id,
      items: [{ sellerSku: 'MUG-02' }],
    });
    const payload = await fetchOrder(order.id, 1);
    expect(payload.payment).toMatchObject({ currency: 'GBP', tax: '0.00', total_amount: '15.99' });
    expect(payload.line_items[0]).not.toHaveProperty('item_tax');
  });

  test('sample order and gift line are free', async () => {
    const sample = harness.emulator.admin.createOrder({
      shopId: shop().id,
      items: [{ sellerSku: 'MUG-01' }],
      isSampleOrder: true,
    });
    const samplePayload = await fetchOrder(sample.id);
    expect(samplePayload.is_sample_order).toBe(true);
    expect(samplePayload.payment).toMatchObject({
      original_total_product_price: '24.99',
      seller_discount: '24.99',
      sub_total: '0.00',
      total_amount: '0.00',
    });

    const withGift = harness.emulator.admin.createOrder({
      shopId: shop().id,
      items: [{ sellerSku: 'MUG-01' }, { sellerSku: 'MUG-02', isGift: true }],
    });
    const lines = (await fetchOrder(withGift.id)).line_items;
    expect(lines[0]).toMatchObject({ is_gift: false, gift_retail_price: '0' });
    expect(lines[1]).toMatchObject({
      is_gift: true,
      gift_retail_price: '10.00',
      sale_price: '0.00',
    });
  });

  test('US address is masked until the order is released', async () => {
    const order = harness.emulator.admin.createOrder({
      shopId: shop().id,
      items: [{ sellerSku: 'MUG-01' }],
    });
    const unpaid = (await fetchOrder(order.id)).recipient_address;
    expect(String(unpaid.postal_code)).toMatch(/^\d\*+$/);
    expect(String(unpaid.name)).toContain('*');

    harness.emulator.admin.moveOrder(order.id, 'AWAITING_SHIPMENT');
    const paid = (await fetchOrder(order.id)).recipient_address;
    expect(String(paid.postal_code)).toMatch(/^\d{5}$/);
    expect(String(paid.name)).not.toContain('*');
  });

  test('local US package id appears only after shipping', async () => {
    const order = harness.emulator.admin.createOrder({
      shopId: shop().id,
      items: [{ sellerSku: 'MUG-01', quantity: 2 }],
    });
    harness.emulator.admin.moveOrder(order.id, 'AWAITING_SHIPMENT');
    const before = await fetchOrder(order.id);
    expect(before.packages).toEqual([]);
    expect(before.line_items[0]).not.toHaveProperty('package_id');

    harness.emulator.admin.moveOrder(order.id, 'PARTIALLY_SHIPPING');
    const partial = await fetchOrder(order.id);
    expect(partial.status).toBe('PARTIALLY_SHIPPING');
    expect(partial.line_items[0]).toMatchObject({ package_status: 'PROCESSING' });
    expect(partial.line_items[1]).not.toHaveProperty('package_id');

    harness.emulator.admin.moveOrder(order.id, 'IN_TRANSIT');
    const shipped = await fetchOrder(order.id);
    expect(shipped.packages).toHaveLength(2);
    for (const line of shipped.line_items) expect(line.package_status).toBe('FULFILLING');
  });

  test('cancel fields are set on order and lines', async () => {
    const order = harness.emulator.admin.createOrder({
      shopId: shop().id,
      items: [{ sellerSku: 'MUG-01' }],
    });
    harness.clock.advance(60_000);
    harness.emulator.admin.cancelOrder(order.id, { initiator: 'BUYER', reason: 'Changed mind' });
    const payload = (await fetchOrder(order.id)) as unknown as Record<string, unknown>;
    expect(payload).toMatchObject({
      status: 'CANCELLED',
      cancel_reason: 'Changed mind',
      cancellation_initiator: 'BUYER',
      cancel_time: Math.floor(harness.clock.now() / 1000),
    });
    expect((payload.line_items as Record<string, unknown>[])[0]).toMatchObject({
      cancel_user: 'BUYER',
      display_status: 'CANCELLED',
    });
  });
});
