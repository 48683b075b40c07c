import { sql } from 'kysely';

import type { AppContext } from '../context.ts';
import { QUEUES } from '../jobs/boss.ts';
import { parseInventory, sameInventory } from './mirror-rows.ts';
import { sellableByWarehouse } from './platform.ts';
import { distributeAcrossWarehouses, parseStoredRule, stockRuleSchema } from './rules.ts';

// A change on the platform side marks the linked TikTok SKUs as wanting a push and queues one
// job per product. pg-boss keeps one queued job per key, so every change to a product inside the
// coalescing window lands in the job that is already waiting.

interface Target {
  shop_id: string;
  tiktok_sku_id: string;
  product_id: string;
}

type Kind = 'stock' | 'price';

/** Marks the TikTok SKUs linked to these platform SKUs for a stock push; returns how many. */
export async function markStockWanted(ctx: AppContext, platformSkuIds: string[]): Promise<number> {
  return markWanted(ctx, 'stock', await targetsOf(ctx, platformSkuIds));
}

export async function markPriceWanted(ctx: AppContext, platformSkuIds: string[]): Promise<number> {
  return markWanted(ctx, 'price', await targetsOf(ctx, platformSkuIds));
}

/** Marks TikTok SKUs of one shop directly: after linking, or when the seller requests a push again. */
export async function markTiktokSkusWanted(
  ctx: AppContext,
  shopId: string,
  tiktokSkuIds: string[],
  kinds: Kind[] = ['stock', 'price'],
): Promise<number> {
  if (tiktokSkuIds.length === 0) return 0;
  const targets: Target[] = [];
  for (let i = 0; i < tiktokSkuIds.length; i += 1000) {
    const rows = await ctx.db
      .selectFrom('sku_links as k')
      .innerJoin('tiktok_skus as t', (join) =>
        join.onRef('t.shop_id', '=', 'k.shop_id').onRef('t.id', '=', 'k.tiktok_sku_id'),
      )
      .select(['k.shop_id', 'k.tiktok_sku_id', 't.product_id'])
      .where('k.shop_id', '=', shopId)
      .where('k.tiktok_sku_id', 'in', tiktokSkuIds.slice(i, i + 1000))
      .where('k.mode', '<>', 'unlinked')
      .where('k.platform_sku_id', 'is not', null)
      .execute();
    targets.push(...rows);
  }
  let count = 0;
  for (const kind of kinds) count = Math.max(count, await markWanted(ctx, kind, targets));
  return count;
}

async function targetsOf(ctx: AppContext, platformSkuIds: string[]): Promise<Target[]> {
  const targets: Target[] = [];
  const unique = [...new Set(platformSkuIds)];
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await ctx.db
      .selectFrom('sku_links as k')
      .innerJoin('tiktok_skus as t', (join) =>
        join.onRef('t.shop_id', '=', 'k.shop_id').onRef('t.id', '=', 'k.tiktok_sku_id'),
      )
      .innerJoin('connections as c', (join) =>
        join.onRef('c.shop_id', '=', 'k.shop_id').on('c.status', '<>', 'disconnected'),
      )
      .select(['k.shop_id', 'k.tiktok_sku_id', 't.product_id'])
      .where('k.platform_sku_id', 'in', unique.slice(i, i + 1000))
      .where('k.mode', '<>', 'unlinked')
      .execute();
    targets.push(...rows);
  }
  return targets;
}

async function markWanted(ctx: AppContext, kind: Kind, targets: Target[]): Promise<number> {
  if (targets.length === 0) return 0;
  const column = kind === 'stock' ? 'stock_wanted_seq' : 'price_wanted_seq';
  for (let i = 0; i < targets.length; i += 500) {
    const chunk = targets.slice(i, i + 500);
    await sql`
      INSERT INTO sku_push_state (shop_id, tiktok_sku_id, product_id, ${sql.ref(column)})
      VALUES ${sql.join(
        chunk.map((t) => sql`(${t.shop_id}, ${t.tiktok_sku_id}, ${t.product_id}, 1)`),
      )}
      ON CONFLICT (shop_id, tiktok_sku_id) DO UPDATE SET
        ${sql.ref(column)} = sku_push_state.${sql.ref(column)} + 1,
        product_id = EXCLUDED.product_id
    `.execute(ctx.db);
  }

  const products = new Map<string, { shopId: string; productId: string; skuIds: string[] }>();
  for (const target of targets) {
    const key = `${target.shop_id}:${target.product_id}`;
    const entry = products.get(key) ?? {
      shopId: target.shop_id,
      productId: target.product_id,
      skuIds: [],
    };
    entry.skuIds.push(target.tiktok_sku_id);
    products.set(key, entry);
  }
  const urgent = kind === 'stock' ? await productsDroppingToZero(ctx, [...products.values()]) : [];
  const queue = kind === 'stock' ? QUEUES.stockPush : QUEUES.pricePush;
  await ctx.jobs.sendMany(
    queue,
    [...products].map(([key, product]) => {
      const data = { shopId: product.shopId, productId: product.productId };
      // A sell-out must not wait for the window: it is the change that prevents overselling.
      return urgent.includes(key)
        ? { data: { ...data, urgent: true }, singletonKey: `${key}:now` }
        : { data, singletonKey: key, startAfterMs: ctx.config.catalog.pushCoalesceMs };
    }),
  );
  return targets.length;
}

