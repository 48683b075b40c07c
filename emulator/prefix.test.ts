import { afterEach, beforeEach, expect, test } from 'vitest';

import {
  callApi,
  createAuthorizedSeller,
  startHarness,
  testSign,
  TEST_APP,
} from './test-helpers.ts';
import type { Harness } from './test-helpers.ts';

const PREFIX = '/tiktok-emulator';
let harness: Harness;

beforeEach(async () => {
  harness = await startHarness({ prefix: PREFIX });
});
afterEach(async () => harness.close());

test('signature is checked without the prefix', async () => {
  const seller = await createAuthorizedSeller(harness);
  const ok = await callApi(harness, {
    path: '/authorization/202309/shops',
    token: seller.accessToken,
  });
  expect(ok.body.code).toBe(0);

  const params = {
    app_key: TEST_APP.appKey,
    timestamp: String(Math.floor(harness.clock.now() / 1000)),
  };
  const signedWithPrefix = testSign(
    TEST_APP.appSecret,
    `${PREFIX}/authorization/202309/shops`,
    params,
  );
  const bad = await callApi(harness, {
    path: '/authorization/202309/shops',
    token: seller.accessToken,
    sign: signedWithPrefix,
  });
  expect(bad.body.code).toBe(106001);
});

test('authorization form posts under the prefix', async () => {
  const { admin } = harness.emulator;
  const seller = admin.createSeller({ name: 'Prefixed Seller', baseRegion: 'GB' });
  const shop = admin.createShop({ sellerId: seller.id, name: 'UK', region: 'GB', currency: 'GBP' });
  const page = await fetch(
    `${harness.baseUrl}/open/authorize?service_id=${TEST_APP.serviceId}&state=st`,
  );
  const html = await page.text();
  expect(html).toContain(`action="${PREFIX}/open/authorize"`);

  const origin = new URL(harness.baseUrl).origin;
  const response = await fetch(`${origin}${PREFIX}/open/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([
      ['service_id', TEST_APP.serviceId],
      ['seller_id', seller.id],
      ['state', 'st'],
      ['shop_id', shop.id],
      ['decision', 'approve'],
    ]).toString(),
    redirect: 'manual',
  });
  expect(response.status).toBe(302);
  expect(new URL(response.headers.get('location')!).searchParams.get('state')).toBe('st');
});

test('paths outside the prefix are not served', async () => {
  const origin = new URL(harness.baseUrl).origin;
  const response = await fetch(`${origin}/authorization/202309/shops`);
  expect(response.status).toBe(404);
  const inside = await fetch(`${harness.baseUrl}/no/such/path`, {
    headers: { 'content-type': 'application/json' },
  });
  expect(((await inside.json()) as { code: number }).code).toBe(36009009);
});
