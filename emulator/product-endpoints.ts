import type { ApiCall, ApiEndpoint } from './api-endpoints.ts';
import { touchProduct } from './catalog.ts';
import type { EmulatorContext } from './context.ts';
import { nowSeconds } from './context.ts';
import { TIKTOK_CODES, businessError, invalidParam } from './errors.ts';
import type { TikTokApiError } from './errors.ts';
import { MAX_WAREHOUSE_QUANTITY, availableQuantity, stockTotals } from './inventory.ts';
import { minorDigits, parseMajor } from './money.ts';
import { toProductDetail, toProductSummary } from './product-payload.ts';
import { parseProductSearch, searchProducts, stringList } from './product-search.ts';
import type { ProductRecord, ShopRecord, SkuRecord } from './types.ts';
import { toWarehousePayload } from './warehouses.ts';

export const MAX_INVENTORY_SEARCH_PRODUCT_IDS = 100;
export const MAX_INVENTORY_SEARCH_SKU_IDS = 600;

/** Products, inventory, prices and warehouses, all shop-scoped. */
export const PRODUCT_ENDPOINTS: readonly ApiEndpoint[] = [
  ...['202502', '202309', '202312'].map((version): ApiEndpoint => ({
    method: 'POST',
    path: `/product/${version}/products/search`,
    shopCipher: 'required',
    handle: searchProductsEndpoint,
  })),
  ...['202309', '202509'].map((version): ApiEndpoint => ({
    method: 'GET',
    path: `/product/${version}/products/{product_id}`,
    shopCipher: 'required',
    handle: (context, call) => {
      const product = findProduct(context, call);
      return toProductDetail(context.store, call.shop!, product);
    },
  })),
  {
    method: 'POST',
    path: '/product/202309/inventory/search',
    shopCipher: 'required',
    handle: searchInventory,
  },
  {
    method: 'POST',
    path: '/product/202309/products/{product_id}/inventory/update',
    shopCipher: 'required',
    handle: updateInventory,
  },
  {
    method: 'POST',
    path: '/product/202309/products/{product_id}/prices/update',
    shopCipher: 'required',
    handle: updatePrices,
  },
  {
    method: 'GET',
    path: '/logistics/202309/warehouses',
    shopCipher: 'required',
    handle: (context, call) => ({
      warehouses: context.store.warehousesOfShop(call.shop!.id).map(toWarehousePayload),
    }),
  },
];

function searchProductsEndpoint(context: EmulatorContext, call: ApiCall): object {
  const request = parseProductSearch(call.query, call.body);
  const shop = call.shop!;
  const { store } = context;
  const result = searchProducts(
    store,
    shop.id,
    request,
    nowSeconds(context),
    context.productSearchResultLimit,
  );
  return {
    products: result.products.map((product) => toProductSummary(store, shop, product)),
    total_count: result.totalCount,
    next_page_token: result.nextPageToken,
  };
}

/** Resolves the path's product_id to a product of the calling shop. */
function findProduct(context: EmulatorContext, call: ApiCall): ProductRecord {
  const id = call.pathParams.product_id ?? '';
  if (!/^\d{1,20}$/.test(id)) throw invalidParam(`product_id ${id} is invalid: it must be digits`);
  const product = context.store.products.get(id);
  // A product of another shop gets the same error as an unknown id, so that no shop learns another's ids.
  if (!product || product.shopId !== call.shop!.id) {
    throw businessError(
      TIKTOK_CODES.INVALID_PARAM,
      `product_id ${id} not found in this shop: take the id from Search Products`,
    );
  }
  return product;
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidParam('the request body is missing or not a JSON object');
  }
  return body as Record<string, unknown>;
}

