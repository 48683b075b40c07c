import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createAccount } from '../../src/accounts/accounts.ts';
import type { ConnectionListResponse, OrderListResponse } from '../../src/http/api-types.ts';
import { signWebhook } from '../../src/tiktok/index.ts';
import { startTestConnector } from '../support/connector.ts';
import type { TestConnector } from '../support/connector.ts';
import {
  Browser,
  approveOnAuthorizationPage,
  connectDemoShops,
  settle,
  signIn,
} from '../support/flows.ts';

let test: TestConnector;
let browser: Browser;

beforeEach(async () => {
  test = await startTestConnector();
  browser = await signIn(test);
});

afterEach(async () => {
  await test.close();
});

const connectionsPath = () => `/api/v1/stores/${test.demo.storeId}/connections`;

async function grantTokens() {
  return test.connector.ctx.db
    .selectFrom('grants')
    .select(['id', 'access_token_enc', 'refresh_token_enc', 'token_version'])
    .execute();
}

async function authorizeUrl(): Promise<string> {
  const response = await browser.json<{ authorizeUrl: string }>(`${connectionsPath()}/authorize`, {
    method: 'POST',
    body: JSON.stringify({ market: 'ROW' }),
  });
  return response.body.authorizeUrl;
}

async function postSignedWebhook(payload: object): Promise<number> {
  const body = JSON.stringify(payload);
  const signature = signWebhook({
    appKey: test.config.tiktok.appKey,
    appSecret: test.config.tiktok.appSecret,
    rawBody: body,
  });
  const response = await fetch(`${test.baseUrl}/webhooks/tiktok`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: signature },
    body,
  });
  return response.status;
}

