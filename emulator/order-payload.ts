import { formatMinor, formatRatePpm } from './money.ts';
import type { LineItemRecord, OrderRecord, OrderStatus, ShopRecord } from './types.ts';

const DAY_SECONDS = 86_400;

/** Statuses during which US orders hide the buyer's personal address fields. */
const US_MASKED_STATUSES: ReadonlySet<OrderStatus> = new Set(['UNPAID', 'ON_HOLD', 'CANCELLED']);

/** Builds the wire form of an order as Search Orders and Get Order Detail return it. */
export function toOrderPayload(order: OrderRecord, shop: ShopRecord, nowSeconds: number): object {
  const money = (minor: number): string => formatMinor(minor, order.currency);
  const shipped = order.packages.find((p) => p.status !== 'TO_FULFILL');
  return {
    id: order.id,
    status: order.status,
    order_type: 'NORMAL',
    commerce_platform: 'TIKTOK_SHOP',
    create_time: order.createTime,
    update_time: order.updateTime,
    paid_time: order.paidTime,
    ...deadlines(order),
    rts_time: order.rtsTime,
    collection_time: order.collectionTime,
    delivery_time: order.deliveryTime,
    cancel_time: order.cancelTime,
    cancel_reason: order.cancelReason,
    cancellation_initiator: order.cancellationInitiator,
    is_buyer_request_cancel: order.isBuyerRequestCancel,
    request_cancel_time: order.requestCancelTime,
    user_id: order.userId,
    buyer_email: order.buyerEmail,
    buyer_message: order.buyerMessage,
    seller_note: '',
    is_cod: false,
    is_sample_order: order.isSampleOrder,
    is_on_hold_order: order.isOnHoldOrder,
    is_replacement_order: false,
    shipping_type: order.shippingType,
    fulfillment_type: order.fulfillmentType,
    delivery_type: 'HOME_DELIVERY',
    delivery_option_id: order.deliveryOptionId,
    delivery_option_name: order.deliveryOptionName,
    shipping_provider: shipped?.shippingProviderName,
    shipping_provider_id: shipped?.shippingProviderId,
    tracking_number: shipped?.trackingNumber,
    warehouse_id: order.warehouseId,
    has_updated_recipient_address: false,
    packages: order.packages.map((p) => ({ id: p.id })),
    payment: paymentPayload(order, money),
    recipient_address: addressPayload(order, shop, nowSeconds),
    line_items: order.lineItems.map((line) => lineItemPayload(order, shop, line, money)),
  };
}

/** Sums of the order's amounts in minor units, used by the payment formulas. */
export interface OrderTotals {
  originalProductPrice: number;
  sellerDiscount: number;
  platformDiscount: number;
  subTotal: number;
  shippingFee: number;
  productTax: number;
  tax: number;
  totalAmount: number;
}

/** Computes sub_total, shipping_fee, tax and total_amount with TikTok's published formulas. */
export function computeTotals(order: OrderRecord): OrderTotals {
  let originalProductPrice = 0;
  let sellerDiscount = 0;
  let platformDiscount = 0;
  let productTax = 0;
  for (const line of order.lineItems) {
    originalProductPrice += line.originalPriceMinor;
    sellerDiscount += line.sellerDiscountMinor;
    platformDiscount += line.platformDiscountMinor;
    productTax += line.taxMinor;
  }

  const subTotal = originalProductPrice - sellerDiscount - platformDiscount;
  const shippingFee =
    order.originalShippingFeeMinor -
    order.shippingFeeSellerDiscountMinor -
    order.shippingFeePlatformDiscountMinor;
  const tax = productTax + order.shippingFeeTaxMinor;
  const totalAmount = subTotal + shippingFee + tax + order.retailDeliveryFeeMinor;
  return {
    originalProductPrice,
    sellerDiscount,
    platformDiscount,
    subTotal,
    shippingFee,
    productTax,
    tax,
    totalAmount,
  };
}

function paymentPayload(order: OrderRecord, money: (minor: number) => string): object {
  const totals = computeTotals(order);
  return {
    currency: order.currency,
    original_total_product_price: money(totals.originalProductPrice),
    seller_discount: money(totals.sellerDiscount),
    platform_discount: money(totals.platformDiscount),
    sub_total: money(totals.subTotal),
    original_shipping_fee: money(order.originalShippingFeeMinor),
    shipping_fee_seller_discount: money(order.shippingFeeSellerDiscountMinor),
    shipping_fee_platform_discount: money(order.shippingFeePlatformDiscountMinor),
    shipping_fee_cofunded_discount: money(0),
    shipping_fee: money(totals.shippingFee),
    product_tax: money(totals.productTax),
    shipping_fee_tax: money(order.shippingFeeTaxMinor),
    item_insurance_tax: money(0),
    tax: money(totals.tax),
    retail_delivery_fee: money(order.retailDeliveryFeeMinor),
    total_amount: money(totals.totalAmount),
  };
}

