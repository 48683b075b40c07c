import { execFileSync } from 'node:child_process';

import type { CatalogScenarioResult, PushPhaseResult } from './catalog-scenario.ts';
import { machineFacts } from './machine.ts';
import { fmt } from './orders-report.ts';

/** First line of the catalog section; the docs writer finds the section by it. */
export const CATALOG_HEADING = '## Stock and price pushes';

/** The flags of the catalog scenario that its docs section quotes. */
export interface CatalogFlags {
  products: number;
  skusPerProduct: number;
  stockChanges: number;
  sendSeconds: number;
  coalesceMs: number;
  pushTimeout: number;
  priceVia: 'patch' | 'import';
}

/**
 * Checks whether a phase kept to at most one call per product per coalescing window. Sell-outs,
 * which go out at once by design, and retries after a 429 are shown apart and not held against it.
 */
export function goalMet(phase: PushPhaseResult): boolean {
  return phase.callsInsideWindow === 0 && phase.maxCallsPerProduct <= phase.windows;
}

const ms = (value: number): string => (Number.isFinite(value) ? String(Math.round(value)) : 'n/a');

function phaseRows(
  name: string,
  callName: string,
  pick: (result: CatalogScenarioResult) => PushPhaseResult,
): [string, (result: CatalogScenarioResult) => string][] {
  const rows: [string, (phase: PushPhaseResult, result: CatalogScenarioResult) => string][] = [
    [
      `**${name}**: changes sent (requests, span)`,
      (p) => `${p.changes} (${p.requests} × \`${p.endpoint}\`, ${fmt(p.spanSeconds)} s)`,
    ],
    ['SKUs changed', (p) => String(p.skusChanged)],
    [`${callName} calls (HTTP 429 answers)`, (p) => `${p.calls} (${p.rateLimited})`],
    [
      'Calls per product: mean / max',
      (p, r) => `${fmt(p.calls / r.products)} / ${p.maxCallsPerProduct}`,
    ],
    ['Most calls in any one second', (p) => String(p.peakCallsPerSecond)],
    ['Windows in the span: floor(span / window) + 1', (p) => String(p.windows)],
    [
      "Calls less than one window after the product's previous call: windowed / sell-out / retry after 429",
      (p) => `${p.callsInsideWindow} / ${p.sellOutCallsInsideWindow} / ${p.retriesInsideWindow}`,
    ],
    [
      '**At most one call per product per window**',
      (p, r) =>
        `${goalMet(p) ? 'met' : '**not met**'}: ${p.calls} calls ≤ ${r.products * p.windows}, max ${p.maxCallsPerProduct} ≤ ${p.windows} per product, ${p.callsInsideWindow} windowed calls inside a window`,
    ],
    [
      'Push jobs created: windowed / sell-out (`:now`)',
      (p) => `${p.windowedJobs} / ${p.sellOutJobs}`,
    ],
    [
      'Push jobs failed or retried / pg-boss errors',
      (p) => `${p.failedJobs} / ${p.queueErrors.length}`,
    ],
    ['Other TikTok calls in this phase', (p) => String(p.otherCalls)],
    [
      "SKU's last change → TikTok shows it, p50 / p95 / p99 / max",
      (p) => `${ms(p.p50Ms)} / ${ms(p.p95Ms)} / ${ms(p.p99Ms)} / ${ms(p.maxMs)} ms`,
    ],
    [
      'Last change sent → every SKU matches',
      (p) => (p.convergeSeconds === null ? 'timed out' : `${fmt(p.convergeSeconds)} s`),
    ],
    ['Wall time: first change → every SKU matches', (p) => `${fmt(p.wallSeconds)} s`],
    ['`wanted` in `GET /catalog/skus` ≠ expected', (p) => String(p.wantedDisagreements)],
    ['**Mismatches at the end**', (p) => `**${p.mismatches}**`],
  ];
  return rows.map(([label, cell]) => [label, (result) => cell(pick(result), result)]);
}

/** Formats rows as a Markdown table with padded columns, as Prettier prints it. */
function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) =>
    Math.max(3, cell.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `| ${cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join(' | ')} |`;
  const rule = `| ${widths
    .map((width, column) => (column === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`))
    .join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function catalogTable(results: CatalogScenarioResult[]): string {
  const rows: [string, (result: CatalogScenarioResult) => string][] = [
    ['Products × SKUs per product', (r) => `${r.products} × ${r.skusPerProduct}`],
    ['Coalescing window, `TTS_PUSH_COALESCE_MS`', (r) => `${r.coalesceMs} ms`],
    ['Setup: claim → every SKU linked and pushed', (r) => `${fmt(r.setupSeconds)} s`],
    ...phaseRows('Stock', 'Update Inventory', (r) => r.stock),
    ...phaseRows('Price', 'Update Price', (r) => r.price),
  ];
  const header = [
    'Measure',
    ...results.map((r) => (r.backend === 'pglite' ? 'PGlite' : 'PostgreSQL')),
  ];
  return markdownTable(
    header,
    rows.map(([label, cell]) => [label, ...results.map(cell)]),
  );
}

function dateNow(): string {
  try {
    return execFileSync('date', ['-u', '+%Y-%m-%d %H:%M UTC'], { encoding: 'utf8' }).trim();
  } catch {
    return new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  }
}

