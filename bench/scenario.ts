import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import cliProgress from 'cli-progress';
import pg from 'pg';

import { createSignInLink, ensureDemoAccount } from '../src/accounts/accounts.ts';
import { DEMO_APP, loadConfig, oauthRedirectUrl, webhookUrl } from '../src/config/index.ts';
import { openDatabase } from '../src/db/database.ts';
import type { DatabaseHandle } from '../src/db/database.ts';
import type { ConnectionListResponse, PendingGrantListResponse } from '../src/http/api-types.ts';
import { createConnector } from '../src/main.ts';
import type { Connector } from '../src/main.ts';
import { freePort } from '../test/support/connector.ts';
import { Browser, approveOnAuthorizationPage } from '../test/support/flows.ts';
import { startEmulatorProcess } from './emulator-client.ts';
import type { EmulatorOrderRow, EmulatorProcess } from './emulator-client.ts';

export type Backend = 'pglite' | 'postgres';

export interface ScenarioOptions {
  backend: Backend;
  orders: number;
  shops: number;
  changes: number;
  /** Changes sent per second during the webhook phase. */
  changeRate: number;
  dropFraction: number;
  duplicateFraction: number;
  pollIntervalSeconds: number;
  pollLagSeconds: number;
  pollOverlapSeconds: number;
  /** postgres:// URL of a server database, used to drop and create the database `tts_bench`. */
  databaseUrl?: string;
  logLevel: string;
}

export interface ScenarioResult {
  backend: Backend;
  orders: number;
  shops: number;
  backfill: {
    seconds: number;
    ordersPerSecond: number;
    ordersStored: number;
    searchCalls: number;
    minSearchCalls: number;
    detailCalls: number;
    pollSearchCalls: number;
    rateLimited: number;
    peakRssMiB: number;
  };
  webhooks: {
    changes: number;
    sendSeconds: number;
    deliveries: number;
    dropped: number;
    duplicates: number;
    attempts: number;
    failedAttempts: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    metricP50Ms: string;
    metricP99Ms: string;
    pollIntervalSeconds: number;
    pollLagSeconds: number;
    pollOverlapSeconds: number;
    convergeSeconds: number | null;
    detailCalls: number;
    pollSearchCalls: number;
    rateLimited: number;
    lost: number;
    outOfDate: number;
    examples: string[];
    peakRssMiB: number;
  };
}

const SEARCH_PATH = '/order/202309/orders/search';
const DETAIL_PATH = '/order/202309/orders';
const DAY_SECONDS = 86_400;
const BACKFILL_TIMEOUT_MS = 240_000;
const CONVERGE_TIMEOUT_MS = 120_000;

/** Next status of one forward step in a shop without ON_HOLD. Terminal statuses have none. */
const NEXT_STATUS: Record<string, string | undefined> = {
  UNPAID: 'AWAITING_SHIPMENT',
  AWAITING_SHIPMENT: 'AWAITING_COLLECTION',
  AWAITING_COLLECTION: 'IN_TRANSIT',
  IN_TRANSIT: 'DELIVERED',
  DELIVERED: 'COMPLETED',
};

/** Seeded statuses by age, so that old orders are done and a good share can still move on. */
const STATUS_BY_AGE: { maxAgeDays: number; statuses: string[] }[] = [
  { maxAgeDays: 3, statuses: ['UNPAID', 'AWAITING_SHIPMENT', 'AWAITING_SHIPMENT'] },
  { maxAgeDays: 14, statuses: ['AWAITING_SHIPMENT', 'AWAITING_COLLECTION', 'IN_TRANSIT'] },
  { maxAgeDays: 45, statuses: ['IN_TRANSIT', 'DELIVERED', 'DELIVERED', 'CANCELLED'] },
  { maxAgeDays: 90, statuses: ['DELIVERED', 'COMPLETED', 'COMPLETED', 'CANCELLED'] },
];

/** Counts TikTok calls by kind. Backfill searches filter on create_time, polls on update_time. */
class CallCounter {
  backfillSearch = 0;
  pollSearch = 0;
  detail = 0;
  rateLimited = 0;

  snapshot(): CallCounter {
    return Object.assign(new CallCounter(), this);
  }

  wrap(base: typeof fetch): typeof fetch {
    return async (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      if (url.pathname === SEARCH_PATH) {
        const body = typeof init?.body === 'string' ? init.body : '';
        if (body.includes('update_time_ge')) this.pollSearch++;
        else this.backfillSearch++;
      } else if (url.pathname === DETAIL_PATH) {
        this.detail++;
      }
      const response = await base(input, init);
      if (response.status === 429) this.rateLimited++;
      return response;
    };
  }
}

