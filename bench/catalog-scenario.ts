import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { sql } from 'kysely';

import { DEMO_APP, loadConfig } from '../src/config/index.ts';
import type { DatabaseHandle } from '../src/db/database.ts';
import type { CatalogSkuPage, TiktokWarehouse } from '../src/http/catalog-types.ts';
import { QUEUES } from '../src/jobs/boss.ts';
import { createConnector } from '../src/main.ts';
import type { Connector } from '../src/main.ts';
import { freePort } from '../test/support/connector.ts';
import type { Browser } from '../test/support/flows.ts';
import { startEmulatorProcess } from './emulator-client.ts';
import type { EmulatorProcess } from './emulator-client.ts';
import {
  BENCH_DATABASE,
  connectShops,
  openBenchDatabase,
  percentile,
  prng,
  recreateBenchDatabase,
  sleep,
} from './scenario.ts';
import type { Backend } from './scenario.ts';

export interface CatalogScenarioOptions {
  backend: Backend;
  products: number;
  skusPerProduct: number;
  stockChanges: number;
  /** Both phases send their changes spread evenly over this many seconds. */
  sendSeconds: number;
  /** TTS_PUSH_COALESCE_MS of the connector. */
  coalesceMs: number;
  /** How long a phase waits after its last change for TikTok to match. */
  pushTimeoutSeconds: number;
  /** The API call that sends the price changes. */
  priceVia: 'patch' | 'import';
  /** postgres:// URL of a server database, used to drop and create the database `tts_bench`. */
  databaseUrl?: string;
  logLevel: string;
}

/** Figures of one phase: stock or price changes, and the pushes they caused. */
export interface PushPhaseResult {
  /** The API call that carried the changes, e.g. `POST /stock`. */
  endpoint: string;
  changes: number;
  requests: number;
  /** First request sent → last request sent. */
  spanSeconds: number;
  skusChanged: number;
  /** Update Inventory or Update Price attempts, from the connector's fetch. */
  calls: number;
  rateLimited: number;
  /** Every other TikTok call in this phase (Get Product after a product webhook, polls). */
  otherCalls: number;
  productsCalled: number;
  maxCallsPerProduct: number;
  /** Most calls inside any one second of the phase. */
  peakCallsPerSecond: number;
  /** Coalescing windows that fit in the span: floor(span / window) + 1. */
  windows: number;
  /**
   * Calls to a product less than one window after that product's previous call, leaving out
   * sell-outs and retries after a 429, which are counted on their own.
   */
  callsInsideWindow: number;
  sellOutCallsInsideWindow: number;
  retriesInsideWindow: number;
  /** pg-boss push jobs created in this phase, by singleton key: `shop:product` or `…:now`. */
  windowedJobs: number;
  sellOutJobs: number;
  failedJobs: number;
  queueErrors: string[];
  /** Time from a SKU's last change until TikTok showed its final value, over matched SKUs. */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Last change sent → every SKU matches; null when the timeout passed first. */
  convergeSeconds: number | null;
  /** First change sent → every SKU matches (or the timeout). */
  wallSeconds: number;
  mismatches: number;
  examples: string[];
  /** SKUs whose `wanted` value in GET /catalog/skus differs from the benchmark's own result. */
  wantedDisagreements: number;
}

export interface CatalogScenarioResult {
  backend: Backend;
  products: number;
  skusPerProduct: number;
  coalesceMs: number;
  /** Claim → initial pushes settled: import, mapping, rules, sync and the first pushes. */
  setupSeconds: number;
  stock: PushPhaseResult;
  price: PushPhaseResult;
}