/** Inventory Search: sku_ids win over product_ids, and ids of other shops are left out. */
function searchInventory(context: EmulatorContext, call: ApiCall): object {
  const fields = bodyObject(call.body);
  const productIds = stringList(fields.product_ids, 'product_ids');
  const skuIds = stringList(fields.sku_ids, 'sku_ids');
  if (productIds && productIds.length > MAX_INVENTORY_SEARCH_PRODUCT_IDS) {
    throw invalidParam(`product_ids has ${productIds.length} entries: at most 100 are allowed`);
  }
  if (skuIds && skuIds.length > MAX_INVENTORY_SEARCH_SKU_IDS) {
    throw invalidParam(`sku_ids has ${skuIds.length} entries: at most 600 are allowed`);
  }
  const { store } = context;
  const shopId = call.shop!.id;
  const groups = new Map<string, SkuRecord[]>();
  if (skuIds && skuIds.length > 0) {
    for (const id of new Set(skuIds)) {
      const sku = store.skus.get(id);
      if (!sku || sku.shopId !== shopId) continue;
      const group = groups.get(sku.productId) ?? [];
      group.push(sku);
      groups.set(sku.productId, group);
    }
  } else if (productIds && productIds.length > 0) {
    for (const id of new Set(productIds)) {
      const product = store.products.get(id);
      if (!product || product.shopId !== shopId) continue;
      groups.set(
        id,
        product.skuIds.map((skuId) => store.skus.get(skuId)!),
      );
    }
  } else {
    throw invalidParam('product_ids or sku_ids is required: pass at least one id');
  }
  return {
    inventory: [...groups].map(([productId, skus]) => ({
      product_id: productId,
      skus: skus.map((sku) => {
        const totals = stockTotals(sku);
        return {
          id: sku.id,
          seller_sku: sku.sellerSku,
          total_available_quantity: totals.available,
          total_committed_quantity: totals.committed,
          warehouse_inventory: sku.inventory.map((entry) => ({
            warehouse_id: entry.warehouseId,
            available_quantity: availableQuantity(entry),
            committed_quantity: entry.committed,
          })),
        };
      }),
    })),
  };
}

/** One entry of `data.errors[]` of Update Inventory. */
interface SkuError {
  code: number;
  message: string;
  detail: {
    sku_id: string;
    extra_errors?: { warehouse_id: string; code: number; message: string }[];
  };
}

interface InventoryRequestSku {
  id: string;
  inventory: { warehouseId: string | undefined; quantity: unknown }[];
}

/**
 * Update Inventory. A malformed body, an unknown product and a FREEZE or DELETED product fail
 * the call. Each SKU is then checked on its own: a failing SKU is reported in `data.errors[]`
 * and left unchanged, while the other SKUs are applied.
 */
function updateInventory(context: EmulatorContext, call: ApiCall): object {
  const product = findProduct(context, call);
  const skus = parseInventorySkus(call.body);
  if (product.status === 'FREEZE' || product.status === 'DELETED') {
    throw businessError(
      TIKTOK_CODES.INVALID_PARAM,
      `product ${product.id} is ${product.status}: its inventory cannot be updated`,
    );
  }
  const errors: SkuError[] = [];
  let isChanged = false;
  for (const requested of skus) {
    const sku = context.store.skus.get(requested.id);
    if (!sku || sku.productId !== product.id) {
      errors.push({
        code: TIKTOK_CODES.INVALID_PARAM,
        message: `SKU ${requested.id} does not belong to product ${product.id}`,
        detail: { sku_id: requested.id },
      });
      continue;
    }
    const result = checkSkuInventory(sku, requested);
    if ('error' in result) {
      errors.push(result.error);
      continue;
    }
    context.stock.setQuantities(sku, result.changes, true);
    isChanged = true;
  }
  if (isChanged) touchProduct(context, product);
  return errors.length > 0 ? { errors } : {};
}

function parseInventorySkus(body: unknown): InventoryRequestSku[] {
  const skus = bodyObject(body).skus;
  if (!Array.isArray(skus) || skus.length === 0) {
    throw invalidParam('skus is missing: pass [{id, inventory: [{warehouse_id, quantity}]}]');
  }
  const seen = new Set<string>();
  return skus.map((item: unknown, i): InventoryRequestSku => {
    const sku = item as Record<string, unknown> | null;
    if (!sku || typeof sku !== 'object' || typeof sku.id !== 'string') {
      throw invalidParam(`skus[${i}].id is missing: pass the SKU id as a string`);
    }
    if (seen.has(sku.id)) throw invalidParam(`skus contains SKU ${sku.id} twice`);
    seen.add(sku.id);
    if (!Array.isArray(sku.inventory) || sku.inventory.length === 0) {
      throw invalidParam(`skus[${i}].inventory is missing: pass [{warehouse_id, quantity}]`);
    }
    return {
      id: sku.id,
      inventory: sku.inventory.map((entry: unknown, j) => {
        const fields = entry as Record<string, unknown> | null;
        if (!fields || typeof fields !== 'object') {
          throw invalidParam(`skus[${i}].inventory[${j}] must be an object`);
        }
        const warehouseId = fields.warehouse_id;
        if (warehouseId !== undefined && typeof warehouseId !== 'string') {
          throw invalidParam(`skus[${i}].inventory[${j}].warehouse_id must be a string`);
        }
        return { warehouseId, quantity: fields.quantity };
      }),
    };
  });
}

