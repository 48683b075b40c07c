import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import { verifyWebhookSignature } from './signing.ts';
import { TEST_APP, callApi, createAuthorizedSeller, startHarness } from './test-helpers.ts';
import type { AuthorizedSeller, Harness } from './test-helpers.ts';
import type { ProductRecord, ShopRecord, SkuRecord } from './types.ts';

interface Sent {
  body: string;
  authorization: string | undefined;
}

let harness: Harness;
let seller: AuthorizedSeller;
let us: ShopRecord;
let sent: Sent[];

beforeEach(async () => {
  sent = [];
  harness = await startHarness({
    rateLimitPerSecond: 10_000,
    lowStockThreshold: 3,
    fetch: async (_url, init) => {
      const headers = new Headers(init?.headers);
      sent.push({ body: String(init?.body), authorization: headers.get('authorization') ?? '' });
      return new Response('', { status: 200 });
    },
  });
  seller = await createAuthorizedSeller(harness);
  us = seller.shops[0]!;
  harness.emulator.admin.setWebhookUrl(TEST_APP.appKey, 'http://127.0.0.1:9/webhooks');
});
afterEach(async () => harness.close());

/** Delivers due webhooks and returns the raw bodies sent since the last call. */
async function deliver(): Promise<string[]> {
  const from = sent.length;
  await harness.emulator.deliverDueWebhooks();
  return sent.slice(from).map((item) => item.body);
}

function parsed(body: string): { type: number; shop_id: string; data: Record<string, unknown> } {
  return JSON.parse(body) as { type: number; shop_id: string; data: Record<string, unknown> };
}

function createTee(quantity = 10): { product: ProductRecord; skus: SkuRecord[] } {
  return harness.emulator.admin.createProduct({
    shopId: us.id,
    title: 'Tee',
    skus: [{ sellerSku: 'TEE-M', price: '19.00', quantity }],
  });
}

