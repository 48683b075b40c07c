import { containsPattern } from '../db/like.ts';
import { sql } from 'kysely';

import { liveConnectionsOfShop, shopContext } from '../connections/connections.ts';
import type { AppContext } from '../context.ts';
import type { CatalogSku, CatalogSkuPage, LinkReport, LinkState } from '../http/catalog-types.ts';
import { AppError } from '../shared/errors.ts';
import { refreshProducts } from './mirror.ts';
import { parseInventory } from './mirror-rows.ts';
import { requireStoreShop } from './shops.ts';
import { formatAmount } from './money.ts';
import { requireSku } from './platform.ts';
import { wantedPrices } from './price-push.ts';
import { markTiktokSkusWanted, wantedStock } from './wanted.ts';

// TikTok SKUs link to platform SKUs by seller_sku when exactly one TikTok SKU of the shop and
// one platform SKU of the store carry it. A seller_sku used twice in a shop is reported and left
// for the seller, because guessing would push one SKU's stock to the wrong listing.

/** Creates and removes automatic links of one shop; returns the TikTok SKUs newly linked. */
export async function linkShopBySellerSku(ctx: AppContext, shopId: string): Promise<string[]> {
  const now = new Date(ctx.clock.now());
  const matches = sql`
    SELECT t.id AS tiktok_sku_id, p.id AS platform_sku_id
    FROM tiktok_skus t
    JOIN (
      SELECT seller_sku FROM tiktok_skus
      WHERE shop_id = ${shopId} AND seller_sku <> ''
      GROUP BY seller_sku HAVING count(*) = 1
    ) unique_skus ON unique_skus.seller_sku = t.seller_sku
    JOIN connections c ON c.shop_id = t.shop_id AND c.status <> 'disconnected'
    JOIN platform_skus p ON p.store_id = c.store_id AND p.sku = t.seller_sku
    WHERE t.shop_id = ${shopId}
  `;
  await sql`
    DELETE FROM sku_links
    WHERE shop_id = ${shopId} AND mode = 'auto'
      AND (tiktok_sku_id, platform_sku_id) NOT IN (
        SELECT m.tiktok_sku_id, m.platform_sku_id FROM (${matches}) m
      )
  `.execute(ctx.db);
  const linked = await sql<{ tiktok_sku_id: string }>`
    INSERT INTO sku_links (shop_id, tiktok_sku_id, platform_sku_id, mode, updated_at)
    SELECT ${shopId}, m.tiktok_sku_id, m.platform_sku_id, 'auto', ${now} FROM (${matches}) m
    ON CONFLICT (shop_id, tiktok_sku_id) DO NOTHING
    RETURNING tiktok_sku_id
  `.execute(ctx.db);
  const ids = linked.rows.map((row) => row.tiktok_sku_id);
  if (ids.length > 0) {
    await markTiktokSkusWanted(ctx, shopId, ids);
    ctx.logger.info({ shopId, linked: ids.length }, 'SKUs linked by seller_sku');
  }
  return ids;
}

export async function linkStoreBySellerSku(ctx: AppContext, storeId: string): Promise<void> {
  const shops = await ctx.db
    .selectFrom('connections')
    .select('shop_id')
    .where('store_id', '=', storeId)
    .where('status', '<>', 'disconnected')
    .execute();
  for (const { shop_id: shopId } of shops) await linkShopBySellerSku(ctx, shopId);
}

async function requireTiktokSku(ctx: AppContext, storeId: string, shopId: string, skuId: string) {
  await requireStoreShop(ctx, storeId, shopId);
  const sku = await ctx.db
    .selectFrom('tiktok_skus')
    .select(['id', 'product_id', 'seller_sku'])
    .where('shop_id', '=', shopId)
    .where('id', '=', skuId)
    .executeTakeFirst();
  if (!sku) {
    throw new AppError(
      'NOT_FOUND',
      `TikTok SKU ${skuId} is not in shop ${shopId}'s catalog; if it was just created, sync the catalog with POST /api/v1/stores/${storeId}/connections/{connectionId}/catalog/sync.`,
      { details: { shopId, tiktokSkuId: skuId } },
    );
  }
  return sku;
}

