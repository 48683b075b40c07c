import { sql } from 'kysely';
import type { Kysely } from 'kysely';

import type { Clock } from '../shared/clock.ts';
import type { Database } from './schema.ts';

/**
 * Takes a named lease in the database, so that one process at a time does the work behind it
 * (for example refreshing one grant's tokens). Returns false when another holder has it.
 */
export async function tryAcquireLease(
  db: Kysely<Database>,
  clock: Clock,
  key: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const now = clock.now();
  const row = await db
    .insertInto('leases')
    .values({ key, holder, expires_at: new Date(now + ttlMs) })
    .onConflict((conflict) =>
      conflict
        .column('key')
        .doUpdateSet({ holder, expires_at: new Date(now + ttlMs) })
        .where(sql<boolean>`leases.expires_at <= ${new Date(now)} OR leases.holder = ${holder}`),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

export async function releaseLease(
  db: Kysely<Database>,
  key: string,
  holder: string,
): Promise<void> {
  await db.deleteFrom('leases').where('key', '=', key).where('holder', '=', holder).execute();
}
