import { containsPattern } from '../db/like.ts';
import { sql } from 'kysely';
import type { Selectable } from 'kysely';

import type { AppContext } from '../context.ts';
import type { LocationsTable, PlatformSkusTable } from '../db/schema.ts';
import type {
  CatalogSettings,
  ImportResult,
  Location,
  PlatformSku,
  PlatformSkuPage,
  StockChangeResult,
} from '../http/catalog-types.ts';
import { AppError } from '../shared/errors.ts';
import {
  CURRENCY_PATTERN,
  computeShopPrice,
  decimalPlaces,
  formatAmount,
  isDecimal,
  minorDigits,
} from './money.ts';
import { linkStoreBySellerSku } from './links.ts';
import { parseStoredRule, priceRuleSchema, stockRuleSchema } from './rules.ts';
import type { PriceRule, StockRule } from './rules.ts';
import { requireStoreShop, shopCurrencies } from './shops.ts';
import { markPriceWanted, markStockWanted } from './wanted.ts';

type LocationRow = Selectable<LocationsTable>;
type SkuRow = Selectable<PlatformSkusTable>;

export interface StockInput {
  location: string;
  onHand: number;
  reserved?: number | undefined;
}

export interface SkuInput {
  sku: string;
  title: string;
  price?: string | null | undefined;
  currency?: string | undefined;
  stock?: StockInput[] | undefined;
  stockRule?: StockRule | null | undefined;
  priceRule?: PriceRule | null | undefined;
}

export interface SkuPatch {
  title?: string | undefined;
  price?: string | null | undefined;
  currency?: string | undefined;
  stockRule?: StockRule | null | undefined;
  priceRule?: PriceRule | null | undefined;
}

export interface StockChange extends StockInput {
  sku: string;
}

const json = (value: unknown): string => JSON.stringify(value);
/**
 * Largest stock count accepted at one location. NOTE: TikTok's own maximum per warehouse is not
 * in the reference; the emulator takes 999,999, and pushes are capped there (wanted.ts).
 */
const MAX_UNITS = 999_999;

// Locations -------------------------------------------------------------------------------------

export async function listLocations(ctx: AppContext, storeId: string): Promise<Location[]> {
  const rows = await ctx.db
    .selectFrom('locations')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('code')
    .execute();
  return describeLocations(ctx, rows);
}

async function describeLocations(ctx: AppContext, rows: LocationRow[]): Promise<Location[]> {
  if (rows.length === 0) return [];
  const mappings = await ctx.db
    .selectFrom('warehouse_mappings as m')
    .leftJoin('tiktok_warehouses as w', (join) =>
      join.onRef('w.shop_id', '=', 'm.shop_id').onRef('w.id', '=', 'm.warehouse_id'),
    )
    .select(['m.location_id', 'm.shop_id', 'm.warehouse_id', 'w.name'])
    .where(
      'm.location_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('m.shop_id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    excludeFromTiktok: row.exclude_from_tiktok,
    warehouses: mappings
      .filter((mapping) => mapping.location_id === row.id)
      .map((mapping) => ({
        shopId: mapping.shop_id,
        warehouseId: mapping.warehouse_id,
        warehouseName: mapping.name,
      })),
  }));
}

export async function createLocation(
  ctx: AppContext,
  storeId: string,
  input: { code: string; name: string; excludeFromTiktok?: boolean | undefined },
): Promise<Location> {
  const existing = await findLocation(ctx, storeId, input.code);
  if (existing) {
    throw new AppError('CONFLICT', `Location ${input.code} already exists in this store.`, {
      details: { location: input.code },
    });
  }
  const row = await ctx.db
    .insertInto('locations')
    .values({
      id: ctx.ids.uuid(),
      store_id: storeId,
      code: input.code,
      name: input.name,
      exclude_from_tiktok: input.excludeFromTiktok ?? false,
      created_at: new Date(ctx.clock.now()),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return (await describeLocations(ctx, [row]))[0]!;
}

export async function updateLocation(
  ctx: AppContext,
  storeId: string,
  code: string,
  patch: { name?: string | undefined; excludeFromTiktok?: boolean | undefined },
): Promise<Location> {
  const location = await requireLocation(ctx, storeId, code);
  if (patch.name === undefined && patch.excludeFromTiktok === undefined) {
    return (await describeLocations(ctx, [location]))[0]!;
  }
  const row = await ctx.db
    .updateTable('locations')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.excludeFromTiktok !== undefined
        ? { exclude_from_tiktok: patch.excludeFromTiktok }
        : {}),
    })
    .where('id', '=', location.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (patch.excludeFromTiktok !== undefined) await stockChangedAtLocation(ctx, location.id);
  return (await describeLocations(ctx, [row]))[0]!;
}

