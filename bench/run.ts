import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Command, InvalidArgumentError, Option } from 'commander';
import * as prettier from 'prettier';

import { CATALOG_HEADING, catalogSection, catalogTable } from './catalog-report.ts';
import type { CatalogFlags } from './catalog-report.ts';
import { runCatalogScenario } from './catalog-scenario.ts';
import type { CatalogScenarioResult } from './catalog-scenario.ts';
import { docsPage, resultTable } from './orders-report.ts';
import type { OrdersFlags } from './orders-report.ts';
import { runScenario } from './scenario.ts';
import type { Backend, ScenarioResult } from './scenario.ts';

const positive = (value: string): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError('must be a whole number above 0');
  return number;
};
const fraction = (value: string): number => {
  const number = Number(value);
  if (!(number >= 0 && number <= 1)) throw new InvalidArgumentError('must be between 0 and 1');
  return number;
};

const program = new Command()
  .name('npm run bench --')
  .description(
    'Benchmarks of the connector against the emulator in its own process: order backfill and ' +
      'webhooks (orders), or stock and price pushes (catalog)',
  )
  .addOption(
    new Option('--scenario <name>', 'which benchmark to run')
      .choices(['orders', 'catalog', 'all'])
      .default('orders'),
  )
  .option('--orders <n>', 'orders to backfill, spread over the last 90 days', positive, 10_000)
  .option('--shops <n>', 'shops of the one seller', positive, 3)
  .option('--changes <n>', 'status changes sent as webhooks', positive, 2_000)
  .option('--change-rate <n>', 'status changes per second', positive, 100)
  .option('--drop <fraction>', 'share of webhooks the emulator drops', fraction, 0.2)
  .option('--duplicate <fraction>', 'share of webhooks the emulator sends twice', fraction, 0.1)
  .option('--poll-interval <s>', 'TTS_POLL_INTERVAL_SECONDS (5 at least)', positive, 5)
  .option('--poll-lag <s>', 'TTS_POLL_LAG_SECONDS', positive, 2)
  .option('--poll-overlap <s>', 'TTS_POLL_OVERLAP_SECONDS', positive, 10)
  .option('--products <n>', 'catalog: TikTok products in the shop', positive, 100)
  .option('--skus-per-product <n>', 'catalog: SKUs of each product', positive, 10)
  .option('--stock-changes <n>', 'catalog: stock changes, sent 100 per request', positive, 10_000)
  .option('--send-seconds <s>', 'catalog: seconds over which each phase sends', positive, 10)
  .option('--coalesce-ms <ms>', 'catalog: TTS_PUSH_COALESCE_MS', positive, 1000)
  .option(
    '--push-timeout <s>',
    'catalog: seconds to wait for TikTok after the last change',
    positive,
    120,
  )
  .addOption(
    new Option('--price-via <call>', 'catalog: API call that sends the price changes')
      .choices(['patch', 'import'])
      .default('patch'),
  )
  .addOption(
    new Option('--backend <name>', 'database backend')
      .choices(['pglite', 'postgres', 'both'])
      .default('both'),
  )
  .option('--no-docs', 'do not rewrite docs/benchmarks.md')
  .option('--log-level <level>', 'connector log level', 'silent');

interface Flags extends OrdersFlags, CatalogFlags {
  scenario: 'orders' | 'catalog' | 'all';
  backend: Backend | 'both';
  docs: boolean;
  logLevel: string;
}

/** Runs the order scenario on each backend; returns the results and the failures. */
async function runOrders(flags: Flags, backends: Backend[], databaseUrl: string | undefined) {
  const results: ScenarioResult[] = [];
  const failures: string[] = [];
  for (const backend of backends) {
    console.error(
      `\n${backend}: ${flags.orders} orders, ${flags.shops} shops, ${flags.changes} changes`,
    );
    try {
      const result = await runScenario({
        backend,
        orders: flags.orders,
        shops: flags.shops,
        changes: flags.changes,
        changeRate: flags.changeRate,
        dropFraction: flags.drop,
        duplicateFraction: flags.duplicate,
        pollIntervalSeconds: flags.pollInterval,
        pollLagSeconds: flags.pollLag,
        pollOverlapSeconds: flags.pollOverlap,
        databaseUrl,
        logLevel: flags.logLevel,
      });
      results.push(result);
      const { lost, outOfDate, examples, convergeSeconds } = result.webhooks;
      if (lost > 0 || outOfDate > 0 || convergeSeconds === null) {
        failures.push(
          `${backend}: ${lost} lost, ${outOfDate} out of date${convergeSeconds === null ? ', did not converge' : ''}${
            examples.length > 0 ? ` (e.g. ${examples.join('; ')})` : ''
          }`,
        );
      }
      if (result.backfill.ordersStored !== flags.orders) {
        failures.push(
          `${backend}: backfill stored ${result.backfill.ordersStored} of ${flags.orders} orders`,
        );
      }
    } catch (error) {
      failures.push(`${backend}: ${(error as Error).message}`);
      console.error(error);
    }
  }
  return { results, failures };
}

