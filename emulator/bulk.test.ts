import { afterEach, beforeEach, expect, test } from 'vitest';

import type { AdminOrderInput } from './admin.ts';
import { callApi, createAuthorizedSeller, startHarness } from './test-helpers.ts';
import type { AuthorizedSeller, Harness } from './test-helpers.ts';

let harness: Harness;
let seller: AuthorizedSeller;

beforeEach(async () => {
  harness = await startHarness({ rateLimitPerSecond: 100_000 });
  seller = await createAuthorizedSeller(harness, [
    { region: 'US', currency: 'USD', hasOnHold: true, salesTaxRate: '0.06' },
    { region: 'GB', currency: 'GBP' },
    { region: 'DE', currency: 'EUR' },
  ]);
});
afterEach(async () => harness.close());

test('10,000 orders over 3 shops load and page quickly', async () => {
  const now = Math.floor(harness.clock.now() / 1000);
  const inputs: AdminOrderInput[] = Array.from({ length: 10_000 }, (_, i) => ({
    shopId: seller.shops[i % 3]!.id,
    items: [{ sellerSku: i % 2 ? 'MUG-01' : 'MUG-02', quantity: 1 + (i % 3) }],
    // Random-looking creation times, so that the index must insert out of order.
    createTime: now - 1 - ((i * 7919) % (90 * 86_400)),
    status: i % 4 === 0 ? 'COMPLETED' : 'AWAITING_SHIPMENT',
  }));

  const started = performance.now();
  harness.emulator.admin.createOrders(inputs);
  const createMs = performance.now() - started;
  expect(createMs).toBeLessThan(10_000);

  const shop = seller.shops[0]!;
  const searchStarted = performance.now();
  let pageToken = '';
  let seen = 0;
  let pages = 0;
  do {
    const result = await callApi(harness, {
      path: '/order/202309/orders/search',
      params: {
        page_size: '100',
        sort_field: 'update_time',
        ...(pageToken ? { page_token: pageToken } : {}),
      },
      body: '{}',
      token: seller.accessToken,
      shopCipher: shop.cipher,
    });
    const data = result.body.data as {
      orders: unknown[];
      next_page_token: string;
      total_count: number;
    };
    expect(data.total_count).toBe(3334);
    seen += data.orders.length;
    pageToken = data.next_page_token;
    pages++;
  } while (pageToken);
  const searchMs = performance.now() - searchStarted;

  expect(seen).toBe(3334);
  expect(pages).toBe(34);
  expect(searchMs).toBeLessThan(10_000);
});

test('100 products of 10 SKUs load and page quickly', async () => {
  const shop = seller.shops[0]!;
  const started = performance.now();
  const products = harness.emulator.admin.generateProducts({
    shopId: shop.id,
    productCount: 100,
    skusPerProduct: 10,
  });
  expect(performance.now() - started).toBeLessThan(2_000);
  expect(products).toHaveLength(100);

  let pageToken = '';
  let seen = 0;
  do {
    const result = await callApi(harness, {
      path: '/product/202502/products/search',
      params: { page_size: '50', ...(pageToken ? { page_token: pageToken } : {}) },
      body: '{}',
      token: seller.accessToken,
      shopCipher: shop.cipher,
    });
    const data = result.body.data as { products: { skus: unknown[] }[]; next_page_token: string };
    seen += data.products.reduce((sum, product) => sum + product.skus.length, 0);
    pageToken = data.next_page_token;
  } while (pageToken);
  // The 100 generated products plus the two-SKU mug of createAuthorizedSeller.
  expect(seen).toBe(1002);
});
