import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import { seedDemo } from './seed.ts';
import type { DemoSeed } from './seed.ts';
import type { EmulatorSnapshot } from './snapshot.ts';
import { TEST_APP, callApi, exchangeCode, startHarness } from './test-helpers.ts';
import type { Harness } from './test-helpers.ts';

const SEARCH_PATH = '/order/202309/orders/search';

interface SearchData {
  orders: { id: string; status: string; update_time: number }[];
  total_count: number;
  next_page_token: string;
}

let original: Harness;
let restored: Harness;
let demo: DemoSeed;
let accessToken: string;
let refreshToken: string;
/** Bodies of the webhooks that the restored emulator sends. */
let sentWebhooks: string[];

beforeEach(async () => {
  original = await startHarness({ rateLimitPerSecond: 10_000 });
  demo = seedDemo(original.emulator);
  const { code } = original.emulator.admin.simulateAppStoreInstall({
    appKey: TEST_APP.appKey,
    sellerId: demo.seller.id,
  });
  const tokens = (await exchangeCode(original, code)).body.data as {
    access_token: string;
    refresh_token: string;
  };
  accessToken = tokens.access_token;
  refreshToken = tokens.refresh_token;

  sentWebhooks = [];
  restored = await startHarness({
    rateLimitPerSecond: 10_000,
    fetch: async (_url, init) => {
      sentWebhooks.push(String(init?.body));
      return new Response('', { status: 200 });
    },
  });
});
afterEach(async () => {
  await original.close();
  await restored.close();
});

/** Takes a snapshot of the original emulator through JSON text, as a file would carry it. */
function transferSnapshot(): EmulatorSnapshot {
  const text = JSON.stringify(original.emulator.snapshot());
  const snapshot = JSON.parse(text) as EmulatorSnapshot;
  restored.emulator.restore(snapshot);
  return snapshot;
}

/** Walks every page of Search Orders on one harness, starting from an optional page token. */
async function searchAll(harness: Harness, pageToken = '') {
  const ids: string[] = [];
  let token = pageToken;
  for (;;) {
    const page = await callApi(harness, {
      path: SEARCH_PATH,
      params: { page_size: '7', ...(token ? { page_token: token } : {}) },
      body: '{}',
      token: accessToken,
      shopCipher: demo.shops.us.cipher,
    });
    expect(page.body.code).toBe(0);
    const data = page.body.data as unknown as SearchData;
    ids.push(...data.orders.map((order) => order.id));
    if (!data.next_page_token) return { ids, totalCount: data.total_count };
    token = data.next_page_token;
  }
}

describe('emulator snapshot and restore', () => {
  test('keeps token, cipher and search pages', async () => {
    const before = await searchAll(original);
    const firstPage = await callApi(original, {
      path: SEARCH_PATH,
      params: { page_size: '7' },
      body: '{}',
      token: accessToken,
      shopCipher: demo.shops.us.cipher,
    });
    const pageToken = (firstPage.body.data as unknown as SearchData).next_page_token;

    transferSnapshot();

    const after = await searchAll(restored);
    expect(after.totalCount).toBe(30);
    expect(after.ids).toEqual(before.ids);
    // Page tokens carry the sort key, so a token from before the restore continues the walk.
    const rest = await searchAll(restored, pageToken);
    expect(rest.ids).toEqual(before.ids.slice(7));
  });

  test('keeps refresh token and auth codes', async () => {
    const { code } = original.emulator.admin.simulateAppStoreInstall({
      appKey: TEST_APP.appKey,
      sellerId: demo.seller.id,
      shopIds: [demo.shops.uk.id],
    });
    transferSnapshot();

    const query = new URLSearchParams({
      app_key: TEST_APP.appKey,
      app_secret: TEST_APP.appSecret,
      refresh_token: refreshToken,
      grant_type: 'refresh_token',
    });
    const refreshed = await fetch(`${restored.baseUrl}/api/v2/token/refresh?${query}`);
    const body = (await refreshed.json()) as { code: number; data: { access_token: string } };
    expect(body.code).toBe(0);
    expect(body.data.access_token).not.toBe(accessToken);
    expect((await exchangeCode(restored, code)).body.code).toBe(0);
  });

  test('continues ids without collisions', async () => {
    const snapshot = transferSnapshot();
    const input = { shopId: demo.shops.uk.id, items: [{ sellerSku: 'MUG-01' }] };

    const next = original.emulator.admin.createOrder(input);
    const created = restored.emulator.admin.createOrder(input);
    // Equal ids show that the PRNG state came along, and usedIds keeps them unique.
    expect(created.id).toBe(next.id);
    expect(snapshot.usedIds).not.toContain(created.id);
    expect(snapshot.orders.map((order) => order.id)).not.toContain(created.id);
    expect(restored.emulator.state.store.orders.size).toBe(61);
    expect(typeof snapshot.orders[0]!.id).toBe('string');
  });

  test('releases ON_HOLD orders, sends pending webhooks', async () => {
    const { admin } = original.emulator;
    admin.setWebhookUrl(TEST_APP.appKey, 'http://127.0.0.1:9/webhooks');
    const order = admin.createOrder({
      shopId: demo.shops.us.id,
      items: [{ sellerSku: 'MUG-01' }],
    });
    admin.moveOrder(order.id, 'ON_HOLD');
    const pending = admin.listWebhookDeliveries().filter((d) => d.state === 'pending');
    expect(pending.length).toBeGreaterThan(0);

    transferSnapshot();

    const restoredPending = restored.emulator.admin.listWebhookDeliveries();
    expect(restoredPending.map((d) => d.notificationId)).toEqual(
      pending.map((d) => d.notificationId),
    );
    await restored.emulator.deliverDueWebhooks();
    expect(sentWebhooks).toEqual(pending.map((d) => d.body));

    restored.clock.advance(3_600_000);
    expect(restored.emulator.tick()).toBeGreaterThanOrEqual(1);
    expect(restored.emulator.admin.getOrder(order.id).status).toBe('AWAITING_SHIPMENT');
    // The original's own order objects must not change with the restored emulator's.
    expect(admin.getOrder(order.id).status).toBe('ON_HOLD');
  });

  test('rejects another snapshot version', () => {
    const snapshot = { ...original.emulator.snapshot(), version: 2 };
    expect(() => restored.emulator.restore(snapshot as unknown as EmulatorSnapshot)).toThrow(
      /version 2/,
    );
  });
});