/** Checks one SKU's requested inventory and returns the quantities to set or the SKU's error. */
function checkSkuInventory(
  sku: SkuRecord,
  requested: InventoryRequestSku,
): { changes: { warehouseId: string; quantity: number }[] } | { error: SkuError } {
  const assigned = sku.inventory.map((entry) => entry.warehouseId);
  const extraErrors: { warehouse_id: string; code: number; message: string }[] = [];
  const changes: { warehouseId: string; quantity: number }[] = [];
  const sent = new Set<string>();
  for (const entry of requested.inventory) {
    // warehouse_id may be left out only when the SKU has exactly one warehouse.
    const warehouseId = entry.warehouseId ?? (assigned.length === 1 ? assigned[0]! : undefined);
    if (warehouseId === undefined) continue;
    const fail = (message: string): void => {
      extraErrors.push({ warehouse_id: warehouseId, code: TIKTOK_CODES.INVALID_PARAM, message });
    };
    if (!assigned.includes(warehouseId)) {
      fail(`warehouse ${warehouseId} is not assigned to SKU ${sku.id}`);
    } else if (sent.has(warehouseId)) {
      fail(`warehouse ${warehouseId} appears twice for SKU ${sku.id}`);
    } else if (
      !Number.isSafeInteger(entry.quantity) ||
      (entry.quantity as number) < 0 ||
      (entry.quantity as number) > MAX_WAREHOUSE_QUANTITY
    ) {
      fail(
        `quantity ${JSON.stringify(entry.quantity)} is invalid: use an integer from 0 to ${MAX_WAREHOUSE_QUANTITY}`,
      );
    } else {
      changes.push({ warehouseId, quantity: entry.quantity as number });
    }
    sent.add(warehouseId);
  }
  const missing = assigned.filter((id) => !sent.has(id));
  for (const id of missing) {
    extraErrors.push({
      warehouse_id: id,
      code: TIKTOK_CODES.INVENTORY_WAREHOUSE_MISSING,
      message: `warehouse ${id} is missing: send every warehouse assigned to the SKU`,
    });
  }
  if (extraErrors.length === 0) return { changes };
  const isMissing = missing.length > 0;
  return {
    error: {
      code: isMissing ? TIKTOK_CODES.INVENTORY_WAREHOUSE_MISSING : TIKTOK_CODES.INVALID_PARAM,
      message: isMissing
        ? `SKU ${sku.id} leaves out ${missing.length} of its warehouses: send all ${assigned.length}`
        : `SKU ${sku.id} has invalid inventory entries`,
      detail: { sku_id: sku.id, extra_errors: extraErrors },
    },
  };
}

interface PriceChange {
  sku: SkuRecord;
  priceMinor: number;
  taxExclusivePriceMinor: number | undefined;
  listPriceMinor: number | undefined;
}

/**
 * Update Price. Not a batch endpoint, so any failing SKU fails the whole call and nothing is
 * applied. Local sellers send the display price as `amount`. Shops that must send
 * `sale_price` (JP, and US cross-border) send the pre-tax price as `amount`.
 */