/** Samples this process's resident set every 100 ms and keeps the peak. */
export class RssSampler {
  peak = 0;
  private readonly timer = setInterval(() => this.sample(), 100);

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }

  reset(): void {
    this.peak = 0;
    this.sample();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
export const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/** Returns a small deterministic PRNG, so that every run seeds the same order mix. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export async function openBenchDatabase(
  options: Pick<ScenarioOptions, 'backend' | 'databaseUrl'>,
  dataDir: string,
): Promise<DatabaseHandle> {
  if (options.backend === 'pglite') {
    return openDatabase({ databaseUrl: null, pgliteDir: path.join(dataDir, 'pglite') });
  }
  if (!options.databaseUrl)
    throw new Error('the postgres backend needs a database URL: set BENCH_DATABASE_URL');
  await recreateBenchDatabase(options.databaseUrl, 'create');
  return openDatabase({ databaseUrl: benchDatabaseUrl(options.databaseUrl), pgliteDir: null });
}

// NOTE: a separate database instead of a schema `bench` in the given one, because
// migrateToLatest in src/db/database.ts finds Kysely's migration tables in any schema (for
// example a test worker's) and then fails on search_path=bench with "relation
// kysely_migration_lock does not exist".
export const BENCH_DATABASE = 'tts_bench';

function benchDatabaseUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${BENCH_DATABASE}`;
  return url.toString();
}

/** Drops the benchmark database, and creates it empty again for `create`. */
export async function recreateBenchDatabase(
  databaseUrl: string,
  mode: 'create' | 'drop',
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
    if (mode === 'create') await client.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  } finally {
    await client.end();
  }
}

/** Creates one seller with `shops` US shops, one product each, and the backdated orders. */
async function seedEmulator(
  emulator: EmulatorProcess,
  options: ScenarioOptions,
): Promise<{ sellerId: string; shopIds: string[]; perShop: number[] }> {
  const seller = await emulator.admin<{ id: string }>('POST', '/admin/sellers', {
    name: 'Bench Seller',
    baseRegion: 'US',
  });
  const shopIds: string[] = [];
  for (let i = 0; i < options.shops; i++) {
    const shop = await emulator.admin<{ id: string }>('POST', '/admin/shops', {
      sellerId: seller.id,
      name: `Bench Shop ${i + 1}`,
      region: 'US',
      currency: 'USD',
      salesTaxRate: '0.0725',
    });
    await emulator.admin('POST', '/admin/products', {
      shopId: shop.id,
      title: 'Bench Product',
      skus: [
        { sellerSku: 'BENCH-A', price: '12.50' },
        { sellerSku: 'BENCH-B', price: '29.99' },
        { sellerSku: 'BENCH-C', price: '4.75' },
      ],
    });
    shopIds.push(shop.id);
  }

  const random = prng(20_240_601);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const now = Math.floor(Date.now() / 1000);
  const perShop = shopIds.map(() => 0);
  const inputs: object[] = [];
  for (let i = 0; i < options.orders; i++) {
    const shopIndex = i % shopIds.length;
    perShop[shopIndex]!++;
    // Spread over the last 89.5 days so that every order is inside the 90-day backfill.
    const ageSeconds = 600 + Math.floor(random() * (89.5 * DAY_SECONDS - 600));
    const band = STATUS_BY_AGE.find((b) => ageSeconds <= b.maxAgeDays * DAY_SECONDS)!;
    inputs.push({
      shopId: shopIds[shopIndex],
      items: Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        sellerSku: pick(['BENCH-A', 'BENCH-B', 'BENCH-C']),
        quantity: 1 + Math.floor(random() * 2),
      })),
      createTime: now - ageSeconds,
      status: pick(band.statuses),
      stepSeconds: Math.min(6 * 3600, Math.floor(ageSeconds / 8)),
    });
  }
  for (let i = 0; i < inputs.length; i += 2_000) {
    await emulator.admin('POST', '/admin/orders/bulk', {
      orders: inputs.slice(i, i + 2_000),
      shouldEmitWebhooks: false,
    });
  }
  return { sellerId: seller.id, shopIds, perShop };
}

/**
 * Walks the dashboard's connect flow through the emulator's authorization page. Returns the
 * signed-in browser, for the REST API, and the claim of the grant.
 */
