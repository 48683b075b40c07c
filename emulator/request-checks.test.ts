import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import {
  callApi,
  createAuthorizedSeller,
  startHarness,
  testSign,
  TEST_APP,
} from './test-helpers.ts';
import type { AuthorizedSeller, Harness } from './test-helpers.ts';

const SHOPS_PATH = '/authorization/202309/shops';
const SEARCH_PATH = '/order/202309/orders/search';

let harness: Harness;
let seller: AuthorizedSeller;

beforeEach(async () => {
  harness = await startHarness({ rateLimitPerSecond: 5 });
  seller = await createAuthorizedSeller(harness);
});
afterEach(async () => harness.close());

const search = (extra: Partial<Parameters<typeof callApi>[1]> = {}) =>
  callApi(harness, {
    path: SEARCH_PATH,
    params: { page_size: '10' },
    body: '{}',
    token: seller.accessToken,
    shopCipher: seller.shops[0]!.cipher,
    ...extra,
  });

describe('request checks', () => {
  test('valid signed call succeeds', async () => {
    const result = await callApi(harness, { path: SHOPS_PATH, token: seller.accessToken });
    expect(result.status).toBe(200);
    expect(result.body.code).toBe(0);
    expect(result.body.request_id).toMatch(/^\d{14}[0-9A-F]{20}$/);
    expect((result.body.data as { shops: unknown[] }).shops).toHaveLength(2);
  });

  test('bad sign gives 106001 with HTTP 401', async () => {
    const result = await search({ sign: '0'.repeat(64) });
    expect(result.status).toBe(401);
    expect(result.body.code).toBe(106001);
  });

  test('upper-case sign is rejected', async () => {
    const params = {
      app_key: TEST_APP.appKey,
      timestamp: String(Math.floor(harness.clock.now() / 1000)),
    };
    const sign = testSign(TEST_APP.appSecret, SHOPS_PATH, params).toUpperCase();
    const result = await callApi(harness, { path: SHOPS_PATH, token: seller.accessToken, sign });
    expect(result.body.code).toBe(106001);
  });

  test('sign over a changed body is rejected', async () => {
    const params = {
      app_key: TEST_APP.appKey,
      timestamp: String(Math.floor(harness.clock.now() / 1000)),
      shop_cipher: seller.shops[0]!.cipher,
      page_size: '10',
    };
    const sign = testSign(TEST_APP.appSecret, SEARCH_PATH, params, '{"order_status":"UNPAID"}');
    const result = await search({ body: '{"order_status": "UNPAID"}', sign });
    expect(result.body.code).toBe(106001);
  });

  test('empty parameters verify whether signed or skipped', async () => {
    const timestamp = String(Math.floor(harness.clock.now() / 1000));
    const base = { app_key: TEST_APP.appKey, timestamp, extra: '' };
    const signedEmpty = testSign(TEST_APP.appSecret, SHOPS_PATH, base);
    const withoutEmpty = { app_key: base.app_key, timestamp };
    const skippedEmpty = testSign(TEST_APP.appSecret, SHOPS_PATH, withoutEmpty);
    for (const sign of [signedEmpty, skippedEmpty]) {
      const result = await callApi(harness, {
        path: SHOPS_PATH,
        params: { extra: '' },
        token: seller.accessToken,
        sign,
      });
      expect(result.body.code).toBe(0);
    }
  });

  test('timestamp older than 5 minutes is rejected', async () => {
    const old = String(Math.floor(harness.clock.now() / 1000) - 301);
    const result = await search({ timestamp: old });
    expect(result.status).toBe(400);
    expect(result.body.code).toBe(36009004);
    expect(result.body.message).toContain('timestamp');
  });

  test('timestamp window edges', async () => {
    const now = Math.floor(harness.clock.now() / 1000);
    expect((await search({ timestamp: String(now - 300) })).body.code).toBe(0);
    expect((await search({ timestamp: String(now + 30) })).body.code).toBe(0);
    expect((await search({ timestamp: String(now + 31) })).body.code).toBe(36009004);
  });

  test('millisecond and float timestamps are rejected', async () => {
    const now = harness.clock.now();
    for (const timestamp of [String(now), `${Math.floor(now / 1000)}.5`]) {
      const result = await search({ timestamp });
      expect(result.body.code).toBe(36009004);
      expect(result.body.message).toContain('timestamp');
    }
  });

  test('missing and unknown app_key give 36009004 with HTTP 400', async () => {
    const response = await fetch(`${harness.baseUrl}${SHOPS_PATH}?timestamp=1&sign=x`, {
      headers: { 'content-type': 'application/json' },
    });
    const missing = (await response.json()) as { code: number; message: string };
    expect(response.status).toBe(400);
    expect(missing.code).toBe(36009004);
    expect(missing.message).toContain('app_key');

    const unknownApp = { ...TEST_APP, appKey: 'nosuchapp' };
    const unknown = await callApi(harness, {
      path: SHOPS_PATH,
      token: seller.accessToken,
      app: unknownApp,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe(36009004);
  });

  test('missing and invalid access token give 36009004', async () => {
    const missing = await search({ token: undefined });
    expect(missing.body.code).toBe(36009004);
    expect(missing.body.message).toContain('x-tts-access-token');
    const invalid = await search({ token: 'TTP_not_a_token' });
    expect(invalid.body.code).toBe(36009004);
    expect(invalid.body.message).toContain('x-tts-access-token');
  });

  test('expired access token gives 105002', async () => {
    harness.emulator.admin.expireAccessToken({
      appKey: TEST_APP.appKey,
      sellerId: seller.seller.id,
    });
    const result = await search();
    expect(result.body.code).toBe(105002);
  });

  test('token lapses after 7 days on the clock', async () => {
    harness.clock.advance(7 * 86_400_000);
    expect((await search()).body.code).toBe(105002);
  });

  test('shop outside the grant gives 101000', async () => {
    const { admin } = harness.emulator;
    const other = admin.createSeller({ name: 'Other', baseRegion: 'GB' });
    const foreign = admin.createShop({
      sellerId: other.id,
      name: 'Foreign',
      region: 'GB',
      currency: 'GBP',
    });
    const result = await search({ shopCipher: foreign.cipher });
    expect(result.body.code).toBe(101000);
  });

  test('missing shop_cipher gives 106013', async () => {
    const result = await search({ shopCipher: undefined });
    expect(result.body.code).toBe(106013);
  });

  test('shop_cipher on Get Authorized Shops is an unexpected identifier', async () => {
    const result = await callApi(harness, {
      path: SHOPS_PATH,
      token: seller.accessToken,
      shopCipher: seller.shops[0]!.cipher,
    });
    expect(result.body.code).toBe(36009004);
    expect(result.body.message).toContain('Unexpected identifier');
  });

  test('unknown path gives 36009009 with HTTP 404', async () => {
    const result = await callApi(harness, {
      path: '/order/202309/nothing',
      token: seller.accessToken,
    });
    expect(result.status).toBe(404);
    expect(result.body.code).toBe(36009009);
  });

  test('unknown version gives 36009014', async () => {
    const result = await callApi(harness, {
      path: '/order/202212/orders',
      token: seller.accessToken,
    });
    expect(result.body.code).toBe(36009014);
  });

  test('wrong method gives 36009010', async () => {
    const result = await callApi(harness, {
      path: SHOPS_PATH,
      token: seller.accessToken,
      body: '{}',
    });
    expect(result.status).toBe(405);
    expect(result.body.code).toBe(36009010);
  });

  test('content type must be application/json', async () => {
    const missing = await callApi(harness, {
      path: SHOPS_PATH,
      token: seller.accessToken,
      contentType: null,
    });
    expect(missing.body.code).toBe(36009022);
    const text = await search({ contentType: 'text/plain' });
    expect(text.body.code).toBe(36009022);
    // A multipart body is never signed, so this sign leaves it out.
    const params = {
      app_key: TEST_APP.appKey,
      timestamp: String(Math.floor(harness.clock.now() / 1000)),
      shop_cipher: seller.shops[0]!.cipher,
      page_size: '10',
    };
    const multipart = await search({
      contentType: 'multipart/form-data; boundary=x',
      sign: testSign(TEST_APP.appSecret, SEARCH_PATH, params),
    });
    expect(multipart.body.code).toBe(36009023);
    const withCharset = await search({ contentType: 'application/json; charset=utf-8' });
    expect(withCharset.body.code).toBe(0);
  });

  test('rate limit per app, shop and API gives 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await search()).body.code);
    expect(codes.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(codes[5]).toBe(36009002);

    const limited = await search();
    expect(limited.status).toBe(429);
    const otherShop = await search({ shopCipher: seller.shops[1]!.cipher });
    expect(otherShop.body.code).toBe(0);
    harness.clock.advance(1000);
    expect((await search()).body.code).toBe(0);
  });
});