async function findLocation(ctx: AppContext, storeId: string, code: string) {
  return ctx.db
    .selectFrom('locations')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function requireLocation(
  ctx: AppContext,
  storeId: string,
  code: string,
): Promise<LocationRow> {
  const location = await findLocation(ctx, storeId, code);
  if (!location) {
    throw new AppError(
      'NOT_FOUND',
      `Location ${code} does not exist in this store; create it with POST /api/v1/stores/${storeId}/locations.`,
      { details: { location: code } },
    );
  }
  return location;
}

/** Maps a location to one TikTok warehouse of a connected shop; several may feed one warehouse. */
export async function mapLocationToWarehouse(
  ctx: AppContext,
  storeId: string,
  code: string,
  shopId: string,
  warehouseId: string,
): Promise<Location> {
  const location = await requireLocation(ctx, storeId, code);
  await requireStoreShop(ctx, storeId, shopId);
  const warehouse = await ctx.db
    .selectFrom('tiktok_warehouses')
    .select(['id', 'type'])
    .where('shop_id', '=', shopId)
    .where('id', '=', warehouseId)
    .executeTakeFirst();
  if (!warehouse) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Warehouse ${warehouseId} is not one of shop ${shopId}'s TikTok warehouses; GET /api/v1/stores/${storeId}/warehouses lists them.`,
      { details: { shopId, warehouseId } },
    );
  }
  if (warehouse.type === 'RETURN_WAREHOUSE') {
    throw new AppError(
      'VALIDATION_FAILED',
      `Warehouse ${warehouseId} is a return warehouse; TikTok sells stock only from sales warehouses.`,
      { details: { shopId, warehouseId } },
    );
  }
  await ctx.db
    .insertInto('warehouse_mappings')
    .values({
      location_id: location.id,
      shop_id: shopId,
      warehouse_id: warehouseId,
      created_at: new Date(ctx.clock.now()),
    })
    .onConflict((conflict) =>
      conflict.columns(['location_id', 'shop_id']).doUpdateSet({ warehouse_id: warehouseId }),
    )
    .execute();
  await stockChangedAtLocation(ctx, location.id);
  return (await describeLocations(ctx, [location]))[0]!;
}

export async function unmapLocation(
  ctx: AppContext,
  storeId: string,
  code: string,
  shopId: string,
): Promise<void> {
  const location = await requireLocation(ctx, storeId, code);
  await stockChangedAtLocation(ctx, location.id);
  await ctx.db
    .deleteFrom('warehouse_mappings')
    .where('location_id', '=', location.id)
    .where('shop_id', '=', shopId)
    .execute();
}

/** Marks every linked SKU with stock at the location for a push. */
async function stockChangedAtLocation(ctx: AppContext, locationId: string): Promise<void> {
  const rows = await ctx.db
    .selectFrom('stock_levels')
    .select('sku_id')
    .where('location_id', '=', locationId)
    .execute();
  await markStockWanted(
    ctx,
    rows.map((row) => row.sku_id),
  );
}

// SKUs ------------------------------------------------------------------------------------------

async function toPlatformSkus(ctx: AppContext, rows: SkuRow[]): Promise<PlatformSku[]> {
  if (rows.length === 0) return [];
  const levels = await ctx.db
    .selectFrom('stock_levels as s')
    .innerJoin('locations as l', 'l.id', 's.location_id')
    .select(['s.sku_id', 'l.code', 's.on_hand', 's.reserved'])
    .where(
      's.sku_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('l.code')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    sku: row.sku,
    title: row.title,
    price: row.price === null ? null : formatAmount(row.price, row.currency ?? 'USD'),
    currency: row.currency,
    stock: levels
      .filter((level) => level.sku_id === row.id)
      .map((level) => ({
        locationCode: level.code,
        onHand: level.on_hand,
        reserved: level.reserved,
      })),
    stockRule: parseStoredRule(stockRuleSchema, row.stock_rule),
    priceRule: parseStoredRule(priceRuleSchema, row.price_rule),
    updatedAt: row.updated_at.toISOString(),
  }));
}

