import { invalidParam } from './errors.ts';
import type { SortField } from './order-index.ts';
import { sortTime } from './order-index.ts';
import type { EmulatorStore } from './store.ts';
import type { OrderRecord, OrderStatus, ShippingType } from './types.ts';
import { ORDER_STATUSES } from './types.ts';

export const MAX_ORDER_PAGE_SIZE = 100;
export const MAX_WAREHOUSE_IDS = 100;

/**
 * Leading bytes of every page token. They encode to "++//" in base64, so that every token
 * contains the `+` and `/` characters that clients must percent-encode.
 */
const TOKEN_MAGIC = Buffer.from([0xfb, 0xef, 0xff]);

const SHIPPING_TYPES: readonly ShippingType[] = ['TIKTOK', 'SELLER', 'TIKTOK_DIGITAL'];

export type SortOrder = 'ASC' | 'DESC';

/** A validated Search Orders request. */
export interface OrderSearchRequest {
  pageSize: number;
  sortField: SortField;
  sortOrder: SortOrder;
  /** The last (sort time, id) of the previous page. */
  cursor?: { time: number; id: string };
  createTimeGe?: number;
  createTimeLt?: number;
  updateTimeGe?: number;
  updateTimeLt?: number;
  orderStatus?: OrderStatus;
  shippingType?: ShippingType;
  buyerUserId?: string;
  isBuyerRequestCancel?: boolean;
  warehouseIds?: string[];
}

export interface OrderSearchResult {
  orders: OrderRecord[];
  totalCount: number;
  /** Empty on the last page. */
  nextPageToken: string;
}

/** Validates the query and JSON body of Search Orders; raises 36009004 naming the bad field. */
export function parseOrderSearch(query: URLSearchParams, body: unknown): OrderSearchRequest {
  const pageSizeText = query.get('page_size');
  if (pageSizeText === null) throw invalidParam('page_size is missing: it is required');
  const pageSize = /^\d+$/.test(pageSizeText) ? Number(pageSizeText) : NaN;
  if (!(pageSize >= 1 && pageSize <= MAX_ORDER_PAGE_SIZE)) {
    throw invalidParam(`page_size ${pageSizeText} is invalid: it must be between 1 and 100`);
  }
  const sortField = (query.get('sort_field') ?? 'create_time') as SortField;
  if (sortField !== 'create_time' && sortField !== 'update_time') {
    throw invalidParam(`sort_field ${sortField} is invalid: use create_time or update_time`);
  }
  const sortOrder = (query.get('sort_order') ?? 'DESC') as SortOrder;
  if (sortOrder !== 'ASC' && sortOrder !== 'DESC') {
    throw invalidParam(`sort_order ${sortOrder} is invalid: use ASC or DESC`);
  }
  const pageToken = query.get('page_token');
  const cursor = pageToken ? decodePageToken(pageToken, sortField, sortOrder) : undefined;
  return { pageSize, sortField, sortOrder, cursor, ...parseFilters(body) };
}

function parseFilters(
  body: unknown,
): Omit<OrderSearchRequest, 'pageSize' | 'sortField' | 'sortOrder'> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw invalidParam('the request body must be a JSON object');
  }
  const fields = body as Record<string, unknown>;
  const time = (name: string): number | undefined => {
    const value = fields[name];
    if (value === undefined) return undefined;
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      throw invalidParam(`${name} is invalid: it must be Unix seconds as an integer`);
    }
    return value as number;
  };

  const orderStatus = fields.order_status;
  if (orderStatus !== undefined && !ORDER_STATUSES.includes(orderStatus as OrderStatus)) {
    throw invalidParam(`order_status ${String(orderStatus)} is invalid`);
  }
  const shippingType = fields.shipping_type;
  if (shippingType !== undefined && !SHIPPING_TYPES.includes(shippingType as ShippingType)) {
    throw invalidParam(`shipping_type ${String(shippingType)} is invalid`);
  }
  const buyerUserId = fields.buyer_user_id;
  if (buyerUserId !== undefined && typeof buyerUserId !== 'string') {
    throw invalidParam('buyer_user_id is invalid: it must be a string');
  }
  const isBuyerRequestCancel = fields.is_buyer_request_cancel;
  if (isBuyerRequestCancel !== undefined && typeof isBuyerRequestCancel !== 'boolean') {
    throw invalidParam('is_buyer_request_cancel is invalid: it must be a boolean');
  }
  return {
    createTimeGe: time('create_time_ge'),
    createTimeLt: time('create_time_lt'),
    updateTimeGe: time('update_time_ge'),
    updateTimeLt: time('update_time_lt'),
    orderStatus: orderStatus as OrderStatus | undefined,
    shippingType: shippingType as ShippingType | undefined,
    buyerUserId,
    isBuyerRequestCancel,
    warehouseIds: parseWarehouseIds(fields.warehouse_ids),
  };
}