/** Links a TikTok SKU to a platform SKU by hand; automatic matching never undoes it. */
export async function linkByHand(
  ctx: AppContext,
  storeId: string,
  shopId: string,
  tiktokSkuId: string,
  platformSku: string,
): Promise<CatalogSku> {
  await requireTiktokSku(ctx, storeId, shopId, tiktokSkuId);
  const platform = await requireSku(ctx, storeId, platformSku);
  // Two listings of one shop fed by the same stock would each show all of it and oversell.
  const other = await ctx.db
    .selectFrom('sku_links')
    .select('tiktok_sku_id')
    .where('shop_id', '=', shopId)
    .where('platform_sku_id', '=', platform.id)
    .where('mode', '<>', 'unlinked')
    .where('tiktok_sku_id', '<>', tiktokSkuId)
    .executeTakeFirst();
  if (other) {
    throw new AppError(
      'CONFLICT',
      `Platform SKU ${platformSku} already feeds TikTok SKU ${other.tiktok_sku_id} in shop ${shopId}; two listings sharing one stock would each show all of it. Unlink that SKU first, or link this one to another platform SKU.`,
      { details: { shopId, platformSku, linkedTiktokSkuId: other.tiktok_sku_id } },
    );
  }
  await writeLink(ctx, shopId, tiktokSkuId, platform.id, 'manual');
  await markTiktokSkusWanted(ctx, shopId, [tiktokSkuId]);
  return getCatalogSku(ctx, storeId, shopId, tiktokSkuId);
}

/** Removes a link; the SKU stays unlinked until the seller links it again. */
export async function unlinkByHand(
  ctx: AppContext,
  storeId: string,
  shopId: string,
  tiktokSkuId: string,
): Promise<CatalogSku> {
  await requireTiktokSku(ctx, storeId, shopId, tiktokSkuId);
  await writeLink(ctx, shopId, tiktokSkuId, null, 'unlinked');
  return getCatalogSku(ctx, storeId, shopId, tiktokSkuId);
}

async function writeLink(
  ctx: AppContext,
  shopId: string,
  tiktokSkuId: string,
  platformSkuId: string | null,
  mode: 'manual' | 'unlinked',
): Promise<void> {
  const now = new Date(ctx.clock.now());
  await ctx.db
    .insertInto('sku_links')
    .values({
      shop_id: shopId,
      tiktok_sku_id: tiktokSkuId,
      platform_sku_id: platformSkuId,
      mode,
      updated_at: now,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['shop_id', 'tiktok_sku_id'])
        .doUpdateSet({ platform_sku_id: platformSkuId, mode, updated_at: now }),
    )
    .execute();
}

/**
 * Reads the SKU's product from TikTok again and queues a push of its stock and price, so that
 * TikTok ends up showing the platform's values even after someone changed them in Seller Center.
 * A price TikTok reported as locked is tried again too.
 */
export async function pushAgain(
  ctx: AppContext,
  storeId: string,
  shopId: string,
  tiktokSkuId: string,
): Promise<void> {
  const sku = await requireTiktokSku(ctx, storeId, shopId, tiktokSkuId);
  const link = await ctx.db
    .selectFrom('sku_links')
    .select('platform_sku_id')
    .where('shop_id', '=', shopId)
    .where('tiktok_sku_id', '=', tiktokSkuId)
    .where('mode', '<>', 'unlinked')
    .executeTakeFirst();
  if (!link?.platform_sku_id) {
    throw new AppError(
      'CONFLICT',
      `TikTok SKU ${tiktokSkuId} is not linked to a platform SKU, so there is nothing to push; link it first.`,
      { details: { shopId, tiktokSkuId } },
    );
  }
  const [connection] = await liveConnectionsOfShop(ctx, shopId);
  if (connection?.status !== 'active') {
    throw new AppError(
      'CONFLICT',
      `Shop ${shopId} needs re-authorization before anything can be pushed to it.`,
      { details: { shopId } },
    );
  }
  await refreshProducts(ctx, shopContext(ctx, connection), shopId, [sku.product_id]);
  await ctx.db
    .updateTable('sku_push_state')
    .set({ price_locked_amount: null })
    .where('shop_id', '=', shopId)
    .where('tiktok_sku_id', '=', tiktokSkuId)
    .execute();
  await markTiktokSkusWanted(ctx, shopId, [tiktokSkuId]);
}

interface CatalogRow {
  shop_id: string;
  shop_name: string;
  product_id: string;
  product_title: string;
  product_status: string;
  tiktok_sku_id: string;
  seller_sku: string;
  state: LinkState;
  platform_sku: string | null;
  platform_sku_id: string | null;
  tiktok_price: string | null;
  tiktok_currency: string | null;
  inventory: unknown;
  stock_pushed_total: number | null;
  stock_pushed_at: Date | null;
  stock_pending: boolean | null;
  stock_error: string | null;
  stock_error_code: string | null;
  price_pushed: string | null;
  price_pushed_currency: string | null;
  price_pushed_at: Date | null;
  price_pending: boolean | null;
  price_error: string | null;
  price_error_code: string | null;
  price_locked_amount: string | null;
}

