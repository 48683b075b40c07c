import { containsPattern } from '../db/like.ts';
import { sql } from 'kysely';

import type { ConnectionRow } from '../connections/connections.ts';
import { shopContext } from '../connections/connections.ts';
import type { AppContext } from '../context.ts';
import type { TiktokProduct, TiktokProductPage } from '../http/catalog-types.ts';
import { toUnixSeconds } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { TikTokApiError } from '../tiktok/index.ts';
import type { TikTokShopContext } from '../tiktok/index.ts';
import { linkShopBySellerSku } from './links.ts';
import { parseInventory, toMirrorProduct, upsertMirrorProducts } from './mirror-rows.ts';
import { formatAmount } from './money.ts';
import type { MirrorProduct } from './mirror-rows.ts';
import { markShopWanted, retrySkippedPushes } from './wanted.ts';

/** Search Products returns at most 100 products a page. */
export const PRODUCT_PAGE_SIZE = 100;
/** Search Products cannot walk past this many results (12052180); windows are split below it. */
export const PRODUCT_SEARCH_LIMIT = 10_000;
const SEARCH_TOO_DEEP = 12052180;
/** Failures of the token or shop, not of the product: the whole batch waits for a retry. */
const AUTH_KINDS = new Set([
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'SCOPE_MISSING',
  'SHOP_NOT_AUTHORIZED',
]);
/** An incremental poll reads again this far behind the watermark, as update times drift. */
const CATALOG_OVERLAP_SECONDS = 300;

export interface CatalogSyncStats {
  searchCalls: number;
  products: number;
  windows: number;
}

async function loadConnection(ctx: AppContext, connectionId: string) {
  return ctx.db
    .selectFrom('connections')
    .selectAll()
    .where('id', '=', connectionId)
    .executeTakeFirst();
}

/**
 * Imports a shop's catalog into the mirror. A full run reads every product updated from the
 * shop's first day until now; an incremental run starts just before the watermark. A window whose
 * results pass TikTok's 10,000 limit is halved until each half fits.
 */
export async function runCatalogSync(
  ctx: AppContext,
  connectionId: string,
  full: boolean,
): Promise<CatalogSyncStats> {
  const stats: CatalogSyncStats = { searchCalls: 0, products: 0, windows: 0 };
  const connection = await loadConnection(ctx, connectionId);
  if (!connection || connection.status !== 'active') return stats;
  const shop = shopContext(ctx, connection);
  const now = toUnixSeconds(ctx.clock.now());
  const isFull = full || connection.catalog_watermark === null;
  await ctx.db
    .updateTable('connections')
    .set({ catalog_status: 'running', catalog_error: null })
    .where('id', '=', connectionId)
    .execute();
  try {
    await syncWarehouses(ctx, shop, connection);
    const from = isFull ? 0 : Math.max(0, connection.catalog_watermark! - CATALOG_OVERLAP_SECONDS);
    const seen = new Set<string>();
    await walkWindow(ctx, shop, connection.shop_id, from, now, stats, seen);
    // A product written while the walk ran (a push does that) moved past the window's end, so a
    // second window from the start second to now picks it up.
    const end = toUnixSeconds(ctx.clock.now());
    await walkWindow(ctx, shop, connection.shop_id, now, end, stats, seen);
    if (isFull) {
      const stale = await ctx.db
        .selectFrom('tiktok_products')
        .select('id')
        .where('shop_id', '=', connection.shop_id)
        .execute();
      const unseen = stale.map((row) => row.id).filter((id) => !seen.has(id));
      if (unseen.length > 0) await removeGoneProducts(ctx, shop, connection.shop_id, unseen);
    }
    const count = await ctx.db
      .selectFrom('tiktok_products')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('shop_id', '=', connection.shop_id)
      .executeTakeFirstOrThrow();
    await ctx.db
      .updateTable('connections')
      .set({
        catalog_status: 'done',
        catalog_products: Number(count.n),
        catalog_synced_at: new Date(ctx.clock.now()),
        catalog_watermark: end,
        next_catalog_poll_at: new Date(ctx.clock.now() + ctx.config.catalog.pollIntervalMs),
      })
      .where('id', '=', connectionId)
      .execute();
    await linkShopBySellerSku(ctx, connection.shop_id);
    if (isFull) {
      // After a (re)connection every linked SKU is compared with TikTok again, so changes made
      // while the shop was disconnected still go out. SKUs TikTok already matches cost no call.
      await markShopWanted(ctx, connection.shop_id);
    } else {
      await retrySkippedPushes(ctx, connection.shop_id);
    }
    ctx.logger.info({ shopId: connection.shop_id, full: isFull, ...stats }, 'catalog synced');
    return stats;
  } catch (error) {
    const retryable = error instanceof TikTokApiError && error.retryable;
    await ctx.db
      .updateTable('connections')
      .set({
        catalog_status: retryable ? 'running' : 'failed',
        catalog_error: (error as Error).message,
        next_catalog_poll_at: new Date(ctx.clock.now() + ctx.config.catalog.pollIntervalMs),
      })
      .where('id', '=', connectionId)
      .execute();
    throw error;
  }
}

