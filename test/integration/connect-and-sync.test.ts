import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type {
  ConnectionListResponse,
  OrderListResponse,
  PendingGrantListResponse,
} from '../../src/http/api-types.ts';
import { startTestConnector } from '../support/connector.ts';
import type { TestConnector } from '../support/connector.ts';
import { approveOnAuthorizationPage, settle, signIn } from '../support/flows.ts';
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

async function connectDemoShops(): Promise<ConnectionListResponse['connections']> {
  const storeId = test.demo.storeId;
  const authorize = await browser.json<{ authorizeUrl: string }>(
    `/api/v1/stores/${storeId}/connections/authorize`,
    {
      method: 'POST',
      body: JSON.stringify({ market: 'US' }),
    },
  );
  expect(authorize.status).toBe(200);
  const callback = await approveOnAuthorizationPage(browser, authorize.body.authorizeUrl);
  const landing = await browser.request(callback);
  expect(landing.status).toBe(302);
  const grantPath = landing.headers.get('location')!;
  expect(grantPath).toMatch(/^\/app\/#\/grants\//);
  const grantId = grantPath.split('/').at(-1)!;

  const grants = await browser.json<PendingGrantListResponse>('/api/v1/grants');
  const grant = grants.body.grants.find((candidate) => candidate.id === grantId)!;
  expect(grant.suggestedStoreId).toBe(storeId);
  const claimed = await browser.json<ConnectionListResponse>(`/api/v1/grants/${grantId}/claim`, {
    method: 'POST',
    body: JSON.stringify({
      assignments: grant.shops.map((shop) => ({ shopId: shop.shopId, storeId })),
    }),
  });
  expect(claimed.status).toBe(200);
  return claimed.body.connections;
}

describe('connect and sync', () => {
  it('connects both demo shops and backfills their orders', async () => {
    const connections = await connectDemoShops();
    expect(connections.map((connection) => connection.region).sort()).toEqual(['GB', 'US']);

    await settle(test);
    const list = await browser.json<ConnectionListResponse>(
      `/api/v1/stores/${test.demo.storeId}/connections`,
    );
    for (const connection of list.body.connections) {
      expect(connection.status).toBe('active');
      expect(connection.backfill.status).toBe('done');
      expect(connection.orderCount).toBeGreaterThan(0);
    }
    const emulatorOrders = [...test.connector.emulator!.state.store.orders.values()];
    const orders = await browser.json<OrderListResponse>(
      `/api/v1/stores/${test.demo.storeId}/orders?limit=200`,
    );
    expect(orders.body.orders.length).toBe(emulatorOrders.length);
  });
});
