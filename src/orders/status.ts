import type { PlatformOrderStatus } from '../http/api-types.ts';

/**
 * The one table from TikTok order statuses to platform order statuses. ON_HOLD stays apart from
 * UNPAID because a held order is paid but must not be fulfilled until TikTok releases it.
 * The order-status webhook spells the cancelled status `CANCEL`; order objects use `CANCELLED`.
 */
export const ORDER_STATUS_MAP: Readonly<Record<string, PlatformOrderStatus>> = {
  UNPAID: 'pending_payment',
  ON_HOLD: 'on_hold',
  AWAITING_SHIPMENT: 'awaiting_fulfillment',
  PARTIALLY_SHIPPING: 'partially_shipped',
  AWAITING_COLLECTION: 'shipped',
  IN_TRANSIT: 'shipped',
  DELIVERED: 'delivered',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
  CANCEL: 'cancelled',
};

export function toPlatformStatus(tiktokStatus: string): PlatformOrderStatus | null {
  return ORDER_STATUS_MAP[tiktokStatus] ?? null;
}

/**
 * Reports whether the seller may ship the order now. Held and unpaid orders never are, whatever the
 * address fields hold; FBT and digital orders are not shipped by the seller at all.
 */
export function isFulfillable(order: {
  status: string;
  shippingType: string | null;
  fulfillmentType: string | null;
}): boolean {
  const isShippableStatus =
    order.status === 'awaiting_fulfillment' || order.status === 'partially_shipped';
  const isSellerFulfilled =
    !order.fulfillmentType || order.fulfillmentType === 'FULFILLMENT_BY_SELLER';
  return isShippableStatus && isSellerFulfilled && order.shippingType !== 'TIKTOK_DIGITAL';
}