const SELLER_SKU_PREFIX = 'BENCH';
const LOCATION = 'MAIN';
const STOCK_RULE = { reserveUnits: 1 } as const;
const PRICE_RULE = { markupPercent: '5' } as const;
/** Stock changes per POST /stock request. */
const STOCK_BATCH_SIZE = 100;
/** Share of stock changes that set on-hand to 0, on top of the uniform draws of 0–200. */
const SELL_OUT_SHARE = 0.05;
const MAX_ON_HAND = 200;
/** Price PATCH requests in flight at once, so that one slow response does not hold back the rate. */
const PRICE_REQUESTS_IN_FLIGHT = 8;
/** Price changes per POST /skus/import request with `--price-via import`. */
const PRICE_IMPORT_BATCH_SIZE = 100;
const POLL_INTERVAL_MS = 100;
const SETUP_TIMEOUT_MS = 300_000;

const INVENTORY_UPDATE = /^\/product\/202309\/products\/(\d+)\/inventory\/update$/;
const PRICE_UPDATE = /^\/product\/202309\/products\/(\d+)\/prices\/update$/;

/** One Update Inventory or Update Price attempt: the product and when it was sent. */
interface PushCall {
  productId: string;
  at: number;
  /** The call sets some warehouse to 0: a sell-out, which skips the window on purpose. */
  sellOut: boolean;
  /** TikTok returned HTTP 429, so the client sent the call again. */
  rateLimited: boolean;
}

/** Records the connector's push calls to TikTok, with their time, from its fetch. */
class PushCallLog {
  inventory: PushCall[] = [];
  price: PushCall[] = [];
  inventoryRateLimited = 0;
  priceRateLimited = 0;
  other = 0;

  reset(): void {
    this.inventory = [];
    this.price = [];
    this.inventoryRateLimited = 0;
    this.priceRateLimited = 0;
    this.other = 0;
  }

  wrap(base: typeof fetch): typeof fetch {
    return async (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      const at = performance.now();
      const inventory = INVENTORY_UPDATE.exec(url.pathname);
      const price = PRICE_UPDATE.exec(url.pathname);
      const sellOut = typeof init?.body === 'string' && /"quantity":0[,}]/.test(init.body);
      const productId = inventory?.[1] ?? price?.[1];
      const call = productId ? { productId, at, sellOut, rateLimited: false } : null;
      if (call && inventory) this.inventory.push(call);
      else if (call) this.price.push(call);
      else this.other++;
      const response = await base(input, init);
      if (call && response.status === 429) call.rateLimited = true;
      if (response.status === 429 && inventory) this.inventoryRateLimited++;
      if (response.status === 429 && price) this.priceRateLimited++;
      return response;
    };
  }
}

/** Per-product figures of a list of push calls. */
function analyseCalls(calls: PushCall[], windowMs: number) {
  const byProduct = new Map<string, PushCall[]>();
  for (const call of calls) {
    const list = byProduct.get(call.productId) ?? [];
    list.push(call);
    byProduct.set(call.productId, list);
  }
  let maxCallsPerProduct = 0;
  let callsInsideWindow = 0;
  let sellOutCalls = 0;
  let retriedCalls = 0;
  for (const list of byProduct.values()) {
    list.sort((a, b) => a.at - b.at);
    maxCallsPerProduct = Math.max(maxCallsPerProduct, list.length);
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.at - list[i - 1]!.at >= windowMs) continue;
      // Sell-outs skip the window by design, and a retry after a 429 repeats one call.
      if (list[i]!.sellOut) sellOutCalls++;
      else if (list[i - 1]!.rateLimited) retriedCalls++;
      else callsInsideWindow++;
    }
  }
  const times = calls.map((call) => call.at).sort((a, b) => a - b);
  let peakCallsPerSecond = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= 1000) first++;
    peakCallsPerSecond = Math.max(peakCallsPerSecond, last - first + 1);
  }
  return {
    productsCalled: byProduct.size,
    maxCallsPerProduct,
    callsInsideWindow,
    sellOutCallsInsideWindow: sellOutCalls,
    retriesInsideWindow: retriedCalls,
    peakCallsPerSecond,
  };
}

/**
 * Follows, per SKU, the value TikTok should end up with and when it first showed it. A snapshot
 * read before a SKU's last change was sent cannot show that change, so it is skipped.
 */
