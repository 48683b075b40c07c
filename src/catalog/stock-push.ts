import { sql } from 'kysely';

import { liveConnectionsOfShop, shopContext } from '../connections/connections.ts';
import type { AppContext } from '../context.ts';
import { releaseLease, tryAcquireLease } from '../db/leases.ts';
import { QUEUES } from '../jobs/boss.ts';
import { TikTokApiError } from '../tiktok/index.ts';
import type { SkuUpdateFailure, TikTokShopContext } from '../tiktok/index.ts';
import { refreshProducts } from './mirror.ts';
import { parseInventory, sameInventory } from './mirror-rows.ts';
import { wantedStock } from './wanted.ts';
import type { WantedStock } from './wanted.ts';

/** Products TikTok refuses inventory writes for (reference §5.2, write rules). */
export const STOCK_BLOCKED_STATUSES = new Set(['FREEZE', 'DELETED']);
const LEASE_TTL_MS = 60_000;

export interface PushOutcome {
  calls: number;
  pushed: number;
  failed: number;
  skipped: number;
}

interface DirtyRow {
  tiktok_sku_id: string;
  seq: number;
  /** `[{ warehouseId, quantity }]` as last sent, or null. */
  pushed: unknown;
}

/** Everything a push job needs about the shop; null when the shop is no longer connected. */
export async function pushTarget(ctx: AppContext, shopId: string) {
  const [connection] = await liveConnectionsOfShop(ctx, shopId);
  if (!connection || connection.status !== 'active') return null;
  return { connection, shop: shopContext(ctx, connection) };
}

/**
 * Sends the wanted stock of every changed SKU of one product in one Update Inventory call, with
 * every warehouse of each SKU. Changes made while the call runs stay marked and go out next time.
 */
export async function pushProductStock(
  ctx: AppContext,
  shopId: string,
  productId: string,
  options: { urgent: boolean } = { urgent: false },
): Promise<PushOutcome> {
  const outcome: PushOutcome = { calls: 0, pushed: 0, failed: 0, skipped: 0 };
  if (!options.urgent && (await waitForWindow(ctx, QUEUES.stockPush, shopId, productId))) {
    return outcome;
  }
  await withProductLease(ctx, QUEUES.stockPush, shopId, productId, async () => {
    const target = await pushTarget(ctx, shopId);
    const dirty = await dirtyStock(ctx, shopId, productId);
    if (dirty.length === 0) return;
    if (options.urgent) {
      // A later change may have lifted the sell-out; then the push waits its window like others.
      const wantedNow = await wantedStock(
        ctx,
        shopId,
        dirty.map((row) => row.tiktok_sku_id),
      );
      const stillSoldOut = [...wantedNow.values()].some((entry) => entry.mappedTotal === 0);
      if (!stillSoldOut && (await waitForWindow(ctx, QUEUES.stockPush, shopId, productId))) {
        return;
      }
    }
    if (!target) {
      await recordStockError(ctx, shopId, dirty, 'SHOP_NOT_ACTIVE', skipMessage('shop'));
      outcome.skipped += dirty.length;
      return;
    }
    const product = await ctx.db
      .selectFrom('tiktok_products')
      .select(['status'])
      .where('shop_id', '=', shopId)
      .where('id', '=', productId)
      .executeTakeFirst();
    if (!product || STOCK_BLOCKED_STATUSES.has(product.status)) {
      const status = product?.status ?? 'DELETED';
      await recordStockError(
        ctx,
        shopId,
        dirty,
        `PRODUCT_${status}`,
        `Skipped: the TikTok product is ${status}, and TikTok accepts no stock for it. Stock is sent again once the product takes stock again.`,
      );
      outcome.skipped += dirty.length;
      return;
    }
    await sendStock(ctx, target.shop, shopId, productId, dirty, outcome, true);
  });
  return outcome;
}

/**
 * Runs `work` while holding the product's push lease of this queue, so the windowed and the
 * sell-out job of one product never send at once. When another job holds it, this one is queued
 * again one window later: the holder sends what it read, and the later job catches the rest.
 */
export async function withProductLease(
  ctx: AppContext,
  queue: typeof QUEUES.stockPush | typeof QUEUES.pricePush,
  shopId: string,
  productId: string,
  work: () => Promise<void>,
): Promise<void> {
  const leaseKey = `${queue}:${shopId}:${productId}`;
  const holder = ctx.ids.uuid();
  if (!(await tryAcquireLease(ctx.db, ctx.clock, leaseKey, holder, LEASE_TTL_MS))) {
    await ctx.jobs.send(queue, { shopId, productId }, `${shopId}:${productId}`, {
      startAfterMs: Math.max(500, ctx.config.catalog.pushCoalesceMs),
    });
    return;
  }
  try {
    await work();
  } finally {
    await releaseLease(ctx.db, leaseKey, holder);
  }
}

