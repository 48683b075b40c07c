import type { AppContext } from '../context.ts';
import type { ConnectionRow } from '../connections/connections.ts';
import { shopContext } from '../connections/connections.ts';
import { toUnixSeconds } from '../shared/clock.ts';
import type { OrderPayload, SearchOrdersQuery, TikTokShopContext } from '../tiktok/index.ts';
import { ingestOrders } from './ingest.ts';
import type { IngestSource } from './ingest.ts';

/** Search Orders returns at most 100 orders a page. */
export const SEARCH_PAGE_SIZE = 100;
/** Get Order Detail takes at most 50 ids a call. */
export const DETAIL_BATCH_SIZE = 50;
/** Width of one backfill window over create_time; each window is one unit of progress. */
export const BACKFILL_WINDOW_SECONDS = 10 * 86_400;

export interface SyncStats {
  searchCalls: number;
  detailCalls: number;
  fetched: number;
  upserted: number;
  failed: number;
}

const emptyStats = (): SyncStats => ({
  searchCalls: 0,
  detailCalls: 0,
  fetched: 0,
  upserted: 0,
  failed: 0,
});

async function loadConnection(
  ctx: AppContext,
  connectionId: string,
): Promise<ConnectionRow | undefined> {
  return ctx.db
    .selectFrom('connections')
    .selectAll()
    .where('id', '=', connectionId)
    .executeTakeFirst();
}

/**
 * Search results carry whole orders; only one that lacks its line items or payment (as
 * virtual bundles can) is fetched again with Get Order Detail.
 */
function lacksDetail(order: OrderPayload): boolean {
  const loose = order as unknown as { line_items?: unknown[]; payment?: unknown };
  return !Array.isArray(loose.line_items) || loose.line_items.length === 0 || !loose.payment;
}

async function completeOrders(
  ctx: AppContext,
  shop: TikTokShopContext,
  orders: OrderPayload[],
  stats: SyncStats,
): Promise<OrderPayload[]> {
  const incomplete = orders
    .filter(lacksDetail)
    .map((order) => String((order as { id?: unknown }).id));
  if (incomplete.length === 0) return orders;
  const details = await fetchOrderDetails(ctx, shop, incomplete, stats);
  const byId = new Map(details.map((order) => [String((order as { id?: unknown }).id), order]));
  return orders.map((order) => byId.get(String((order as { id?: unknown }).id)) ?? order);
}

export async function fetchOrderDetails(
  ctx: AppContext,
  shop: TikTokShopContext,
  ids: string[],
  stats: SyncStats,
): Promise<OrderPayload[]> {
  const result: OrderPayload[] = [];
  for (let i = 0; i < ids.length; i += DETAIL_BATCH_SIZE) {
    stats.detailCalls++;
    result.push(...(await ctx.tiktok.getOrderDetail(shop, ids.slice(i, i + DETAIL_BATCH_SIZE))));
  }
  return result;
}

/**
 * Walks every page of one Search Orders query, completes and ingests each page, and calls
 * `afterPage` with the number of orders the page stored or found current. The walk stops early
 * when `afterPage` returns false.
 */
async function ingestSearchPages(
  ctx: AppContext,
  connection: ConnectionRow,
  shop: TikTokShopContext,
  query: SearchOrdersQuery,
  source: IngestSource,
  stats: SyncStats,
  afterPage: (count: number) => Promise<boolean> = async () => true,
): Promise<boolean> {
  const target = {
    shopId: connection.shop_id,
    accountId: connection.account_id,
    storeId: connection.store_id,
  };
  for await (const page of ctx.tiktok.iterateOrderPages(shop, query)) {
    stats.searchCalls++;
    const orders = await completeOrders(ctx, shop, page.orders, stats);
    stats.fetched += orders.length;
    const result = await ingestOrders(ctx, target, orders, source);
    stats.upserted += result.upserted;
    stats.failed += result.failed;
    if (!(await afterPage(result.upserted + result.unchanged + result.stale))) return false;
  }
  return true;
}

const isLive = (connection: ConnectionRow | undefined): connection is ConnectionRow =>
  connection !== undefined && connection.status !== 'disconnected';

/**
 * Imports the last `backfillDays` of orders by create_time windows, oldest first. Progress is
 * stored after every window, so a restarted job resumes at the first unfinished window, and
 * the job stops as soon as the shop is disconnected.
 */