class ConvergenceTracker {
  readonly expected = new Map<string, string>();
  readonly lastChangeAt = new Map<string, number>();
  readonly matchedAt = new Map<string, number>();

  change(sku: string, value: string, at: number): void {
    this.expected.set(sku, value);
    this.lastChangeAt.set(sku, at);
    this.matchedAt.delete(sku);
  }

  observe(actual: Map<string, string>, readStartedAt: number, readAt: number): void {
    for (const [sku, value] of this.expected) {
      if (readStartedAt < (this.lastChangeAt.get(sku) ?? -Infinity)) continue;
      if (actual.get(sku) === value) {
        if (!this.matchedAt.has(sku)) this.matchedAt.set(sku, readAt);
      } else {
        this.matchedAt.delete(sku);
      }
    }
  }

  unmatched(): string[] {
    return [...this.expected.keys()].filter((sku) => !this.matchedAt.has(sku));
  }

  /** Last change → first match, in ms, of every changed SKU that matched; sorted. */
  latencies(): number[] {
    const values: number[] = [];
    for (const [sku, changedAt] of this.lastChangeAt) {
      const matchedAt = this.matchedAt.get(sku);
      if (matchedAt !== undefined) values.push(matchedAt - changedAt);
    }
    return values.sort((a, b) => a - b);
  }
}

/** TikTok's quantity and price of every SKU in the shop, keyed by seller_sku. */
async function readTiktokSkus(
  emulator: EmulatorProcess,
  shopId: string,
): Promise<{ quantity: Map<string, string>; price: Map<string, string> }> {
  const { products } = await emulator.admin<{
    products: { skus: { sellerSku: string; quantity: number; price: string }[] }[];
  }>('GET', `/admin/shops/${shopId}/products`);
  const quantity = new Map<string, string>();
  const price = new Map<string, string>();
  for (const product of products) {
    for (const sku of product.skus) {
      quantity.set(sku.sellerSku, String(sku.quantity));
      price.set(sku.sellerSku, sku.price);
    }
  }
  return { quantity, price };
}

/** Returns the quantity TikTok should show for `onHand` units under the store's stock rule. */
const shownQuantity = (onHand: number): string =>
  String(Math.max(0, onHand - STOCK_RULE.reserveUnits));

/**
 * Applies a percent markup to a price with 2 decimals and rounds half away from zero to cents,
 * in BigInt arithmetic. It is written apart from computeShopPrice so that it checks it.
 */
export function markedUpPrice(price: string, markupPercent: string): string {
  if (!/^\d+\.\d{2}$/.test(price)) throw new RangeError(`price ${price} needs exactly 2 decimals`);
  const cents = BigInt(price.replace('.', ''));
  const [whole, fraction = ''] = markupPercent.split('.');
  const scale = 10n ** BigInt(fraction.length);
  const numerator = cents * (100n * scale + BigInt(`${whole}${fraction}`));
  const denominator = 100n * scale;
  // Markups above -100% keep the numerator positive, so this rounds half away from zero.
  const rounded = (2n * numerator + denominator) / (2n * denominator);
  return `${rounded / 100n}.${String(rounded % 100n).padStart(2, '0')}`;
}

const formatCents = (cents: number): string =>
  `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** Reads every row of GET /catalog/skus for one shop. */
async function catalogRows(browser: Browser, storeId: string, shopId: string) {
  const rows: CatalogSkuPage['skus'] = [];
  let cursor: string | null = null;
  do {
    const query: string = `shopId=${shopId}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { status: number; body: CatalogSkuPage } = await browser.json<CatalogSkuPage>(
      `/api/v1/stores/${storeId}/catalog/skus?${query}`,
    );
    if (page.status !== 200) throw new Error(`GET /catalog/skus failed with HTTP ${page.status}`);
    rows.push(...page.body.skus);
    cursor = page.body.nextCursor;
  } while (cursor);
  return rows;
}

