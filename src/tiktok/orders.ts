import type { Transport } from './http.ts';
import { orderDetailDataPayloadSchema, searchOrdersDataPayloadSchema } from './payloads.ts';
import type { OrderPayload } from './payloads.ts';
import type { TokenProvider } from './types.ts';
import { invalidArgument, parseResponseData } from './validate.ts';

/** A shop to call: its id (for rate limits), its cipher (for the request) and its tokens. */
export interface TikTokShopContext {
  shopId: string;
  shopCipher: string;
  tokenProvider: TokenProvider;
}

/** Filters of Search Orders. Times are Unix ms and are converted to TikTok's seconds. */
export interface OrderSearchFilters {
  orderStatus?: string;
  createTimeGeMs?: number;
  createTimeLtMs?: number;
  updateTimeGeMs?: number;
  updateTimeLtMs?: number;
  /** `TIKTOK`, `SELLER` or `TIKTOK_DIGITAL`. */
  shippingType?: string;
  buyerUserId?: string;
  isBuyerRequestCancel?: boolean;
  /** At most 100; only for shops with several warehouses. */
  warehouseIds?: readonly string[];
}

/** One page request of Search Orders. */
export interface SearchOrdersQuery {
  filters?: OrderSearchFilters;
  /** Orders per page, 1-100. */
  pageSize: number;
  /** The `nextPageToken` of the previous page; omit for the first page. */
  pageToken?: string;
  /** Default `create_time` (TikTok's default). */
  sortField?: 'create_time' | 'update_time';
  /** Default `DESC` (TikTok's default). */
  sortOrder?: 'ASC' | 'DESC';
}

/** One page of Search Orders. */
export interface OrderSearchPage {
  orders: OrderPayload[];
  /** Informational only; TikTok's count may change between pages. */
  totalCount: number | null;
  /** Null on the last page. */
  nextPageToken: string | null;
}

const SEARCH_ORDERS_PATH = '/order/202309/orders/search';
const ORDER_DETAIL_PATH = '/order/202309/orders';
const MAX_SEARCH_PAGE_SIZE = 100;
const MAX_DETAIL_IDS = 50;
const MAX_WAREHOUSE_IDS = 100;

/** Fetches one page of orders (Search Orders). It only reads, so it is retried like a GET. */
export async function searchOrders(
  transport: Transport,
  shop: TikTokShopContext,
  query: SearchOrdersQuery,
): Promise<OrderSearchPage> {
  const { pageSize } = query;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_SEARCH_PAGE_SIZE) {
    throw invalidArgument(
      SEARCH_ORDERS_PATH,
      `pageSize must be an integer from 1 to ${MAX_SEARCH_PAGE_SIZE}, got ${pageSize}`,
    );
  }

  const response = await transport.callApi({
    method: 'POST',
    path: SEARCH_ORDERS_PATH,
    query: {
      page_size: pageSize,
      page_token: query.pageToken,
      sort_field: query.sortField,
      sort_order: query.sortOrder,
    },
    body: toSearchOrdersBody(query.filters ?? {}),
    isRead: true,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    tokenProvider: shop.tokenProvider,
  });

  const data = parseResponseData(searchOrdersDataPayloadSchema, response, SEARCH_ORDERS_PATH);
  return {
    orders: data.orders ?? [],
    totalCount: data.total_count ?? null,
    nextPageToken: data.next_page_token || null,
  };
}

/**
 * Yields every page of a search, starting at `query.pageToken`, until TikTok returns an empty
 * or missing `next_page_token`. Throws if TikTok returns the same token twice in a row.
 */
export async function* iterateOrderPages(
  transport: Transport,
  shop: TikTokShopContext,
  query: SearchOrdersQuery,
): AsyncGenerator<OrderSearchPage, void, undefined> {
  let pageToken = query.pageToken;
  for (;;) {
    const page = await searchOrders(transport, shop, { ...query, pageToken });
    yield page;
    if (page.nextPageToken === null) {
      return;
    }
    if (page.nextPageToken === pageToken) {
      throw invalidArgument(
        SEARCH_ORDERS_PATH,
        'TikTok returned the same next_page_token twice; stopping to avoid an endless loop',
      );
    }
    pageToken = page.nextPageToken;
  }
}

/** Fetches up to 50 orders by id (Get Order Detail); callers split longer lists into batches. */
export async function getOrderDetail(
  transport: Transport,
  shop: TikTokShopContext,
  orderIds: readonly string[],
): Promise<OrderPayload[]> {
  if (orderIds.length === 0 || orderIds.length > MAX_DETAIL_IDS) {
    throw invalidArgument(
      ORDER_DETAIL_PATH,
      `Get Order Detail takes 1 to ${MAX_DETAIL_IDS} order ids, got ${orderIds.length}; split the list into batches`,
    );
  }
  const badId = orderIds.find((id) => !/^\d+$/.test(id));
  if (badId !== undefined) {
    throw invalidArgument(ORDER_DETAIL_PATH, `Order id ${JSON.stringify(badId)} is not numeric`);
  }

  const response = await transport.callApi({
    method: 'GET',
    path: ORDER_DETAIL_PATH,
    query: { ids: orderIds },
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    tokenProvider: shop.tokenProvider,
  });
  const data = parseResponseData(orderDetailDataPayloadSchema, response, ORDER_DETAIL_PATH);
  return data.orders ?? [];
}

/** Builds the Search Orders body; absent filters are left out rather than sent empty. */
function toSearchOrdersBody(filters: OrderSearchFilters): Record<string, unknown> {
  if (filters.warehouseIds !== undefined && filters.warehouseIds.length > MAX_WAREHOUSE_IDS) {
    throw invalidArgument(
      SEARCH_ORDERS_PATH,
      `warehouseIds takes at most ${MAX_WAREHOUSE_IDS} ids, got ${filters.warehouseIds.length}`,
    );
  }
  return {
    order_status: filters.orderStatus,
    create_time_ge: lowerBoundSeconds(filters.createTimeGeMs),
    create_time_lt: upperBoundSeconds(filters.createTimeLtMs),
    update_time_ge: lowerBoundSeconds(filters.updateTimeGeMs),
    update_time_lt: upperBoundSeconds(filters.updateTimeLtMs),
    shipping_type: filters.shippingType,
    buyer_user_id: filters.buyerUserId,
    is_buyer_request_cancel: filters.isBuyerRequestCancel,
    warehouse_ids: filters.warehouseIds?.length ? filters.warehouseIds : undefined,
  };
}

// Rounding the inclusive lower bound down and the exclusive upper bound up widens the window to
// whole seconds, so no order inside the requested ms range is missed.
function lowerBoundSeconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.floor(ms / 1000);
}

function upperBoundSeconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}
