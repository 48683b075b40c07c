import { z } from 'zod';

import {
  countSchema,
  decimalSchema,
  flagSchema,
  idSchema,
  numberOrStringSchema,
  optional,
  unixSecondsSchema,
} from './payload-fields.ts';

// These schemas describe TikTok's wire format, so field names stay snake_case. Every field is
// optional as in TikTok's own schema, null is read as absent, and unknown fields are kept.

/** Order statuses of API version 202309; webhooks may also send `CANCEL`. */
export const ORDER_STATUSES = [
  'UNPAID',
  'ON_HOLD',
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPING',
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
] as const;

/** One of {@link ORDER_STATUSES}. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * Maps the webhook spelling `CANCEL` to `CANCELLED` and returns other values unchanged.
 * Statuses stay plain strings in the payloads, so that a new status does not reject an order.
 */
export function normalizeOrderStatus(status: string): string {
  return status === 'CANCEL' ? 'CANCELLED' : status;
}

const districtInfoSchema = z.looseObject({
  address_level: optional(z.string()),
  address_level_name: optional(z.string()),
  address_name: optional(z.string()),
  iso_code: optional(z.string()),
});

/** The buyer's address; masked on platform-logistics orders and while unpaid or on hold. */
export const recipientAddressPayloadSchema = z.looseObject({
  name: optional(z.string()),
  first_name: optional(z.string()),
  last_name: optional(z.string()),
  first_name_local_script: optional(z.string()),
  last_name_local_script: optional(z.string()),
  phone_number: optional(z.string()),
  full_address: optional(z.string()),
  address_detail: optional(z.string()),
  address_line1: optional(z.string()),
  address_line2: optional(z.string()),
  address_line3: optional(z.string()),
  address_line4: optional(z.string()),
  postal_code: optional(z.string()),
  region_code: optional(z.string()),
  post_town: optional(z.string()),
  delivery_preferences: optional(z.looseObject({ drop_off_location: optional(z.string()) })),
  district_info: optional(z.array(districtInfoSchema)),
});

/** Tax charged on one line item, e.g. US sales tax with `tax_rate` "0.03". */
export const itemTaxPayloadSchema = z.looseObject({
  tax_type: optional(z.string()),
  tax_amount: optional(decimalSchema),
  tax_rate: optional(decimalSchema),
});

const combinedListingSkuSchema = z.looseObject({
  sku_id: optional(idSchema),
  product_id: optional(idSchema),
  seller_sku: optional(z.string()),
  sku_count: optional(z.number().int()),
});

/** One unit of an order: a line item has no quantity field, so three units are three items. */
export const lineItemPayloadSchema = z.looseObject({
  id: optional(idSchema),
  product_id: optional(idSchema),
  product_name: optional(z.string()),
  sku_id: optional(idSchema),
  sku_name: optional(z.string()),
  sku_image: optional(z.string()),
  seller_sku: optional(z.string()),
  currency: optional(z.string()),
  original_price: optional(decimalSchema),
  sale_price: optional(decimalSchema),
  seller_discount: optional(decimalSchema),
  platform_discount: optional(decimalSchema),
  display_status: optional(z.string()),
  package_id: optional(idSchema),
  package_status: optional(z.string()),
  shipping_provider_id: optional(idSchema),
  shipping_provider_name: optional(z.string()),
  tracking_number: optional(z.string()),
  rts_time: optional(unixSecondsSchema),
  cancel_user: optional(z.string()),
  cancel_reason: optional(z.string()),
  is_gift: optional(flagSchema),
  gift_retail_price: optional(decimalSchema),
  item_tax: optional(z.array(itemTaxPayloadSchema)),
  combined_listing_skus: optional(z.array(combinedListingSkuSchema)),
  is_dangerous_good: optional(flagSchema),
  needs_prescription: optional(flagSchema),
  sku_type: optional(z.string()),
});

/** A package of an order; local US and UK sellers see its id only after it ships. */
export const orderPackagePayloadSchema = z.looseObject({
  id: optional(idSchema),
});