/** Deadlines counted from payment; unpaid orders have none yet. */
function deadlines(order: OrderRecord): Record<string, number | undefined> {
  const paid = order.paidTime;
  if (paid === undefined) return {};
  return {
    rts_sla_time: paid + 3 * DAY_SECONDS,
    tts_sla_time: paid + 4 * DAY_SECONDS,
    shipping_due_time: paid + 7 * DAY_SECONDS,
    collection_due_time: paid + 10 * DAY_SECONDS,
    delivery_due_time: paid + 30 * DAY_SECONDS,
    delivery_sla_time: paid + 10 * DAY_SECONDS,
  };
}

/** Returns the line's display status: the order status without ON_HOLD and PARTIALLY_SHIPPING. */
function displayStatus(order: OrderRecord, line: LineItemRecord): OrderStatus {
  if (order.status === 'ON_HOLD') return 'AWAITING_SHIPMENT';
  if (order.status !== 'PARTIALLY_SHIPPING') return order.status;
  const pack = order.packages.find((p) => p.id === line.packageId);
  return pack && pack.status !== 'TO_FULFILL' ? 'AWAITING_COLLECTION' : 'AWAITING_SHIPMENT';
}

function lineItemPayload(
  order: OrderRecord,
  shop: ShopRecord,
  line: LineItemRecord,
  money: (minor: number) => string,
): object {
  const pack = order.packages.find((p) => p.id === line.packageId);
  const isShipped = pack !== undefined && pack.status !== 'TO_FULFILL';
  const salePrice = line.originalPriceMinor - line.sellerDiscountMinor - line.platformDiscountMinor;
  return {
    id: line.id,
    product_id: line.productId,
    product_name: line.productName,
    sku_id: line.skuId,
    sku_name: line.skuName,
    sku_image: `https://p16-oec-va.ibyteimg.com/tos-maliva-i-o3syd03w52-us/${line.skuId}~tplv-o3syd03w52-origin-jpeg.jpeg`,
    seller_sku: line.sellerSku,
    sku_type: 'NORMAL',
    currency: order.currency,
    original_price: money(line.originalPriceMinor),
    sale_price: money(salePrice),
    seller_discount: money(line.sellerDiscountMinor),
    platform_discount: money(line.platformDiscountMinor),
    display_status: displayStatus(order, line),
    package_id: pack?.id,
    package_status: pack?.status,
    shipping_provider_id: isShipped ? pack.shippingProviderId : undefined,
    shipping_provider_name: isShipped ? pack.shippingProviderName : undefined,
    tracking_number: isShipped ? pack.trackingNumber : undefined,
    rts_time: isShipped ? order.rtsTime : undefined,
    cancel_user: line.cancelUser,
    cancel_reason: line.cancelReason,
    is_gift: line.isGift,
    gift_retail_price: line.isGift ? money(line.originalPriceMinor) : '0',
    is_dangerous_good: false,
    item_tax: shop.region === 'US' ? itemTax(order, line, money) : undefined,
  };
}

function itemTax(
  order: OrderRecord,
  line: LineItemRecord,
  money: (minor: number) => string,
): object[] {
  return [
    {
      tax_type: 'SALES_TAX',
      tax_amount: money(line.taxMinor),
      tax_rate: formatRatePpm(order.salesTaxRatePpm),
    },
  ];
}

/** Keeps the first character of each word and replaces the rest with `*`. */
function mask(text: string): string {
  return text.replace(
    /(\S)(\S*)/g,
    (_, first: string, rest: string) => first + '*'.repeat(rest.length),
  );
}

function addressPayload(order: OrderRecord, shop: ShopRecord, nowSeconds: number): object {
  const a = order.address;
  const isLongCompleted =
    order.completedTime !== undefined && nowSeconds - order.completedTime > 30 * DAY_SECONDS;
  const isUsMasked =
    shop.region === 'US' && (US_MASKED_STATUSES.has(order.status) || isLongCompleted);
  const isContactMasked = isUsMasked || order.shippingType === 'TIKTOK';
  const hide = (text: string, isMasked: boolean): string => (isMasked ? mask(text) : text);

  const name = `${a.firstName} ${a.lastName}`;
  const detail = [a.addressLine1, a.addressLine2].filter(Boolean).join(', ');
  const country = a.regionCode === 'GB' ? 'United Kingdom' : 'United States';
  return {
    name: hide(name, isContactMasked),
    first_name: hide(a.firstName, isContactMasked),
    last_name: hide(a.lastName, isContactMasked),
    phone_number: hide(a.phoneNumber, isContactMasked),
    address_detail: hide(detail, isUsMasked),
    address_line1: hide(a.addressLine1, isUsMasked),
    address_line2: hide(a.addressLine2, isUsMasked),
    address_line3: '',
    address_line4: '',
    postal_code: hide(a.postalCode, isUsMasked),
    region_code: a.regionCode,
    post_town: a.regionCode === 'GB' ? a.city : undefined,
    full_address: hide(`${detail}, ${a.city}, ${a.state}, ${a.postalCode}, ${country}`, isUsMasked),
    district_info: [
      { address_level: 'L0', address_level_name: 'Country', address_name: country },
      { address_level: 'L1', address_level_name: 'State', address_name: a.state },
      { address_level: 'L3', address_level_name: 'City', address_name: hide(a.city, isUsMasked) },
    ],
  };
}