export async function runBackfill(ctx: AppContext, connectionId: string): Promise<SyncStats> {
  const stats = emptyStats();
  const connection = await loadConnection(ctx, connectionId);
  if (!isLive(connection) || connection.backfill_status === 'done') return stats;
  const started = ctx.clock.now();
  const endSeconds = toUnixSeconds(connection.connected_at.getTime());
  const startSeconds = endSeconds - ctx.config.sync.backfillDays * 86_400;
  const windowsTotal = Math.max(
    1,
    Math.ceil((endSeconds - startSeconds) / BACKFILL_WINDOW_SECONDS),
  );
  await ctx.db
    .updateTable('connections')
    .set({
      backfill_status: 'running',
      backfill_windows_total: windowsTotal,
      backfill_started_at: connection.backfill_started_at ?? new Date(started),
      backfill_error: null,
    })
    .where('id', '=', connectionId)
    .execute();
  const log = ctx.logger.child({ connectionId, shopId: connection.shop_id });

  try {
    const shop = shopContext(ctx, connection);
    for (let window = connection.backfill_windows_done; window < windowsTotal; window++) {
      const windowStart = startSeconds + window * BACKFILL_WINDOW_SECONDS;
      const windowEnd = Math.min(endSeconds, windowStart + BACKFILL_WINDOW_SECONDS);
      let imported = 0;
      const query: SearchOrdersQuery = {
        filters: { createTimeGeMs: windowStart * 1000, createTimeLtMs: windowEnd * 1000 },
        pageSize: SEARCH_PAGE_SIZE,
        sortField: 'create_time',
        sortOrder: 'ASC',
      };
      const isComplete = await ingestSearchPages(
        ctx,
        connection,
        shop,
        query,
        'backfill',
        stats,
        async (count) => {
          imported += count;
          await ctx.db
            .updateTable('connections')
            .set((eb) => ({ backfill_orders: eb('backfill_orders', '+', count) }))
            .where('id', '=', connectionId)
            .execute();
          return isLive(await loadConnection(ctx, connectionId));
        },
      );
      if (!isComplete) {
        log.info(stats, 'backfill stopped: shop disconnected');
        return stats;
      }
      await ctx.db
        .updateTable('connections')
        .set({ backfill_windows_done: window + 1 })
        .where('id', '=', connectionId)
        .execute();
      log.debug({ window, imported }, 'backfill window done');
    }
    await ctx.db
      .updateTable('connections')
      .set({ backfill_status: 'done', backfill_finished_at: new Date(ctx.clock.now()) })
      .where('id', '=', connectionId)
      .execute();
    log.info({ ...stats, durationMs: ctx.clock.now() - started }, 'backfill finished');
  } catch (error) {
    await ctx.db
      .updateTable('connections')
      .set({
        backfill_status: 'failed',
        backfill_error: (error as Error).message,
        backfill_finished_at: new Date(ctx.clock.now()),
      })
      .where('id', '=', connectionId)
      .execute();
    log.warn({ err: error, ...stats }, 'backfill failed; it resumes at its next due time');
  }
  return stats;
}

/**
 * Reads every order changed since the last poll, by update_time, in a window that overlaps the
 * previous one (TikTok's update times can land late) and ends `pollLagMs` behind now.
 */
export async function runPoll(ctx: AppContext, connectionId: string): Promise<SyncStats> {
  const stats = emptyStats();
  const connection = await loadConnection(ctx, connectionId);
  if (!isLive(connection)) return stats;
  const started = ctx.clock.now();
  const endSeconds = toUnixSeconds(started - ctx.config.sync.pollLagMs);
  const watermark = connection.poll_watermark ?? endSeconds;
  const startSeconds = watermark - Math.floor(ctx.config.sync.pollOverlapMs / 1000);
  const log = ctx.logger.child({ connectionId, shopId: connection.shop_id });
  if (endSeconds <= startSeconds) return stats;

  try {
    const shop = shopContext(ctx, connection);
    const query: SearchOrdersQuery = {
      filters: { updateTimeGeMs: startSeconds * 1000, updateTimeLtMs: endSeconds * 1000 },
      pageSize: SEARCH_PAGE_SIZE,
      sortField: 'update_time',
      sortOrder: 'ASC',
    };
    await ingestSearchPages(ctx, connection, shop, query, 'poll', stats);
    await ctx.db
      .updateTable('connections')
      .set({
        poll_watermark: Math.max(watermark, endSeconds),
        last_polled_at: new Date(ctx.clock.now()),
      })
      .where('id', '=', connectionId)
      .where('status', '<>', 'disconnected')
      .execute();
    log.info({ ...stats, durationMs: ctx.clock.now() - started }, 'poll finished');
  } catch (error) {
    log.warn({ err: error, ...stats }, 'poll failed; the next poll covers the same window');
  }
  return stats;
}