/** Keys of products where a SKU's wanted stock is 0 while TikTok was last sent more. */
async function productsDroppingToZero(
  ctx: AppContext,
  products: { shopId: string; productId: string; skuIds: string[] }[],
): Promise<string[]> {
  const byShop = new Map<string, string[]>();
  for (const product of products) {
    byShop.set(product.shopId, [...(byShop.get(product.shopId) ?? []), ...product.skuIds]);
  }
  const zero = new Set<string>();
  for (const [shopId, skuIds] of byShop) {
    const wanted = await wantedStock(ctx, shopId, skuIds);
    const pushed = await ctx.db
      .selectFrom('sku_push_state')
      .select(['tiktok_sku_id', 'stock_pushed_total'])
      .where('shop_id', '=', shopId)
      .where('tiktok_sku_id', 'in', skuIds)
      .execute();
    for (const row of pushed) {
      const entry = wanted.get(row.tiktok_sku_id);
      if (entry && entry.mappedTotal === 0 && (row.stock_pushed_total ?? 1) > 0) {
        zero.add(row.tiktok_sku_id);
      }
    }
  }
  return products
    .filter((product) => product.skuIds.some((id) => zero.has(id)))
    .map((product) => `${product.shopId}:${product.productId}`);
}

/**
 * Most units sent for one warehouse. NOTE: the reference gives no maximum; 999,999 is the
 * emulator's guess, and locations accept no more than that each.
 */
export const MAX_WAREHOUSE_QUANTITY = 999_999;

export interface WantedStock {
  productId: string;
  /** Every warehouse of the SKU with the quantity to send. */
  inventory: { warehouseId: string; quantity: number }[];
  total: number;
  /** Units in warehouses that platform locations feed; the rest keep TikTok's own value. */
  mappedTotal: number;
  /** Whether TikTok, as last read or written, already shows exactly `inventory`. */
  matchesTiktok: boolean;
  /** Warehouses of the SKU that no location feeds; their quantity is TikTok's own. */
  unfedWarehouseIds: string[];
}

/**
 * The quantity each TikTok SKU should show per warehouse: the sellable units of the linked
 * platform SKU at the locations that feed each warehouse, after the SKU's (or store's) stock rule.
 * Warehouses that no location feeds keep the quantity TikTok last reported, because TikTok needs
 * every warehouse in each call and the platform has no record of that stock.
 */