/** Order amounts, all decimal strings in major units of `currency`. */
export const paymentPayloadSchema = z.looseObject({
  currency: optional(z.string()),
  sub_total: optional(decimalSchema),
  shipping_fee: optional(decimalSchema),
  seller_discount: optional(decimalSchema),
  platform_discount: optional(decimalSchema),
  total_amount: optional(decimalSchema),
  original_total_product_price: optional(decimalSchema),
  original_shipping_fee: optional(decimalSchema),
  shipping_fee_seller_discount: optional(decimalSchema),
  shipping_fee_platform_discount: optional(decimalSchema),
  shipping_fee_cofunded_discount: optional(decimalSchema),
  tax: optional(decimalSchema),
  product_tax: optional(decimalSchema),
  shipping_fee_tax: optional(decimalSchema),
  item_insurance_tax: optional(decimalSchema),
  retail_delivery_fee: optional(decimalSchema),
  small_order_fee: optional(decimalSchema),
  buyer_service_fee: optional(decimalSchema),
  handling_fee: optional(decimalSchema),
  shipping_insurance_fee: optional(decimalSchema),
  item_insurance_fee: optional(decimalSchema),
  payment_platform_discount: optional(decimalSchema),
  payment_discount_service_fee: optional(decimalSchema),
  distance_fee: optional(decimalSchema),
  distance_shipping_fee: optional(decimalSchema),
});

const orderIdentitySchema = z.looseObject({
  id: optional(idSchema),
  status: optional(z.string()),
  create_time: optional(unixSecondsSchema),
  update_time: optional(unixSecondsSchema),
  paid_time: optional(unixSecondsSchema),
  user_id: optional(idSchema),
  order_type: optional(z.string()),
  commerce_platform: optional(z.string()),
  is_cod: optional(flagSchema),
  is_replacement_order: optional(flagSchema),
  replaced_order_id: optional(idSchema),
  is_exchange_order: optional(flagSchema),
  exchange_source_order_id: optional(idSchema),
  is_subscription_order: optional(flagSchema),
  auto_combine_group_id: optional(idSchema),
  // NOTE: one community SDK types is_sample_order as a string, so "true"/"false" are accepted.
  is_sample_order: optional(flagSchema),
  is_on_hold_order: optional(flagSchema),
});

const orderDeadlineSchema = z.looseObject({
  rts_sla_time: optional(unixSecondsSchema),
  tts_sla_time: optional(unixSecondsSchema),
  shipping_due_time: optional(unixSecondsSchema),
  collection_due_time: optional(unixSecondsSchema),
  delivery_due_time: optional(unixSecondsSchema),
  delivery_sla_time: optional(unixSecondsSchema),
  delivery_option_required_delivery_time: optional(unixSecondsSchema),
  cancel_order_sla_time: optional(unixSecondsSchema),
  handling_duration: optional(
    z.looseObject({ days: optional(numberOrStringSchema), type: optional(z.string()) }),
  ),
  release_date: optional(numberOrStringSchema),
  pick_up_cut_off_time: optional(unixSecondsSchema),
  fast_dispatch_sla_time: optional(unixSecondsSchema),
  recommended_shipping_time: optional(unixSecondsSchema),
  fulfillment_priority_level: optional(numberOrStringSchema),
  rts_time: optional(unixSecondsSchema),
  collection_time: optional(unixSecondsSchema),
  delivery_time: optional(unixSecondsSchema),
  cancel_time: optional(unixSecondsSchema),
});

const orderFulfillmentSchema = z.looseObject({
  shipping_type: optional(z.string()),
  fulfillment_type: optional(z.string()),
  delivery_type: optional(z.string()),
  delivery_option_id: optional(idSchema),
  delivery_option_name: optional(z.string()),
  shipping_provider: optional(z.string()),
  shipping_provider_id: optional(idSchema),
  tracking_number: optional(z.string()),
  warehouse_id: optional(idSchema),
  split_or_combine_tag: optional(z.string()),
  fast_delivery_program: optional(z.string()),
  packages: optional(z.array(orderPackagePayloadSchema)),
});

