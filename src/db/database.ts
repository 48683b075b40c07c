import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';

import { migrationProvider } from './migrations/index.ts';
import { ConnectionLock, createPgliteKyselyPool, createPglitePgBossDb } from './pglite-pool.ts';
import type { Database } from './schema.ts';

export interface PgBossDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface DatabaseHandle {
  kind: 'pglite' | 'postgres';
  db: Kysely<Database>;
  /** Adapter that pg-boss runs its SQL through, on the same database as `db`. */
  bossDb: PgBossDb;
  /** Schema that contains pg-boss's tables. */
  bossSchema: string;
  /** Schema of the connector's tables, or null for the default search path. */
  schema: string | null;
  /** Raw PGlite instance, for tests that reset the embedded database. */
  pglite: PGlite | null;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A postgres:// URL, or null for PGlite. */
  databaseUrl: string | null;
  /** PGlite data folder; null keeps the embedded database in memory (tests). */
  pgliteDir: string | null;
  /** Schema for the connector's tables on PostgreSQL; tests give each worker its own. */
  schema?: string;
  maxConnections?: number;
}

const INT8_OID = 20;

// bigint columns hold times in seconds or milliseconds, always within Number's safe range.
const parseInt8 = (value: string | bigint): number => Number(value);

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options)
    : openPglite(options.pgliteDir);
}

async function openPglite(dataDir: string | null): Promise<DatabaseHandle> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir ?? undefined, {
    parsers: { [INT8_OID]: (value: string) => parseInt8(value) },
  });
  const lock = new ConnectionLock();
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: createPgliteKyselyPool(pglite, lock) as never }),
  });
  return {
    kind: 'pglite',
    db,
    bossDb: createPglitePgBossDb(pglite, lock),
    bossSchema: 'pgboss',
    schema: null,
    pglite,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const schema = options.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    options: schema === 'public' ? undefined : `-c search_path=${schema}`,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as never,
    },
  });
  if (schema !== 'public') await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    bossDb: { executeSql: (text, values) => pool.query(text, values) },
    bossSchema: schema === 'public' ? 'pgboss' : `${schema}_boss`,
    schema: schema === 'public' ? null : schema,
    pglite: null,
    close: async () => {
      await db.destroy();
    },
  };
}

/**
 * Applies every pending migration; concurrent callers are serialized by Kysely's lock. The
 * migration tables live in the connector's schema, because Kysely would otherwise find another
 * schema's tables on the same server and skip creating its own.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  schema: string | null = null,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: error });
  }
  return (results ?? []).map((result) => result.migrationName);
}

export const pgliteDataDir = (dataDir: string): string => path.join(dataDir, 'pglite');

/** Checks that the database responds, for the health endpoint. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
