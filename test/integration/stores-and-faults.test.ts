import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createStore } from '../../src/accounts/accounts.ts';
import type { ConnectionListResponse, PendingGrantListResponse } from '../../src/http/api-types.ts';
import { startTestConnector } from '../support/connector.ts';
import type { TestConnector } from '../support/connector.ts';
import {
  approveOnAuthorizationPage,
  connectDemoShops,
  settle,
  signIn,
  storedOrders,
} from '../support/flows.ts';
import type { Browser } from '../support/flows.ts';

let test: TestConnector;
let browser: Browser;

beforeEach(async () => {
  test = await startTestConnector();
  browser = await signIn(test);
});

afterEach(async () => {
  await test.close();
});

async function pendingGrant(): Promise<PendingGrantListResponse['grants'][number]> {
  const authorize = await browser.json<{ authorizeUrl: string }>(
    `/api/v1/stores/${test.demo.storeId}/connections/authorize`,
    { method: 'POST', body: JSON.stringify({ market: 'US' }) },
  );
  await browser.request(await approveOnAuthorizationPage(browser, authorize.body.authorizeUrl));
  const grants = await browser.json<PendingGrantListResponse>('/api/v1/grants');
  return grants.body.grants[0]!;
}

describe('shops across stores', () => {
  it('assigns each shop of a grant to its own store', async () => {
    const secondStoreId = await createStore(
      test.connector.ctx,
      test.demo.accountId,
      'Second store',
    );
    const grant = await pendingGrant();
    expect(grant.shops).toHaveLength(2);
    const [first, second] = grant.shops;
    const claim = await browser.json<ConnectionListResponse>(`/api/v1/grants/${grant.id}/claim`, {
      method: 'POST',
      body: JSON.stringify({
        assignments: [
          { shopId: first!.shopId, storeId: test.demo.storeId },
          { shopId: second!.shopId, storeId: secondStoreId },
        ],
      }),
    });
    expect(claim.status).toBe(200);
    await settle(test);

    const demoStore = await browser.json<ConnectionListResponse>(
      `/api/v1/stores/${test.demo.storeId}/connections`,
    );
    const secondStore = await browser.json<ConnectionListResponse>(
      `/api/v1/stores/${secondStoreId}/connections`,
    );
    expect(demoStore.body.connections.map((connection) => connection.shopId)).toEqual([
      first!.shopId,
    ]);
    expect(secondStore.body.connections.map((connection) => connection.shopId)).toEqual([
      second!.shopId,
    ]);
    const orders = await test.connector.ctx.db
      .selectFrom('orders')
      .select(['shop_id', 'store_id'])
      .execute();
    for (const order of orders) {
      const expected = order.shop_id === first!.shopId ? test.demo.storeId : secondStoreId;
      expect(order.store_id).toBe(expected);
    }
  });

  it('rejects a shop connected to another store', async () => {
    const secondStoreId = await createStore(
      test.connector.ctx,
      test.demo.accountId,
      'Second store',
    );
    const firstGrant = await pendingGrant();
    const connectedShopId = firstGrant.shops[0]!.shopId;
    const first = await browser.request(`/api/v1/grants/${firstGrant.id}/claim`, {
      method: 'POST',
      body: JSON.stringify({
        assignments: [{ shopId: connectedShopId, storeId: test.demo.storeId }],
      }),
    });
    expect(first.status).toBe(200);

    // The other shop is still unassigned, so a new authorization waits for a claim again.
    const grant = await pendingGrant();
    const conflict = await browser.json<{ error: { code: string; message: string } }>(
      `/api/v1/grants/${grant.id}/claim`,
      {
        method: 'POST',
        body: JSON.stringify({
          assignments: [{ shopId: grant.shops[0]!.shopId, storeId: secondStoreId }],
        }),
      },
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toContain('disconnect it there first');
    const secondStore = await browser.json<ConnectionListResponse>(
      `/api/v1/stores/${secondStoreId}/connections`,
    );
    expect(secondStore.body.connections).toHaveLength(0);
  });

  it('rejects a shop outside the grant', async () => {
    const grant = await pendingGrant();
    const response = await browser.json<{ error: { code: string } }>(
      `/api/v1/grants/${grant.id}/claim`,
      {
        method: 'POST',
        body: JSON.stringify({
          assignments: [{ shopId: '7495000000000000999', storeId: test.demo.storeId }],
        }),
      },
    );
    expect(response.status).toBe(400);
    expect(
      await test.connector.ctx.db.selectFrom('connections').selectAll().execute(),
    ).toHaveLength(0);
  });
});

describe('TikTok faults', () => {
  it('backfills through 429s and 5xx answers', async () => {
    const emulator = test.connector.emulator!;
    emulator.admin.addApiFault({
      kind: 'rate_limit',
      next: 2,
      path: '/order/202309/orders/search',
    });
    emulator.admin.addApiFault({
      kind: 'server_error',
      status: 503,
      next: 1,
      path: '/order/202309/orders/search',
    });
    await connectDemoShops(test, browser);

    const stored = await storedOrders(test);
    expect(stored.size).toBe(emulator.state.store.orders.size);
    expect(test.calls.get('POST /order/202309/orders/search')).toBeGreaterThan(3);
  });
});