const orderBuyerSchema = z.looseObject({
  buyer_email: optional(z.string()),
  buyer_message: optional(z.string()),
  buyer_nickname: optional(z.string()),
  buyer_avatar: optional(z.string()),
  seller_note: optional(z.string()),
  cpf: optional(z.string()),
  cpf_name: optional(z.string()),
  recipient_address: optional(recipientAddressPayloadSchema),
  has_updated_recipient_address: optional(flagSchema),
});

const orderMoneyAndCancelSchema = z.looseObject({
  payment: optional(paymentPayloadSchema),
  payment_method_name: optional(z.string()),
  line_items: optional(z.array(lineItemPayloadSchema)),
  cancellation_initiator: optional(z.string()),
  cancel_reason: optional(z.string()),
  is_buyer_request_cancel: optional(flagSchema),
  request_cancel_time: optional(unixSecondsSchema),
  need_upload_invoice: optional(z.string()),
});

/** A full order object as returned by Search Orders and Get Order Detail (version 202309). */
export const orderPayloadSchema = orderIdentitySchema
  .extend(orderDeadlineSchema.shape)
  .extend(orderFulfillmentSchema.shape)
  .extend(orderBuyerSchema.shape)
  .extend(orderMoneyAndCancelSchema.shape);

export type OrderPayload = z.infer<typeof orderPayloadSchema>;
export type LineItemPayload = z.infer<typeof lineItemPayloadSchema>;
export type PaymentPayload = z.infer<typeof paymentPayloadSchema>;
export type RecipientAddressPayload = z.infer<typeof recipientAddressPayloadSchema>;
export type ItemTaxPayload = z.infer<typeof itemTaxPayloadSchema>;
export type OrderPackagePayload = z.infer<typeof orderPackagePayloadSchema>;

/** The `data` of Search Orders. */
export const searchOrdersDataPayloadSchema = z.looseObject({
  orders: optional(z.array(orderPayloadSchema)),
  total_count: optional(z.number().int()),
  next_page_token: optional(z.string()),
});

/** The `data` of Get Order Detail. */
export const orderDetailDataPayloadSchema = z.looseObject({
  orders: optional(z.array(orderPayloadSchema)),
});

/** One shop of Get Authorized Shops. */
export const authorizedShopPayloadSchema = z.looseObject({
  id: idSchema,
  cipher: z.string().min(1),
  code: optional(z.string()),
  name: optional(z.string()),
  region: optional(z.string()),
  seller_type: optional(z.string()),
});

/** The `data` of Get Authorized Shops. */
export const authorizedShopsDataPayloadSchema = z.looseObject({
  shops: optional(z.array(authorizedShopPayloadSchema)),
});

export type AuthorizedShopPayload = z.infer<typeof authorizedShopPayloadSchema>;

/** The body of every webhook delivery; `type` is the numeric topic. */
export const webhookEnvelopePayloadSchema = z.looseObject({
  type: z.number().int(),
  // Some older deliveries leave the notification id out.
  tts_notification_id: optional(idSchema),
  shop_id: idSchema,
  timestamp: unixSecondsSchema,
  data: z.unknown(),
});

export type WebhookEnvelopePayload = z.infer<typeof webhookEnvelopePayloadSchema>;

/** `data` of type 1, ORDER_STATUS_CHANGE; a trigger to re-read the order, not its state. */
export const orderStatusChangeDataPayloadSchema = z.looseObject({
  order_id: idSchema,
  // TikTok documents CANCEL here while orders use CANCELLED, so any string is accepted.
  order_status: z.string().min(1),
  is_on_hold_order: optional(flagSchema),
  update_time: optional(unixSecondsSchema),
});

/** `data` of type 6, SELLER_DEAUTHORIZATION: the shop is no longer authorized. */
export const sellerDeauthorizationDataPayloadSchema = z.looseObject({
  message: optional(z.string()),
});

/** `data` of type 7, UPCOMING_AUTHORIZATION_EXPIRATION, sent daily from 30 days before expiry. */
export const upcomingAuthorizationExpirationDataPayloadSchema = z.looseObject({
  message: optional(z.string()),
  // Documented as a string of Unix seconds, but numbers are accepted too.
  expiration_time: optional(unixSecondsSchema),
});