async function walkWindow(
  ctx: AppContext,
  shop: TikTokShopContext,
  shopId: string,
  from: number,
  to: number,
  stats: CatalogSyncStats,
  seen: Set<string>,
): Promise<void> {
  stats.windows++;
  const split = async () => {
    const middle = Math.floor((from + to) / 2);
    await walkWindow(ctx, shop, shopId, from, middle, stats, seen);
    await walkWindow(ctx, shop, shopId, middle + 1, to, stats, seen);
  };
  let pageToken: string | undefined;
  for (let page = 0; ; page++) {
    let result;
    try {
      stats.searchCalls++;
      result = await ctx.tiktok.searchProducts(shop, {
        pageSize: PRODUCT_PAGE_SIZE,
        ...(pageToken ? { pageToken } : {}),
        filters: { updateTimeGeMs: from * 1000, updateTimeLeMs: to * 1000 },
      });
    } catch (error) {
      if (
        error instanceof TikTokApiError &&
        (error.code === SEARCH_TOO_DEEP || error.kind === 'SEARCH_LIMIT_EXCEEDED') &&
        to > from
      ) {
        await split();
        return;
      }
      throw error;
    }
    if (page === 0 && (result.totalCount ?? 0) > PRODUCT_SEARCH_LIMIT && to > from) {
      await split();
      return;
    }
    const products = result.products.map(toMirrorProduct);
    await upsertMirrorProducts(ctx, shopId, products);
    for (const product of products) seen.add(product.id);
    stats.products += products.length;
    if (!result.nextPageToken) return;
    pageToken = result.nextPageToken;
  }
}

/**
 * Reads each product the full walk did not return with Get Product, and removes from the mirror
 * those TikTok no longer has. Reading first keeps a product that a write moved out of the walk's
 * windows.
 */
async function removeGoneProducts(
  ctx: AppContext,
  shop: TikTokShopContext,
  shopId: string,
  unseen: string[],
): Promise<void> {
  const { found, unreadable } = await readProducts(ctx, shop, unseen);
  await upsertMirrorProducts(ctx, shopId, found);
  if (unreadable.length > 0) {
    await removeProducts(ctx, shopId, unreadable);
    ctx.logger.info({ shopId, removed: unreadable.length }, 'products gone from TikTok removed');
  }
}

/**
 * Reads products with Get Product. A product TikTok rejects for itself (not for the token, and
 * not with a retryable error) is listed as unreadable; any other failure is raised.
 */
async function readProducts(
  ctx: AppContext,
  shop: TikTokShopContext,
  productIds: Iterable<string>,
): Promise<{ found: MirrorProduct[]; unreadable: string[] }> {
  const found: MirrorProduct[] = [];
  const unreadable: string[] = [];
  for (const productId of productIds) {
    try {
      found.push(toMirrorProduct(await ctx.tiktok.getProduct(shop, productId)));
    } catch (error) {
      if (!(error instanceof TikTokApiError) || error.retryable || AUTH_KINDS.has(error.kind)) {
        throw error;
      }
      ctx.logger.warn(
        { shopId: shop.shopId, productId, code: error.code },
        'product could not be read',
      );
      unreadable.push(productId);
    }
  }
  return { found, unreadable };
}

async function removeProducts(ctx: AppContext, shopId: string, ids: string[]): Promise<void> {
  await ctx.db
    .deleteFrom('sku_push_state')
    .where('shop_id', '=', shopId)
    .where('product_id', 'in', ids)
    .execute();
  await sql`
    DELETE FROM sku_links WHERE shop_id = ${shopId} AND tiktok_sku_id IN (
      SELECT id FROM tiktok_skus WHERE shop_id = ${shopId} AND product_id IN (${sql.join(ids)})
    )
  `.execute(ctx.db);
  await ctx.db
    .deleteFrom('tiktok_products')
    .where('shop_id', '=', shopId)
    .where('id', 'in', ids)
    .execute();
}

