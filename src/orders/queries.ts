import { containsPattern } from '../db/like.ts';
import type { Principal } from '../accounts/accounts.ts';
import { requireStore } from '../accounts/accounts.ts';
import type { AppContext } from '../context.ts';
import type {
  OrderDetail,
  OrderListResponse,
  OrderSummary,
  PlatformOrderStatus,
} from '../http/api-types.ts';
import { AppError } from '../shared/errors.ts';
import { ORDER_STATUS_MAP, isFulfillable } from './status.ts';

const PLATFORM_STATUSES = new Set<string>(Object.values(ORDER_STATUS_MAP));

export interface ListOrdersQuery {
  status?: string;
  shopId?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

const isoFromSeconds = (seconds: number | null): string | null =>
  seconds === null ? null : new Date(seconds * 1000).toISOString();

type OrderRow = {
  shop_id: string;
  id: string;
  status: string;
  tiktok_status: string;
  currency: string;
  total_amount: string;
  is_sample: boolean;
  has_gift: boolean;
  is_on_hold_order: boolean;
  shipping_type: string | null;
  fulfillment_type: string | null;
  line_item_count: number;
  buyer_name: string | null;
  tiktok_create_time: number;
  tiktok_update_time: number;
  synced_at: Date;
};

/** Our order id: TikTok order ids are unique per shop, so the API joins both. */
export const orderKey = (shopId: string, orderId: string): string => `${shopId}-${orderId}`;

function toSummary(row: OrderRow): OrderSummary {
  return {
    id: orderKey(row.shop_id, row.id),
    shopId: row.shop_id,
    tiktokOrderId: row.id,
    status: row.status as PlatformOrderStatus,
    tiktokStatus: row.tiktok_status,
    currency: row.currency,
    totalAmount: row.total_amount,
    isSample: row.is_sample,
    hasGift: row.has_gift,
    isOnHoldOrder: row.is_on_hold_order,
    isFulfillable: isFulfillable({
      status: row.status,
      shippingType: row.shipping_type,
      fulfillmentType: row.fulfillment_type,
    }),
    lineItemCount: row.line_item_count,
    buyerName: row.buyer_name,
    createdAt: isoFromSeconds(row.tiktok_create_time)!,
    updatedAt: isoFromSeconds(row.tiktok_update_time)!,
    syncedAt: row.synced_at.toISOString(),
  };
}

const SUMMARY_COLUMNS = [
  'shop_id',
  'id',
  'status',
  'tiktok_status',
  'currency',
  'total_amount',
  'is_sample',
  'has_gift',
  'is_on_hold_order',
  'shipping_type',
  'fulfillment_type',
  'line_item_count',
  'buyer_name',
  'tiktok_create_time',
  'tiktok_update_time',
  'synced_at',
] as const;

/** Lists a store's orders, newest first, with a keyset cursor over (create_time, shop, id). */
export async function listOrders(
  ctx: AppContext,
  principal: Principal,
  storeId: string,
  query: ListOrdersQuery,
): Promise<OrderListResponse> {
  await requireStore(ctx, principal, storeId);
  const limit = query.limit ?? 50;
  if (query.status && !PLATFORM_STATUSES.has(query.status)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `status "${query.status}" is not a platform order status`,
      {
        details: { allowed: [...PLATFORM_STATUSES] },
      },
    );
  }
  let select = ctx.db
    .selectFrom('orders')
    .select(SUMMARY_COLUMNS)
    .where('store_id', '=', storeId)
    .where('account_id', '=', principal.accountId);
  if (query.status) select = select.where('status', '=', query.status);
  if (query.shopId) select = select.where('shop_id', '=', query.shopId);
  if (query.q) {
    const pattern = containsPattern(query.q);
    select = select.where((eb) =>
      eb.or([eb('id', 'like', pattern), eb('buyer_name', 'ilike', pattern)]),
    );
  }
  if (query.cursor) {
    const [createTime, shopId, id] = decodeCursor(query.cursor);
    select = select.where((eb) =>
      eb.or([
        eb('tiktok_create_time', '<', createTime),
        eb.and([eb('tiktok_create_time', '=', createTime), eb('shop_id', '<', shopId)]),
        eb.and([
          eb('tiktok_create_time', '=', createTime),
          eb('shop_id', '=', shopId),
          eb('id', '<', id),
        ]),
      ]),
    );
  }
  const rows = await select
    .orderBy('tiktok_create_time', 'desc')
    .orderBy('shop_id', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    orders: page.map(toSummary),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor(last.tiktok_create_time, last.shop_id, last.id)
        : null,
  };
}