export type OrderStatusChangeDataPayload = z.infer<typeof orderStatusChangeDataPayloadSchema>;
export type SellerDeauthorizationDataPayload = z.infer<
  typeof sellerDeauthorizationDataPayloadSchema
>;
export type UpcomingAuthorizationExpirationDataPayload = z.infer<
  typeof upcomingAuthorizationExpirationDataPayloadSchema
>;

/** `data` of type 5, PRODUCT_STATUS_CHANGE, whose `product_id` arrives as a JSON number. */
export const productStatusChangeDataPayloadSchema = z.looseObject({
  product_id: idSchema,
  /** `PRODUCT_FIRST_PASS_REVIEW`, `PRODUCT_STATUS_CHANGED` or `PRODUCT_AUDIT_FAILURE`. */
  status: optional(z.string()),
  suspended_reason: optional(z.string()),
  update_time: optional(unixSecondsSchema),
});

/** `data` of type 15, PRODUCT_INFORMATION_CHANGE, sent for live products only. */
export const productInformationChangeDataPayloadSchema = z.looseObject({
  product_id: idSchema,
  /** `SELLER_CENTER` or `OPEN_API`. */
  change_source: optional(z.string()),
  /** E.g. `title`, `description`, `main_images`, `product_attributes`, `others`. */
  changed_fields: optional(z.array(z.string())),
  update_time: optional(unixSecondsSchema),
});

/** `data` of type 16, PRODUCT_CREATION, whose `product_id` arrives as a JSON number. */
export const productCreationDataPayloadSchema = z.looseObject({
  product_id: idSchema,
  /** `COMBINED_PRODUCT` or `GPR_PRODUCT`. */
  product_types: optional(z.array(z.string())),
  update_time: optional(unixSecondsSchema),
});

const inventoryTriggerReasonSchema = z.looseObject({
  /** `PREDICTION` or `REALTIME`. */
  alert_type: optional(z.string()),
  lead_days: optional(countSchema),
  low_stock_threshold: optional(countSchema),
});

const inventoryDistributionSchema = z.looseObject({
  total_quantity: optional(countSchema),
  available_quantity: optional(countSchema),
  creator_reserved_quantity: optional(countSchema),
  campaign_reserved_quantity: optional(countSchema),
  committed_quantity: optional(countSchema),
});

/** `data` of type 27, INVENTORY_STATUS_CHANGE: the stock level of one SKU crossed a threshold. */
export const inventoryStatusChangeDataPayloadSchema = z.looseObject({
  product_id: idSchema,
  sku_id: optional(idSchema),
  /** `SUFFICIENT_STOCK`, `LOW_STOCK` or `OUT_OF_STOCK`. */
  current_inventory_status: optional(z.string()),
  trigger_reason: optional(inventoryTriggerReasonSchema),
  inventory_distribution: optional(inventoryDistributionSchema),
});

/** `data` of type 37, PRODUCT_AUDIT_STATUS_CHANGE, whose `product_id` arrives as a JSON number. */
export const productAuditStatusChangeDataPayloadSchema = z.looseObject({
  product_id: idSchema,
  audit: optional(
    z.looseObject({
      /** E.g. `NONE`, `AUDITING`, `FAILED`, `PRE_APPROVED`, `APPROVED`. */
      status: optional(z.string()),
      pre_approved_reasons: optional(z.array(z.unknown())),
    }),
  ),
  integrated_platform_statuses: optional(z.unknown()),
  update_time: optional(unixSecondsSchema),
});

export type ProductStatusChangeDataPayload = z.infer<typeof productStatusChangeDataPayloadSchema>;
export type ProductInformationChangeDataPayload = z.infer<
  typeof productInformationChangeDataPayloadSchema
>;
export type ProductCreationDataPayload = z.infer<typeof productCreationDataPayloadSchema>;
export type InventoryStatusChangeDataPayload = z.infer<
  typeof inventoryStatusChangeDataPayloadSchema
>;
export type ProductAuditStatusChangeDataPayload = z.infer<
  typeof productAuditStatusChangeDataPayloadSchema
>;