describe('product webhooks', () => {
  test('16 on creation, signed, product_id a bare number', async () => {
    const { product } = createTee();
    const [body, ...rest] = await deliver();
    expect(rest).toEqual([]);
    expect(parsed(body!).type).toBe(16);
    expect(body).toContain(`"product_id":${product.id},`);
    expect(body).toContain('"product_types":[]');
    expect(parsed(body!).shop_id).toBe(us.id);
    expect(
      verifyWebhookSignature({
        appKey: TEST_APP.appKey,
        appSecret: TEST_APP.appSecret,
        rawBody: body!,
        authorization: sent.at(-1)!.authorization,
      }),
    ).toBe(true);
  });

  test('5 on status change, with the kind of change', async () => {
    const { admin } = harness.emulator;
    const { product } = harness.emulator.admin.createProduct({
      shopId: us.id,
      title: 'Pending',
      status: 'PENDING',
      auditStatus: 'AUDITING',
      skus: [{ sellerSku: 'P-1', price: '1.00' }],
    });
    await deliver();
    harness.clock.advance(10_000);
    admin.setProductStatus(product.id, 'ACTIVATE');
    admin.setProductStatus(product.id, 'PLATFORM_DEACTIVATED', {
      suspendedReason: 'Prohibited item',
    });
    admin.setProductStatus(product.id, 'FAILED');
    admin.setProductStatus(product.id, 'FAILED');
    const bodies = await deliver();
    expect(bodies).toHaveLength(3);
    for (const body of bodies) expect(body).toContain(`"product_id":${product.id},`);
    expect(bodies.map((body) => parsed(body).data)).toEqual([
      {
        product_id: expect.any(Number),
        status: 'PRODUCT_FIRST_PASS_REVIEW',
        suspended_reason: '',
        update_time: Math.floor(harness.clock.now() / 1000),
      },
      expect.objectContaining({
        status: 'PRODUCT_STATUS_CHANGED',
        suspended_reason: 'Prohibited item',
      }),
      expect.objectContaining({ status: 'PRODUCT_AUDIT_FAILURE' }),
    ]);
    expect(admin.getProduct(product.id).updateTime).toBe(Math.floor(harness.clock.now() / 1000));
  });

  test('15 on title edit of a live product only', async () => {
    const { admin } = harness.emulator;
    const { product } = createTee();
    await deliver();
    admin.editProductTitle(product.id, 'Tee, organic');
    const [body] = await deliver();
    expect(parsed(body!)).toMatchObject({
      type: 15,
      data: {
        product_id: product.id,
        change_source: 'SELLER_CENTER',
        changed_fields: ['title'],
      },
    });
    expect(admin.getProduct(product.id).title).toBe('Tee, organic');

    admin.setProductStatus(product.id, 'SELLER_DEACTIVATED');
    await deliver();
    admin.editProductTitle(product.id, 'Tee, old');
    expect(await deliver()).toEqual([]);
  });

  test('37 on audit change, product_id a bare number', async () => {
    const { product } = createTee();
    await deliver();
    harness.emulator.admin.setProductAuditStatus(product.id, 'AUDITING');
    const [body] = await deliver();
    expect(body).toContain(`"product_id":${product.id},`);
    expect(parsed(body!)).toMatchObject({
      type: 37,
      data: { audit: { status: 'AUDITING', pre_approved_reasons: [] } },
    });
  });

  test('27 when available stock crosses a status', async () => {
    const { admin } = harness.emulator;
    const { product, skus } = createTee(5);
    await deliver();
    const sku = skus[0]!;
    // 5 available is above the threshold of 3, and two orders bring it to 3 (LOW_STOCK).
    const first = admin.createOrder({ shopId: us.id, items: [{ skuId: sku.id }] });
    expect((await deliver()).map((body) => parsed(body).type)).toEqual([1]);
    admin.createOrder({ shopId: us.id, items: [{ skuId: sku.id }] });
    const bodies = await deliver();
    const inventory = bodies.map(parsed).find((body) => body.type === 27)!;
    expect(inventory.data).toEqual({
      product_id: product.id,
      sku_id: sku.id,
      current_inventory_status: 'LOW_STOCK',
      trigger_reason: { alert_type: 'REALTIME', lead_days: 0, low_stock_threshold: 3 },
      inventory_distribution: {
        total_quantity: 5,
        available_quantity: 3,
        creator_reserved_quantity: 0,
        campaign_reserved_quantity: 0,
        committed_quantity: 2,
      },
      update_time: Math.floor(harness.clock.now() / 1000),
    });

    admin.setSkuInventory(sku.id, [{ warehouseId: us.warehouseIds[0]!, quantity: 2 }]);
    const out = (await deliver()).map(parsed).filter((body) => body.type === 27);
    expect(out.map((body) => body.data.current_inventory_status)).toEqual(['OUT_OF_STOCK']);

    admin.cancelOrder(first.id);
    const back = (await deliver()).map(parsed).filter((body) => body.type === 27);
    expect(back.map((body) => body.data.current_inventory_status)).toEqual(['LOW_STOCK']);
  });

  test('27 after an API inventory update', async () => {
    const { product, skus } = createTee(10);
    await deliver();
    const result = await callApi(harness, {
      path: `/product/202309/products/${product.id}/inventory/update`,
      body: JSON.stringify({ skus: [{ id: skus[0]!.id, inventory: [{ quantity: 0 }] }] }),
      token: seller.accessToken,
      shopCipher: us.cipher,
    });
    expect(result.body.code).toBe(0);
    const bodies = (await deliver()).map(parsed);
    expect(bodies.map((body) => body.data.current_inventory_status)).toEqual(['OUT_OF_STOCK']);
  });

  test('webhook faults apply to product topics', async () => {
    const { admin } = harness.emulator;
    admin.setWebhookFaults({ duplicateFraction: 1 });
    const { product } = createTee();
    const bodies = await deliver();
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toBe(bodies[1]);
    admin.setWebhookFaults({ dropFraction: 1 });
    admin.setProductStatus(product.id, 'SELLER_DEACTIVATED');
    expect(await deliver()).toEqual([]);
    const states = admin.listWebhookDeliveries().map((d) => d.state);
    expect(states.at(-1)).toBe('dropped');
  });

  test('bulk and backdated products send no creation webhook', async () => {
    const { admin } = harness.emulator;
    admin.generateProducts({ shopId: us.id, productCount: 3, skusPerProduct: 2 });
    admin.createProducts([
      { shopId: us.id, title: 'Quiet', skus: [{ sellerSku: 'Q-1', price: '1.00' }] },
    ]);
    expect(await deliver()).toEqual([]);
    admin.createProducts(
      [{ shopId: us.id, title: 'Loud', skus: [{ sellerSku: 'L-1', price: '1.00' }] }],
      { shouldEmitWebhooks: true },
    );
    expect((await deliver()).map((body) => parsed(body).type)).toEqual([16]);
  });
});