/**
 * Puts the job off when the product had a call less than one coalescing window ago, so a product
 * gets at most one call a window even when a sell-out went out in between. Returns whether it did.
 */
export async function waitForWindow(
  ctx: AppContext,
  queue: typeof QUEUES.stockPush | typeof QUEUES.pricePush,
  shopId: string,
  productId: string,
): Promise<boolean> {
  const windowMs = ctx.config.catalog.pushCoalesceMs;
  if (windowMs <= 0) return false;
  const column = queue === QUEUES.stockPush ? 'stock_pushed_at' : 'price_pushed_at';
  const last = await ctx.db
    .selectFrom('sku_push_state')
    .select((eb) => eb.fn.max(column).as('at'))
    .where('shop_id', '=', shopId)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  const lastAt = last?.at ? new Date(last.at as Date).getTime() : null;
  const waitMs = lastAt === null ? 0 : lastAt + windowMs - ctx.clock.now();
  if (waitMs <= 0) return false;
  await ctx.jobs.send(queue, { shopId, productId }, `${shopId}:${productId}`, {
    startAfterMs: waitMs,
  });
  return true;
}

const skipMessage = (what: string) =>
  `Skipped: the ${what} is not connected or needs re-authorization; stock is sent again once it is active.`;

async function dirtyStock(ctx: AppContext, shopId: string, productId: string) {
  const rows = await ctx.db
    .selectFrom('sku_push_state')
    .select(['tiktok_sku_id', 'stock_wanted_seq as seq', 'stock_pushed as pushed'])
    .where('shop_id', '=', shopId)
    .where('product_id', '=', productId)
    .whereRef('stock_wanted_seq', '>', 'stock_done_seq')
    .execute();
  return rows as DirtyRow[];
}

async function sendStock(
  ctx: AppContext,
  shop: TikTokShopContext,
  shopId: string,
  productId: string,
  dirty: DirtyRow[],
  outcome: PushOutcome,
  mayRefresh: boolean,
): Promise<void> {
  const wanted = await wantedStock(
    ctx,
    shopId,
    dirty.map((row) => row.tiktok_sku_id),
  );
  // A SKU needs no call when the connector last sent the wanted counts and TikTok, as last read,
  // shows them too. The mirror alone is not enough: a Get Product read before a push and stored
  // after it can show counts TikTok no longer has.
  const toSend = dirty.filter((row) => {
    const entry = wanted.get(row.tiktok_sku_id);
    if (!entry || entry.inventory.length === 0) return false;
    return !(entry.matchesTiktok && sameInventory(parseInventory(row.pushed), entry.inventory));
  });
  const unchanged = dirty.filter((row) => !toSend.includes(row));
  if (unchanged.length > 0) {
    await markDone(ctx, shopId, unchanged, wanted);
    outcome.skipped += unchanged.length;
  }
  if (toSend.length === 0) return;

  await readUnfedWarehouses(ctx, shop, toSend, wanted);
  let failures: SkuUpdateFailure[];
  outcome.calls++;
  try {
    failures = await ctx.tiktok.updateInventory(
      shop,
      productId,
      toSend.map((row) => ({
        id: row.tiktok_sku_id,
        inventory: wanted.get(row.tiktok_sku_id)!.inventory.map((entry) => ({
          warehouseId: entry.warehouseId,
          quantity: entry.quantity,
        })),
      })),
    );
  } catch (error) {
    if (!(error instanceof TikTokApiError)) throw error;
    if (error.kind === 'INVENTORY_WAREHOUSE_MISSING' && mayRefresh) {
      // The mirror's warehouse list is stale: read the product again and send once more.
      await refreshProducts(ctx, shop, shopId, [productId]);
      await sendStock(ctx, shop, shopId, productId, toSend, outcome, false);
      return;
    }
    if (error.retryable) throw error;
    await recordStockError(ctx, shopId, toSend, String(error.code ?? error.kind), error.message);
    outcome.failed += toSend.length;
    return;
  }

  // A failure that names no SKU is taken to concern every SKU of the call.
  const general = failures.find((failure) => failure.skuId === null);
  const failed = new Map(
    general
      ? toSend.map((row) => [row.tiktok_sku_id, general])
      : failures.map((failure) => [failure.skuId, failure]),
  );
  const missingWarehouse = toSend.filter(
    (row) => failed.get(row.tiktok_sku_id)?.kind === 'INVENTORY_WAREHOUSE_MISSING',
  );
  if (missingWarehouse.length > 0 && mayRefresh) {
    // The mirror's warehouse list is stale for these SKUs: read the product and send them again.
    for (const row of missingWarehouse) failed.delete(row.tiktok_sku_id);
    await refreshProducts(ctx, shop, shopId, [productId]);
    await sendStock(ctx, shop, shopId, productId, missingWarehouse, outcome, false);
  }
  const now = new Date(ctx.clock.now());
  const succeeded = toSend.filter(
    (row) => !failed.has(row.tiktok_sku_id) && !missingWarehouse.includes(row),
  );
  for (const row of succeeded) {
    const entry = wanted.get(row.tiktok_sku_id)!;
    await ctx.db
      .updateTable('sku_push_state')
      .set({
        stock_pushed: JSON.stringify(entry.inventory),
        stock_pushed_total: entry.total,
        stock_pushed_at: now,
        stock_error: null,
        stock_error_code: null,
        stock_error_at: null,
        stock_done_seq: sql<number>`GREATEST(stock_done_seq, ${row.seq})`,
      })
      .where('shop_id', '=', shopId)
      .where('tiktok_sku_id', '=', row.tiktok_sku_id)
      .execute();
    await ctx.db
      .updateTable('tiktok_skus')
      .set({ inventory: JSON.stringify(entry.inventory) })
      .where('shop_id', '=', shopId)
      .where('id', '=', row.tiktok_sku_id)
      .execute();
  }
  outcome.pushed += succeeded.length;
  for (const row of toSend.filter((candidate) => failed.has(candidate.tiktok_sku_id))) {
    if (mayRefresh && missingWarehouse.includes(row)) continue;
    const failure = failed.get(row.tiktok_sku_id)!;
    await recordStockError(ctx, shopId, [row], String(failure.code ?? 'UNKNOWN'), failure.message);
    outcome.failed++;
  }
  ctx.logger.info(
    { shopId, productId, skus: toSend.length, failed: failures.length },
    'stock pushed',
  );
}

