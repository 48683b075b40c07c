import { machineFacts } from './machine.ts';
import type { ScenarioResult } from './scenario.ts';

/** The flags of the order scenario that its docs section quotes. */
export interface OrdersFlags {
  orders: number;
  shops: number;
  changes: number;
  changeRate: number;
  drop: number;
  duplicate: number;
  pollInterval: number;
  pollLag: number;
  pollOverlap: number;
}

export const fmt = (value: number, digits = 1): string =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a';

export function resultTable(results: ScenarioResult[]): string {
  const rows: [string, (r: ScenarioResult) => string][] = [
    ['Orders / shops', (r) => `${r.orders} / ${r.shops}`],
    ['**Backfill** wall time, claim → all `done`', (r) => `${fmt(r.backfill.seconds)} s`],
    ['Backfill throughput', (r) => `${fmt(r.backfill.ordersPerSecond, 0)} orders/s`],
    ['Orders stored after backfill', (r) => String(r.backfill.ordersStored)],
    [
      'Backfill search calls (minimum)',
      (r) => `${r.backfill.searchCalls} (${r.backfill.minSearchCalls})`,
    ],
    ['Detail calls during backfill', (r) => String(r.backfill.detailCalls)],
    ['Poll search calls during backfill', (r) => String(r.backfill.pollSearchCalls)],
    ['HTTP 429 answers during backfill', (r) => String(r.backfill.rateLimited)],
    ['Peak RSS during backfill', (r) => `${fmt(r.backfill.peakRssMiB, 0)} MiB`],
    [
      '**Webhooks**: status changes sent (time)',
      (r) => `${r.webhooks.changes} (${fmt(r.webhooks.sendSeconds)} s)`,
    ],
    [
      'Webhook deliveries: total / dropped / duplicates',
      (r) => `${r.webhooks.deliveries} / ${r.webhooks.dropped} / ${r.webhooks.duplicates}`,
    ],
    ['Delivery attempts (failed)', (r) => `${r.webhooks.attempts} (${r.webhooks.failedAttempts})`],
    [
      'Webhook answer latency at the emulator, p50 / p99 / max',
      (r) => `${fmt(r.webhooks.p50Ms)} / ${fmt(r.webhooks.p99Ms)} / ${fmt(r.webhooks.maxMs)} ms`,
    ],
    [
      '`tts_webhook_answer_seconds` p50 / p99 (bucket bound)',
      (r) => `${r.webhooks.metricP50Ms} / ${r.webhooks.metricP99Ms}`,
    ],
    [
      'Poll interval / lag / overlap',
      (r) =>
        `${r.webhooks.pollIntervalSeconds} / ${r.webhooks.pollLagSeconds} / ${r.webhooks.pollOverlapSeconds} s`,
    ],
    [
      'Time to match the emulator after the last change',
      (r) =>
        r.webhooks.convergeSeconds === null
          ? 'did not converge'
          : `${fmt(r.webhooks.convergeSeconds)} s`,
    ],
    [
      'Detail calls / poll search calls in this phase',
      (r) => `${r.webhooks.detailCalls} / ${r.webhooks.pollSearchCalls}`,
    ],
    ['HTTP 429 answers in this phase', (r) => String(r.webhooks.rateLimited)],
    ['Peak RSS in this phase', (r) => `${fmt(r.webhooks.peakRssMiB, 0)} MiB`],
    [
      '**Orders lost / out of date at the end**',
      (r) => `**${r.webhooks.lost} / ${r.webhooks.outOfDate}**`,
    ],
  ];
  const header = `| Measure | ${results.map((r) => (r.backend === 'pglite' ? 'PGlite' : 'PostgreSQL')).join(' | ')} |`;
  const rule = `|---|${results.map(() => '---:').join('|')}|`;
  return [
    header,
    rule,
    ...rows.map(([name, cell]) => `| ${name} | ${results.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function docsPage(
  results: ScenarioResult[],
  command: string,
  flags: OrdersFlags,
  failures: string[],
): string {
  const date = new Date().toISOString().slice(0, 10);
  const hasPostgres = results.some((r) => r.backend === 'postgres');
  return `# Benchmarks

This page is written by \`npm run bench\`; rerun it to refresh the numbers.

## What is measured

The benchmark runs the connector as it runs in production: real system clock, the HTTP
server and the pg-boss workers started by \`connector.start()\`, and the scheduler ticking every
second. The TikTok Shop emulator runs in a separate Node process (\`bench/emulator-process.ts\`),
reached over loopback HTTP, with TikTok's default quota of 50 requests per second per shop and
API. The benchmark seeds it and drives it through its \`/admin\` routes.

1. **Backfill.** ${flags.orders} orders over ${flags.shops} US shops of one seller, created
   with no webhooks and spread over the last 90 days, most of them moved through their status
   history. The benchmark signs in, walks the OAuth flow through the emulator's authorization
   page, and claims the grant. It measures the wall time from the claim to the moment every
   connection reports backfill \`done\`, the orders per second, and the TikTok calls made. A
   wrapped \`fetch\` counts search calls (backfill searches filter on \`create_time\`, polls on
   \`update_time\`) and Get Order Detail calls separately. The minimum is
   \`ceil(orders_per_shop / 100)\` search calls per shop. Peak RSS is the largest
   \`process.memoryUsage().rss\` of the benchmark process, which hosts the connector, sampled
   every 100 ms.
2. **Webhooks with faults.** ${flags.changes} one-step status changes, at
   ${flags.changeRate} per second, on random orders that can still move forward. Some orders
   change several times, sometimes within one second. The emulator drops
   ${Math.round(flags.drop * 100)}% of the webhooks and sends ${Math.round(flags.duplicate * 100)}%
   twice. Polling runs with \`TTS_POLL_INTERVAL_SECONDS=${flags.pollInterval}\`,
   \`TTS_POLL_LAG_SECONDS=${flags.pollLag}\` and \`TTS_POLL_OVERLAP_SECONDS=${flags.pollOverlap}\`. Latency is the time the emulator
   waits for each delivery attempt's answer, and the connector's histogram
   \`tts_webhook_answer_seconds\` is shown beside it. Convergence is the time after the last
   change until every emulator order matches the connector's \`orders\` table, on both
   \`tiktok_status\` and \`tiktok_update_time\`. The final count is taken one poll interval
   later, and the benchmark exits non-zero unless it is 0 lost and 0 out of date.

Each backend gets a fresh emulator process and a fresh database. PGlite runs in a new temporary
data folder. PostgreSQL runs in the database \`tts_bench\` on the server of
\`BENCH_DATABASE_URL\` (or \`TEST_DATABASE_URL\`), created before the run and dropped after it.

## Results (${date})

${machineFacts().join('\n')}
- Command: \`${command}\`

${resultTable(results)}
${hasPostgres ? '' : '\nPostgreSQL was not measured in this run: set `BENCH_DATABASE_URL` or `TEST_DATABASE_URL`.\n'}${
    failures.length > 0 ? `\n**Failures:**\n\n${failures.map((f) => `- ${f}`).join('\n')}\n` : ''
  }
## Reading the numbers

- Backfill reads 10-day \`create_time\` windows (\`BACKFILL_WINDOW_SECONDS\` in
  \`src/orders/sync.ts\`), so each window ends with a partly filled page. That costs up to one
  search call per window above the minimum, with 9 windows per shop for 90 days.
- The emulator's latency includes its own HTTP client and event loop, with up to 8 deliveries
  in flight. The connector's histogram only times the request inside the connector.
- Peak RSS is the whole benchmark process: the connector, PGlite's WebAssembly heap when it
  is used, and the benchmark's own bookkeeping.
- Wall times vary from run to run on a small machine. Compare runs of the same command on the
  same machine.

## How to reproduce

\`\`\`sh
# PGlite only
npm run bench -- --backend pglite
# PGlite, then PostgreSQL (the role must be allowed to create and drop the database tts_bench)
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- --backend both
\`\`\`

Flags: \`--orders\`, \`--shops\`, \`--changes\`, \`--change-rate\`, \`--drop\`, \`--duplicate\`,
\`--poll-interval\`, \`--poll-lag\`, \`--poll-overlap\`, \`--backend pglite|postgres|both\`,
\`--log-level\`, and \`--no-docs\` to leave this page alone. Progress goes to stderr and the
table to stdout.
`;
}
