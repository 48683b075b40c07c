import { TikTokApiError } from './errors.ts';
import type { Transport } from './http.ts';
import type { TikTokShopContext } from './orders.ts';
import {
  productDetailDataPayloadSchema,
  searchProductsDataPayloadSchema,
} from './product-payloads.ts';
import type { ProductPayload } from './product-payloads.ts';
import { invalidArgument, parseResponseData, requireNumericId } from './validate.ts';

/**
 * Filters of Search Products. Times are Unix ms and are sent as TikTok's seconds. Both ends of
 * each time range are inclusive, unlike the exclusive `_lt` end of Search Orders.
 */
export interface ProductSearchFilters {
  /** One of `PRODUCT_STATUSES`, or `ALL` (TikTok's default). */
  status?: string;
  /** The merchant's own SKU codes, at most 10. */
  sellerSkus?: readonly string[];
  /** At most 10 TikTok SKU ids. */
  skuIds?: readonly string[];
  /** Default: the shop's first day. */
  createTimeGeMs?: number;
  /** Default: now. */
  createTimeLeMs?: number;
  updateTimeGeMs?: number;
  updateTimeLeMs?: number;
}

/** One page request of Search Products. */
export interface SearchProductsQuery {
  /** Products per page, 1-100. */
  pageSize: number;
  /** The `nextPageToken` of the previous page; omit for the first page. */
  pageToken?: string;
  filters?: ProductSearchFilters;
}

/** One page of Search Products. */
export interface ProductSearchPage {
  products: ProductPayload[];
  /** Informational only; TikTok's count may change between pages. */
  totalCount: number | null;
  /** Null on the last page. */
  nextPageToken: string | null;
}

const SEARCH_PRODUCTS_PATH = '/product/202502/products/search';
const PRODUCT_DETAIL_PATH = '/product/202309/products/{product_id}';
const MAX_SEARCH_PAGE_SIZE = 100;
/** TikTok rejects more with 12019027 (seller_skus) and 12019087 (sku_ids). */
const MAX_SKU_FILTER_VALUES = 10;

/**
 * Fetches one page of products (Search Products, version 202502). It only reads, so it is
 * retried like a GET. A search cannot page past 10,000 results (SEARCH_LIMIT_EXCEEDED), so split
 * a large catalog into update-time windows.
 */
export async function searchProducts(
  transport: Transport,
  shop: TikTokShopContext,
  query: SearchProductsQuery,
): Promise<ProductSearchPage> {
  const { pageSize } = query;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_SEARCH_PAGE_SIZE) {
    throw invalidArgument(
      SEARCH_PRODUCTS_PATH,
      `pageSize must be an integer from 1 to ${MAX_SEARCH_PAGE_SIZE}, got ${pageSize}`,
    );
  }

  const response = await transport.callApi({
    method: 'POST',
    path: SEARCH_PRODUCTS_PATH,
    query: { page_size: pageSize, page_token: query.pageToken },
    body: toSearchProductsBody(query.filters ?? {}),
    isRead: true,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    tokenProvider: shop.tokenProvider,
  });

  const data = parseResponseData(searchProductsDataPayloadSchema, response, SEARCH_PRODUCTS_PATH);
  return {
    products: data.products ?? [],
    totalCount: data.total_count ?? null,
    nextPageToken: data.next_page_token || null,
  };
}

/**
 * Yields every page of a product search, starting at `query.pageToken`, until TikTok returns an
 * empty or missing `next_page_token`. Throws if TikTok returns the same token twice in a row.
 */
export async function* iterateProductPages(
  transport: Transport,
  shop: TikTokShopContext,
  query: SearchProductsQuery,
): AsyncGenerator<ProductSearchPage, void, undefined> {
  let pageToken = query.pageToken;
  for (;;) {
    const page = await searchProducts(transport, shop, { ...query, pageToken });
    yield page;
    if (page.nextPageToken === null) {
      return;
    }
    if (page.nextPageToken === pageToken) {
      throw invalidArgument(
        SEARCH_PRODUCTS_PATH,
        'TikTok returned the same next_page_token twice; stopping to avoid an endless loop',
      );
    }
    pageToken = page.nextPageToken;
  }
}

/** Fetches one product with its SKUs (Get Product, version 202309). */
export async function getProduct(
  transport: Transport,
  shop: TikTokShopContext,
  productId: string,
): Promise<ProductPayload> {
  requireNumericId(PRODUCT_DETAIL_PATH, 'Product id', productId);
  const response = await transport.callApi({
    method: 'GET',
    path: PRODUCT_DETAIL_PATH,
    pathParams: { product_id: productId },
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    tokenProvider: shop.tokenProvider,
  });
  return parseResponseData(productDetailDataPayloadSchema, response, PRODUCT_DETAIL_PATH);
}

/** Builds the Search Products body; absent filters are left out rather than sent empty. */
function toSearchProductsBody(filters: ProductSearchFilters): Record<string, unknown> {
  checkSkuFilter('sellerSkus', filters.sellerSkus, 12019027);
  checkSkuFilter('skuIds', filters.skuIds, 12019087);
  return {
    status: filters.status,
    seller_skus: filters.sellerSkus?.length ? filters.sellerSkus : undefined,
    sku_ids: filters.skuIds?.length ? filters.skuIds : undefined,
    create_time_ge: toSeconds('createTimeGeMs', filters.createTimeGeMs),
    create_time_le: toSeconds('createTimeLeMs', filters.createTimeLeMs),
    update_time_ge: toSeconds('updateTimeGeMs', filters.updateTimeGeMs),
    update_time_le: toSeconds('updateTimeLeMs', filters.updateTimeLeMs),
  };
}

// The local check mirrors TikTok's own rejection, so it uses the same kind as the TikTok code.
function checkSkuFilter(
  name: string,
  values: readonly string[] | undefined,
  tiktokCode: number,
): void {
  if (values !== undefined && values.length > MAX_SKU_FILTER_VALUES) {
    throw new TikTokApiError({
      kind: 'SKU_FILTER_LIMIT_EXCEEDED',
      message: `${name} takes at most ${MAX_SKU_FILTER_VALUES} values, got ${values.length}, and TikTok rejects more with code ${tiktokCode}. Split the search into batches of ${MAX_SKU_FILTER_VALUES}`,
      path: SEARCH_PRODUCTS_PATH,
    });
  }
}

// TikTok compares whole seconds and both bounds are inclusive. Rounding both down widens the
// window to whole seconds, so no product inside the requested ms range is missed.
function toSeconds(name: string, ms: number | undefined): number | undefined {
  if (ms === undefined) {
    return undefined;
  }
  if (!Number.isFinite(ms) || ms < 0) {
    throw invalidArgument(
      SEARCH_PRODUCTS_PATH,
      `${name} must be a non-negative Unix time in ms, got ${ms}`,
    );
  }
  return Math.floor(ms / 1000);
}