describe('shop connections', () => {
  it('disconnects, keeps history and reconnects without duplicates', async () => {
    const { connections } = await connectDemoShops(test, browser);
    const before = await test.connector.ctx.db.selectFrom('orders').select('id').execute();

    for (const connection of connections) {
      const response = await browser.request(`${connectionsPath()}/${connection.id}`, {
        method: 'DELETE',
      });
      expect(response.status).toBe(204);
    }
    const [grant] = await grantTokens();
    expect(grant?.access_token_enc).toBeNull();
    expect(grant?.refresh_token_enc).toBeNull();
    const listed = await browser.json<ConnectionListResponse>(connectionsPath());
    expect(
      listed.body.connections.every((connection) => connection.status === 'disconnected'),
    ).toBe(true);
    expect((await test.connector.ctx.db.selectFrom('orders').select('id').execute()).length).toBe(
      before.length,
    );

    await connectDemoShops(test, browser);
    const after = await test.connector.ctx.db.selectFrom('orders').select('id').execute();
    expect(after.length).toBe(before.length);
    const relisted = await browser.json<ConnectionListResponse>(connectionsPath());
    expect(
      relisted.body.connections.filter((connection) => connection.status === 'active'),
    ).toHaveLength(2);
  });

  it('keeps tokens while another shop of the grant is connected', async () => {
    const { connections } = await connectDemoShops(test, browser);
    await browser.request(`${connectionsPath()}/${connections[0]!.id}`, { method: 'DELETE' });
    const [grant] = await grantTokens();
    expect(grant?.access_token_enc).not.toBeNull();
  });

  it('rejects a reused or forged state without changes', async () => {
    const url = await authorizeUrl();
    const callback = await approveOnAuthorizationPage(browser, url);
    expect((await browser.request(callback)).status).toBe(302);

    const reused = await browser.json<{ error: { code: string } }>(callback);
    expect(reused.status).toBe(410);
    expect(reused.body.error.code).toBe('GONE');

    const forged = new URL(callback);
    forged.searchParams.set('state', 'abc.def.ghi');
    const forgedResponse = await browser.json<{ error: { code: string } }>(forged.toString());
    expect(forgedResponse.status).toBe(400);
    expect((await grantTokens()).length).toBe(1);
  });

  it('rejects an expired state', async () => {
    const url = await authorizeUrl();
    test.clock.advance(11 * 60_000);
    const callback = await approveOnAuthorizationPage(browser, url);
    const response = await browser.json<{ error: { code: string } }>(callback);
    expect(response.status).toBe(410);
    expect(await grantTokens()).toHaveLength(0);
  });

  it('rejects a reused auth code with a clear error', async () => {
    const callback = new URL(await approveOnAuthorizationPage(browser, await authorizeUrl()));
    expect((await browser.request(callback.toString())).status).toBe(302);
    const versionBefore = (await grantTokens())[0]!.token_version;

    const freshState = new URL(await authorizeUrl()).searchParams.get('state')!;
    callback.searchParams.set('state', freshState);
    const response = await browser.json<{ error: { code: string; message: string } }>(
      callback.toString(),
    );
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/authorization code/);
    expect((await grantTokens())[0]!.token_version).toBe(versionBefore);
  });

  it('records a denied authorization', async () => {
    const callback = await approveOnAuthorizationPage(browser, await authorizeUrl(), {
      decision: 'deny',
    });
    const response = await browser.request(callback);
    expect(response.headers.get('location')).toContain('authorization=denied');
    expect(await grantTokens()).toHaveLength(0);
  });

  it('parks an app store install for a signed-in user', async () => {
    const emulator = test.connector.emulator!;
    const seller = [...emulator.state.store.sellers.values()][0]!;
    const { redirectUrl } = emulator.admin.simulateAppStoreInstall({
      appKey: test.config.tiktok.appKey,
      sellerId: seller.id,
    });
    const landing = await new Browser(test.baseUrl).request(redirectUrl);
    expect(landing.status).toBe(302);

    const grants = await browser.json<{
      grants: { id: string; suggestedStoreId: string | null; shops: { shopId: string }[] }[];
    }>('/api/v1/grants');
    expect(grants.body.grants).toHaveLength(1);
    const grant = grants.body.grants[0]!;
    expect(grant.suggestedStoreId).toBeNull();
    const claim = await browser.json<ConnectionListResponse>(`/api/v1/grants/${grant.id}/claim`, {
      method: 'POST',
      body: JSON.stringify({
        assignments: [{ shopId: grant.shops[0]!.shopId, storeId: test.demo.storeId }],
      }),
    });
    expect(claim.status).toBe(200);
    expect(claim.body.connections).toHaveLength(1);

    test.clock.advance(2 * 3_600_000);
    await test.connector.tick();
    expect((await grantTokens())[0]!.access_token_enc).not.toBeNull();
  });

  it('refreshes an expired token once for concurrent calls', async () => {
    await connectDemoShops(test, browser);
    const emulator = test.connector.emulator!;
    const seller = [...emulator.state.store.sellers.values()][0]!;
    const versionBefore = (await grantTokens())[0]!.token_version;
    emulator.admin.expireAccessToken({ appKey: test.config.tiktok.appKey, sellerId: seller.id });
    test.calls.clear();

    test.clock.advance(test.config.sync.pollIntervalMs + 1000);
    await settle(test);
    expect(test.calls.get('GET /api/v2/token/refresh')).toBe(1);
    expect((await grantTokens())[0]!.token_version).toBe(versionBefore + 1);
    const list = await browser.json<ConnectionListResponse>(connectionsPath());
    expect(list.body.connections.every((connection) => connection.lastPolledAt !== null)).toBe(
      true,
    );
  });

  it('refreshes ahead of expiry on the clock', async () => {
    await connectDemoShops(test, browser);
    test.calls.clear();
    test.clock.advance(6.5 * 86_400_000);
    await test.connector.tick();
    await test.connector.runJobsUntilIdle();
    expect(test.calls.get('GET /api/v2/token/refresh')).toBe(1);
  });

  it('disconnects a shop on the deauthorization webhook', async () => {
    const { connections } = await connectDemoShops(test, browser);
    const target = connections[0]!;
    const status = await postSignedWebhook({
      type: 6,
      tts_notification_id: '7327000000000000002',
      shop_id: target.shopId,
      timestamp: Math.floor(test.clock.now() / 1000),
      data: { message: 'seller deauthorized the app' },
    });
    expect(status).toBe(200);
    await settle(test);
    const list = await browser.json<ConnectionListResponse>(connectionsPath());
    const byShop = new Map(
      list.body.connections.map((connection) => [connection.shopId, connection.status]),
    );
    expect(byShop.get(target.shopId)).toBe('disconnected');
    expect(byShop.get(connections[1]!.shopId)).toBe('active');
  });

  it('asks to re-authorize on the expiry webhook', async () => {
    const { connections } = await connectDemoShops(test, browser);
    const target = connections[0]!;
    await postSignedWebhook({
      type: 7,
      tts_notification_id: '7327000000000000003',
      shop_id: target.shopId,
      timestamp: Math.floor(test.clock.now() / 1000),
      data: { message: 'authorization will expire soon', expiration_time: '1702592500' },
    });
    await settle(test);
    const list = await browser.json<ConnectionListResponse>(connectionsPath());
    const connection = list.body.connections.find(
      (candidate) => candidate.shopId === target.shopId,
    )!;
    expect(connection.status).toBe('reauthorize_required');
    expect(connection.reauthorizeBy).toBe('2023-12-14T22:21:40.000Z');
  });
});