/** Sends a JSON request through the signed-in browser and fails on any status but 2xx. */
async function callApi<T>(browser: Browser, method: string, url: string, body?: unknown) {
  const response = await browser.json<T>(url, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status < 200 || response.status > 299) {
    throw new Error(
      `${method} ${url} failed with HTTP ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`,
    );
  }
  return response.body;
}

/** Counts the pg-boss jobs of one queue created since `since`, by kind of singleton key. */
async function jobCounts(connector: Connector, queue: string, since: Date) {
  const table = sql.table(`${connector.database.bossSchema}.job`);
  const result = await sql<{ sell_out: string; windowed: string; failed: string }>`
    SELECT
      count(*) FILTER (WHERE singleton_key LIKE '%:now') AS sell_out,
      count(*) FILTER (WHERE singleton_key NOT LIKE '%:now') AS windowed,
      count(*) FILTER (WHERE state = 'failed' OR retry_count > 0) AS failed
    FROM ${table}
    WHERE name = ${queue} AND created_on >= ${since}
  `.execute(connector.ctx.db);
  const row = result.rows[0]!;
  return {
    sellOut: Number(row.sell_out),
    windowed: Number(row.windowed),
    failed: Number(row.failed),
  };
}

interface SendResult {
  changes: number;
  requests: number;
  firstAt: number;
  lastAt: number;
}

interface Phase {
  tracker: ConvergenceTracker;
  /** The API call that carries the changes, as the results table names it. */
  endpoint: string;
  calls: () => PushCall[];
  rateLimited: () => number;
  queue: string;
  read: (skus: Awaited<ReturnType<typeof readTiktokSkus>>) => Map<string, string>;
  wanted: (row: CatalogSkuPage['skus'][number]) => string | null;
  /** Sends the changes, records each in the tracker, and returns how many requests it made. */
  send: () => Promise<SendResult>;
}

interface Run {
  connector: Connector;
  emulator: EmulatorProcess;
  browser: Browser;
  storeId: string;
  shopId: string;
  log: PushCallLog;
  queueErrors: string[];
  options: CatalogScenarioOptions;
}

/** Sends one phase's changes while polling TikTok, then waits until every SKU matches. */
async function runPhase(run: Run, phase: Phase): Promise<PushPhaseResult> {
  const { connector, emulator, shopId, log, options } = run;
  run.log.reset();
  run.queueErrors.length = 0;
  const since = new Date();
  let sendEnd: number | null = null;
  const timeoutMs = options.pushTimeoutSeconds * 1000;

  const polling = (async (): Promise<number | null> => {
    for (;;) {
      const startedAt = performance.now();
      const skus = await readTiktokSkus(emulator, shopId);
      const readAt = performance.now();
      phase.tracker.observe(phase.read(skus), startedAt, readAt);
      if (sendEnd !== null) {
        if (phase.tracker.unmatched().length === 0) return readAt;
        if (readAt - sendEnd > timeoutMs) return null;
      }
      await sleep(Math.max(0, POLL_INTERVAL_MS - (performance.now() - startedAt)));
    }
  })();
  // Marks the promise handled so that a failed read surfaces at the await below.
  polling.catch(() => undefined);

  const sent = await phase.send();
  sendEnd = performance.now();
  const matchedAt = await polling;
  const end = matchedAt ?? performance.now();

  const calls = phase.calls();
  const figures = analyseCalls(calls, options.coalesceMs);
  const spanMs = sent.lastAt - sent.firstAt;
  const jobs = await jobCounts(connector, phase.queue, since);
  const rows = await catalogRows(run.browser, run.storeId, shopId);
  const wantedDisagreements = rows.filter(
    (row) => phase.wanted(row) !== phase.tracker.expected.get(row.sellerSku),
  ).length;
  const unmatched = phase.tracker.unmatched();
  const actual = phase.read(await readTiktokSkus(emulator, shopId));
  const latencies = phase.tracker.latencies();
  return {
    endpoint: phase.endpoint,
    changes: sent.changes,
    requests: sent.requests,
    spanSeconds: spanMs / 1000,
    skusChanged: phase.tracker.lastChangeAt.size,
    calls: calls.length,
    rateLimited: phase.rateLimited(),
    otherCalls: log.other,
    ...figures,
    windows: Math.floor(spanMs / options.coalesceMs) + 1,
    windowedJobs: jobs.windowed,
    sellOutJobs: jobs.sellOut,
    failedJobs: jobs.failed,
    queueErrors: [...run.queueErrors],
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    convergeSeconds: matchedAt === null ? null : (matchedAt - sendEnd) / 1000,
    wallSeconds: (end - sent.firstAt) / 1000,
    mismatches: unmatched.length,
    examples: unmatched
      .slice(0, 5)
      .map(
        (sku) =>
          `${sku}: TikTok ${actual.get(sku) ?? 'missing'}, expected ${phase.tracker.expected.get(sku)}`,
      ),
    wantedDisagreements,
  };
}