export async function listSkus(
  ctx: AppContext,
  storeId: string,
  query: { q?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<PlatformSkuPage> {
  let select = ctx.db
    .selectFrom('platform_skus')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('sku')
    .limit(query.limit + 1);
  if (query.cursor) select = select.where('sku', '>', decodeCursor(query.cursor));
  if (query.q) {
    const pattern = containsPattern(query.q);
    select = select.where((eb) =>
      eb.or([eb('sku', 'ilike', pattern), eb('title', 'ilike', pattern)]),
    );
  }
  const rows = await select.execute();
  const page = rows.slice(0, query.limit);
  return {
    skus: await toPlatformSkus(ctx, page),
    nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!.sku) : null,
  };
}

const CURSOR_PREFIX = 'sku1.';
const encodeCursor = (sku: string) =>
  CURSOR_PREFIX + Buffer.from(sku, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => {
  const text = cursor.startsWith(CURSOR_PREFIX)
    ? Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8')
    : '';
  if (!text) {
    throw new AppError(
      'VALIDATION_FAILED',
      'cursor is not one this API returned; start again without it.',
    );
  }
  return text;
};

export async function requireSku(ctx: AppContext, storeId: string, sku: string): Promise<SkuRow> {
  const row = await ctx.db
    .selectFrom('platform_skus')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('sku', '=', sku)
    .executeTakeFirst();
  if (!row) {
    throw new AppError(
      'NOT_FOUND',
      `SKU ${sku} does not exist in this store; create it with POST /api/v1/stores/${storeId}/skus.`,
      { details: { sku } },
    );
  }
  return row;
}

export async function getSku(ctx: AppContext, storeId: string, sku: string): Promise<PlatformSku> {
  return (await toPlatformSkus(ctx, [await requireSku(ctx, storeId, sku)]))[0]!;
}

/** Checks a price against its currency and the currencies of the shops it will reach. */
async function validatePrice(
  ctx: AppContext,
  storeId: string,
  sku: string,
  price: string,
  currency: string,
  missingCache = new Map<string, Promise<string[]>>(),
): Promise<void> {
  if (!CURRENCY_PATTERN.test(currency)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `SKU ${sku}: currency "${currency}" is not an ISO 4217 code such as "USD".`,
      { details: { sku, currency } },
    );
  }
  if (!isDecimal(price) || price.startsWith('-') || /^0+(\.0+)?$/.test(price)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `SKU ${sku}: price "${price}" must be a positive decimal string such as "12.50".`,
      { details: { sku, price } },
    );
  }
  if (/^\d{13,}/.test(price)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `SKU ${sku}: price "${price}" is too large; prices must be below 1000000000000.`,
      { details: { sku, price } },
    );
  }
  const allowed = minorDigits(currency);
  if (decimalPlaces(price) > allowed) {
    throw new AppError(
      'VALIDATION_FAILED',
      `SKU ${sku}: price "${price}" has ${decimalPlaces(price)} decimals, but ${currency} allows ${allowed}; round it to ${allowed} decimals.`,
      { details: { sku, price, currency, allowedDecimals: allowed } },
    );
  }
  if (!missingCache.has(currency)) missingCache.set(currency, missingRates(ctx, storeId, currency));
  const missing = await missingCache.get(currency)!;
  if (missing.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `SKU ${sku}: price is in ${currency}, but no rate converts ${currency} to the shop ${missing.length === 1 ? 'currency' : 'currencies'} ${missing.join(', ')}; add ${missing.length === 1 ? 'it' : 'them'} with PUT /api/v1/stores/${storeId}/settings/catalog (currencyRates), or give the price in the shop's currency.`,
      { details: { sku, currency, missingRates: missing.map((to) => ({ from: currency, to })) } },
    );
  }
}

/** Currencies of the store's connected shops that a price in `currency` cannot reach. */
export async function missingRates(
  ctx: AppContext,
  storeId: string,
  currency: string,
): Promise<string[]> {
  const currencies = await shopCurrencies(ctx, storeId);
  const rates = await ctx.db
    .selectFrom('currency_rates')
    .select('to_currency')
    .where('store_id', '=', storeId)
    .where('from_currency', '=', currency)
    .execute();
  const reachable = new Set([currency, ...rates.map((rate) => rate.to_currency)]);
  return [...new Set(currencies)].filter((target) => !reachable.has(target)).sort();
}

async function storeCurrency(ctx: AppContext, storeId: string): Promise<string> {
  const store = await ctx.db
    .selectFrom('stores')
    .select('currency')
    .where('id', '=', storeId)
    .executeTakeFirstOrThrow();
  return store.currency;
}

