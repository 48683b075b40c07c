import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { signWebhook } from '../../src/tiktok/index.ts';
import { startTestConnector } from '../support/connector.ts';
import type { TestConnector } from '../support/connector.ts';
import { connectDemoShops, settle, signIn, storedOrders } from '../support/flows.ts';

let test: TestConnector;

beforeEach(async () => {
  test = await startTestConnector();
  await connectDemoShops(test, await signIn(test));
});

afterEach(async () => {
  await test.close();
});

const emulator = () => test.connector.emulator!;

async function storedEventCount(): Promise<number> {
  const rows = await test.connector.ctx.db.selectFrom('webhook_events').select('id').execute();
  return rows.length;
}

function openOrders() {
  return [...emulator().state.store.orders.values()].filter(
    (order) => order.status === 'AWAITING_SHIPMENT',
  );
}

async function postWebhook(body: string, signature?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers.authorization = signature;
  return fetch(`${test.baseUrl}/webhooks/tiktok`, { method: 'POST', headers, body });
}

const sign = (body: string) =>
  signWebhook({
    appKey: test.config.tiktok.appKey,
    appSecret: test.config.tiktok.appSecret,
    rawBody: body,
  });

describe('order webhooks', () => {
  it('updates an order after a status webhook', async () => {
    const order = openOrders()[0]!;
    emulator().admin.moveOrder(order.id, 'AWAITING_COLLECTION');
    await settle(test);

    const stored = (await storedOrders(test)).get(order.id)!;
    expect(stored.tiktok_status).toBe('AWAITING_COLLECTION');
    expect(stored.status).toBe('shipped');
    const events = await test.connector.ctx.db.selectFrom('webhook_events').selectAll().execute();
    expect(
      events.some((event) => event.order_id === order.id && event.status === 'processed'),
    ).toBe(true);
  });

  it('rejects a bad signature with an empty 401 and stores nothing', async () => {
    const body = JSON.stringify({
      type: 1,
      tts_notification_id: '1',
      shop_id: '1',
      timestamp: 1,
      data: {},
    });
    // Connecting pushed stock, so the emulator may already have sent product webhooks.
    const before = await storedEventCount();
    const response = await postWebhook(body, 'f'.repeat(64));
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('');
    const missing = await postWebhook(body);
    expect(missing.status).toBe(401);
    expect(await storedEventCount()).toBe(before);
  });

  it('answers a signed malformed body with 400', async () => {
    const before = await storedEventCount();
    const body = '{"type":"one"';
    const response = await postWebhook(body, sign(body));
    expect(response.status).toBe(400);
    const parsed = (await response.json()) as { error: { code: string } };
    expect(parsed.error.code).toBe('VALIDATION_FAILED');
    expect(await storedEventCount()).toBe(before);
  });

  it('records an unknown shop and answers 200', async () => {
    const body = JSON.stringify({
      type: 1,
      tts_notification_id: '7327000000000000099',
      shop_id: '7495999999999999999',
      timestamp: 1700000000,
      data: { order_id: '576000000000000001', order_status: 'UNPAID', update_time: 1700000000 },
    });
    const response = await postWebhook(body, sign(body));
    expect(response.status).toBe(200);
    const [event] = await test.connector.ctx.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('shop_id', '=', '7495999999999999999')
      .execute();
    expect(event?.status).toBe('unknown_shop');
  });

  it('processes a redelivered notification once', async () => {
    const order = openOrders()[0]!;
    const body = JSON.stringify({
      type: 1,
      tts_notification_id: '7327000000000000123',
      shop_id: order.shopId,
      timestamp: Math.floor(test.clock.now() / 1000),
      data: {
        order_id: order.id,
        order_status: 'AWAITING_SHIPMENT',
        update_time: order.updateTime,
      },
    });
    for (let i = 0; i < 3; i++) expect((await postWebhook(body, sign(body))).status).toBe(200);
    const events = await test.connector.ctx.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('notification_id', '=', '7327000000000000123')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('accepts CANCEL from the webhook and stores CANCELLED', async () => {
    const shop = [...emulator().state.store.shops.values()][0]!;
    const sku = [...emulator().state.store.skus.values()].find(
      (candidate) => candidate.shopId === shop.id,
    )!;
    const order = emulator().admin.createOrder({ shopId: shop.id, items: [{ skuId: sku.id }] });
    await settle(test);
    expect((await storedOrders(test)).get(order.id)?.tiktok_status).toBe('UNPAID');
    const deliveredBefore = emulator().admin.listWebhookDeliveries().length;

    emulator().admin.cancelOrder(order.id, { initiator: 'BUYER' });
    const cancelDeliveries = emulator().admin.listWebhookDeliveries().slice(deliveredBefore);
    expect(
      cancelDeliveries.some((delivery) => delivery.body.includes('"order_status":"CANCEL"')),
    ).toBe(true);
    await settle(test);
    const stored = (await storedOrders(test)).get(order.id)!;
    expect(stored.tiktok_status).toBe('CANCELLED');
    expect(stored.status).toBe('cancelled');
  });
});

describe('polling', () => {
  it('catches changes whose webhooks were dropped', async () => {
    emulator().admin.setWebhookFaults({ dropFraction: 1 });
    const orders = openOrders().slice(0, 3);
    for (const order of orders) emulator().admin.moveOrder(order.id, 'AWAITING_COLLECTION');
    await settle(test);
    for (const order of orders) {
      expect((await storedOrders(test)).get(order.id)!.tiktok_status).toBe('AWAITING_SHIPMENT');
    }

    test.clock.advance(test.config.sync.pollIntervalMs + test.config.sync.pollLagMs + 1000);
    await settle(test);
    const stored = await storedOrders(test);
    for (const order of orders)
      expect(stored.get(order.id)!.tiktok_status).toBe('AWAITING_COLLECTION');
  });

  it('never moves an order back to an older update_time', async () => {
    const order = openOrders()[0]!;
    const older = structuredClone(emulator().state.store.orders.get(order.id)!);
    emulator().admin.moveOrder(order.id, 'AWAITING_COLLECTION');
    await settle(test);
    const newer = (await storedOrders(test)).get(order.id)!;

    const { ingestOrders } = await import('../../src/orders/ingest.ts');
    const connection = await test.connector.ctx.db
      .selectFrom('connections')
      .selectAll()
      .where('shop_id', '=', order.shopId)
      .executeTakeFirstOrThrow();
    const stalePayload = {
      id: older.id,
      status: 'AWAITING_SHIPMENT',
      create_time: older.createTime,
      update_time: older.updateTime - 10,
      payment: { currency: older.currency, total_amount: '1.00' },
      line_items: [{ id: '1', currency: older.currency }],
    };
    const result = await ingestOrders(
      test.connector.ctx,
      { shopId: order.shopId, accountId: connection.account_id, storeId: connection.store_id },
      [stalePayload as never],
      'webhook',
    );
    expect(result.stale).toBe(1);
    const after = (await storedOrders(test)).get(order.id)!;
    expect(after.tiktok_status).toBe(newer.tiktok_status);
    expect(after.tiktok_update_time).toBe(newer.tiktok_update_time);
  });
});

describe('on hold', () => {
  it('blocks fulfillment until TikTok releases the order', async () => {
    const shop = [...emulator().state.store.shops.values()].find(
      (candidate) => candidate.region === 'US',
    )!;
    const sku = [...emulator().state.store.skus.values()].find(
      (candidate) => candidate.shopId === shop.id,
    )!;
    const order = emulator().admin.createOrder({
      shopId: shop.id,
      items: [{ skuId: sku.id, quantity: 2 }],
      status: 'ON_HOLD',
    });
    await settle(test);

    const { getOrder } = await import('../../src/orders/queries.ts');
    const principal = {
      kind: 'user' as const,
      userId: test.demo.userId,
      accountId: test.demo.accountId,
    };
    const held = await getOrder(
      test.connector.ctx,
      principal,
      test.demo.storeId,
      `${shop.id}-${order.id}`,
    );
    expect(held.status).toBe('on_hold');
    expect(held.isFulfillable).toBe(false);
    expect(held.lineItems).toHaveLength(2);

    test.clock.advance(test.config.demo.onHoldWindowMs + 1000);
    emulator().tick();
    await settle(test);
    const released = await getOrder(
      test.connector.ctx,
      principal,
      test.demo.storeId,
      `${shop.id}-${order.id}`,
    );
    expect(released.status).toBe('awaiting_fulfillment');
    expect(released.isFulfillable).toBe(true);
    expect(released.statusHistory.map((entry) => entry.status)).toEqual([
      'on_hold',
      'awaiting_fulfillment',
    ]);
  });
});