export interface CatalogQuery {
  shopId?: string | undefined;
  state?: LinkState | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

function catalogSelect(storeId: string) {
  return sql<CatalogRow>`
    SELECT * FROM (
      SELECT t.shop_id, c.shop_name, t.product_id, p.title AS product_title,
        p.status AS product_status, t.id AS tiktok_sku_id, t.seller_sku,
        CASE
          WHEN k.mode IS NOT NULL AND k.platform_sku_id IS NOT NULL THEN k.mode
          WHEN k.mode = 'unlinked' THEN 'unlinked'
          WHEN d.n > 1 THEN 'duplicate'
          ELSE 'unmatched'
        END AS state,
        ps.sku AS platform_sku, ps.id AS platform_sku_id,
        t.sale_price AS tiktok_price, t.currency AS tiktok_currency, t.inventory,
        s.stock_pushed_total, s.stock_pushed_at,
        s.stock_wanted_seq > s.stock_done_seq AS stock_pending, s.stock_error, s.stock_error_code,
        s.price_pushed, s.price_pushed_currency, s.price_pushed_at,
        s.price_wanted_seq > s.price_done_seq AS price_pending, s.price_error, s.price_error_code,
        s.price_locked_amount
      FROM tiktok_skus t
      JOIN connections c ON c.shop_id = t.shop_id AND c.status <> 'disconnected'
        AND c.store_id = ${storeId}
      JOIN tiktok_products p ON p.shop_id = t.shop_id AND p.id = t.product_id
      LEFT JOIN sku_links k ON k.shop_id = t.shop_id AND k.tiktok_sku_id = t.id
      LEFT JOIN platform_skus ps ON ps.id = k.platform_sku_id
      LEFT JOIN sku_push_state s ON s.shop_id = t.shop_id AND s.tiktok_sku_id = t.id
      LEFT JOIN (
        SELECT shop_id, seller_sku, count(*) AS n FROM tiktok_skus
        WHERE seller_sku <> '' GROUP BY shop_id, seller_sku
      ) d ON d.shop_id = t.shop_id AND d.seller_sku = t.seller_sku
    ) rows
  `;
}

const encodeCursor = (row: CatalogRow) =>
  Buffer.from(JSON.stringify([row.shop_id, row.seller_sku, row.tiktok_sku_id])).toString(
    'base64url',
  );

function decodeCursor(cursor: string): [string, string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'string')) {
      return value as [string, string, string];
    }
  } catch {
    // Reported below.
  }
  throw new AppError('VALIDATION_FAILED', 'cursor is not one this API returned.');
}

/** Lists every TikTok SKU of the store's shops with its link and push state, for the products page. */
export async function listCatalogSkus(
  ctx: AppContext,
  storeId: string,
  query: CatalogQuery,
): Promise<CatalogSkuPage> {
  const conditions = [sql`true`];
  if (query.shopId) conditions.push(sql`shop_id = ${query.shopId}`);
  if (query.state) conditions.push(sql`state = ${query.state}`);
  if (query.q) {
    const pattern = containsPattern(query.q);
    conditions.push(
      sql`(seller_sku ILIKE ${pattern} OR product_title ILIKE ${pattern} OR platform_sku ILIKE ${pattern})`,
    );
  }
  if (query.cursor) {
    const [shopId, sellerSku, skuId] = decodeCursor(query.cursor);
    conditions.push(
      sql`(shop_id, seller_sku, tiktok_sku_id) > (${shopId}, ${sellerSku}, ${skuId})`,
    );
  }
  const rows = await sql<CatalogRow>`
    ${catalogSelect(storeId)}
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY shop_id, seller_sku, tiktok_sku_id
    LIMIT ${query.limit + 1}
  `.execute(ctx.db);
  const page = rows.rows.slice(0, query.limit);
  return {
    skus: await toCatalogSkus(ctx, page),
    nextCursor: rows.rows.length > query.limit ? encodeCursor(page.at(-1)!) : null,
  };
}

export async function getCatalogSku(
  ctx: AppContext,
  storeId: string,
  shopId: string,
  tiktokSkuId: string,
): Promise<CatalogSku> {
  const rows = await sql<CatalogRow>`
    ${catalogSelect(storeId)} WHERE shop_id = ${shopId} AND tiktok_sku_id = ${tiktokSkuId}
  `.execute(ctx.db);
  if (rows.rows.length === 0) {
    throw new AppError('NOT_FOUND', `TikTok SKU ${tiktokSkuId} is not in this store's shops.`, {
      details: { shopId, tiktokSkuId },
    });
  }
  return (await toCatalogSkus(ctx, rows.rows))[0]!;
}