const encodeCursor = (createTime: number, shopId: string, id: string): string =>
  Buffer.from(JSON.stringify([createTime, shopId, id])).toString('base64url');

function decodeCursor(cursor: string): [number, string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      typeof value[0] === 'number' &&
      typeof value[1] === 'string' &&
      typeof value[2] === 'string'
    ) {
      return value as [number, string, string];
    }
  } catch {
    // Reported below as an invalid cursor.
  }
  throw new AppError(
    'VALIDATION_FAILED',
    'cursor is invalid; pass the nextCursor of the previous page',
  );
}

export async function getOrder(
  ctx: AppContext,
  principal: Principal,
  storeId: string,
  orderId: string,
): Promise<OrderDetail> {
  await requireStore(ctx, principal, storeId);
  const separator = orderId.indexOf('-');
  const shopId = orderId.slice(0, separator);
  const tiktokOrderId = orderId.slice(separator + 1);
  const row =
    separator > 0
      ? await ctx.db
          .selectFrom('orders')
          .select([
            ...SUMMARY_COLUMNS,
            'payment',
            'paid_time',
            'cancel_reason',
            'cancellation_initiator',
            'recipient',
          ])
          .where('store_id', '=', storeId)
          .where('account_id', '=', principal.accountId)
          .where('shop_id', '=', shopId)
          .where('id', '=', tiktokOrderId)
          .executeTakeFirst()
      : undefined;
  if (!row)
    throw new AppError('NOT_FOUND', `Order ${orderId} was not found`, { details: { orderId } });

  const [lines, packages, history] = await Promise.all([
    ctx.db
      .selectFrom('order_line_items')
      .selectAll()
      .where('shop_id', '=', shopId)
      .where('order_id', '=', tiktokOrderId)
      .orderBy('position')
      .execute(),
    ctx.db
      .selectFrom('order_packages')
      .selectAll()
      .where('shop_id', '=', shopId)
      .where('order_id', '=', tiktokOrderId)
      .orderBy('id')
      .execute(),
    ctx.db
      .selectFrom('order_status_history')
      .selectAll()
      .where('shop_id', '=', shopId)
      .where('order_id', '=', tiktokOrderId)
      .orderBy('id')
      .execute(),
  ]);
  const recipient = (row.recipient ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return {
    ...toSummary(row),
    shippingType: row.shipping_type,
    fulfillmentType: row.fulfillment_type,
    paidAt: isoFromSeconds(row.paid_time),
    cancelReason: row.cancel_reason,
    cancellationInitiator: row.cancellation_initiator,
    payment: row.payment as Record<string, string>,
    recipient: {
      name: text(recipient.name),
      fullAddress: text(recipient.full_address),
      regionCode: text(recipient.region_code),
    },
    lineItems: lines.map((line) => ({
      id: line.id,
      skuId: line.sku_id,
      sellerSku: line.seller_sku,
      productName: line.product_name,
      skuName: line.sku_name,
      currency: line.currency,
      originalPrice: line.original_price,
      salePrice: line.sale_price,
      isGift: line.is_gift,
      giftRetailPrice: line.gift_retail_price,
      packageId: line.package_id,
      packageStatus: line.package_status,
      displayStatus: line.display_status,
      cancelUser: line.cancel_user,
      cancelReason: line.cancel_reason,
      taxes: line.item_tax as { taxType: string; taxAmount: string; taxRate: string | null }[],
    })),
    packages: packages.map((pkg) => ({
      id: pkg.id,
      status: pkg.status,
      trackingNumber: pkg.tracking_number,
      shippingProviderName: pkg.shipping_provider_name,
      lineItemIds: lines.filter((line) => line.package_id === pkg.id).map((line) => line.id),
    })),
    statusHistory: history.map((entry) => ({
      status: entry.status as PlatformOrderStatus,
      tiktokStatus: entry.tiktok_status,
      at: isoFromSeconds(entry.tiktok_update_time)!,
      source: entry.source,
    })),
  };
}
