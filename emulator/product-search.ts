import { TIKTOK_CODES, businessError, invalidParam } from './errors.ts';
import { compareIds } from './order-index.ts';
import type { EmulatorStore } from './store.ts';
import type { ProductRecord, ProductStatus } from './types.ts';
import { PRODUCT_STATUSES } from './types.ts';

export const MAX_PRODUCT_PAGE_SIZE = 100;
export const MAX_SEARCH_SELLER_SKUS = 10;
export const MAX_SEARCH_SKU_IDS = 10;

/** Leading bytes of every page token. They encode to "++//", as in order page tokens. */
const TOKEN_MAGIC = Buffer.from([0xfb, 0xef, 0xff]);
const TOKEN_KIND = 'products';

/** A validated Search Products request, with times in Unix seconds and both ends inclusive. */
export interface ProductSearchRequest {
  pageSize: number;
  /** The last (update_time, id) of the previous page. */
  cursor?: { time: number; id: string };
  /** 'ALL' matches every status except DELETED. */
  status: ProductStatus | 'ALL';
  sellerSkus?: string[];
  skuIds?: string[];
  createTimeGe?: number;
  createTimeLe?: number;
  updateTimeGe?: number;
  updateTimeLe?: number;
}

export interface ProductSearchResult {
  products: ProductRecord[];
  totalCount: number;
  /** Empty on the last page. */
  nextPageToken: string;
}

/** Validates the query and body of Search Products. */
export function parseProductSearch(query: URLSearchParams, body: unknown): ProductSearchRequest {
  const pageSizeText = query.get('page_size');
  if (pageSizeText === null) throw invalidParam('page_size is missing: it is required');
  const pageSize = /^\d+$/.test(pageSizeText) ? Number(pageSizeText) : NaN;
  if (!(pageSize >= 1 && pageSize <= MAX_PRODUCT_PAGE_SIZE)) {
    throw invalidParam(`page_size ${pageSizeText} is invalid: it must be between 1 and 100`);
  }
  const pageToken = query.get('page_token');
  const cursor = pageToken ? decodePageToken(pageToken) : undefined;

  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw invalidParam('the request body must be a JSON object');
  }
  const fields = (body ?? {}) as Record<string, unknown>;
  const time = (name: string): number | undefined => {
    const value = fields[name];
    if (value === undefined) return undefined;
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      throw invalidParam(`${name} is invalid: it must be Unix seconds as an integer`);
    }
    return value as number;
  };
  const status = fields.status ?? 'ALL';
  if (status !== 'ALL' && !PRODUCT_STATUSES.includes(status as ProductStatus)) {
    throw invalidParam(
      `status ${String(status)} is invalid: use ALL or one of ${PRODUCT_STATUSES}`,
    );
  }
  const sellerSkus = stringList(fields.seller_skus, 'seller_skus');
  if (sellerSkus && sellerSkus.length > MAX_SEARCH_SELLER_SKUS) {
    throw businessError(
      TIKTOK_CODES.TOO_MANY_SELLER_SKUS,
      `seller_skus has ${sellerSkus.length} entries: at most 10 are allowed per search`,
    );
  }
  const skuIds = stringList(fields.sku_ids, 'sku_ids');
  if (skuIds && skuIds.length > MAX_SEARCH_SKU_IDS) {
    throw businessError(
      TIKTOK_CODES.TOO_MANY_SKU_IDS,
      `sku_ids has ${skuIds.length} entries: at most 10 are allowed per search`,
    );
  }
  return {
    pageSize,
    cursor,
    status: status as ProductStatus | 'ALL',
    sellerSkus,
    skuIds,
    createTimeGe: time('create_time_ge'),
    createTimeLe: time('create_time_le'),
    updateTimeGe: time('update_time_ge'),
    updateTimeLe: time('update_time_le'),
  };
}

/** Returns a list of strings, or undefined when absent. Raises 36009004 on another type. */
export function stringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalidParam(`${name} is invalid: it must be an array of strings`);
  }
  return value as string[];
}

/**
 * Runs Search Products over one shop, sorted ascending by (update_time, id). An update during
 * a walk moves the product to the end of the list, after the cursor, so the walk returns it
 * again rather than missing it. A page that would hold a result past `resultLimit` gets
 * 12052180.
 */
export function searchProducts(
  store: EmulatorStore,
  shopId: string,
  request: ProductSearchRequest,
  nowSeconds: number,
  resultLimit: number,
): ProductSearchResult {
  const matches = store
    .productsOfShop(shopId)
    .filter((product) => matchesFilters(store, product, request, nowSeconds))
    .sort((a, b) => a.updateTime - b.updateTime || compareIds(a.id, b.id));

  const cursor = request.cursor;
  const start = cursor
    ? matches.findIndex(
        (p) =>
          p.updateTime > cursor.time ||
          (p.updateTime === cursor.time && compareIds(p.id, cursor.id) > 0),
      )
    : 0;
  const from = start === -1 ? matches.length : start;
  const products = matches.slice(from, from + request.pageSize);
  if (from + products.length > resultLimit) {
    throw businessError(
      TIKTOK_CODES.PRODUCT_SEARCH_TOO_DEEP,
      `the search reaches past result ${resultLimit}: narrow it with update_time_ge and update_time_le windows`,
    );
  }
  const last = products.at(-1);
  const hasMore = from + products.length < matches.length;
  return {
    products,
    totalCount: matches.length,
    nextPageToken: hasMore && last ? encodePageToken(last.updateTime, last.id) : '',
  };
}

function matchesFilters(
  store: EmulatorStore,
  product: ProductRecord,
  request: ProductSearchRequest,
  nowSeconds: number,
): boolean {
  if (request.status === 'ALL' ? product.status === 'DELETED' : product.status !== request.status) {
    return false;
  }
  // Both ends are inclusive. A missing end means now, and a missing start means 0.
  if (product.createTime < (request.createTimeGe ?? 0)) return false;
  if (product.createTime > (request.createTimeLe ?? nowSeconds)) return false;
  if (product.updateTime < (request.updateTimeGe ?? 0)) return false;
  if (product.updateTime > (request.updateTimeLe ?? nowSeconds)) return false;
  const { sellerSkus, skuIds } = request;
  if (sellerSkus && sellerSkus.length > 0) {
    const hasSku = product.skuIds.some((id) => sellerSkus.includes(store.skus.get(id)!.sellerSku));
    if (!hasSku) return false;
  }
  if (skuIds && skuIds.length > 0 && !product.skuIds.some((id) => skuIds.includes(id))) {
    return false;
  }
  return true;
}

function encodePageToken(time: number, id: string): string {
  const payload = Buffer.from(JSON.stringify([1, TOKEN_KIND, time, id]), 'utf8');
  return Buffer.concat([TOKEN_MAGIC, payload]).toString('base64');
}

function decodePageToken(token: string): { time: number; id: string } {
  const invalid = () =>
    invalidParam('page_token is invalid: pass next_page_token from the previous page unchanged');
  const bytes = Buffer.from(token, 'base64');
  if (bytes.length <= TOKEN_MAGIC.length || !bytes.subarray(0, 3).equals(TOKEN_MAGIC)) {
    throw invalid();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.subarray(3).toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalid();
  const [version, kind, time, id] = parsed as unknown[];
  if (version !== 1 || kind !== TOKEN_KIND || typeof time !== 'number' || typeof id !== 'string') {
    throw invalid();
  }
  return { time, id };
}
