import type { Kysely } from 'kysely';
import { sql } from 'kysely';

import type { Clock } from '../shared/clock.ts';
import type { Database } from './schema.ts';

export interface RateLimitKey {
  appKey: string;
  shopId: string | null;
  api: string;
}

/**
 * Creates a GCRA rate limiter whose state is one row per key in PostgreSQL, so every process that uses
 * the same database shares TikTok's quota of `ratePerSecond` per (app, shop, API). Each call
 * reserves the next slot in one statement and then sleeps until that slot.
 */
export function createDatabaseRateLimiter(options: {
  db: Kysely<Database>;
  clock: Clock;
  ratePerSecond: number;
  /** Requests allowed back to back before spacing starts. */
  burst?: number;
}) {
  // Whole milliseconds, because the state column is a bigint.
  const intervalMs = Math.max(1, Math.round(1000 / options.ratePerSecond));
  const toleranceMs = intervalMs * ((options.burst ?? 1) - 1);
  return {
    async acquire(key: RateLimitKey): Promise<void> {
      const now = options.clock.now();
      const name = `${key.appKey}|${key.shopId ?? '-'}|${key.api}`;
      const row = await options.db
        .insertInto('rate_limits')
        .values({ key: name, tat_ms: Math.ceil(now + intervalMs) })
        .onConflict((conflict) =>
          conflict.column('key').doUpdateSet({
            tat_ms: sql<number>`GREATEST(rate_limits.tat_ms, ${now}) + ${intervalMs}`,
          }),
        )
        .returning('tat_ms')
        .executeTakeFirstOrThrow();
      const allowedAt = row.tat_ms - intervalMs - toleranceMs;
      if (allowedAt > now) await options.clock.sleep(allowedAt - now);
    },
  };
}