export async function connectShops(
  connector: Connector,
  baseUrl: string,
): Promise<{ browser: Browser; claim: () => Promise<number> }> {
  const demo = await ensureDemoAccount(connector.ctx);
  const browser = new Browser(baseUrl);
  const token = await createSignInLink(connector.ctx, demo.userId);
  const signIn = await browser.request(`/auth/link?token=${token}`);
  if (signIn.status !== 302) throw new Error(`sign-in link failed with HTTP ${signIn.status}`);
  const authorize = await browser.json<{ authorizeUrl: string }>(
    `/api/v1/stores/${demo.storeId}/connections/authorize`,
    { method: 'POST', body: JSON.stringify({ market: 'US' }) },
  );
  if (authorize.status !== 200) throw new Error(`authorize failed with HTTP ${authorize.status}`);
  const callback = await approveOnAuthorizationPage(browser, authorize.body.authorizeUrl);
  const landing = await browser.request(callback);
  const grantPath = landing.headers.get('location') ?? '';
  if (landing.status !== 302 || !grantPath.includes('/grants/')) {
    throw new Error(
      `the OAuth callback returned HTTP ${landing.status}, location ${grantPath}, expected a redirect to /grants/`,
    );
  }
  const grantId = grantPath.split('/').at(-1)!;
  const grants = await browser.json<PendingGrantListResponse>('/api/v1/grants');
  const grant = grants.body.grants.find((candidate) => candidate.id === grantId);
  if (!grant) throw new Error(`grant ${grantId} is not pending`);

  // The claim is returned separately so that the caller starts its clock right before it.
  return {
    browser,
    claim: async () => {
      const claimed = await browser.json<ConnectionListResponse>(
        `/api/v1/grants/${grantId}/claim`,
        {
          method: 'POST',
          body: JSON.stringify({
            assignments: grant.shops.map((shop) => ({
              shopId: shop.shopId,
              storeId: demo.storeId,
            })),
          }),
        },
      );
      if (claimed.status !== 200) throw new Error(`claim failed with HTTP ${claimed.status}`);
      return claimed.body.connections.length;
    },
  };
}

interface Comparison {
  lost: number;
  outOfDate: number;
  examples: string[];
}

async function compareOrders(
  connector: Connector,
  emulatorOrders: EmulatorOrderRow[],
): Promise<Comparison> {
  const rows = await connector.ctx.db
    .selectFrom('orders')
    .select(['shop_id', 'id', 'tiktok_status', 'tiktok_update_time'])
    .execute();
  const stored = new Map(rows.map((row) => [`${row.shop_id}/${row.id}`, row]));
  const result: Comparison = { lost: 0, outOfDate: 0, examples: [] };
  for (const [id, shopId, status, updateTime] of emulatorOrders) {
    const row = stored.get(`${shopId}/${id}`);
    if (!row) {
      result.lost++;
      if (result.examples.length < 5) result.examples.push(`${id}: missing`);
    } else if (row.tiktok_status !== status || row.tiktok_update_time !== updateTime) {
      result.outOfDate++;
      if (result.examples.length < 5) {
        result.examples.push(
          `${id}: connector ${row.tiktok_status}@${row.tiktok_update_time}, emulator ${status}@${updateTime}`,
        );
      }
    }
  }
  return result;
}

/** Reads the histogram `tts_webhook_answer_seconds` and returns the bucket bound of a quantile. */
async function metricQuantiles(connector: Connector): Promise<{ p50: string; p99: string }> {
  const metric = await connector.metrics.webhookAnswers.get();
  const buckets = new Map<number, number>();
  let total = 0;
  for (const value of metric.values) {
    const labels = value.labels as Record<string, string | number | undefined>;
    if (value.metricName?.endsWith('_bucket')) {
      const bound = labels.le === '+Inf' ? Infinity : Number(labels.le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + value.value);
    } else if (value.metricName?.endsWith('_count')) {
      total += value.value;
    }
  }
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const bound = (q: number): string => {
    const target = q * total;
    const found = bounds.find((b) => buckets.get(b)! >= target);
    if (found === undefined || total === 0) return 'n/a';
    return found === Infinity ? `> ${bounds.at(-2)! * 1000} ms` : `≤ ${found * 1000} ms`;
  };
  return { p50: bound(0.5), p99: bound(0.99) };
}