export async function createSku(
  ctx: AppContext,
  storeId: string,
  input: SkuInput,
): Promise<PlatformSku> {
  const result = await importSkus(ctx, storeId, [input], { allowUpdate: false });
  if (result.created !== 1) {
    throw new AppError('CONFLICT', `SKU ${input.sku} already exists in this store.`, {
      details: { sku: input.sku },
    });
  }
  return getSku(ctx, storeId, input.sku);
}

/**
 * Creates or updates SKUs with their stock. Every row is checked before anything is written, and
 * all rows are written in one transaction, so a bad row leaves the catalog as it was.
 */
export async function importSkus(
  ctx: AppContext,
  storeId: string,
  items: SkuInput[],
  options: { allowUpdate: boolean } = { allowUpdate: true },
): Promise<ImportResult> {
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    if (seen.has(item.sku)) {
      throw new AppError(
        'VALIDATION_FAILED',
        `items[${index}]: SKU ${item.sku} appears twice in this import; send each SKU once.`,
        { details: { index, sku: item.sku } },
      );
    }
    seen.add(item.sku);
  }
  const defaultCurrency = await storeCurrency(ctx, storeId);
  const existing = new Map(
    (
      await ctx.db
        .selectFrom('platform_skus')
        .selectAll()
        .where('store_id', '=', storeId)
        .where(
          'sku',
          'in',
          items.map((item) => item.sku),
        )
        .execute()
    ).map((row) => [row.sku, row]),
  );
  if (!options.allowUpdate && existing.size > 0) return { created: 0, updated: 0, queuedPushes: 0 };
  const locations = await locationsByCode(ctx, storeId);
  const mapped = await feedingLocations(ctx, storeId);
  const missingCache = new Map<string, Promise<string[]>>();
  for (const [index, item] of items.entries()) {
    const at = items.length > 1 ? `items[${index}] ` : '';
    if (item.price !== undefined && item.price !== null) {
      const currency = item.currency ?? existing.get(item.sku)?.currency ?? defaultCurrency;
      try {
        await validatePrice(ctx, storeId, item.sku, item.price, currency, missingCache);
      } catch (error) {
        if (error instanceof AppError && at) {
          throw new AppError(error.code, `${at}${error.message}`, {
            details: { index, ...error.details },
          });
        }
        throw error;
      }
    }
    try {
      validateStock(storeId, locations, mapped, item.sku, item.stock ?? [], at);
    } catch (error) {
      if (error instanceof AppError) {
        throw new AppError(error.code, error.message, { details: { index, ...error.details } });
      }
      throw error;
    }
  }

  const now = new Date(ctx.clock.now());
  let created = 0;
  let updated = 0;
  const stockSkuIds: string[] = [];
  const priceSkuIds: string[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    const levels: StockLevelWrite[] = [];
    for (const item of items) {
      const current = existing.get(item.sku);
      const currency = item.currency ?? current?.currency ?? defaultCurrency;
      let id: string;
      if (current) {
        id = current.id;
        await trx
          .updateTable('platform_skus')
          .set({
            title: item.title,
            ...(item.price !== undefined ? { price: item.price, currency } : {}),
            ...(item.stockRule !== undefined ? { stock_rule: nullableJson(item.stockRule) } : {}),
            ...(item.priceRule !== undefined ? { price_rule: nullableJson(item.priceRule) } : {}),
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
        updated++;
      } else {
        id = ctx.ids.uuid();
        await trx
          .insertInto('platform_skus')
          .values({
            id,
            store_id: storeId,
            sku: item.sku,
            title: item.title,
            price: item.price ?? null,
            currency: item.price ? currency : (item.currency ?? null),
            stock_rule: nullableJson(item.stockRule ?? null),
            price_rule: nullableJson(item.priceRule ?? null),
            created_at: now,
            updated_at: now,
          })
          .execute();
        created++;
      }
      for (const level of item.stock ?? []) {
        levels.push({ skuId: id, locationId: locations.get(level.location)!.id, level });
      }
      if ((item.stock?.length ?? 0) > 0 || item.stockRule !== undefined) stockSkuIds.push(id);
      if (item.price !== undefined || item.priceRule !== undefined) priceSkuIds.push(id);
    }
    await writeStockLevels(trx, levels, now);
  });
  // New SKUs may match TikTok SKUs that were waiting for them.
  if (created > 0) {
    await linkStoreBySellerSku(ctx, storeId);
  }
  const queuedPushes =
    (await markStockWanted(ctx, stockSkuIds)) + (await markPriceWanted(ctx, priceSkuIds));
  return { created, updated, queuedPushes };
}

const nullableJson = (value: unknown): string | null =>
  value === null || value === undefined ? null : json(value);