/** Sends the stock changes in equal batches, one request at a time, paced over the span. */
function stockPhase(run: Run, sellerSkus: string[], initial: Map<string, number>): Phase {
  const tracker = new ConvergenceTracker();
  for (const [sku, onHand] of initial) tracker.expected.set(sku, shownQuantity(onHand));
  const random = prng(3_141_592);
  const { stockChanges, sendSeconds } = run.options;
  return {
    tracker,
    endpoint: 'POST /stock',
    calls: () => run.log.inventory,
    rateLimited: () => run.log.inventoryRateLimited,
    queue: QUEUES.stockPush,
    read: (skus) => skus.quantity,
    wanted: (row) => (row.stock.wanted === null ? null : String(row.stock.wanted)),
    send: async () => {
      const batches = Math.ceil(stockChanges / STOCK_BATCH_SIZE);
      const intervalMs = (sendSeconds * 1000) / batches;
      const start = performance.now();
      let lastAt = start;
      let changes = 0;
      for (let batch = 0; batch < batches; batch++) {
        const wait = start + batch * intervalMs - performance.now();
        if (wait > 0) await sleep(wait);
        const size = Math.min(STOCK_BATCH_SIZE, stockChanges - changes);
        const body = Array.from({ length: size }, () => ({
          sku: sellerSkus[Math.floor(random() * sellerSkus.length)]!,
          location: LOCATION,
          onHand: random() < SELL_OUT_SHARE ? 0 : Math.floor(random() * (MAX_ON_HAND + 1)),
        }));
        lastAt = performance.now();
        // Later changes to one SKU in a batch win, as setStock applies them in order.
        for (const change of body) tracker.change(change.sku, shownQuantity(change.onHand), lastAt);
        await callApi(run.browser, 'POST', `/api/v1/stores/${run.storeId}/stock`, {
          changes: body,
        });
        changes += size;
      }
      return { changes, requests: batches, firstAt: start, lastAt };
    },
  };
}

/**
 * Sends one new price per SKU, paced over the span: with PATCH /skus/:sku and a few requests in
 * flight, or with POST /skus/import in batches, one request at a time.
 */
function pricePhase(run: Run, initial: Map<string, { cents: number; title: string }>): Phase {
  const tracker = new ConvergenceTracker();
  for (const [sku, { cents }] of initial) {
    tracker.expected.set(sku, markedUpPrice(formatCents(cents), PRICE_RULE.markupPercent));
  }
  const random = prng(2_718_281);
  const order = [...initial.keys()];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const changes = order.map((sku) => {
    let cents = 100 + Math.floor(random() * 19_900);
    if (cents === initial.get(sku)!.cents) cents += 1;
    return { sku, price: formatCents(cents) };
  });
  const viaImport = run.options.priceVia === 'import';
  return {
    tracker,
    endpoint: viaImport ? 'POST /skus/import' : 'PATCH /skus/:sku',
    calls: () => run.log.price,
    rateLimited: () => run.log.priceRateLimited,
    queue: QUEUES.pricePush,
    read: (skus) => skus.price,
    wanted: (row) => row.price.wanted,
    send: () =>
      viaImport ? importPrices(run, changes, initial, tracker) : patchPrices(run, changes, tracker),
  };
}