function updatePrices(context: EmulatorContext, call: ApiCall): object {
  const product = findProduct(context, call);
  const shop = call.shop!;
  const skus = bodyObject(call.body).skus;
  if (!Array.isArray(skus) || skus.length === 0) {
    throw invalidParam('skus is missing: pass [{id, price: {amount, currency}}]');
  }
  if (product.status !== 'ACTIVATE') {
    throw businessError(
      TIKTOK_CODES.INVALID_PARAM,
      `product ${product.id} is ${product.status}: prices can be updated only while it is ACTIVATE`,
    );
  }
  const seen = new Set<string>();
  const changes = skus.map((item: unknown, i) => {
    const change = parsePriceChange(context, shop, product, item, i);
    if (seen.has(change.sku.id)) throw invalidParam(`skus contains SKU ${change.sku.id} twice`);
    seen.add(change.sku.id);
    return change;
  });
  for (const { sku } of changes) {
    if (sku.priceLock) {
      throw businessError(
        sku.priceLock.code,
        `the price of SKU ${sku.id} is locked: ${sku.priceLock.reason}`,
      );
    }
  }
  for (const change of changes) {
    change.sku.priceMinor = change.priceMinor;
    change.sku.taxExclusivePriceMinor = change.taxExclusivePriceMinor;
    if (change.listPriceMinor !== undefined) change.sku.listPriceMinor = change.listPriceMinor;
  }
  touchProduct(context, product);
  return {};
}

function parsePriceChange(
  context: EmulatorContext,
  shop: ShopRecord,
  product: ProductRecord,
  item: unknown,
  index: number,
): PriceChange {
  const fields = item as Record<string, unknown> | null;
  if (!fields || typeof fields !== 'object' || typeof fields.id !== 'string') {
    throw invalidParam(`skus[${index}].id is missing: pass the SKU id as a string`);
  }
  const sku = context.store.skus.get(fields.id);
  if (!sku || sku.productId !== product.id) {
    throw businessError(
      TIKTOK_CODES.INVALID_PARAM,
      `SKU ${fields.id} does not belong to product ${product.id}`,
    );
  }
  const price = fields.price as Record<string, unknown> | null | undefined;
  if (!price || typeof price !== 'object') {
    throw invalidParam(`skus[${index}].price is missing: pass {amount, currency}`);
  }
  const name = `skus[${index}].price`;
  const amount = parsePositiveAmount(price.amount, shop, `${name}.amount`);
  checkCurrency(price.currency, shop, `${name}.currency`);
  const mustSendSalePrice =
    shop.region === 'JP' || (shop.region === 'US' && shop.sellerType === 'CROSS_BORDER');
  if (mustSendSalePrice && price.sale_price === undefined) {
    throw businessError(
      TIKTOK_CODES.INVALID_PARAM,
      `${name}.sale_price is missing: ${shop.region} ${shop.sellerType} shops must send it`,
    );
  }
  const salePrice =
    price.sale_price === undefined
      ? undefined
      : parsePositiveAmount(price.sale_price, shop, `${name}.sale_price`);

  let listPriceMinor: number | undefined;
  const listPrice = fields.list_price as Record<string, unknown> | null | undefined;
  if (listPrice !== undefined) {
    if (!listPrice || typeof listPrice !== 'object') {
      throw invalidParam(`skus[${index}].list_price must be {amount, currency}`);
    }
    listPriceMinor = parsePositiveAmount(
      listPrice.amount,
      shop,
      `skus[${index}].list_price.amount`,
    );
    checkCurrency(listPrice.currency, shop, `skus[${index}].list_price.currency`);
  }
  return {
    sku,
    priceMinor: salePrice ?? amount,
    taxExclusivePriceMinor: salePrice === undefined ? undefined : amount,
    listPriceMinor,
  };
}

/** Parses a positive decimal string with at most the currency's decimals into minor units. */
function parsePositiveAmount(value: unknown, shop: ShopRecord, name: string): number {
  const digits = minorDigits(shop.currency);
  const invalid = (): TikTokApiError =>
    businessError(
      TIKTOK_CODES.INVALID_PARAM,
      `${name} ${JSON.stringify(value)} is invalid: use a positive decimal string with at most ${digits} decimals for ${shop.currency}`,
    );
  if (typeof value !== 'string' || !/^\d{1,12}(\.\d+)?$/.test(value)) throw invalid();
  let minor: number;
  try {
    minor = parseMajor(value, shop.currency);
  } catch {
    throw invalid();
  }
  if (minor <= 0) throw invalid();
  return minor;
}

function checkCurrency(value: unknown, shop: ShopRecord, name: string): void {
  if (value !== shop.currency) {
    throw businessError(
      TIKTOK_CODES.INVALID_PARAM,
      `${name} ${JSON.stringify(value)} is invalid: this shop sells in ${shop.currency}`,
    );
  }
}