function parseWarehouseIds(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((id) => typeof id === 'string')) {
    throw invalidParam('warehouse_ids is invalid: it must be an array of strings');
  }
  if (value.length > MAX_WAREHOUSE_IDS) {
    throw invalidParam(`warehouse_ids has ${value.length} entries: at most 100 are allowed`);
  }
  return value as string[];
}

/**
 * Runs Search Orders over one shop. The page token stores the last sort key and id rather
 * than an offset, so pages stay consistent while orders are created or updated underneath.
 */
export function searchOrders(
  store: EmulatorStore,
  shopId: string,
  request: OrderSearchRequest,
  nowSeconds: number,
): OrderSearchResult {
  const index = store.orderIndex(shopId);
  const list = request.sortField === 'create_time' ? index.byCreateTime : index.byUpdateTime;
  // A missing start means the earliest order; a missing end means now, inclusive.
  const [ge, lt] =
    request.sortField === 'create_time'
      ? [request.createTimeGe, request.createTimeLt]
      : [request.updateTimeGe, request.updateTimeLt];
  const start = list.firstAtOrAfter(ge ?? 0);
  const end = list.firstAtOrAfter(lt ?? nowSeconds + 1);

  const isAscending = request.sortOrder === 'ASC';
  // Positions on the far side of the previous page's last (time, id) pair are still to come.
  const cursor = request.cursor;
  const cursorBound = cursor
    ? list.lowerBound(cursor.time, cursor.id, !isAscending)
    : isAscending
      ? 0
      : list.items.length;
  const isAfterCursor = (position: number): boolean =>
    isAscending ? position >= cursorBound : position < cursorBound;

  const matches = (order: OrderRecord): boolean => matchesFilters(order, request, nowSeconds);
  const orders: OrderRecord[] = [];
  let totalCount = 0;
  let hasMore = false;
  for (let step = 0; step < end - start; step++) {
    const position = isAscending ? start + step : end - 1 - step;
    const order = list.items[position]!;
    if (!matches(order)) continue;
    totalCount++;
    if (hasMore || !isAfterCursor(position)) continue;
    if (orders.length < request.pageSize) orders.push(order);
    else hasMore = true;
  }

  const last = orders.at(-1);
  const nextPageToken =
    hasMore && last
      ? encodePageToken(
          request.sortField,
          request.sortOrder,
          sortTime(last, request.sortField),
          last.id,
        )
      : '';
  return { orders, totalCount, nextPageToken };
}

function matchesFilters(
  order: OrderRecord,
  request: OrderSearchRequest,
  nowSeconds: number,
): boolean {
  if (order.createTime < (request.createTimeGe ?? 0)) return false;
  if (order.createTime >= (request.createTimeLt ?? nowSeconds + 1)) return false;
  if (order.updateTime < (request.updateTimeGe ?? 0)) return false;
  if (order.updateTime >= (request.updateTimeLt ?? nowSeconds + 1)) return false;
  if (request.orderStatus && order.status !== request.orderStatus) return false;
  if (request.shippingType && order.shippingType !== request.shippingType) return false;
  if (request.buyerUserId && order.userId !== request.buyerUserId) return false;
  if (
    request.isBuyerRequestCancel !== undefined &&
    order.isBuyerRequestCancel !== request.isBuyerRequestCancel
  ) {
    return false;
  }
  if (request.warehouseIds && !request.warehouseIds.includes(order.warehouseId)) return false;
  return true;
}

function encodePageToken(field: SortField, order: SortOrder, time: number, id: string): string {
  const payload = Buffer.from(JSON.stringify([1, field, order, time, id]), 'utf8');
  return Buffer.concat([TOKEN_MAGIC, payload]).toString('base64');
}

function decodePageToken(
  token: string,
  sortField: SortField,
  sortOrder: SortOrder,
): { time: number; id: string } {
  const invalid = () =>
    invalidParam('page_token is invalid: pass next_page_token from the previous page unchanged');
  const bytes = Buffer.from(token, 'base64');
  if (bytes.length <= TOKEN_MAGIC.length || !bytes.subarray(0, 3).equals(TOKEN_MAGIC))
    throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.subarray(3).toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) throw invalid();
  const [version, field, order, time, id] = parsed as unknown[];
  if (version !== 1 || typeof time !== 'number' || typeof id !== 'string') throw invalid();
  if (field !== sortField || order !== sortOrder) {
    throw invalidParam('page_token does not match sort_field and sort_order: keep them unchanged');
  }
  return { time, id };
}
