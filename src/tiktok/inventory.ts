import { classifyTikTokError } from './errors.ts';
import type { TikTokErrorKind } from './errors.ts';
import type { ApiResponse, Transport } from './http.ts';
import type { TikTokShopContext } from './orders.ts';
import {
  inventorySearchDataPayloadSchema,
  skuUpdateDataPayloadSchema,
} from './product-payloads.ts';
import type { ItemErrorPayload, ProductInventoryPayload } from './product-payloads.ts';
import { invalidArgument, parseResponseData, requireNumericId } from './validate.ts';

/** The ids that Inventory Search looks up: up to 100 product ids or up to 600 SKU ids, never both. */
export type InventorySearchQuery =
  | { productIds: readonly string[]; skuIds?: never }
  | { skuIds: readonly string[]; productIds?: never };

/** The stock of one SKU in one warehouse, as Update Inventory sets it. */
export interface WarehouseQuantity {
  /** May be left out only when the SKU has a single warehouse. */
  warehouseId?: string;
  /** In-stock units that can ship now, as a non-negative integer. */
  quantity: number;
}

/** One SKU of Update Inventory. */
export interface InventoryUpdateSku {
  /** The TikTok SKU id, which must belong to the product of the call. */
  id: string;
  /**
   * Every warehouse assigned to the SKU, because TikTok rejects a partial list with
   * INVENTORY_WAREHOUSE_MISSING.
   */
  inventory: readonly WarehouseQuantity[];
}

/** The new price of one SKU of Update Price, with amounts as decimal strings in major units. */
export interface PriceUpdateSku {
  id: string;
  price: {
    /** The display price for local sellers, the pre-tax local price for global sellers. */
    amount: string;
    /** ISO 4217 code, e.g. `GBP`. */
    currency: string;
    /** Required for JP shops and for US shops shipping from China warehouses. */
    salePrice?: string;
  };
}

/** A SKU that failed inside a successful Update Inventory or Update Price response. */
export interface SkuUpdateFailure {
  /** TikTok's code of the failure, or null when TikTok sent none. */
  code: number | null;
  /** The client's classification of `code`, e.g. INVENTORY_WAREHOUSE_MISSING or PRICE_LOCKED. */
  kind: TikTokErrorKind;
  message: string;
  skuId: string | null;
  /** Warehouses named by the failure's `extra_errors`. */
  warehouseIds: string[];
}

const INVENTORY_SEARCH_PATH = '/product/202309/inventory/search';
const INVENTORY_UPDATE_PATH = '/product/202309/products/{product_id}/inventory/update';
const PRICE_UPDATE_PATH = '/product/202309/products/{product_id}/prices/update';
const MAX_INVENTORY_PRODUCT_IDS = 100;
const MAX_INVENTORY_SKU_IDS = 600;
/** A non-negative decimal in major units without exponent or leading zeros, e.g. "24.99". */
const DECIMAL_AMOUNT_PATTERN = /^(0|[1-9]\d*)(\.\d+)?$/;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/**
 * Fetches the available and committed stock per warehouse (Inventory Search). It is a POST that
 * only reads, so it is retried like a GET.
 */
export async function searchInventory(
  transport: Transport,
  shop: TikTokShopContext,
  query: InventorySearchQuery,
): Promise<ProductInventoryPayload[]> {
  const response = await transport.callApi({
    method: 'POST',
    path: INVENTORY_SEARCH_PATH,
    body: toInventorySearchBody(query),
    isRead: true,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    tokenProvider: shop.tokenProvider,
  });
  const data = parseResponseData(inventorySearchDataPayloadSchema, response, INVENTORY_SEARCH_PATH);
  return data.inventory ?? [];
}

/**
 * Sets the stock of SKUs of one product per warehouse (Update Inventory). Returns the SKUs that
 * TikTok rejected inside a successful envelope, or an empty list when every SKU was updated. A
 * non-zero envelope code throws TikTokApiError.
 *
 * The call sets absolute quantities, so a repeat after a lost response leaves the same stock as
 * one delivery. It is therefore retried like a read after a 5xx, a timeout or an internal error,
 * instead of failing with UNKNOWN_OUTCOME. A retry can overwrite a change made by someone else in
 * between, just as a late first delivery would.
 */
export async function updateInventory(
  transport: Transport,
  shop: TikTokShopContext,
  productId: string,
  skus: readonly InventoryUpdateSku[],
): Promise<SkuUpdateFailure[]> {
  requireNumericId(INVENTORY_UPDATE_PATH, 'Product id', productId);
  requireSkus(INVENTORY_UPDATE_PATH, skus);
  const body = { skus: skus.map(toInventorySku) };
  const response = await transport.callApi({
    method: 'POST',
    path: INVENTORY_UPDATE_PATH,
    pathParams: { product_id: productId },
    body,
    isIdempotent: true,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    tokenProvider: shop.tokenProvider,
  });
  return toSkuUpdateFailures(response, INVENTORY_UPDATE_PATH);
}

/**
 * Sets the price of SKUs of one product (Update Price). The product must be `ACTIVATE`. Returns
 * the SKUs that TikTok rejected inside a successful envelope. A locked price throws PRICE_LOCKED
 * (see `isPriceLocked`).
 *
 * The call sets absolute prices, so, like Update Inventory, it is retried like a read after a 5xx,
 * a timeout or an internal error.
 */