/** Builds the catalog section of docs/benchmarks.md, from its heading to the end of the page. */
export function catalogSection(
  results: CatalogScenarioResult[],
  command: string,
  flags: CatalogFlags,
  failures: string[],
): string {
  const skus = flags.products * flags.skusPerProduct;
  const batches = Math.ceil(flags.stockChanges / 100);
  const hasPostgres = results.some((r) => r.backend === 'postgres');
  const priceRequests =
    flags.priceVia === 'import'
      ? '`POST /skus/import` requests of 100 SKUs, one request at a time'
      : '`PATCH /skus/:sku` requests, up to 8 in flight';
  return `${CATALOG_HEADING}

This section is written by \`npm run bench -- --scenario catalog\`, which leaves the sections
above as they are.

### What is measured

The connector and the emulator run as in the order benchmark: \`connector.start()\` with its
pg-boss workers polling, and the emulator in its own process with 50 requests per second per
shop and API. The benchmark connects one US shop and generates ${flags.products} products of
${flags.skusPerProduct} SKUs there, with seller_skus \`BENCH-0001-01\` and up. It imports ${skus}
platform SKUs with the same codes, prices and stock at location \`MAIN\` through
\`POST /skus/import\`, and maps \`MAIN\` and \`OVERFLOW\` to the shop's default warehouse. It sets
the store rules \`{"reserveUnits": 1}\` and \`{"markupPercent": "5"}\`, requests a catalog sync,
and waits until every SKU is linked, no push is pending and TikTok shows every value. The call
counts start after that.

1. **Stock.** ${flags.stockChanges} changes in ${batches} \`POST /stock\` requests, one request at
   a time, paced evenly over ${flags.sendSeconds} s. Each change sets a random SKU's on-hand count
   at \`MAIN\` to 0 in 5% of the changes and to a random 0–200 in the rest. The expected TikTok
   quantity is \`max(0, onHand - 1)\` of the SKU's last change.
2. **Price.** One new price per SKU, random from 1.00 to 199.99 and never the old one, paced
   evenly over ${flags.sendSeconds} s. They go out as
   ${priceRequests}.
   The expected TikTok price is the new price plus 5%, rounded half away from zero to cents in
   BigInt arithmetic.

During each phase the benchmark reads \`GET /admin/shops/:shopId/products\` every 100 ms. A SKU's
latency runs from sending the request with its last change to the end of the first read that
shows the expected value and no later read that differs. A read that started before that request
was sent is not counted. The phase ends when every SKU matches, or ${flags.pushTimeout} s after
the last change. The connector's \`fetch\` is wrapped to record each Update Inventory and Update
Price attempt with its product and time.

The goal is at most one call per product per coalescing window. It is met when no windowed
call comes less than one window after the product's previous call, and no product gets more
calls than the windows that fit in the span of the changes, \`floor(span / window) + 1\`. Two
kinds of early call are counted apart and not held against the goal: sell-outs (a call that sets
a warehouse to 0), which go out at once by design, and a client retry after an HTTP 429. Push jobs are counted
in pg-boss's job table by singleton key. A \`shop:product\` job waits for the window, and a
\`shop:product:now\` job is a sell-out, which \`markWanted\` in \`src/catalog/wanted.ts\` sends
without waiting. The benchmark exits non-zero when a SKU is still wrong at the end, or when
\`GET /catalog/skus\` reports a \`wanted\` value other than the benchmark's own.

### Results (${dateNow()})

${machineFacts().join('\n')}
- Command: \`${command}\`

${catalogTable(results)}
${hasPostgres ? '' : '\nPostgreSQL was not measured in this run: set `BENCH_DATABASE_URL` or `TEST_DATABASE_URL`.\n'}${
    failures.length > 0 ? `\n**Failures:**\n\n${failures.map((f) => `- ${f}`).join('\n')}\n` : ''
  }
### Reading the numbers

- A windowed push waits for \`TTS_PUSH_COALESCE_MS\` after the first change, so latency includes
  up to one window by design. pg-boss workers poll every 0.5 s, which adds up to that much again.
- \`connector.start()\` runs 2 workers per queue with a batch of 1 (\`JobRunner.start\` in
  \`src/jobs/queue.ts\`). pg-boss 10.4 waits out the rest of the 0.5 s polling interval after each
  fetch, even one that returned a job. So each worker takes a job about every 0.5 s, one queue
  runs about 4 push jobs a second on average, and one round of pushes to ${flags.products} products takes
  about ${Math.ceil(flags.products / 4)} s however short the window is.
- Latency is measured in steps of about one read of the emulator's products: 100 ms plus the
  time of the read.
- A sell-out (wanted stock 0 while TikTok was last sent more) is sent at once. Each one can add a
  call inside a window, so the stock phase can miss the goal by design when SKUs sell out.
- A call answered with HTTP 429 and sent again counts as two calls.

### How to reproduce

\`\`\`sh
npm run bench -- --scenario catalog --backend pglite
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- --scenario catalog --backend both
\`\`\`

Flags: \`--products\`, \`--skus-per-product\`, \`--stock-changes\`, \`--send-seconds\`,
\`--coalesce-ms\`, \`--push-timeout\`, \`--price-via patch|import\`,
\`--backend pglite|postgres|both\`, \`--log-level\`, and \`--no-docs\`.
\`--scenario all\` runs the order benchmark and then this one.
`;
}