/** Runs the catalog scenario on each backend; returns the results and the failures. */
async function runCatalog(flags: Flags, backends: Backend[], databaseUrl: string | undefined) {
  const results: CatalogScenarioResult[] = [];
  const failures: string[] = [];
  for (const backend of backends) {
    console.error(
      `\n${backend}: catalog of ${flags.products} × ${flags.skusPerProduct} SKUs, ${flags.stockChanges} stock changes, window ${flags.coalesceMs} ms`,
    );
    try {
      const result = await runCatalogScenario({
        backend,
        products: flags.products,
        skusPerProduct: flags.skusPerProduct,
        stockChanges: flags.stockChanges,
        sendSeconds: flags.sendSeconds,
        coalesceMs: flags.coalesceMs,
        pushTimeoutSeconds: flags.pushTimeout,
        priceVia: flags.priceVia,
        databaseUrl,
        logLevel: flags.logLevel,
      });
      results.push(result);
      for (const [name, phase] of [
        ['stock', result.stock],
        ['price', result.price],
      ] as const) {
        if (phase.mismatches > 0) {
          failures.push(
            `${backend} ${name}: ${phase.mismatches} SKUs differ on TikTok at the end (e.g. ${phase.examples.join('; ')})`,
          );
        }
        if (phase.wantedDisagreements > 0) {
          failures.push(
            `${backend} ${name}: GET /catalog/skus reports another wanted value for ${phase.wantedDisagreements} SKUs`,
          );
        }
      }
    } catch (error) {
      failures.push(`${backend}: ${(error as Error).message}`);
      console.error(error);
    }
  }
  return { results, failures };
}

/** Returns the command line as typed, with a password in the database URL replaced by "…". */
function commandLine(): string {
  const variable = process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'TEST_DATABASE_URL';
  const value = process.env[variable];
  let prefix = '';
  if (value) {
    const url = new URL(value);
    if (url.password) url.password = '…';
    prefix = `${variable}=${url.toString()} `;
  }
  return `${prefix}npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
}

/**
 * Rewrites docs/benchmarks.md: the order sections when the order scenario ran, the catalog
 * section when the catalog scenario ran, and keeps the other part as the file has it.
 */
async function writeDocs(ordersPart: string | null, catalogPart: string | null): Promise<void> {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const file = path.join(root, 'docs', 'benchmarks.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = current.indexOf(`\n${CATALOG_HEADING}\n`);
  const currentOrders = at === -1 ? current : current.slice(0, at + 1);
  const currentCatalog = at === -1 ? '' : current.slice(at + 1);
  const page = [ordersPart ?? currentOrders, catalogPart ?? currentCatalog]
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .join('\n\n');
  const options = (await prettier.resolveConfig(file)) ?? {};
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, await prettier.format(`${page}\n`, { ...options, filepath: file }));
  console.error('wrote docs/benchmarks.md');
}

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<Flags>();
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const backends: Backend[] =
    flags.backend === 'both'
      ? ['pglite', ...(databaseUrl ? (['postgres'] as const) : [])]
      : [flags.backend];
  if (backends.includes('postgres') && !databaseUrl) {
    throw new Error('--backend postgres needs BENCH_DATABASE_URL or TEST_DATABASE_URL');
  }
  if (flags.backend === 'both' && !databaseUrl) {
    console.error('BENCH_DATABASE_URL and TEST_DATABASE_URL are unset: PostgreSQL is skipped.');
  }

  const command = commandLine();
  const failures: string[] = [];
  let ordersPart: string | null = null;
  let catalogPart: string | null = null;
  if (flags.scenario !== 'catalog') {
    const orders = await runOrders(flags, backends, databaseUrl);
    failures.push(...orders.failures);
    if (orders.results.length > 0) {
      console.log(`\n${resultTable(orders.results)}\n`);
      ordersPart = docsPage(orders.results, command, flags, orders.failures);
    }
  }
  if (flags.scenario !== 'orders') {
    const catalog = await runCatalog(flags, backends, databaseUrl);
    failures.push(...catalog.failures);
    if (catalog.results.length > 0) {
      console.log(`\n${catalogTable(catalog.results)}\n`);
      catalogPart = catalogSection(catalog.results, command, flags, catalog.failures);
    }
  }
  for (const failure of failures) console.error(`FAILED ${failure}`);
  if (flags.docs && (ordersPart !== null || catalogPart !== null)) {
    await writeDocs(ordersPart, catalogPart);
  }
  process.exitCode = failures.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