/** Runs both phases on one backend, with a fresh emulator process and a fresh database. */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tts-bench-'));
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const rss = new RssSampler();
  const calls = new CallCounter();
  let emulator: EmulatorProcess | undefined;
  let connector: Connector | undefined;
  let database: DatabaseHandle | undefined;
  try {
    emulator = await startEmulatorProcess({
      ...DEMO_APP,
      redirectUrl: `${publicUrl}/oauth/tiktok/callback`,
      webhookUrl: `${publicUrl}/webhooks/tiktok`,
    });
    const seed = await seedEmulator(emulator, options);
    await emulator.admin('POST', `/admin/sellers/${seed.sellerId}/authorizing`);

    database = await openBenchDatabase(options, dataDir);
    const config = loadConfig({
      PORT: String(port),
      TTS_DATA_DIR: dataDir,
      TTS_API_BASE_URL: emulator.url,
      TTS_AUTH_BASE_URL: emulator.url,
      TTS_AUTHORIZE_URL_US: `${emulator.url}/open/authorize`,
      TTS_AUTHORIZE_URL_ROW: `${emulator.url}/open/authorize`,
      TTS_POLL_INTERVAL_SECONDS: String(options.pollIntervalSeconds),
      TTS_POLL_LAG_SECONDS: String(options.pollLagSeconds),
      TTS_POLL_OVERLAP_SECONDS: String(options.pollOverlapSeconds),
      TTS_BACKFILL_DAYS: '90',
      TTS_DEMO_SIMULATOR: 'off',
      TTS_LOG_LEVEL: options.logLevel,
    });
    if (
      oauthRedirectUrl(config) !== `${publicUrl}/oauth/tiktok/callback` ||
      webhookUrl(config) !== `${publicUrl}/webhooks/tiktok`
    ) {
      throw new Error('the connector URLs differ from the ones registered in the emulator');
    }
    connector = await createConnector(config, {
      database,
      fetch: calls.wrap(globalThis.fetch),
      // The embedded demo emulator stays empty; the benchmark talks to the child process.
      seedEmulator: false,
    });
    await connector.start();
    const { claim } = await connectShops(connector, publicUrl);

    // Phase 1: backfill.
    rss.reset();
    const before = calls.snapshot();
    const claimedAt = performance.now();
    const connections = await claim();
    if (connections !== options.shops)
      throw new Error(`claimed ${connections} connections, expected ${options.shops}`);
    const bar = new cliProgress.SingleBar(
      {
        format: `  ${options.backend} backfill [{bar}] {value}/{total} orders | {duration}s`,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(options.orders, 0);
    let backfillSeconds = Number.NaN;
    try {
      for (const deadline = Date.now() + BACKFILL_TIMEOUT_MS; Date.now() < deadline;) {
        const rows = await connector.ctx.db
          .selectFrom('connections')
          .select(['backfill_status', 'backfill_orders', 'backfill_error'])
          .execute();
        bar.update(rows.reduce((sum, row) => sum + row.backfill_orders, 0));
        if (rows.length === options.shops && rows.every((row) => row.backfill_status === 'done')) {
          backfillSeconds = (performance.now() - claimedAt) / 1000;
          break;
        }
        await sleep(100);
      }
    } finally {
      bar.stop();
    }
    if (Number.isNaN(backfillSeconds))
      throw new Error(`backfill did not finish within ${BACKFILL_TIMEOUT_MS / 1000} s`);
    const backfillPeak = rss.peak;
    const afterBackfill = calls.snapshot();
    const storedCount = await connector.ctx.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();

    // Phase 2: status changes as webhooks, with drops and duplicates.
    rss.reset();
    await emulator.admin('PUT', '/admin/faults/webhooks', {
      dropFraction: options.dropFraction,
      duplicateFraction: options.duplicateFraction,
    });
    const deliveriesBefore = await emulator.admin<{ deliveries: { id: number }[] }>(
      'GET',
      '/admin/webhooks/deliveries',
    );
    const firstDeliveryId = deliveriesBefore.deliveries.length;
    const statusById = new Map((await emulator.orders()).map(([id, , status]) => [id, status]));
    const movable = [...statusById.entries()]
      .filter(([, status]) => NEXT_STATUS[status])
      .map(([id]) => id);
    const random = prng(7_7_2024);
    const sendBar = new cliProgress.SingleBar(
      {
        format: `  ${options.backend} changes  [{bar}] {value}/{total} sent | {duration}s`,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    sendBar.start(options.changes, 0);
    const sendStart = performance.now();
    let sent = 0;
    try {
      while (sent < options.changes && movable.length > 0) {
        const index = Math.floor(random() * movable.length);
        const orderId = movable[index]!;
        const next = NEXT_STATUS[statusById.get(orderId)!]!;
        await emulator.admin('POST', `/admin/orders/${orderId}/status`, { status: next });
        statusById.set(orderId, next);
        if (!NEXT_STATUS[next]) movable.splice(index, 1);
        sent++;
        sendBar.update(sent);
        // Paces the changes at a steady rate, as a busy shop produces them.
        const due = sendStart + (sent * 1000) / options.changeRate;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
    } finally {
      sendBar.stop();
    }
    const sentAt = performance.now();
    const sendSeconds = (sentAt - sendStart) / 1000;

    let convergeSeconds: number | null = null;
    for (const deadline = Date.now() + CONVERGE_TIMEOUT_MS; Date.now() < deadline;) {
      const comparison = await compareOrders(connector, await emulator.orders());
      if (comparison.lost === 0 && comparison.outOfDate === 0) {
        convergeSeconds = (performance.now() - sentAt) / 1000;
        break;
      }
      await sleep(250);
    }
    // Waits for in-flight webhook batches and one more poll before the final count, so that a
    // late stale write shows up as out of date.
    await sleep((options.pollIntervalSeconds + options.pollLagSeconds + 2) * 1000);
    const final = await compareOrders(connector, await emulator.orders());

    const log = await emulator.admin<{
      deliveries: { id: number; type: number; state: string; isDuplicate: boolean }[];
      attempts: { deliveryId: number; type: number; latencyMs: number; isSuccess: boolean }[];
    }>('GET', '/admin/webhooks/deliveries');
    const deliveries = log.deliveries.filter((d) => d.type === 1 && d.id > firstDeliveryId);
    const attempts = log.attempts.filter((a) => a.type === 1 && a.deliveryId > firstDeliveryId);
    const latencies = attempts.map((a) => a.latencyMs).sort((a, b) => a - b);
    const quantiles = await metricQuantiles(connector);
    const end = calls.snapshot();

    return {
      backend: options.backend,
      orders: options.orders,
      shops: options.shops,
      backfill: {
        seconds: backfillSeconds,
        ordersPerSecond: options.orders / backfillSeconds,
        ordersStored: Number(storedCount.count),
        searchCalls: afterBackfill.backfillSearch - before.backfillSearch,
        minSearchCalls: seed.perShop.reduce((sum, n) => sum + Math.ceil(n / 100), 0),
        detailCalls: afterBackfill.detail - before.detail,
        pollSearchCalls: afterBackfill.pollSearch - before.pollSearch,
        rateLimited: afterBackfill.rateLimited - before.rateLimited,
        peakRssMiB: mib(backfillPeak),
      },
      webhooks: {
        changes: sent,
        sendSeconds,
        deliveries: deliveries.length,
        dropped: deliveries.filter((d) => d.state === 'dropped').length,
        duplicates: deliveries.filter((d) => d.isDuplicate).length,
        attempts: attempts.length,
        failedAttempts: attempts.filter((a) => !a.isSuccess).length,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        maxMs: latencies.at(-1) ?? Number.NaN,
        metricP50Ms: quantiles.p50,
        metricP99Ms: quantiles.p99,
        pollIntervalSeconds: options.pollIntervalSeconds,
        pollLagSeconds: options.pollLagSeconds,
        pollOverlapSeconds: options.pollOverlapSeconds,
        convergeSeconds,
        detailCalls: end.detail - afterBackfill.detail,
        pollSearchCalls: end.pollSearch - afterBackfill.pollSearch,
        rateLimited: end.rateLimited - afterBackfill.rateLimited,
        lost: final.lost,
        outOfDate: final.outOfDate,
        examples: final.examples,
        peakRssMiB: mib(rss.peak),
      },
    };
  } finally {
    rss.stop();
    await connector
      ?.close()
      .catch((error: unknown) => console.error('connector close failed', error));
    await database
      ?.close()
      .catch((error: unknown) => console.error('database close failed', error));
    await emulator?.stop();
    if (options.backend === 'postgres' && options.databaseUrl) {
      await recreateBenchDatabase(options.databaseUrl, 'drop').catch((error: unknown) =>
        console.error(`dropping the database ${BENCH_DATABASE} failed`, error),
      );
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}
