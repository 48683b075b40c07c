import { createServer } from 'node:http';
import type { Server } from 'node:http';

import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import { verifyWebhookSignature } from './signing.ts';
import { createAuthorizedSeller, startHarness, TEST_APP } from './test-helpers.ts';
import type { AuthorizedSeller, Harness } from './test-helpers.ts';
import { WEBHOOK_RETRY_DELAYS_MS } from './webhooks.ts';

interface Received {
  body: string;
  authorization: string | undefined;
}

/** A loopback webhook receiver that responds with the next planned status, then 200. */
class Receiver {
  readonly received: Received[] = [];
  plannedStatuses: number[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          authorization: request.headers.authorization,
        });
        response.statusCode = this.plannedStatuses.shift() ?? 200;
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/webhooks`;
  }

  bodies(): Record<string, unknown>[] {
    return this.received.map((item) => JSON.parse(item.body) as Record<string, unknown>);
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

let harness: Harness;
let seller: AuthorizedSeller;
let receiver: Receiver;

beforeEach(async () => {
  receiver = new Receiver();
  await receiver.start();
  harness = await startHarness({ onHoldWindowMs: 3_600_000 });
  harness.emulator.admin.setWebhookUrl(TEST_APP.appKey, receiver.url);
  seller = await createAuthorizedSeller(harness);
});
afterEach(async () => {
  await harness.close();
  await receiver.stop();
});

const usShop = () => seller.shops[0]!;
const orderEvents = () =>
  receiver
    .bodies()
    .filter((body) => body.type === 1)
    .map((body) => body.data as Record<string, unknown>);

describe('order lifecycle webhooks', () => {
  test('ON_HOLD order is released by tick once the window passes', async () => {
    const { admin } = harness.emulator;
    const order = admin.createOrder({ shopId: usShop().id, items: [{ sellerSku: 'MUG-01' }] });
    harness.clock.advance(5_000);
    admin.moveOrder(order.id, 'ON_HOLD');
    const heldAt = order.updateTime;

    harness.clock.advance(3_599_000);
    expect(harness.emulator.tick()).toBe(0);
    expect(order.status).toBe('ON_HOLD');
    harness.clock.advance(1_000);
    expect(harness.emulator.tick()).toBe(1);
    expect(order.status).toBe('AWAITING_SHIPMENT');
    expect(order.updateTime).toBe(heldAt + 3600);

    await harness.emulator.deliverDueWebhooks();
    expect(orderEvents().map((data) => data.order_status)).toEqual([
      'UNPAID',
      'ON_HOLD',
      'AWAITING_SHIPMENT',
    ]);
    expect(orderEvents()[2]).toEqual({
      order_id: order.id,
      order_status: 'AWAITING_SHIPMENT',
      is_on_hold_order: true,
      update_time: heldAt + 3600,
    });
  });

  test('shop without ON_HOLD goes straight to AWAITING_SHIPMENT', async () => {
    const { admin } = harness.emulator;
    const order = admin.createOrder({
      shopId: seller.shops[1]!.id,
      items: [{ sellerSku: 'MUG-01' }],
    });
    admin.moveOrder(order.id, 'COMPLETED');
    await harness.emulator.deliverDueWebhooks();
    expect(orderEvents().map((data) => data.order_status)).toEqual([
      'UNPAID',
      'AWAITING_SHIPMENT',
      'AWAITING_COLLECTION',
      'IN_TRANSIT',
      'DELIVERED',
      'COMPLETED',
    ]);
    expect(orderEvents()[0]!.is_on_hold_order).toBe(false);
  });

  test('cancelled status is spelled CANCEL in the webhook', async () => {
    const { admin } = harness.emulator;
    const order = admin.createOrder({ shopId: usShop().id, items: [{ sellerSku: 'MUG-01' }] });
    admin.moveOrder(order.id, 'ON_HOLD');
    harness.clock.advance(600_000);
    admin.cancelOrder(order.id, { initiator: 'BUYER' });
    expect(order.status).toBe('CANCELLED');
    await harness.emulator.deliverDueWebhooks();
    expect(orderEvents().at(-1)!.order_status).toBe('CANCEL');
    expect(() => admin.moveOrder(order.id, 'AWAITING_SHIPMENT')).toThrow(/cannot move/);
  });

  test('every change bumps update_time', () => {
    const { admin } = harness.emulator;
    const order = admin.createOrder({ shopId: usShop().id, items: [{ sellerSku: 'MUG-01' }] });
    const times = [order.updateTime];
    for (const status of ['ON_HOLD', 'AWAITING_SHIPMENT', 'AWAITING_COLLECTION'] as const) {
      harness.clock.advance(10_000);
      admin.moveOrder(order.id, status);
      times.push(order.updateTime);
    }
    expect(times).toEqual([0, 10, 20, 30].map((d) => times[0]! + d));
  });
});

describe('webhook delivery', () => {
  test('signs app_key + raw body in Authorization', async () => {
    harness.emulator.admin.createOrder({ shopId: usShop().id, items: [{ sellerSku: 'MUG-01' }] });
    await harness.emulator.deliverDueWebhooks();
    const [first] = receiver.received;
    expect(first!.authorization).toMatch(/^[0-9a-f]{64}$/);
    const isValid = verifyWebhookSignature({
      appKey: TEST_APP.appKey,
      appSecret: TEST_APP.appSecret,
      rawBody: first!.body,
      authorization: first!.authorization,
    });
    expect(isValid).toBe(true);
    const body = JSON.parse(first!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 1,
      shop_id: usShop().id,
      timestamp: Math.floor(harness.clock.now() / 1000),
    });
    expect(body.tts_notification_id).toMatch(/^\d{19}$/);
  });

  test('retries 2 min, 30 min, 3 h and 12 h after each failure', async () => {
    receiver.plannedStatuses = [500, 503, 404, 500, 500];
    harness.emulator.admin.createOrder({ shopId: usShop().id, items: [{ sellerSku: 'MUG-01' }] });
    const start = harness.clock.now();
    expect(await harness.emulator.deliverDueWebhooks()).toHaveLength(1);

    for (const delay of WEBHOOK_RETRY_DELAYS_MS) {
      harness.clock.advance(delay - 1);
      expect(await harness.emulator.deliverDueWebhooks()).toHaveLength(0);
      harness.clock.advance(1);
      expect(await harness.emulator.deliverDueWebhooks()).toHaveLength(1);
    }
    harness.clock.advance(48 * 3_600_000);
    expect(await harness.emulator.deliverDueWebhooks()).toHaveLength(0);

    const attempts = harness.emulator.admin.listWebhookAttempts();
    expect(attempts.map((a) => a.status)).toEqual([500, 503, 404, 500, 500]);
    expect(attempts.map((a) => a.atMs - start)).toEqual([
      0, 120_000, 1_920_000, 12_720_000, 55_920_000,
    ]);
    expect(harness.emulator.admin.listWebhookDeliveries()[0]!.state).toBe('failed');
    expect(new Set(receiver.bodies().map((b) => b.tts_notification_id)).size).toBe(1);
  });

  test('delivery succeeds on the first retry after a failure', async () => {
    receiver.plannedStatuses = [500];
    harness.emulator.admin.createOrder({ shopId: usShop().id, items: [{ sellerSku: 'MUG-01' }] });
    await harness.emulator.deliverDueWebhooks();
    harness.clock.advance(120_000);
    const [retry] = await harness.emulator.deliverDueWebhooks();
    expect(retry).toMatchObject({ attempt: 2, status: 200, isSuccess: true });
    expect(retry!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(harness.emulator.admin.listWebhookDeliveries()[0]!.state).toBe('delivered');
  });

  test('unreachable receiver counts as a failure', async () => {
    harness.emulator.admin.setWebhookUrl(TEST_APP.appKey, 'http://127.0.0.1:9/webhooks');
    harness.emulator.admin.createOrder({ shopId: usShop().id, items: [{ sellerSku: 'MUG-01' }] });
    const [attempt] = await harness.emulator.deliverDueWebhooks();
    expect(attempt!.isSuccess).toBe(false);
    expect(attempt!.error).toBeDefined();
    expect(harness.emulator.admin.listWebhookDeliveries()[0]!.nextAttemptAtMs).toBe(
      harness.clock.now() + 120_000,
    );
  });
});

describe('webhook faults', () => {
  const createOrders = (count: number) => {
    for (let i = 0; i < count; i++) {
      harness.emulator.admin.createOrder({ shopId: usShop().id, items: [{ sellerSku: 'MUG-01' }] });
    }
  };

  test('drop fraction 1 sends nothing', async () => {
    harness.emulator.admin.setWebhookFaults({ dropFraction: 1 });
    createOrders(5);
    await harness.emulator.deliverDueWebhooks();
    expect(receiver.received).toHaveLength(0);
    const states = harness.emulator.admin.listWebhookDeliveries().map((d) => d.state);
    expect(states).toEqual(Array(5).fill('dropped'));
  });

  test('drop fraction 0.5 drops some, repeatably', async () => {
    harness.emulator.admin.setWebhookFaults({ dropFraction: 0.5 });
    createOrders(40);
    await harness.emulator.deliverDueWebhooks();
    expect(receiver.received.length).toBeGreaterThan(5);
    expect(receiver.received.length).toBeLessThan(35);
  });

  test('duplicate fraction 1 sends each webhook twice', async () => {
    harness.emulator.admin.setWebhookFaults({ duplicateFraction: 1 });
    createOrders(3);
    await harness.emulator.deliverDueWebhooks();
    const ids = receiver.bodies().map((b) => b.tts_notification_id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(3);
    expect(receiver.received[0]!.body).toBe(receiver.received[1]!.body);
  });

  test('delay holds the first attempt on the clock', async () => {
    harness.emulator.admin.setWebhookFaults({ delayMs: 60_000 });
    createOrders(1);
    expect(await harness.emulator.deliverDueWebhooks()).toHaveLength(0);
    harness.clock.advance(60_000);
    expect(await harness.emulator.deliverDueWebhooks()).toHaveLength(1);
  });

  test('reorder holds a batch and releases it shuffled', async () => {
    harness.emulator.admin.setWebhookFaults({ reorderBatchSize: 8 });
    const orders = Array.from({ length: 7 }, () =>
      harness.emulator.admin.createOrder({ shopId: usShop().id, items: [{ sellerSku: 'MUG-01' }] }),
    );
    expect(await harness.emulator.deliverDueWebhooks()).toHaveLength(0);
    orders.push(
      harness.emulator.admin.createOrder({ shopId: usShop().id, items: [{ sellerSku: 'MUG-01' }] }),
    );
    await harness.emulator.deliverDueWebhooks();
    const received = orderEvents().map((data) => data.order_id);
    expect([...received].sort()).toEqual(orders.map((o) => o.id).sort());
    expect(received).not.toEqual(orders.map((o) => o.id));
  });
});

describe('authorization webhooks', () => {
  test('deauthorization sends type 6 and drops the shop', async () => {
    const shopId = seller.shops[1]!.id;
    harness.emulator.admin.deauthorizeShop({ appKey: TEST_APP.appKey, shopId });
    await harness.emulator.deliverDueWebhooks();
    const [event] = receiver.bodies();
    expect(event).toMatchObject({ type: 6, shop_id: shopId });
    expect((event!.data as { message: string }).message).toContain(shopId);
    expect(
      harness.emulator.admin.getGrant({ appKey: TEST_APP.appKey, sellerId: seller.seller.id })
        .shopIds,
    ).toEqual([usShop().id]);
  });

  test('upcoming expiration sends type 7 with a string time', async () => {
    harness.emulator.admin.notifyAuthorizationExpiring({
      appKey: TEST_APP.appKey,
      shopId: usShop().id,
    });
    await harness.emulator.deliverDueWebhooks();
    const [event] = receiver.bodies();
    const data = event!.data as { expiration_time: unknown; message: string };
    expect(event!.type).toBe(7);
    expect(data.expiration_time).toBe(
      String(Math.floor(harness.clock.now() / 1000) + 365 * 86_400),
    );
    expect(data.message).toContain('365 days');
  });

  test('product status change sends product_id as a bare JSON number', async () => {
    const product = harness.emulator.admin.createProduct({
      shopId: usShop().id,
      title: 'Lamp',
      skus: [{ sellerSku: 'LAMP-01', price: '30.00' }],
    }).product;
    harness.emulator.admin.notifyProductStatusChange({
      productId: product.id,
      status: 'PRODUCT_STATUS_CHANGED',
    });
    await harness.emulator.deliverDueWebhooks();
    const raw = receiver.received.map((r) => r.body);
    expect(raw[0]).toContain(`"type":16`);
    expect(raw[0]).toContain(`"product_id":${product.id},`);
    expect(raw[1]).toContain(`"product_id":${product.id},`);
  });
});
