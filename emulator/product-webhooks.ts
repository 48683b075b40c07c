import { RawJsonNumber } from './json-text.ts';
import { stockTotals } from './inventory.ts';
import type { InventoryStatus } from './inventory.ts';
import type { ProductRecord, ProductStatus, SkuRecord } from './types.ts';
import type { WebhookDelivery, WebhookDispatcher } from './webhooks.ts';
import { WEBHOOK_TYPES } from './webhooks.ts';

/**
 * Product webhooks. Types 5, 16 and 37 send `product_id` as a bare JSON number with all its
 * digits, as TikTok's topic pages show. Types 15 and 27 send it as a string, because their
 * pages do not say it is a number.
 */
export interface ProductWebhookSender {
  webhooks: WebhookDispatcher;
  nowSeconds(): number;
}

/** Sends PRODUCT_CREATION (type 16). */
export function emitProductCreation(
  sender: ProductWebhookSender,
  product: ProductRecord,
): WebhookDelivery[] {
  return sender.webhooks.emitForShop(WEBHOOK_TYPES.PRODUCT_CREATION, product.shopId, {
    product_id: new RawJsonNumber(product.id),
    product_types: [...product.productTypes],
    update_time: product.updateTime,
  });
}

/**
 * Sends PRODUCT_STATUS_CHANGE (type 5). The webhook's `status` is the kind of change, not the
 * product status: a move to FAILED is PRODUCT_AUDIT_FAILURE, a move from PENDING to ACTIVATE is
 * PRODUCT_FIRST_PASS_REVIEW, and every other move is PRODUCT_STATUS_CHANGED.
 */
export function emitProductStatusChange(
  sender: ProductWebhookSender,
  product: ProductRecord,
  previous: ProductStatus,
  suspendedReason: string,
): WebhookDelivery[] {
  let status = 'PRODUCT_STATUS_CHANGED';
  if (product.status === 'FAILED') status = 'PRODUCT_AUDIT_FAILURE';
  else if (previous === 'PENDING' && product.status === 'ACTIVATE') {
    status = 'PRODUCT_FIRST_PASS_REVIEW';
  }
  return sender.webhooks.emitForShop(WEBHOOK_TYPES.PRODUCT_STATUS_CHANGE, product.shopId, {
    product_id: new RawJsonNumber(product.id),
    status,
    suspended_reason: suspendedReason,
    update_time: product.updateTime,
  });
}

/** Sends PRODUCT_INFORMATION_CHANGE (type 15), which TikTok sends for live products only. */
export function emitProductInformationChange(
  sender: ProductWebhookSender,
  product: ProductRecord,
  changedFields: string[],
): WebhookDelivery[] {
  if (product.status !== 'ACTIVATE') return [];
  return sender.webhooks.emitForShop(WEBHOOK_TYPES.PRODUCT_INFORMATION_CHANGE, product.shopId, {
    product_id: product.id,
    change_source: 'SELLER_CENTER',
    changed_fields: changedFields,
    update_time: product.updateTime,
  });
}

/** Sends PRODUCT_AUDIT_STATUS_CHANGE (type 37). */
export function emitAuditStatusChange(
  sender: ProductWebhookSender,
  product: ProductRecord,
): WebhookDelivery[] {
  return sender.webhooks.emitForShop(WEBHOOK_TYPES.PRODUCT_AUDIT_STATUS_CHANGE, product.shopId, {
    product_id: new RawJsonNumber(product.id),
    audit: { status: product.auditStatus, pre_approved_reasons: [] },
    integrated_platform_statuses: [],
    update_time: product.updateTime,
  });
}

/** Sends the inventory status change (type 27) of one SKU, with its stock at this moment. */
export function emitInventoryStatusChange(
  sender: ProductWebhookSender,
  sku: SkuRecord,
  status: InventoryStatus,
  lowStockThreshold: number,
): WebhookDelivery[] {
  const totals = stockTotals(sku);
  return sender.webhooks.emitForShop(WEBHOOK_TYPES.INVENTORY_STATUS_CHANGE, sku.shopId, {
    product_id: sku.productId,
    sku_id: sku.id,
    current_inventory_status: status,
    trigger_reason: {
      alert_type: 'REALTIME',
      lead_days: 0,
      low_stock_threshold: lowStockThreshold,
    },
    inventory_distribution: {
      total_quantity: totals.quantity,
      available_quantity: totals.available,
      creator_reserved_quantity: 0,
      campaign_reserved_quantity: 0,
      committed_quantity: totals.committed,
    },
    update_time: sender.nowSeconds(),
  });
}