export async function updateSku(
  ctx: AppContext,
  storeId: string,
  sku: string,
  patch: SkuPatch,
): Promise<PlatformSku> {
  const row = await requireSku(ctx, storeId, sku);
  const currency = patch.currency ?? row.currency ?? (await storeCurrency(ctx, storeId));
  const price = patch.price !== undefined ? patch.price : row.price;
  if (price !== null && (patch.price !== undefined || patch.currency !== undefined)) {
    const text = patch.price ?? formatAmount(price, row.currency ?? currency);
    await validatePrice(ctx, storeId, sku, text, currency);
  }
  if (price !== null && (patch.price !== undefined || patch.priceRule !== undefined)) {
    await checkPricesStayPositive(ctx, storeId, {
      sku: {
        id: row.id,
        sku,
        price: patch.price ?? formatAmount(price, row.currency ?? currency),
        currency,
        rule:
          patch.priceRule !== undefined
            ? patch.priceRule
            : parseStoredRule(priceRuleSchema, row.price_rule),
      },
    });
  }
  await ctx.db
    .updateTable('platform_skus')
    .set({
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.price !== undefined ? { price: patch.price } : {}),
      ...(patch.currency !== undefined || patch.price !== undefined ? { currency } : {}),
      ...(patch.stockRule !== undefined ? { stock_rule: nullableJson(patch.stockRule) } : {}),
      ...(patch.priceRule !== undefined ? { price_rule: nullableJson(patch.priceRule) } : {}),
      updated_at: new Date(ctx.clock.now()),
    })
    .where('id', '=', row.id)
    .execute();
  if (patch.stockRule !== undefined) await markStockWanted(ctx, [row.id]);
  if (patch.price !== undefined || patch.currency !== undefined || patch.priceRule !== undefined) {
    await markPriceWanted(ctx, [row.id]);
  }
  return getSku(ctx, storeId, sku);
}

/** Rejects new rates that leave priced SKUs with no way into a shop's currency. */
async function checkRatesCoverPrices(
  ctx: AppContext,
  storeId: string,
  rates: { from: string; to: string }[],
): Promise<void> {
  const targets = [...new Set(await shopCurrencies(ctx, storeId))];
  const store = await ctx.db
    .selectFrom('stores')
    .select('currency')
    .where('id', '=', storeId)
    .executeTakeFirstOrThrow();
  const priced = (
    await sql<{ currency: string; n: string | number }>`
      SELECT COALESCE(currency, ${store.currency}) AS currency, count(*) AS n
      FROM platform_skus WHERE store_id = ${storeId} AND price IS NOT NULL
      GROUP BY 1
    `.execute(ctx.db)
  ).rows;
  const missing: string[] = [];
  for (const group of priced) {
    for (const target of targets) {
      const covered =
        group.currency === target ||
        rates.some((r) => r.from === group.currency && r.to === target);
      if (!covered)
        missing.push(
          `${group.currency} to ${target} (${group.n} SKUs priced in ${group.currency})`,
        );
    }
  }
  if (missing.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `currencyRates: these rates are needed by connected shops and missing: ${missing.join('; ')}. Keep them, or change those SKUs' prices to the shop's currency first.`,
      { details: { missing } },
    );
  }
}

interface PriceCheck {
  /** A store rule about to be saved; undefined keeps the stored one. */
  storeRule?: PriceRule | null | undefined;
  /** Rates about to be saved; undefined keeps the stored ones. */
  rates?: { from: string; to: string; rate: string }[] | undefined;
  /** Checks only this SKU, with values about to be saved. */
  sku?: { id: string; sku: string; price: string; currency: string; rule: PriceRule | null };
}

/**
 * Rejects a price, price rule or rate that would give a SKU a price of 0 or less in one of the
 * store's shop currencies, before anything is saved: TikTok takes only positive prices.
 */
