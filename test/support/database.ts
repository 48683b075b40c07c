import { sql } from 'kysely';

import { migrateToLatest, openDatabase } from '../../src/db/database.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';

/** Which database the integration suite runs on: `pglite` (default) or `postgres`. */
export const TEST_DB_BACKEND = process.env.TEST_DB_BACKEND === 'postgres' ? 'postgres' : 'pglite';

let shared: Promise<DatabaseHandle> | null = null;

/**
 * Opens one database per test worker, opened on first use and kept for every test file the worker
 * runs: an in-memory PGlite, or a schema of its own on the PostgreSQL server.
 */
export function workerDatabase(): Promise<DatabaseHandle> {
  shared ??= (async () => {
    const workerId = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0';
    let handle: DatabaseHandle;
    if (TEST_DB_BACKEND === 'postgres') {
      const url = process.env.TEST_DATABASE_URL;
      if (!url) throw new Error('TEST_DATABASE_URL must be set to run the PostgreSQL suite');
      const schema = `test_w${workerId}`;
      const admin = await openDatabase({ databaseUrl: url, pgliteDir: null });
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(admin.db);
      await sql`DROP SCHEMA IF EXISTS ${sql.id(`${schema}_boss`)} CASCADE`.execute(admin.db);
      await admin.close();
      handle = await openDatabase({ databaseUrl: url, pgliteDir: null, schema });
    } else {
      handle = await openDatabase({ databaseUrl: null, pgliteDir: null });
    }
    await migrateToLatest(handle.db, handle.schema);
    return handle;
  })();
  return shared;
}

const APP_TABLES = [
  'sku_push_state',
  'sku_links',
  'tiktok_skus',
  'tiktok_products',
  'warehouse_mappings',
  'tiktok_warehouses',
  'currency_rates',
  'stock_levels',
  'platform_skus',
  'locations',
  'leases',
  'rate_limits',
  'webhook_events',
  'order_status_history',
  'order_packages',
  'order_line_items',
  'orders',
  'connections',
  'grant_shops',
  'grants',
  'oauth_states',
  'api_keys',
  'stores',
  'sessions',
  'sign_in_links',
  'users',
  'accounts',
];

/** Empties every table of the connector and pg-boss's jobs, keeping the schema. */
export async function resetDatabase(handle: DatabaseHandle): Promise<void> {
  await sql.raw(`TRUNCATE ${APP_TABLES.join(', ')} RESTART IDENTITY CASCADE`).execute(handle.db);
  const bossTables = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = ${handle.bossSchema} AND table_name IN ('job', 'archive')
  `.execute(handle.db);
  for (const { table_name: table } of bossTables.rows) {
    await sql.raw(`TRUNCATE ${handle.bossSchema}.${table}`).execute(handle.db);
  }
}
