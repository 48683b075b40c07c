/** Source of the current time in milliseconds; tests pass a fake one and advance it. */
export interface Clock {
  now(): number;
}

/** An app registered in Partner Center, with the settings the emulator uses. */
export interface AppConfig {
  appKey: string;
  appSecret: string;
  serviceId: string;
  redirectUrl: string;
  /** URL that webhooks are posted to; no webhooks are sent while it is unset. */
  webhookUrl?: string;
}

export type Region = 'US' | 'GB' | 'DE' | 'FR' | 'IT' | 'ES' | 'IE' | 'JP' | 'MX' | 'BR' | string;
export type SellerType = 'LOCAL' | 'CROSS_BORDER';

export interface SellerRecord {
  id: string;
  name: string;
  baseRegion: Region;
  /** Shops in creation order. */
  shopIds: string[];
}

export interface ShopRecord {
  id: string;
  sellerId: string;
  cipher: string;
  code: string;
  name: string;
  region: Region;
  currency: string;
  sellerType: SellerType;
  /** Whether paid orders wait in ON_HOLD before AWAITING_SHIPMENT. */
  hasOnHold: boolean;
  /** Sales tax rate in parts per million of the pre-tax amount; 0 for VAT-inclusive markets. */
  salesTaxRatePpm: number;
  warehouseIds: string[];
}

export interface SkuRecord {
  id: string;
  productId: string;
  shopId: string;
  sellerSku: string;
  name: string;
  /** Price in minor units of the shop's currency. */
  priceMinor: number;
}

export interface ProductRecord {
  id: string;
  shopId: string;
  title: string;
  skuIds: string[];
}

export type OrderStatus =
  | 'UNPAID'
  | 'ON_HOLD'
  | 'AWAITING_SHIPMENT'
  | 'PARTIALLY_SHIPPING'
  | 'AWAITING_COLLECTION'
  | 'IN_TRANSIT'
  | 'DELIVERED'
  | 'COMPLETED'
  | 'CANCELLED';

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'UNPAID',
  'ON_HOLD',
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPING',
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
];

export type ShippingType = 'TIKTOK' | 'SELLER' | 'TIKTOK_DIGITAL';
export type FulfillmentType = 'FULFILLMENT_BY_SELLER' | 'FULFILLMENT_BY_TIKTOK';
export type CancelRole = 'BUYER' | 'SELLER' | 'SYSTEM';
export type PackageStatus = 'TO_FULFILL' | 'PROCESSING' | 'FULFILLING' | 'COMPLETED' | 'CANCELLED';

/** One unit of one SKU; TikTok has no quantity field on line items. */
export interface LineItemRecord {
  id: string;
  skuId: string;
  productId: string;
  productName: string;
  skuName: string;
  sellerSku: string;
  originalPriceMinor: number;
  sellerDiscountMinor: number;
  platformDiscountMinor: number;
  taxMinor: number;
  isGift: boolean;
  packageId?: string;
  cancelUser?: CancelRole | 'OPERATOR';
  cancelReason?: string;
}

export interface PackageRecord {
  id: string;
  status: PackageStatus;
  trackingNumber: string;
  shippingProviderId: string;
  shippingProviderName: string;
}

export interface AddressRecord {
  firstName: string;
  lastName: string;
  phoneNumber: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  postalCode: string;
  regionCode: string;
}

export interface OrderRecord {
  id: string;
  shopId: string;
  status: OrderStatus;
  currency: string;
  createTime: number;
  updateTime: number;
  paidTime?: number;
  rtsTime?: number;
  collectionTime?: number;
  deliveryTime?: number;
  completedTime?: number;
  cancelTime?: number;
  /** When an ON_HOLD order is released, in clock milliseconds. */
  onHoldUntilMs?: number;
  isOnHoldOrder: boolean;
  isSampleOrder: boolean;
  isBuyerRequestCancel: boolean;
  requestCancelTime?: number;
  userId: string;
  buyerEmail: string;
  buyerMessage: string;
  shippingType: ShippingType;
  fulfillmentType: FulfillmentType;
  deliveryOptionId: string;
  deliveryOptionName: string;
  warehouseId: string;
  originalShippingFeeMinor: number;
  shippingFeeSellerDiscountMinor: number;
  shippingFeePlatformDiscountMinor: number;
  shippingFeeTaxMinor: number;
  retailDeliveryFeeMinor: number;
  salesTaxRatePpm: number;
  lineItems: LineItemRecord[];
  packages: PackageRecord[];
  address: AddressRecord;
  cancelReason?: string;
  cancellationInitiator?: CancelRole;
}

/** One seller's authorization of one app, with its current tokens. */
export interface GrantRecord {
  id: string;
  appKey: string;
  sellerId: string;
  openId: string;
  shopIds: string[];
  accessToken: string;
  accessTokenExpiresAtMs: number;
  refreshToken: string;
  refreshTokenExpiresAtMs: number;
  grantedScopes: string[];
  isRevoked: boolean;
}

export interface AuthCodeRecord {
  code: string;
  appKey: string;
  sellerId: string;
  shopIds: string[];
  createdAtMs: number;
  isUsed: boolean;
}