async function checkPricesStayPositive(
  ctx: AppContext,
  storeId: string,
  check: PriceCheck,
): Promise<void> {
  const targets = [...new Set(await shopCurrencies(ctx, storeId))];
  if (targets.length === 0) return;
  const store = await ctx.db
    .selectFrom('stores')
    .select(['currency', 'price_rule'])
    .where('id', '=', storeId)
    .executeTakeFirstOrThrow();
  const storeRule =
    check.storeRule !== undefined
      ? check.storeRule
      : parseStoredRule(priceRuleSchema, store.price_rule);
  const rates =
    check.rates ??
    (
      await ctx.db
        .selectFrom('currency_rates')
        .select(['from_currency', 'to_currency', 'rate'])
        .where('store_id', '=', storeId)
        .execute()
    ).map((rate) => ({ from: rate.from_currency, to: rate.to_currency, rate: rate.rate }));
  const skus = check.sku
    ? [check.sku]
    : (
        await ctx.db
          .selectFrom('platform_skus')
          .select(['id', 'sku', 'price', 'currency', 'price_rule'])
          .where('store_id', '=', storeId)
          .where('price', 'is not', null)
          .execute()
      ).map((row) => {
        const currency = row.currency ?? store.currency;
        return {
          id: row.id,
          sku: row.sku,
          price: formatAmount(row.price!, currency),
          currency,
          rule: parseStoredRule(priceRuleSchema, row.price_rule),
        };
      });
  const problems: string[] = [];
  for (const sku of skus) {
    for (const target of targets) {
      const rate = rates.find((r) => r.from === sku.currency && r.to === target)?.rate ?? null;
      if (sku.currency !== target && rate === null) continue;
      const amount = computeShopPrice({
        amount: sku.price,
        currency: sku.currency,
        rate,
        rule: sku.rule ?? storeRule,
        targetCurrency: target,
      });
      if (amount.startsWith('-') || /^0+(\.0+)?$/.test(amount)) {
        problems.push(`${sku.sku} would cost ${amount} ${target}`);
      }
    }
  }
  if (problems.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `This change gives ${problems.length === 1 ? 'a SKU' : `${problems.length} SKUs`} no positive price on TikTok (${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}). TikTok takes only prices above 0; change the markup or the price.`,
      { details: { problems: problems.slice(0, 100) } },
    );
  }
}

// Stock -----------------------------------------------------------------------------------------

async function locationsByCode(ctx: AppContext, storeId: string) {
  const rows = await ctx.db
    .selectFrom('locations')
    .selectAll()
    .where('store_id', '=', storeId)
    .execute();
  return new Map(rows.map((row) => [row.code, row]));
}

/** Codes of locations that feed a warehouse in at least one live shop of the store. */
async function mappedLocationIds(ctx: AppContext, storeId: string) {
  const rows = await ctx.db
    .selectFrom('warehouse_mappings as m')
    .innerJoin('connections as c', (join) =>
      join.onRef('c.shop_id', '=', 'm.shop_id').on('c.status', '<>', 'disconnected'),
    )
    .select('m.location_id')
    .where('c.store_id', '=', storeId)
    .execute();
  return new Set(rows.map((row) => row.location_id));
}

async function hasLiveShops(ctx: AppContext, storeId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('connections')
    .select('id')
    .where('store_id', '=', storeId)
    .where('status', '<>', 'disconnected')
    .executeTakeFirst();
  return row !== undefined;
}

/** Location ids that feed a TikTok warehouse, or null when no shop is connected to check. */
async function feedingLocations(ctx: AppContext, storeId: string): Promise<Set<string> | null> {
  return (await hasLiveShops(ctx, storeId)) ? mappedLocationIds(ctx, storeId) : null;
}

function validateStock(
  storeId: string,
  locations: Map<string, LocationRow>,
  mapped: Set<string> | null,
  sku: string,
  levels: StockInput[],
  at: string,
): void {
  if (levels.length === 0) return;
  const seen = new Set<string>();
  for (const level of levels) {
    const where = `${at}SKU ${sku} at ${level.location}`;
    if (seen.has(level.location)) {
      throw new AppError('VALIDATION_FAILED', `${where}: the location is listed twice.`, {
        details: { sku, location: level.location },
      });
    }
    seen.add(level.location);
    if (!Number.isInteger(level.onHand) || level.onHand < 0 || level.onHand > MAX_UNITS) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${where}: onHand ${level.onHand} must be a whole number of units from 0 to ${MAX_UNITS}.`,
        { details: { sku, location: level.location, onHand: level.onHand } },
      );
    }
    if (
      level.reserved !== undefined &&
      (!Number.isInteger(level.reserved) || level.reserved < 0 || level.reserved > MAX_UNITS)
    ) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${where}: reserved ${level.reserved} must be a whole number of units from 0 to ${MAX_UNITS}.`,
        { details: { sku, location: level.location, reserved: level.reserved } },
      );
    }
    if (level.reserved !== undefined && level.reserved > level.onHand) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${where}: reserved ${level.reserved} is more than onHand ${level.onHand}; units can only be reserved from stock on hand.`,
        {
          details: {
            sku,
            location: level.location,
            onHand: level.onHand,
            reserved: level.reserved,
          },
        },
      );
    }
    const location = locations.get(level.location);
    if (!location) {
      throw new AppError(
        'NOT_FOUND',
        `${where}: location ${level.location} does not exist; create it with POST /api/v1/stores/${storeId}/locations.`,
        { details: { sku, location: level.location } },
      );
    }
    if (mapped && !location.exclude_from_tiktok && !mapped.has(location.id)) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${where}: location ${level.location} feeds no TikTok warehouse, so this stock would reach no shop. Map it with PUT /api/v1/stores/${storeId}/locations/${level.location}/warehouses/{shopId}, or mark it excludeFromTiktok.`,
        { details: { sku, location: level.location } },
      );
    }
  }
}

