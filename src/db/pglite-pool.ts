import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite runs one session, so every user of it (Kysely and pg-boss) takes this lock for the
 * whole of a connection lease or statement batch. A Kysely transaction therefore holds the lock
 * until COMMIT, and nothing else can interleave statements into it.
 */
export class ConnectionLock {
  #tail: Promise<void> = Promise.resolve();

  constructor(private readonly waitTimeoutMs = 60_000) {}

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const lease = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => lease);

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `PGlite connection lock not acquired within ${this.waitTimeoutMs} ms; ` +
                'a query outside a transaction was probably issued while that transaction was open',
            ),
          ),
        this.waitTimeoutMs,
      );
    });
    try {
      await Promise.race([previous, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return release;
  }
}

interface QueryResult {
  command: string;
  rowCount: number;
  rows: unknown[];
}

const commandOf = (sql: string): string => {
  const match = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|merge|select)\b/i.exec(sql);
  return match?.[1]?.toUpperCase() ?? 'SELECT';
};

/** Creates the subset of a `pg` pool that Kysely's PostgresDialect uses, over one PGlite instance. */
export function createPgliteKyselyPool(pglite: PGlite, lock: ConnectionLock) {
  return {
    async connect() {
      const release = await lock.acquire();
      return {
        async query(sql: string, parameters: readonly unknown[]): Promise<QueryResult> {
          // The extended protocol takes one statement, so parameterless SQL (migrations hold
          // several statements) goes through exec, as `pg` sends it over the simple protocol.
          if (parameters.length === 0) {
            const results = await pglite.exec(sql);
            const last = results.filter((result) => result.fields.length > 0).at(-1);
            const affected = results.reduce((sum, result) => sum + (result.affectedRows ?? 0), 0);
            return { command: commandOf(sql), rowCount: affected, rows: last?.rows ?? [] };
          }
          const result = await pglite.query(sql, parameters as unknown[]);
          return {
            command: commandOf(sql),
            rowCount: result.affectedRows ?? result.rows.length,
            rows: result.rows,
          };
        },
        release,
      };
    },
    async end() {},
  };
}

/**
 * pg-boss's `db` adapter: parameterless SQL may hold several statements (pg-boss sends
 * `BEGIN; ...; COMMIT;` batches) and goes through `exec`; parameterised SQL through `query`.
 */
export function createPglitePgBossDb(pglite: PGlite, lock: ConnectionLock) {
  return {
    async executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
      const release = await lock.acquire();
      try {
        if (values && values.length > 0) {
          const result = await pglite.query(text, values);
          return { rows: result.rows };
        }
        const results = await pglite.exec(text);
        const withRows = results.filter((result) => result.fields.length > 0);
        return { rows: withRows.at(-1)?.rows ?? [] };
      } finally {
        release();
      }
    },
  };
}