/** Reads products again with Get Product, after a webhook or a refused write. */
export async function refreshProducts(
  ctx: AppContext,
  shop: TikTokShopContext,
  shopId: string,
  productIds: string[],
): Promise<void> {
  const { found: products } = await readProducts(ctx, shop, new Set(productIds));
  await upsertMirrorProducts(ctx, shopId, products);
  if (products.length > 0) {
    await linkShopBySellerSku(ctx, shopId);
    await retrySkippedPushes(ctx, shopId);
  }
}

/** Mirrors the shop's warehouses; the demo maps its locations to them on first sight. */
export async function syncWarehouses(
  ctx: AppContext,
  shop: TikTokShopContext,
  connection: ConnectionRow,
): Promise<void> {
  const warehouses = await ctx.tiktok.getWarehouses(shop);
  const now = new Date(ctx.clock.now());
  for (const warehouse of warehouses) {
    const row = {
      name: String(warehouse.name ?? warehouse.id),
      type: warehouse.type ?? null,
      sub_type: warehouse.sub_type ?? null,
      effect_status: warehouse.effect_status ?? null,
      is_default: Boolean(warehouse.is_default),
      synced_at: now,
    };
    await ctx.db
      .insertInto('tiktok_warehouses')
      .values({ shop_id: connection.shop_id, id: String(warehouse.id), ...row })
      .onConflict((conflict) => conflict.columns(['shop_id', 'id']).doUpdateSet(row))
      .execute();
  }
  const ids = warehouses.map((warehouse) => String(warehouse.id));
  let stale = ctx.db.deleteFrom('tiktok_warehouses').where('shop_id', '=', connection.shop_id);
  if (ids.length > 0) stale = stale.where('id', 'not in', ids);
  await stale.execute();
  if (ctx.config.mode === 'demo') await mapDemoLocations(ctx, connection);
}