interface StockLevelWrite {
  skuId: string;
  locationId: string;
  level: StockInput;
}

/** Rows per upsert statement: 5 parameters each, well under PostgreSQL's 65,535. */
const STOCK_WRITE_CHUNK = 1000;

/**
 * Upserts stock levels with one statement per chunk instead of one per level. A level without
 * `reserved` keeps the stored value, so levels with and without it go in separate statements.
 * Each (SKU, location) pair may appear once, as one statement cannot update a row twice.
 */
async function writeStockLevels(
  trx: AppContext['db'],
  writes: StockLevelWrite[],
  now: Date,
): Promise<void> {
  for (const hasReserved of [true, false]) {
    const group = writes.filter((write) => (write.level.reserved !== undefined) === hasReserved);
    for (let i = 0; i < group.length; i += STOCK_WRITE_CHUNK) {
      await trx
        .insertInto('stock_levels')
        .values(
          group.slice(i, i + STOCK_WRITE_CHUNK).map((write) => ({
            sku_id: write.skuId,
            location_id: write.locationId,
            on_hand: write.level.onHand,
            reserved: write.level.reserved ?? 0,
            updated_at: now,
          })),
        )
        .onConflict((conflict) =>
          conflict.columns(['sku_id', 'location_id']).doUpdateSet((eb) => ({
            on_hand: eb.ref('excluded.on_hand'),
            ...(hasReserved ? { reserved: eb.ref('excluded.reserved') } : {}),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  }
}

/**
 * Applies stock changes (absolute on-hand counts) to many SKUs at once. Every change is checked
 * first; a bad one rejects the whole request, and nothing is written or pushed.
 */
export async function setStock(
  ctx: AppContext,
  storeId: string,
  changes: StockChange[],
): Promise<StockChangeResult> {
  const skuCodes = [...new Set(changes.map((change) => change.sku))];
  const skus = new Map<string, string>();
  for (let i = 0; i < skuCodes.length; i += 1000) {
    const rows = await ctx.db
      .selectFrom('platform_skus')
      .select(['id', 'sku'])
      .where('store_id', '=', storeId)
      .where('sku', 'in', skuCodes.slice(i, i + 1000))
      .execute();
    for (const row of rows) skus.set(row.sku, row.id);
  }
  const unknown = skuCodes.filter((code) => !skus.has(code));
  if (unknown.length > 0) {
    throw new AppError(
      'NOT_FOUND',
      `SKU ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} ${unknown.length === 1 ? 'does' : 'do'} not exist in this store; create ${unknown.length === 1 ? 'it' : 'them'} with POST /api/v1/stores/${storeId}/skus.`,
      { details: { unknownSkus: unknown.slice(0, 100) } },
    );
  }
  const locations = await locationsByCode(ctx, storeId);
  const bySku = new Map<string, StockInput[]>();
  const latest = new Map<string, StockChange>();
  // A later change to the same SKU and location wins, as if applied in order.
  for (const change of changes) latest.set(`${change.sku}\u0000${change.location}`, change);
  for (const change of latest.values()) {
    const list = bySku.get(change.sku) ?? [];
    list.push(change);
    bySku.set(change.sku, list);
  }
  const mapped = await feedingLocations(ctx, storeId);
  for (const [sku, levels] of bySku) validateStock(storeId, locations, mapped, sku, levels, '');

  const now = new Date(ctx.clock.now());
  await ctx.db.transaction().execute(async (trx) => {
    await writeStockLevels(
      trx,
      [...latest.values()].map((change) => ({
        skuId: skus.get(change.sku)!,
        locationId: locations.get(change.location)!.id,
        level: change,
      })),
      now,
    );
  });
  const skuIds = [...bySku.keys()].map((sku) => skus.get(sku)!);
  return { updated: latest.size, queuedPushes: await markStockWanted(ctx, skuIds) };
}

/** Store-wide defaults of the catalog. */
export async function getCatalogSettings(
  ctx: AppContext,
  storeId: string,
): Promise<CatalogSettings> {
  const store = await ctx.db
    .selectFrom('stores')
    .select(['currency', 'stock_rule', 'price_rule'])
    .where('id', '=', storeId)
    .executeTakeFirstOrThrow();
  const rates = await ctx.db
    .selectFrom('currency_rates')
    .select(['from_currency', 'to_currency', 'rate'])
    .where('store_id', '=', storeId)
    .orderBy('from_currency')
    .orderBy('to_currency')
    .execute();
  return {
    currency: store.currency,
    stockRule: parseStoredRule(stockRuleSchema, store.stock_rule),
    priceRule: parseStoredRule(priceRuleSchema, store.price_rule),
    currencyRates: rates.map((rate) => ({
      from: rate.from_currency,
      to: rate.to_currency,
      rate: trimDecimal(rate.rate),
    })),
  };
}

const trimDecimal = (text: string) => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);

export async function updateCatalogSettings(
  ctx: AppContext,
  storeId: string,
  input: {
    currency?: string | undefined;
    stockRule?: StockRule | null | undefined;
    priceRule?: PriceRule | null | undefined;
    currencyRates?: { from: string; to: string; rate: string }[] | undefined;
  },
) {
  const now = new Date(ctx.clock.now());
  if (input.currencyRates !== undefined) {
    await checkRatesCoverPrices(ctx, storeId, input.currencyRates);
  }
  if (input.priceRule !== undefined || input.currencyRates !== undefined) {
    await checkPricesStayPositive(ctx, storeId, {
      storeRule: input.priceRule,
      rates: input.currencyRates,
    });
  }
  const storeFields = {
    ...(input.currency !== undefined ? { currency: input.currency } : {}),
    ...(input.stockRule !== undefined ? { stock_rule: nullableJson(input.stockRule) } : {}),
    ...(input.priceRule !== undefined ? { price_rule: nullableJson(input.priceRule) } : {}),
  };
  await ctx.db.transaction().execute(async (trx) => {
    if (Object.keys(storeFields).length > 0) {
      await trx.updateTable('stores').set(storeFields).where('id', '=', storeId).execute();
    }
    if (input.currencyRates !== undefined) {
      await trx.deleteFrom('currency_rates').where('store_id', '=', storeId).execute();
      for (const rate of input.currencyRates) {
        await trx
          .insertInto('currency_rates')
          .values({
            store_id: storeId,
            from_currency: rate.from,
            to_currency: rate.to,
            rate: rate.rate,
            updated_at: now,
          })
          .execute();
      }
    }
  });
  const all = await ctx.db
    .selectFrom('platform_skus')
    .select('id')
    .where('store_id', '=', storeId)
    .execute();
  const ids = all.map((row) => row.id);
  if (input.stockRule !== undefined) await markStockWanted(ctx, ids);
  if (input.priceRule !== undefined || input.currencyRates !== undefined) {
    await markPriceWanted(ctx, ids);
  }
  return getCatalogSettings(ctx, storeId);
}

/** Sums `on_hand - reserved` per TikTok warehouse for SKUs linked in one shop. */
export async function sellableByWarehouse(
  ctx: AppContext,
  shopId: string,
  tiktokSkuIds: string[],
): Promise<Map<string, Map<string, number>>> {
  const result = new Map<string, Map<string, number>>();
  if (tiktokSkuIds.length === 0) return result;
  const rows = await sql<{ tiktok_sku_id: string; warehouse_id: string; units: string | number }>`
    SELECT k.tiktok_sku_id, m.warehouse_id,
      SUM(GREATEST(s.on_hand - s.reserved, 0)) AS units
    FROM sku_links k
    JOIN stock_levels s ON s.sku_id = k.platform_sku_id
    JOIN locations l ON l.id = s.location_id AND NOT l.exclude_from_tiktok
    JOIN warehouse_mappings m ON m.location_id = s.location_id AND m.shop_id = k.shop_id
    WHERE k.shop_id = ${shopId} AND k.mode <> 'unlinked'
      AND k.tiktok_sku_id IN (${sql.join(tiktokSkuIds)})
    GROUP BY k.tiktok_sku_id, m.warehouse_id
  `.execute(ctx.db);
  for (const row of rows.rows) {
    const map = result.get(row.tiktok_sku_id) ?? new Map<string, number>();
    map.set(row.warehouse_id, Number(row.units));
    result.set(row.tiktok_sku_id, map);
  }
  return result;
}
