import type { Insertable } from 'kysely';

import type { OrderLineItemsTable, OrderPackagesTable, OrdersTable } from '../db/schema.ts';
import type { OrderPayload } from '../tiktok/index.ts';
import { AppError } from '../shared/errors.ts';
import { toPlatformStatus } from './status.ts';
import type { PlatformOrderStatus } from '../http/api-types.ts';

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Checks a TikTok money string; TikTok sends decimal strings in major units, never floats. */
export function decimalOrNull(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value);
  if (!DECIMAL.test(text)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${field} is not a decimal amount: ${JSON.stringify(value)}`,
    );
  }
  return text;
}

// Row shapes come from the table types, so the mapper and the schema cannot drift apart.
export type MappedLineItem = Required<
  Omit<Insertable<OrderLineItemsTable>, 'shop_id' | 'order_id'>
>;

export type MappedPackage = Required<Omit<Insertable<OrderPackagesTable>, 'shop_id' | 'order_id'>>;

type OrderColumns = Omit<
  Insertable<OrdersTable>,
  'shop_id' | 'account_id' | 'store_id' | 'first_synced_at' | 'synced_at'
>;

export type MappedOrder = Required<OrderColumns> & {
  status: PlatformOrderStatus;
  lineItems: MappedLineItem[];
  packages: MappedPackage[];
};

type Loose = Record<string, unknown>;

const text = (value: unknown): string | null =>
  value === undefined || value === null || value === '' ? null : String(value);

const seconds = (value: unknown): number | null => {
  if (value === undefined || value === null || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? Math.trunc(number) : null;
};

/**
 * Maps one TikTok order object to our rows. Free-sample orders are booked at zero whatever
 * TikTok's totals are (older sample orders came at full price), keyed off `is_sample_order`
 * and never off a zero total, because full platform discounts also give zero totals.
 */
export function mapOrder(payload: OrderPayload): MappedOrder {
  const order = payload as unknown as Loose;
  const id = text(order.id);
  if (!id) throw new AppError('VALIDATION_FAILED', 'order has no id');
  const tiktokStatus = text(order.status);
  const status = tiktokStatus ? toPlatformStatus(tiktokStatus) : null;
  if (!tiktokStatus || !status) {
    throw new AppError(
      'VALIDATION_FAILED',
      `order ${id} has an unknown status: ${JSON.stringify(order.status)}`,
    );
  }
  const updateTime = seconds(order.update_time);
  const createTime = seconds(order.create_time);
  if (updateTime === null || createTime === null) {
    throw new AppError('VALIDATION_FAILED', `order ${id} lacks create_time or update_time`);
  }

  const payment = (order.payment ?? {}) as Loose;
  const currency = text(payment.currency) ?? 'USD';
  const isSample = order.is_sample_order === true || order.is_sample_order === 'true';
  const rawLines = Array.isArray(order.line_items) ? (order.line_items as Loose[]) : [];
  const lineItems = rawLines.map((line, position) => mapLineItem(id, line, position, currency));
  const paymentAmounts: Record<string, string> = {};
  for (const [key, value] of Object.entries(payment)) {
    if (key === 'currency') continue;
    const amount = decimalOrNull(value, `order ${id} payment.${key}`);
    if (amount !== null) paymentAmounts[key] = amount;
  }
  const tiktokTotal = paymentAmounts.total_amount ?? '0';
  if (isSample && Number(tiktokTotal) !== 0) paymentAmounts.sample_discount = tiktokTotal;

  const address = (order.recipient_address ?? null) as Loose | null;
  const packages = (Array.isArray(order.packages) ? (order.packages as Loose[]) : [])
    .filter((pkg) => text(pkg.id))
    .map((pkg) => mapPackage(pkg, lineItems));

  return {
    id,
    status,
    tiktok_status: tiktokStatus,
    is_on_hold_order: order.is_on_hold_order === true,
    is_sample: isSample,
    has_gift: lineItems.some((line) => line.is_gift),
    currency,
    total_amount: isSample ? '0' : tiktokTotal,
    sub_total: isSample ? '0' : (paymentAmounts.sub_total ?? null),
    shipping_fee: isSample ? '0' : (paymentAmounts.shipping_fee ?? null),
    tax: isSample ? '0' : (paymentAmounts.tax ?? null),
    payment: JSON.stringify({ currency, ...paymentAmounts }),
    shipping_type: text(order.shipping_type),
    fulfillment_type: text(order.fulfillment_type),
    buyer_user_id: text(order.user_id),
    buyer_name: address ? text(address.name) : null,
    recipient: address ? JSON.stringify(address) : null,
    cancel_reason: text(order.cancel_reason),
    cancellation_initiator: text(order.cancellation_initiator),
    line_item_count: lineItems.length,
    tiktok_create_time: createTime,
    tiktok_update_time: updateTime,
    paid_time: seconds(order.paid_time),
    raw: JSON.stringify(payload),
    lineItems,
    packages,
  };
}

function mapLineItem(
  orderId: string,
  line: Loose,
  position: number,
  currency: string,
): MappedLineItem {
  const id = text(line.id);
  if (!id) throw new AppError('VALIDATION_FAILED', `order ${orderId} has a line item without id`);
  const field = (name: string) => decimalOrNull(line[name], `order ${orderId} line ${id} ${name}`);
  const taxes = Array.isArray(line.item_tax) ? (line.item_tax as Loose[]) : [];
  return {
    id,
    position,
    product_id: text(line.product_id),
    product_name: text(line.product_name),
    sku_id: text(line.sku_id),
    sku_name: text(line.sku_name),
    seller_sku: text(line.seller_sku),
    currency: text(line.currency) ?? currency,
    original_price: field('original_price'),
    sale_price: field('sale_price'),
    seller_discount: field('seller_discount'),
    platform_discount: field('platform_discount'),
    is_gift: line.is_gift === true,
    gift_retail_price: field('gift_retail_price'),
    package_id: text(line.package_id),
    package_status: text(line.package_status),
    display_status: text(line.display_status),
    cancel_user: text(line.cancel_user),
    cancel_reason: text(line.cancel_reason),
    tracking_number: text(line.tracking_number),
    shipping_provider_id: text(line.shipping_provider_id),
    shipping_provider_name: text(line.shipping_provider_name),
    item_tax: JSON.stringify(
      taxes.map((tax) => ({
        taxType: text(tax.tax_type) ?? 'SALES_TAX',
        taxAmount: decimalOrNull(tax.tax_amount, `order ${orderId} line ${id} tax_amount`) ?? '0',
        taxRate: text(tax.tax_rate),
      })),
    ),
  };
}

function mapPackage(pkg: Loose, lineItems: MappedLineItem[]): MappedPackage {
  const id = String(pkg.id);
  const line = lineItems.find((item) => item.package_id === id);
  return {
    id,
    status: text(pkg.status) ?? text(pkg.package_status) ?? line?.package_status ?? null,
    tracking_number: text(pkg.tracking_number) ?? line?.tracking_number ?? null,
    shipping_provider_id: text(pkg.shipping_provider_id) ?? line?.shipping_provider_id ?? null,
    shipping_provider_name:
      text(pkg.shipping_provider_name) ?? line?.shipping_provider_name ?? null,
  };
}