describe('access control', () => {
  it('hides other accounts and checks API keys', async () => {
    await connectDemoShops(test, browser);
    const other = await createAccount(test.connector.ctx, {
      accountName: 'Other',
      email: 'other@example.com',
      userName: 'Other',
      storeName: 'Other store',
      password: 'correct horse battery',
    });
    const otherBrowser = new Browser(test.baseUrl);
    const signInResponse = await otherBrowser.request('/api/v1/session', {
      method: 'POST',
      body: JSON.stringify({ email: 'other@example.com', password: 'correct horse battery' }),
    });
    expect(signInResponse.status).toBe(204);
    const foreign = await otherBrowser.json<{ error: { code: string } }>(
      `/api/v1/stores/${test.demo.storeId}/orders`,
    );
    expect(foreign.status).toBe(404);
    const own = await otherBrowser.json<OrderListResponse>(
      `/api/v1/stores/${other.storeId}/orders`,
    );
    expect(own.body.orders).toHaveLength(0);

    const created = await browser.json<{ key: string }>(
      `/api/v1/stores/${test.demo.storeId}/api-keys`,
      {
        method: 'POST',
        body: JSON.stringify({ name: 'erp' }),
      },
    );
    const withKey = await fetch(
      `${test.baseUrl}/api/v1/stores/${test.demo.storeId}/orders?limit=5`,
      {
        headers: { authorization: `Bearer ${created.body.key}` },
      },
    );
    expect(withKey.status).toBe(200);
    const wrongStore = await fetch(`${test.baseUrl}/api/v1/stores/${other.storeId}/orders`, {
      headers: { authorization: `Bearer ${created.body.key}` },
    });
    expect(wrongStore.status).toBe(404);
    const badKey = await fetch(`${test.baseUrl}/api/v1/stores/${test.demo.storeId}/orders`, {
      headers: { authorization: 'Bearer tsk_nope' },
    });
    expect(badKey.status).toBe(401);
    const anonymous = await fetch(`${test.baseUrl}/api/v1/stores/${test.demo.storeId}/orders`);
    expect(anonymous.status).toBe(401);
  });

  it('validates order list parameters', async () => {
    const response = await browser.json<{ error: { code: string; message: string } }>(
      `/api/v1/stores/${test.demo.storeId}/orders?limit=5000`,
    );
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.message).toContain('limit');
  });
});