export async function wantedStock(
  ctx: AppContext,
  shopId: string,
  tiktokSkuIds: string[],
): Promise<Map<string, WantedStock>> {
  const result = new Map<string, WantedStock>();
  if (tiktokSkuIds.length === 0) return result;
  const skus = await ctx.db
    .selectFrom('tiktok_skus as t')
    .innerJoin('sku_links as k', (join) =>
      join.onRef('k.shop_id', '=', 't.shop_id').onRef('k.tiktok_sku_id', '=', 't.id'),
    )
    .innerJoin('platform_skus as p', 'p.id', 'k.platform_sku_id')
    .innerJoin('stores as s', 's.id', 'p.store_id')
    .select([
      't.id',
      't.product_id',
      't.inventory',
      'p.stock_rule as sku_rule',
      's.stock_rule as store_rule',
      's.id as store_id',
    ])
    .where('t.shop_id', '=', shopId)
    .where('t.id', 'in', tiktokSkuIds)
    .where('k.mode', '<>', 'unlinked')
    .execute();
  if (skus.length === 0) return result;
  const mappedWarehouses = new Set(
    (
      await ctx.db
        .selectFrom('warehouse_mappings as m')
        .innerJoin('locations as l', 'l.id', 'm.location_id')
        .select('m.warehouse_id')
        .where('m.shop_id', '=', shopId)
        .where('l.store_id', '=', skus[0]!.store_id)
        .where('l.exclude_from_tiktok', '=', false)
        .execute()
    ).map((row) => row.warehouse_id),
  );
  const sellable = await sellableByWarehouse(ctx, shopId, tiktokSkuIds);
  for (const sku of skus) {
    const current = parseInventory(sku.inventory);
    const warehouses =
      current.length > 0 ? current.map((entry) => entry.warehouseId) : [...mappedWarehouses].sort();
    const units = sellable.get(sku.id) ?? new Map<string, number>();
    const mapped = new Map<string, number>();
    for (const warehouseId of warehouses) {
      if (mappedWarehouses.has(warehouseId)) mapped.set(warehouseId, units.get(warehouseId) ?? 0);
    }
    const rule =
      parseStoredRule(stockRuleSchema, sku.sku_rule) ??
      parseStoredRule(stockRuleSchema, sku.store_rule);
    const shown = distributeAcrossWarehouses(mapped, rule);
    const inventory = warehouses.map((warehouseId) => ({
      warehouseId,
      quantity: Math.min(
        MAX_WAREHOUSE_QUANTITY,
        shown.get(warehouseId) ??
          current.find((entry) => entry.warehouseId === warehouseId)?.quantity ??
          0,
      ),
    }));
    const mappedTotal = [...shown.values()].reduce((sum, value) => sum + value, 0);
    result.set(sku.id, {
      productId: sku.product_id,
      inventory,
      total: inventory.reduce((sum, entry) => sum + entry.quantity, 0),
      mappedTotal: mapped.size === 0 ? -1 : mappedTotal,
      unfedWarehouseIds: warehouses.filter((warehouseId) => !mappedWarehouses.has(warehouseId)),
      matchesTiktok: sameInventory(current, inventory),
    });
  }
  return result;
}

/** Error codes of pushes that were skipped for the shop's or product's state, not for the value. */
const SKIPPED_FOR_STATE = sql`('SHOP_NOT_ACTIVE', 'PRODUCT_FREEZE', 'PRODUCT_DELETED', 'PRODUCT_DRAFT',
  'PRODUCT_PENDING', 'PRODUCT_FAILED', 'PRODUCT_SELLER_DEACTIVATED', 'PRODUCT_PLATFORM_DEACTIVATED')`;

/**
 * Queues again the pushes that were skipped because the shop was not active or the product did
 * not take writes, once that has changed: after a catalog sync or a product webhook.
 */
export async function retrySkippedPushes(ctx: AppContext, shopId: string): Promise<number> {
  const rows = await sql<{ tiktok_sku_id: string; stock: boolean; price: boolean }>`
    SELECT s.tiktok_sku_id,
      (s.stock_error_code IN ${SKIPPED_FOR_STATE}
        AND p.status NOT IN ('FREEZE', 'DELETED')) AS stock,
      (s.price_error_code IN ${SKIPPED_FOR_STATE} AND p.status = 'ACTIVATE') AS price
    FROM sku_push_state s
    JOIN tiktok_products p ON p.shop_id = s.shop_id AND p.id = s.product_id
    JOIN connections c ON c.shop_id = s.shop_id AND c.status = 'active'
    WHERE s.shop_id = ${shopId}
      AND (s.stock_error_code IN ${SKIPPED_FOR_STATE} OR s.price_error_code IN ${SKIPPED_FOR_STATE})
  `.execute(ctx.db);
  const stock = rows.rows.filter((row) => row.stock).map((row) => row.tiktok_sku_id);
  const price = rows.rows.filter((row) => row.price).map((row) => row.tiktok_sku_id);
  return (
    (await markTiktokSkusWanted(ctx, shopId, stock, ['stock'])) +
    (await markTiktokSkusWanted(ctx, shopId, price, ['price']))
  );
}

/** Marks every linked TikTok SKU of a shop for a stock and price push. */
export async function markShopWanted(ctx: AppContext, shopId: string): Promise<number> {
  const rows = await ctx.db
    .selectFrom('sku_links')
    .select('tiktok_sku_id')
    .where('shop_id', '=', shopId)
    .where('mode', '<>', 'unlinked')
    .where('platform_sku_id', 'is not', null)
    .execute();
  return markTiktokSkusWanted(
    ctx,
    shopId,
    rows.map((row) => row.tiktok_sku_id),
  );
}