async function toCatalogSkus(ctx: AppContext, rows: CatalogRow[]): Promise<CatalogSku[]> {
  const linkedByShop = new Map<string, string[]>();
  for (const row of rows) {
    if (row.platform_sku_id) {
      linkedByShop.set(row.shop_id, [...(linkedByShop.get(row.shop_id) ?? []), row.tiktok_sku_id]);
    }
  }
  const stock = new Map<string, number>();
  const prices = new Map<string, string | null>();
  for (const [shopId, ids] of linkedByShop) {
    for (const [id, wanted] of await wantedStock(ctx, shopId, ids)) {
      stock.set(`${shopId}:${id}`, wanted.total);
    }
    for (const [id, wanted] of await wantedPrices(ctx, shopId, ids)) {
      prices.set(`${shopId}:${id}`, wanted.amount);
    }
  }
  return rows.map((row) => {
    const key = `${row.shop_id}:${row.tiktok_sku_id}`;
    const wantedPrice = prices.get(key) ?? null;
    return {
      shopId: row.shop_id,
      shopName: row.shop_name,
      productId: row.product_id,
      productTitle: row.product_title,
      productStatus: row.product_status,
      tiktokSkuId: row.tiktok_sku_id,
      sellerSku: row.seller_sku,
      link: {
        state: row.state,
        platformSku: row.platform_sku,
        platformSkuId: row.platform_sku_id,
      },
      tiktok: {
        price:
          row.tiktok_price === null
            ? null
            : formatAmount(row.tiktok_price, row.tiktok_currency ?? 'USD'),
        currency: row.tiktok_currency,
        quantity: parseInventory(row.inventory).reduce((sum, entry) => sum + entry.quantity, 0),
      },
      stock: {
        wanted: stock.get(key) ?? null,
        pushed: row.stock_pushed_total,
        pushedAt: row.stock_pushed_at?.toISOString() ?? null,
        pending: row.stock_pending ?? false,
        error: row.stock_error,
        errorCode: row.stock_error_code,
      },
      price: {
        wanted: wantedPrice,
        pushed: row.price_pushed,
        currency: row.price_pushed_currency ?? row.tiktok_currency,
        pushedAt: row.price_pushed_at?.toISOString() ?? null,
        pending: row.price_pending ?? false,
        locked: row.price_locked_amount !== null && row.price_locked_amount === wantedPrice,
        error: row.price_error,
        errorCode: row.price_error_code,
      },
    };
  });
}

/** SKUs unmatched on either side and seller_sku values used twice. */
export async function linkReport(ctx: AppContext, storeId: string): Promise<LinkReport> {
  const rows = await sql<CatalogRow>`${catalogSelect(storeId)}
    ORDER BY shop_id, seller_sku, tiktok_sku_id`.execute(ctx.db);
  const duplicates = new Map<
    string,
    { shopId: string; sellerSku: string; tiktokSkuIds: string[] }
  >();
  for (const row of rows.rows.filter((candidate) => candidate.state === 'duplicate')) {
    const key = `${row.shop_id}:${row.seller_sku}`;
    const entry = duplicates.get(key) ?? {
      shopId: row.shop_id,
      sellerSku: row.seller_sku,
      tiktokSkuIds: [],
    };
    entry.tiktokSkuIds.push(row.tiktok_sku_id);
    duplicates.set(key, entry);
  }
  const unmatchedPlatform = await sql<{ id: string; sku: string; title: string }>`
    SELECT p.id, p.sku, p.title FROM platform_skus p
    WHERE p.store_id = ${storeId} AND NOT EXISTS (
      SELECT 1 FROM sku_links k
      JOIN connections c ON c.shop_id = k.shop_id AND c.status <> 'disconnected'
      WHERE k.platform_sku_id = p.id AND k.mode <> 'unlinked'
    )
    ORDER BY p.sku
  `.execute(ctx.db);
  return {
    linked: rows.rows.filter((row) => row.state === 'auto' || row.state === 'manual').length,
    unmatchedTiktok: rows.rows
      .filter((row) => row.state === 'unmatched')
      .map((row) => ({
        shopId: row.shop_id,
        productId: row.product_id,
        tiktokSkuId: row.tiktok_sku_id,
        sellerSku: row.seller_sku,
      })),
    unmatchedPlatform: unmatchedPlatform.rows,
    duplicates: [...duplicates.values()],
  };
}