export async function updatePrice(
  transport: Transport,
  shop: TikTokShopContext,
  productId: string,
  skus: readonly PriceUpdateSku[],
): Promise<SkuUpdateFailure[]> {
  requireNumericId(PRICE_UPDATE_PATH, 'Product id', productId);
  requireSkus(PRICE_UPDATE_PATH, skus);
  const body = { skus: skus.map(toPriceSku) };
  const response = await transport.callApi({
    method: 'POST',
    path: PRICE_UPDATE_PATH,
    pathParams: { product_id: productId },
    body,
    isIdempotent: true,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    tokenProvider: shop.tokenProvider,
  });
  // NOTE: Update Price is documented with an empty `data`, but per-SKU errors are read in case it
  // reports them the way Update Inventory does.
  return toSkuUpdateFailures(response, PRICE_UPDATE_PATH);
}

function toInventorySearchBody(query: InventorySearchQuery): Record<string, unknown> {
  const { productIds, skuIds } = query;
  if (productIds !== undefined && skuIds !== undefined) {
    throw invalidArgument(
      INVENTORY_SEARCH_PATH,
      'Pass either productIds or skuIds to Inventory Search, not both (TikTok would ignore productIds)',
    );
  }
  if (skuIds !== undefined) {
    checkIdList('skuIds', skuIds, MAX_INVENTORY_SKU_IDS);
    return { sku_ids: skuIds };
  }
  if (productIds !== undefined) {
    checkIdList('productIds', productIds, MAX_INVENTORY_PRODUCT_IDS);
    return { product_ids: productIds };
  }
  throw invalidArgument(
    INVENTORY_SEARCH_PATH,
    'Inventory Search requires productIds or skuIds; pass one of them',
  );
}

function checkIdList(name: string, ids: readonly string[], maxIds: number): void {
  if (ids.length === 0 || ids.length > maxIds) {
    throw invalidArgument(
      INVENTORY_SEARCH_PATH,
      `${name} takes 1 to ${maxIds} ids, got ${ids.length}; split the list into batches`,
    );
  }
  for (const id of ids) {
    requireNumericId(INVENTORY_SEARCH_PATH, name, id);
  }
}

function requireSkus(path: string, skus: readonly unknown[]): void {
  if (skus.length === 0) {
    throw invalidArgument(path, 'skus must list at least one SKU');
  }
}

function toInventorySku(sku: InventoryUpdateSku): Record<string, unknown> {
  requireNumericId(INVENTORY_UPDATE_PATH, 'SKU id', sku.id);
  if (sku.inventory.length === 0) {
    throw invalidArgument(
      INVENTORY_UPDATE_PATH,
      `SKU ${sku.id} has no inventory entries; list every warehouse assigned to it`,
    );
  }
  return {
    id: sku.id,
    inventory: sku.inventory.map((entry) => {
      if (!Number.isSafeInteger(entry.quantity) || entry.quantity < 0) {
        throw invalidArgument(
          INVENTORY_UPDATE_PATH,
          `quantity of SKU ${sku.id} must be a non-negative integer, got ${String(entry.quantity)}`,
        );
      }
      if (entry.warehouseId !== undefined) {
        requireNumericId(INVENTORY_UPDATE_PATH, 'Warehouse id', entry.warehouseId);
      }
      return { warehouse_id: entry.warehouseId, quantity: entry.quantity };
    }),
  };
}

function toPriceSku(sku: PriceUpdateSku): Record<string, unknown> {
  requireNumericId(PRICE_UPDATE_PATH, 'SKU id', sku.id);
  const { amount, currency, salePrice } = sku.price;
  checkAmount(sku.id, 'amount', amount);
  if (salePrice !== undefined) {
    checkAmount(sku.id, 'salePrice', salePrice);
  }
  if (typeof currency !== 'string' || !CURRENCY_PATTERN.test(currency)) {
    throw invalidArgument(
      PRICE_UPDATE_PATH,
      `currency of SKU ${sku.id} must be a three-letter ISO 4217 code such as "GBP", got ${JSON.stringify(currency)}`,
    );
  }
  return { id: sku.id, price: { amount, currency, sale_price: salePrice } };
}

// Amounts must be strings, because a JS number such as 0.1 + 0.2 does not print as the intended
// decimal.
function checkAmount(skuId: string, name: string, value: unknown): void {
  if (typeof value === 'string' && DECIMAL_AMOUNT_PATTERN.test(value)) {
    return;
  }
  const received =
    typeof value === 'string' ? JSON.stringify(value) : `the ${typeof value} ${String(value)}`;
  throw invalidArgument(
    PRICE_UPDATE_PATH,
    `${name} of SKU ${skuId} must be a decimal string such as "24.99", got ${received}`,
  );
}

function toSkuUpdateFailures(response: ApiResponse, path: string): SkuUpdateFailure[] {
  const data = parseResponseData(skuUpdateDataPayloadSchema, response, path);
  return (data.errors ?? []).map(toSkuUpdateFailure);
}

// TikTok puts sku_id and extra_errors under `detail`, and the same fields at the top level of the
// entry are read as a fallback.
function toSkuUpdateFailure(entry: ItemErrorPayload): SkuUpdateFailure {
  const code = entry.code ?? null;
  const message = entry.message ?? '';
  const extraErrors = entry.detail?.extra_errors ?? entry.extra_errors ?? [];
  const warehouseIds = extraErrors.flatMap((extra) =>
    extra.warehouse_id === undefined ? [] : [extra.warehouse_id],
  );
  return {
    code,
    kind: classifyTikTokError(200, code, message)?.kind ?? 'FAILED',
    message,
    skuId: entry.detail?.sku_id ?? entry.sku_id ?? null,
    warehouseIds,
  };
}
