import { afterEach, beforeEach, expect, test } from 'vitest';

import { callApi, createAuthorizedSeller, startHarness } from './test-helpers.ts';
import type { AuthorizedSeller, Harness } from './test-helpers.ts';

const SHOPS_PATH = '/authorization/202309/shops';
const SEARCH_PATH = '/order/202309/orders/search';

let harness: Harness;
let seller: AuthorizedSeller;

beforeEach(async () => {
  harness = await startHarness({ seed: 42 });
  seller = await createAuthorizedSeller(harness);
});
afterEach(async () => harness.close());

const shops = () => callApi(harness, { path: SHOPS_PATH, token: seller.accessToken });
const search = () =>
  callApi(harness, {
    path: SEARCH_PATH,
    params: { page_size: '5' },
    body: '{}',
    token: seller.accessToken,
    shopCipher: seller.shops[0]!.cipher,
  });

test('next N server errors, then normal answers', async () => {
  harness.emulator.admin.addApiFault({ kind: 'server_error', status: 503, next: 2 });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await shops()).status);
  expect(statuses).toEqual([503, 503, 200]);
});

test('server error carries code 36009003', async () => {
  harness.emulator.admin.addApiFault({ kind: 'server_error', next: 1 });
  const result = await shops();
  expect(result.status).toBe(500);
  expect(result.body.code).toBe(36009003);
});

test('injected 429 applies only to its path', async () => {
  harness.emulator.admin.addApiFault({ kind: 'rate_limit', path: SEARCH_PATH });
  const limited = await search();
  expect(limited.status).toBe(429);
  expect(limited.body.code).toBe(36009002);
  expect((await shops()).status).toBe(200);
});

test('fraction faults repeat with the same seed', async () => {
  const run = async (): Promise<number[]> => {
    const local = await startHarness({ seed: 7 });
    const localSeller = await createAuthorizedSeller(local);
    local.emulator.admin.addApiFault({ kind: 'server_error', fraction: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      statuses.push(
        (await callApi(local, { path: SHOPS_PATH, token: localSeller.accessToken })).status,
      );
    }
    await local.close();
    return statuses;
  };
  const first = await run();
  expect(first).toContain(500);
  expect(first).toContain(200);
  expect(await run()).toEqual(first);
});

test('latency fault delays the answer', async () => {
  harness.emulator.admin.addApiFault({ kind: 'latency', latencyMs: 150, next: 1 });
  const started = performance.now();
  expect((await shops()).body.code).toBe(0);
  expect(performance.now() - started).toBeGreaterThanOrEqual(140);
});

test('clearFaults removes every fault', async () => {
  harness.emulator.admin.addApiFault({ kind: 'server_error' });
  harness.emulator.admin.clearFaults();
  expect((await shops()).status).toBe(200);
});
