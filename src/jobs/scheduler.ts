import { sql } from 'kysely';

import { expireUnclaimedGrants, grantsDueForRefresh } from '../connections/grants.ts';
import type { AppContext } from '../context.ts';
import { QUEUES } from './boss.ts';

/** A failed backfill is tried again this long after its failure. */
export const BACKFILL_RETRY_MS = 60_000;
/** Pending webhook events older than this get their batch job sent again. */
export const WEBHOOK_RECOVERY_MS = 30_000;

export interface TickResult {
  polls: number;
  backfills: number;
  refreshes: number;
  webhookBatches: number;
  expiredGrants: number;
  catalogSyncs: number;
}

/**
 * Decides, on the injected clock, which work is due and hands it to pg-boss. Due polls are
 * claimed with `FOR UPDATE SKIP LOCKED` and moved forward in the same statement, so any number
 * of processes can tick at once and each poll is sent once.
 */
export async function tick(ctx: AppContext): Promise<TickResult> {
  const now = ctx.clock.now();
  const nextPoll = new Date(now + ctx.config.sync.pollIntervalMs);

  const duePolls = await sql<{ id: string }>`
    UPDATE connections SET next_poll_at = ${nextPoll}
    WHERE id IN (
      SELECT id FROM connections
      WHERE status <> 'disconnected' AND (next_poll_at IS NULL OR next_poll_at <= ${new Date(now)})
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id
  `.execute(ctx.db);
  for (const { id } of duePolls.rows) await ctx.jobs.send(QUEUES.poll, { connectionId: id }, id);

  const dueBackfills = await ctx.db
    .selectFrom('connections')
    .select('id')
    .where('status', '<>', 'disconnected')
    .where((eb) =>
      eb.or([
        eb('backfill_status', '=', 'pending'),
        eb.and([
          eb('backfill_status', '=', 'failed'),
          eb('backfill_finished_at', '<=', new Date(now - BACKFILL_RETRY_MS)),
        ]),
      ]),
    )
    .execute();
  for (const { id } of dueBackfills) await ctx.jobs.send(QUEUES.backfill, { connectionId: id }, id);

  // A shop's first catalog import starts once it is connected; later runs read only changes.
  const nextCatalogPoll = new Date(now + ctx.config.catalog.pollIntervalMs);
  const dueCatalogs = await sql<{ id: string; catalog_status: string }>`
    UPDATE connections SET next_catalog_poll_at = ${nextCatalogPoll}
    WHERE id IN (
      SELECT id FROM connections
      WHERE status = 'active' AND (
        catalog_status = 'pending'
        OR next_catalog_poll_at IS NULL
        OR next_catalog_poll_at <= ${new Date(now)}
      )
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, catalog_status
  `.execute(ctx.db);
  for (const { id, catalog_status: status } of dueCatalogs.rows) {
    await ctx.jobs.send(
      QUEUES.catalogSync,
      { connectionId: id, full: status === 'pending' || status === 'failed' },
      id,
    );
  }

  const refreshes = await grantsDueForRefresh(ctx);
  for (const grantId of refreshes) await ctx.jobs.send(QUEUES.tokenRefresh, { grantId }, grantId);

  const stalledShops = await ctx.db
    .selectFrom('webhook_events')
    .select('shop_id')
    .distinct()
    .where('status', '=', 'pending')
    .where('received_at', '<=', new Date(now - WEBHOOK_RECOVERY_MS))
    .execute();
  for (const { shop_id: shopId } of stalledShops) {
    await ctx.jobs.send(QUEUES.webhookBatch, { shopId }, shopId);
  }

  const expiredGrants = await expireUnclaimedGrants(ctx);
  return {
    polls: duePolls.rows.length,
    backfills: dueBackfills.length,
    refreshes: refreshes.length,
    webhookBatches: stalledShops.length,
    expiredGrants,
    catalogSyncs: dueCatalogs.rows.length,
  };
}
