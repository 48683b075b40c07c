import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import {
  callApi,
  createAuthorizedSeller,
  exchangeCode,
  startHarness,
  TEST_APP,
} from './test-helpers.ts';
import type { Harness } from './test-helpers.ts';
import type { SellerRecord, ShopRecord } from './types.ts';

let harness: Harness;
let seller: SellerRecord;
let shops: ShopRecord[];

beforeEach(async () => {
  harness = await startHarness();
  const { admin } = harness.emulator;
  seller = admin.createSeller({ name: 'Demo <Seller>', baseRegion: 'US' });
  shops = [
    admin.createShop({
      sellerId: seller.id,
      name: 'US Shop',
      region: 'US',
      currency: 'USD',
      hasOnHold: true,
    }),
    admin.createShop({ sellerId: seller.id, name: 'UK Shop', region: 'GB', currency: 'GBP' }),
  ];
});
afterEach(async () => harness.close());

/** Submits the consent form as a browser would, without following the redirect. */
async function submitForm(fields: [string, string][]): Promise<Response> {
  return fetch(`${harness.baseUrl}/open/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

describe('authorization page', () => {
  test('lists the seller and a checkbox per shop', async () => {
    const response = await fetch(
      `${harness.baseUrl}/open/authorize?service_id=${TEST_APP.serviceId}&state=abc`,
    );
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('Demo &lt;Seller&gt;');
    for (const shop of shops) expect(html).toContain(`name="shop_id" value="${shop.id}"`);
    expect(html).toContain('value="approve"');
    expect(html).toContain('value="deny"');
    expect(html).toContain('action="/open/authorize"');
    expect(html).not.toContain('<script');
  });

  test('unknown service_id shows an error page', async () => {
    const response = await fetch(`${harness.baseUrl}/open/authorize?service_id=999`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('service_id 999 is invalid');
  });

  test('approve redirects with code and trimmed state', async () => {
    const response = await submitForm([
      ['service_id', TEST_APP.serviceId],
      ['seller_id', seller.id],
      ['state', '  xyz 1  '],
      ['shop_id', shops[1]!.id],
      ['decision', 'approve'],
    ]);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('http://127.0.0.1:9/callback');
    expect(location.searchParams.get('from')).toBe('tiktok');
    expect(location.searchParams.get('state')).toBe('xyz 1');
    const code = location.searchParams.get('code')!;
    expect(code).toMatch(/^TTP_/);

    const tokens = await exchangeCode(harness, code);
    const shopsCall = await callApi(harness, {
      path: '/authorization/202309/shops',
      token: (tokens.body.data as { access_token: string }).access_token,
    });
    const granted = (shopsCall.body.data as { shops: { id: string }[] }).shops;
    expect(granted.map((shop) => shop.id)).toEqual([shops[1]!.id]);
  });

  test('deny redirects with auth_denied', async () => {
    const response = await submitForm([
      ['service_id', TEST_APP.serviceId],
      ['seller_id', seller.id],
      ['state', 's1'],
      ['decision', 'deny'],
    ]);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('code')).toBe('null');
    expect(location.searchParams.get('error')).toBe('auth_denied');
    expect(location.searchParams.get('state')).toBe('s1');
  });

  test('approve without shops shows the page again', async () => {
    const response = await submitForm([
      ['service_id', TEST_APP.serviceId],
      ['seller_id', seller.id],
      ['decision', 'approve'],
    ]);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Select at least one shop');
  });

  test('app store install has no state', () => {
    const install = harness.emulator.admin.simulateAppStoreInstall({
      appKey: TEST_APP.appKey,
      sellerId: seller.id,
    });
    const url = new URL(install.redirectUrl);
    expect(url.searchParams.get('code')).toBe(install.code);
    expect(url.searchParams.has('state')).toBe(false);
  });
});

describe('tokens', () => {
  const install = () =>
    harness.emulator.admin.simulateAppStoreInstall({ appKey: TEST_APP.appKey, sellerId: seller.id })
      .code;

  test('exchange returns absolute expiry times', async () => {
    const result = await exchangeCode(harness, install());
    const data = result.body.data as Record<string, unknown>;
    const now = Math.floor(harness.clock.now() / 1000);
    expect(result.body.code).toBe(0);
    expect(data.access_token_expire_in).toBe(now + 7 * 86_400);
    expect(data.refresh_token_expire_in).toBe(now + 365 * 86_400);
    expect(data.open_id).toEqual(expect.any(String));
    expect(data.seller_name).toBe('Demo <Seller>');
    expect(data.seller_base_region).toBe('US');
    expect(data.user_type).toBe(0);
    expect(data.granted_scopes).toContain('seller.order.info');
  });

  test('auth code works once', async () => {
    const code = install();
    expect((await exchangeCode(harness, code)).body.code).toBe(0);
    expect((await exchangeCode(harness, code)).body.code).toBe(36004004);
  });

  test('auth code expires after 30 minutes', async () => {
    const fresh = install();
    const stale = install();
    harness.clock.advance(30 * 60_000);
    expect((await exchangeCode(harness, fresh)).body.code).toBe(0);
    harness.clock.advance(1);
    expect((await exchangeCode(harness, stale)).body.code).toBe(36004004);
  });

  test('wrong app secret or grant type is rejected', async () => {
    const code = install();
    const badSecret = await exchangeCode(harness, code, { ...TEST_APP, appSecret: 'wrong' });
    expect(badSecret.body.code).toBe(36009004);
    const query = new URLSearchParams({
      app_key: TEST_APP.appKey,
      app_secret: TEST_APP.appSecret,
      auth_code: code,
      grant_type: 'refresh_token',
    });
    const response = await fetch(`${harness.baseUrl}/api/v2/token/get?${query}`);
    expect(((await response.json()) as { code: number }).code).toBe(36009004);
  });

  test('refresh rotates both tokens', async () => {
    const authorized = await createAuthorizedSeller(harness);
    const refresh = async (refreshToken: string, grantType = 'refresh_token') => {
      const query = new URLSearchParams({
        app_key: TEST_APP.appKey,
        app_secret: TEST_APP.appSecret,
        refresh_token: refreshToken,
        grant_type: grantType,
      });
      const response = await fetch(`${harness.baseUrl}/api/v2/token/refresh?${query}`);
      return (await response.json()) as { code: number; data: Record<string, string> };
    };

    harness.clock.advance(3 * 86_400_000);
    const first = await refresh(authorized.refreshToken);
    expect(first.code).toBe(0);
    expect(first.data.access_token).not.toBe(authorized.accessToken);
    expect(first.data.refresh_token).not.toBe(authorized.refreshToken);
    expect(first.data.access_token_expire_in).toBe(
      Math.floor(harness.clock.now() / 1000) + 7 * 86_400,
    );

    const oldCall = await callApi(harness, {
      path: '/authorization/202309/shops',
      token: authorized.accessToken,
    });
    expect(oldCall.body.code).toBe(36009004);
    const newCall = await callApi(harness, {
      path: '/authorization/202309/shops',
      token: first.data.access_token!,
    });
    expect(newCall.body.code).toBe(0);

    expect((await refresh(authorized.refreshToken)).code).toBe(36009004);
    const second = await refresh(first.data.refresh_token!, 'authorized_code');
    expect(second.code).toBe(0);
  });

  test('deauthorized grant gives 105001', async () => {
    const authorized = await createAuthorizedSeller(harness, [{ region: 'GB', currency: 'GBP' }]);
    harness.emulator.admin.deauthorizeShop({
      appKey: TEST_APP.appKey,
      shopId: authorized.shops[0]!.id,
    });
    const result = await callApi(harness, {
      path: '/authorization/202309/shops',
      token: authorized.accessToken,
    });
    expect(result.body.code).toBe(105001);
  });
});