/** Demo only: MAIN and OVERFLOW feed each shop's default sales warehouse. */
async function mapDemoLocations(ctx: AppContext, connection: ConnectionRow): Promise<void> {
  const existing = await ctx.db
    .selectFrom('warehouse_mappings')
    .select('location_id')
    .where('shop_id', '=', connection.shop_id)
    .executeTakeFirst();
  if (existing) return;
  const sales = await ctx.db
    .selectFrom('tiktok_warehouses')
    .selectAll()
    .where('shop_id', '=', connection.shop_id)
    .where('type', '=', 'SALES_WAREHOUSE')
    .orderBy('is_default', 'desc')
    .orderBy('id')
    .execute();
  const target = sales[0];
  if (!target) return;
  const locations = await ctx.db
    .selectFrom('locations')
    .select('id')
    .where('store_id', '=', connection.store_id)
    .where('code', 'in', ['MAIN', 'OVERFLOW'])
    .execute();
  for (const location of locations) {
    await ctx.db
      .insertInto('warehouse_mappings')
      .values({
        location_id: location.id,
        shop_id: connection.shop_id,
        warehouse_id: target.id,
        created_at: new Date(ctx.clock.now()),
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
}

export interface ProductSearchQuery {
  status?: string | undefined;
  sellerSku?: string | undefined;
  title?: string | undefined;
  updatedFrom?: number | undefined;
  updatedTo?: number | undefined;
  pageSize: number;
  pageToken?: string | undefined;
  source: 'mirror' | 'live';
}

/** Searches a shop's products in the mirror, or at TikTok when the caller asks for live. */
export async function searchShopProducts(
  ctx: AppContext,
  connection: ConnectionRow,
  query: ProductSearchQuery,
): Promise<TiktokProductPage> {
  if (query.source === 'live') return searchLive(ctx, connection, query);
  const shopId = connection.shop_id;
  const conditions = [sql`p.shop_id = ${shopId}`];
  if (query.status && query.status !== 'ALL') conditions.push(sql`p.status = ${query.status}`);
  if (query.title) {
    conditions.push(sql`p.title ILIKE ${containsPattern(query.title)}`);
  }
  if (query.sellerSku) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM tiktok_skus t WHERE t.shop_id = p.shop_id AND t.product_id = p.id AND t.seller_sku = ${query.sellerSku})`,
    );
  }
  if (query.updatedFrom !== undefined) conditions.push(sql`p.update_time >= ${query.updatedFrom}`);
  if (query.updatedTo !== undefined) conditions.push(sql`p.update_time <= ${query.updatedTo}`);
  const where = sql.join(conditions, sql` AND `);
  const total = await sql<{ n: string | number }>`
    SELECT count(*) AS n FROM tiktok_products p WHERE ${where}
  `.execute(ctx.db);
  const pageConditions = [...conditions];
  if (query.pageToken) {
    const [time, id] = decodePageToken(query.pageToken);
    pageConditions.push(sql`(p.update_time, p.id) < (${time}, ${id})`);
  }
  const rows = await sql<{
    id: string;
    title: string;
    status: string;
    create_time: number | null;
    update_time: number;
  }>`
    SELECT p.id, p.title, p.status, p.create_time, p.update_time FROM tiktok_products p
    WHERE ${sql.join(pageConditions, sql` AND `)}
    ORDER BY p.update_time DESC, p.id DESC
    LIMIT ${query.pageSize + 1}
  `.execute(ctx.db);
  const page = rows.rows.slice(0, query.pageSize);
  const skus =
    page.length === 0
      ? []
      : await ctx.db
          .selectFrom('tiktok_skus')
          .selectAll()
          .where('shop_id', '=', shopId)
          .where(
            'product_id',
            'in',
            page.map((row) => row.id),
          )
          .orderBy('position')
          .execute();
  const last = page.at(-1);
  return {
    products: page.map((row) => ({
      shopId,
      id: row.id,
      title: row.title,
      status: row.status,
      createTime: row.create_time === null ? null : Number(row.create_time),
      updateTime: Number(row.update_time),
      skus: skus
        .filter((sku) => sku.product_id === row.id)
        .map((sku) => ({
          id: sku.id,
          sellerSku: sku.seller_sku,
          price: {
            amount: sku.price === null ? null : formatAmount(sku.price, sku.currency ?? 'USD'),
            salePrice:
              sku.sale_price === null ? null : formatAmount(sku.sale_price, sku.currency ?? 'USD'),
            currency: sku.currency,
          },
          inventory: parseInventory(sku.inventory),
        })),
    })),
    nextPageToken:
      rows.rows.length > query.pageSize && last ? encodePageToken(last.update_time, last.id) : null,
    totalCount: Number(total.rows[0]?.n ?? 0),
    source: 'mirror',
  };
}

/** Marks page tokens of mirror searches, so a live search can tell them from TikTok's. */
const MIRROR_TOKEN_PREFIX = 'm1.';

const encodePageToken = (time: number, id: string) =>
  MIRROR_TOKEN_PREFIX + Buffer.from(JSON.stringify([Number(time), id])).toString('base64url');

function decodePageToken(token: string): [number, string] {
  try {
    if (!token.startsWith(MIRROR_TOKEN_PREFIX)) throw new Error('not a mirror token');
    const body = token.slice(MIRROR_TOKEN_PREFIX.length);
    const value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string') {
      return [value[0], value[1]];
    }
  } catch {
    // Reported below.
  }
  throw new AppError(
    'VALIDATION_FAILED',
    'pageToken is not one this API returned for this search.',
  );
}

async function searchLive(
  ctx: AppContext,
  connection: ConnectionRow,
  query: ProductSearchQuery,
): Promise<TiktokProductPage> {
  if (query.title) {
    throw new AppError(
      'VALIDATION_FAILED',
      'TikTok Search Products has no title filter; search by title with source=mirror.',
    );
  }
  if (query.pageToken?.startsWith(MIRROR_TOKEN_PREFIX)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'pageToken came from a source=mirror search; a live search needs a token from source=live.',
    );
  }
  const shop = shopContext(ctx, connection);
  const result = await ctx.tiktok.searchProducts(shop, {
    pageSize: query.pageSize,
    ...(query.pageToken ? { pageToken: query.pageToken } : {}),
    filters: {
      ...(query.status ? { status: query.status } : {}),
      ...(query.sellerSku ? { sellerSkus: [query.sellerSku] } : {}),
      ...(query.updatedFrom !== undefined ? { updateTimeGeMs: query.updatedFrom * 1000 } : {}),
      ...(query.updatedTo !== undefined ? { updateTimeLeMs: query.updatedTo * 1000 } : {}),
    },
  });
  const products = result.products.map(toMirrorProduct);
  // What TikTok just returned is the newest copy there is.
  await upsertMirrorProducts(ctx, connection.shop_id, products);
  return {
    products: products.map((product): TiktokProduct => ({
      shopId: connection.shop_id,
      id: product.id,
      title: product.title,
      status: product.status,
      createTime: product.createTime,
      updateTime: product.updateTime,
      skus: product.skus.map((sku) => ({
        id: sku.id,
        sellerSku: sku.sellerSku,
        price: { amount: sku.price, salePrice: sku.salePrice, currency: sku.currency },
        inventory: sku.inventory,
      })),
    })),
    nextPageToken: result.nextPageToken ?? null,
    totalCount: result.totalCount ?? products.length,
    source: 'live',
  };
}