async function patchPrices(
  run: Run,
  changes: { sku: string; price: string }[],
  tracker: ConvergenceTracker,
): Promise<SendResult> {
  const intervalMs = (run.options.sendSeconds * 1000) / changes.length;
  const inFlight = new Set<Promise<void>>();
  const errors: Error[] = [];
  const start = performance.now();
  let lastAt = start;
  for (const [index, { sku, price }] of changes.entries()) {
    const wait = start + index * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight.size >= PRICE_REQUESTS_IN_FLIGHT) await Promise.race(inFlight);
    lastAt = performance.now();
    tracker.change(sku, markedUpPrice(price, PRICE_RULE.markupPercent), lastAt);
    const request: Promise<void> = callApi(
      run.browser,
      'PATCH',
      `/api/v1/stores/${run.storeId}/skus/${encodeURIComponent(sku)}`,
      { price },
    )
      .then(() => undefined)
      .catch((error: unknown) => {
        errors.push(error as Error);
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
    if (errors.length > 0) break;
  }
  await Promise.all(inFlight);
  if (errors.length > 0) throw errors[0]!;
  return { changes: changes.length, requests: changes.length, firstAt: start, lastAt };
}

async function importPrices(
  run: Run,
  changes: { sku: string; price: string }[],
  initial: Map<string, { cents: number; title: string }>,
  tracker: ConvergenceTracker,
): Promise<SendResult> {
  const batches = Math.ceil(changes.length / PRICE_IMPORT_BATCH_SIZE);
  const intervalMs = (run.options.sendSeconds * 1000) / batches;
  const start = performance.now();
  let lastAt = start;
  for (let batch = 0; batch < batches; batch++) {
    const wait = start + batch * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    const slice = changes.slice(
      batch * PRICE_IMPORT_BATCH_SIZE,
      (batch + 1) * PRICE_IMPORT_BATCH_SIZE,
    );
    lastAt = performance.now();
    for (const { sku, price } of slice) {
      tracker.change(sku, markedUpPrice(price, PRICE_RULE.markupPercent), lastAt);
    }
    await callApi(run.browser, 'POST', `/api/v1/stores/${run.storeId}/skus/import`, {
      // The import replaces the title too, so each item sends the one it already has.
      items: slice.map(({ sku, price }) => ({ sku, title: initial.get(sku)!.title, price })),
    });
  }
  return { changes: changes.length, requests: batches, firstAt: start, lastAt };
}

/** Seeds the emulator: one US shop with the generated products, whose seller_skus are unique. */
async function seedCatalogShop(
  emulator: EmulatorProcess,
  options: CatalogScenarioOptions,
): Promise<{ sellerId: string; shopId: string }> {
  const seller = await emulator.admin<{ id: string }>('POST', '/admin/sellers', {
    name: 'Bench Catalog Seller',
    baseRegion: 'US',
  });
  const shop = await emulator.admin<{ id: string }>('POST', '/admin/shops', {
    sellerId: seller.id,
    name: 'Bench Catalog Shop',
    region: 'US',
    currency: 'USD',
  });
  await emulator.admin('POST', '/admin/products/generate', {
    shopId: shop.id,
    productCount: options.products,
    skusPerProduct: options.skusPerProduct,
    sellerSkuPrefix: SELLER_SKU_PREFIX,
  });
  return { sellerId: seller.id, shopId: shop.id };
}

async function waitFor<T>(
  description: string,
  timeoutMs: number,
  check: () => Promise<{ done: boolean; value: T; progress: string }>,
): Promise<T> {
  let lastReport = 0;
  for (const deadline = Date.now() + timeoutMs; ;) {
    const { done, value, progress } = await check();
    if (done) return value;
    if (Date.now() > deadline) {
      throw new Error(`${description} timed out after ${timeoutMs / 1000} s: ${progress}`);
    }
    if (Date.now() - lastReport > 5_000) {
      console.error(`  waiting for ${description}: ${progress}`);
      lastReport = Date.now();
    }
    await sleep(250);
  }
}

/**
 * Prepares the connector's side: locations mapped, SKUs imported with prices and stock, rules
 * set, a catalog sync run, and every SKU linked and pushed. Returns the initial stock and prices.
 */
async function setUpCatalog(run: Run, connectionId: string) {
  const { browser, storeId, shopId, emulator, connector, options } = run;
  const api = `/api/v1/stores/${storeId}`;
  const catalogDone = async (after: Date | null) => {
    const row = await connector.ctx.db
      .selectFrom('connections')
      .select(['catalog_status', 'catalog_synced_at', 'catalog_error'])
      .where('id', '=', connectionId)
      .executeTakeFirstOrThrow();
    const done =
      row.catalog_status === 'done' &&
      row.catalog_synced_at !== null &&
      (after === null || row.catalog_synced_at >= after);
    return {
      done,
      value: undefined,
      progress: `catalog ${row.catalog_status}${row.catalog_error ? ` (${row.catalog_error})` : ''}`,
    };
  };
  await waitFor('the first catalog sync', SETUP_TIMEOUT_MS, () => catalogDone(null));

  const { warehouses } = await callApi<{ warehouses: TiktokWarehouse[] }>(
    browser,
    'GET',
    `${api}/warehouses`,
  );
  const warehouse = warehouses.find(
    (w) => w.shopId === shopId && w.isDefault && w.type === 'SALES_WAREHOUSE',
  );
  if (!warehouse) throw new Error(`shop ${shopId} has no default sales warehouse in the mirror`);
  for (const location of ['MAIN', 'OVERFLOW']) {
    await callApi(browser, 'PUT', `${api}/locations/${location}/warehouses/${shopId}`, {
      warehouseId: warehouse.id,
    });
  }

  const random = prng(1_618_033);
  const onHand = new Map<string, number>();
  const cents = new Map<string, number>();
  const titles = new Map<string, string>();
  const items = [];
  for (let p = 1; p <= options.products; p++) {
    for (let s = 1; s <= options.skusPerProduct; s++) {
      const sku = `${SELLER_SKU_PREFIX}-${String(p).padStart(4, '0')}-${String(s).padStart(2, '0')}`;
      onHand.set(sku, Math.floor(random() * (MAX_ON_HAND + 1)));
      cents.set(sku, 100 + Math.floor(random() * 19_900));
      titles.set(sku, `Bench product ${p}, variant ${s}`);
      items.push({
        sku,
        title: titles.get(sku)!,
        price: formatCents(cents.get(sku)!),
        currency: 'USD',
        stock: [{ location: LOCATION, onHand: onHand.get(sku)! }],
      });
    }
  }
  for (let i = 0; i < items.length; i += 5_000) {
    await callApi(browser, 'POST', `${api}/skus/import`, { items: items.slice(i, i + 5_000) });
  }
  await callApi(browser, 'PUT', `${api}/settings/catalog`, {
    stockRule: STOCK_RULE,
    priceRule: PRICE_RULE,
  });
  const total = options.products * options.skusPerProduct;
  const settled = async () => {
    const rows = await catalogRows(browser, storeId, shopId);
    const linked = rows.filter((row) => row.link.state === 'auto').length;
    const seen = new Set(rows.map((row) => row.sellerSku)).size;
    const pending = rows.filter((row) => row.stock.pending || row.price.pending).length;
    const tiktok = await readTiktokSkus(emulator, shopId);
    let differ = 0;
    for (const [sku, units] of onHand) {
      const price = markedUpPrice(formatCents(cents.get(sku)!), PRICE_RULE.markupPercent);
      if (tiktok.quantity.get(sku) !== shownQuantity(units) || tiktok.price.get(sku) !== price) {
        differ++;
      }
    }
    return {
      done: seen === total && linked === total && pending === 0 && differ === 0,
      value: undefined,
      progress: `${seen}/${total} SKUs mirrored, ${linked} linked, ${pending} pending, ${differ} differ on TikTok`,
    };
  };
  // NOTE: the sync waits until no push is in flight. A full sync removes every product that its
  // search did not return, and a push during the sync moves the product's update_time past the
  // search's update_time_le, so runCatalogSync in src/catalog/mirror.ts drops it from the mirror.
  await waitFor('the pushes after the import', SETUP_TIMEOUT_MS, settled);
  const syncRequestedAt = new Date();
  await callApi(browser, 'POST', `${api}/connections/${connectionId}/catalog/sync`);
  await waitFor('the requested catalog sync', SETUP_TIMEOUT_MS, () => catalogDone(syncRequestedAt));
  await waitFor('the pushes after the sync', SETUP_TIMEOUT_MS, settled);
  const prices = new Map(
    [...cents].map(([sku, amount]) => [sku, { cents: amount, title: titles.get(sku)! }]),
  );
  return { onHand, prices, sellerSkus: [...onHand.keys()] };
}

/** Runs the stock phase and then the price phase on one backend, with a fresh emulator. */
export async function runCatalogScenario(
  options: CatalogScenarioOptions,
): Promise<CatalogScenarioResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tts-bench-catalog-'));
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const log = new PushCallLog();
  let emulator: EmulatorProcess | undefined;
  let connector: Connector | undefined;
  let database: DatabaseHandle | undefined;
  try {
    emulator = await startEmulatorProcess({
      ...DEMO_APP,
      redirectUrl: `${publicUrl}/oauth/tiktok/callback`,
      webhookUrl: `${publicUrl}/webhooks/tiktok`,
    });
    const seed = await seedCatalogShop(emulator, options);
    await emulator.admin('POST', `/admin/sellers/${seed.sellerId}/authorizing`);

    database = await openBenchDatabase(options, dataDir);
    const config = loadConfig({
      PORT: String(port),
      TTS_DATA_DIR: dataDir,
      TTS_API_BASE_URL: emulator.url,
      TTS_AUTH_BASE_URL: emulator.url,
      TTS_AUTHORIZE_URL_US: `${emulator.url}/open/authorize`,
      TTS_AUTHORIZE_URL_ROW: `${emulator.url}/open/authorize`,
      TTS_PUSH_COALESCE_MS: String(options.coalesceMs),
      TTS_DEMO_SIMULATOR: 'off',
      TTS_LOG_LEVEL: options.logLevel,
    });
    connector = await createConnector(config, {
      database,
      fetch: log.wrap(globalThis.fetch),
      seedEmulator: false,
    });
    const queueErrors: string[] = [];
    connector.boss.on('error', (error) => queueErrors.push(error.message));
    await connector.start();
    const { browser, claim } = await connectShops(connector, publicUrl);
    const setupStart = performance.now();
    const connections = await claim();
    if (connections !== 1) throw new Error(`claimed ${connections} connections, expected 1`);
    const connection = await connector.ctx.db
      .selectFrom('connections')
      .select(['id', 'store_id'])
      .where('shop_id', '=', seed.shopId)
      .executeTakeFirstOrThrow();
    const run: Run = {
      connector,
      emulator,
      browser,
      storeId: connection.store_id,
      shopId: seed.shopId,
      log,
      queueErrors,
      options,
    };
    const initial = await setUpCatalog(run, connection.id);
    const setupSeconds = (performance.now() - setupStart) / 1000;

    console.error(`  ${options.backend} stock: ${options.stockChanges} changes`);
    const stock = await runPhase(run, stockPhase(run, initial.sellerSkus, initial.onHand));
    console.error(`  ${options.backend} price: ${initial.sellerSkus.length} changes`);
    const price = await runPhase(run, pricePhase(run, initial.prices));
    return {
      backend: options.backend,
      products: options.products,
      skusPerProduct: options.skusPerProduct,
      coalesceMs: options.coalesceMs,
      setupSeconds,
      stock,
      price,
    };
  } finally {
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