/**
 * Replaces the counts of warehouses that no location feeds with TikTok's current ones (available
 * plus committed, from Inventory Search), because the call must name them and a stale mirror
 * value would overwrite stock the platform does not manage.
 */
async function readUnfedWarehouses(
  ctx: AppContext,
  shop: TikTokShopContext,
  rows: DirtyRow[],
  wanted: Map<string, WantedStock>,
): Promise<void> {
  const skuIds = rows
    .map((row) => row.tiktok_sku_id)
    .filter((id) => (wanted.get(id)?.unfedWarehouseIds.length ?? 0) > 0);
  for (let i = 0; i < skuIds.length; i += 600) {
    const products = await ctx.tiktok.searchInventory(shop, { skuIds: skuIds.slice(i, i + 600) });
    for (const sku of products.flatMap((product) => product.skus ?? [])) {
      const entry = sku.id ? wanted.get(String(sku.id)) : undefined;
      if (!entry) continue;
      for (const warehouse of sku.warehouse_inventory ?? []) {
        const id = String(warehouse.warehouse_id);
        if (!entry.unfedWarehouseIds.includes(id)) continue;
        const target = entry.inventory.find((item) => item.warehouseId === id);
        if (target) {
          target.quantity =
            Number(warehouse.available_quantity ?? 0) + Number(warehouse.committed_quantity ?? 0);
        }
      }
      entry.total = entry.inventory.reduce((sum, item) => sum + item.quantity, 0);
    }
  }
}

/** Settles SKUs that need no call; one that TikTok already matches records that count as sent. */
async function markDone(
  ctx: AppContext,
  shopId: string,
  rows: DirtyRow[],
  wanted: Map<string, WantedStock>,
): Promise<void> {
  for (const row of rows) {
    const entry = wanted.get(row.tiktok_sku_id);
    const inSync = entry?.matchesTiktok ?? false;
    await ctx.db
      .updateTable('sku_push_state')
      .set({
        stock_done_seq: sql<number>`GREATEST(stock_done_seq, ${row.seq})`,
        ...(inSync && entry
          ? {
              stock_pushed: JSON.stringify(entry.inventory),
              stock_pushed_total: entry.total,
              stock_error: null,
              stock_error_code: null,
              stock_error_at: null,
            }
          : {}),
      })
      .where('shop_id', '=', shopId)
      .where('tiktok_sku_id', '=', row.tiktok_sku_id)
      .execute();
  }
}

/** Records a failure on each SKU and settles it: it is not retried until the next change. */
async function recordStockError(
  ctx: AppContext,
  shopId: string,
  rows: DirtyRow[],
  code: string,
  message: string,
): Promise<void> {
  const now = new Date(ctx.clock.now());
  for (const row of rows) {
    await ctx.db
      .updateTable('sku_push_state')
      .set({
        stock_error: message,
        stock_error_code: code,
        stock_error_at: now,
        stock_done_seq: sql<number>`GREATEST(stock_done_seq, ${row.seq})`,
      })
      .where('shop_id', '=', shopId)
      .where('tiktok_sku_id', '=', row.tiktok_sku_id)
      .execute();
  }
  ctx.logger.warn({ shopId, skus: rows.length, code }, 'stock push failed');
}
