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
  /** Every warehouse of the shop: the default sales warehouse first, then creation order. */
  warehouseIds: string[];
}

export type WarehouseType = 'SALES_WAREHOUSE' | 'RETURN_WAREHOUSE';
export type WarehouseSubType =
  'DOMESTIC_WAREHOUSE' | 'CB_OVERSEA_WAREHOUSE' | 'CB_DIRECT_SHIPPING_WAREHOUSE';
export type WarehouseEffectStatus = 'ENABLED' | 'DISABLED' | 'RESTRICTED';

export interface WarehouseAddressRecord {
  contactPerson: string;
  phoneNumber: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  postalCode: string;
  regionCode: string;
}

export interface WarehouseRecord {
  id: string;
  shopId: string;
  name: string;
  isDefault: boolean;
  type: WarehouseType;
  subType: WarehouseSubType;
  effectStatus: WarehouseEffectStatus;
  entityId: string;
  address: WarehouseAddressRecord;
}

/** Stock of one SKU in one warehouse. */
export interface SkuInventoryRecord {
  warehouseId: string;
  /** In-stock units that can ship now, including the units committed to open orders. */
  quantity: number;
  /** Units held by open orders that have not shipped yet. */
  committed: number;
}

/** Error codes TikTok returns for a locked price: a promotion, or another kind of lock. */
export type PriceLockCode = 12019045 | 12052038;

export interface SkuRecord {
  id: string;
  productId: string;
  shopId: string;
  sellerSku: string;
  name: string;
  /** Sale price (the price buyers see) in minor units of the shop's currency. */
  priceMinor: number;
  /** Pre-tax price in minor units, set when a price update sends `sale_price` separately. */
  taxExclusivePriceMinor?: number;
  /** List (strikethrough) price in minor units. */
  listPriceMinor?: number;
  /** One entry per warehouse assigned to the SKU. Orders commit stock at the first one. */
  inventory: SkuInventoryRecord[];
  /** Set while a promotion or another lock blocks price updates. */
  priceLock?: { code: PriceLockCode; reason: string };
}

export type ProductStatus =
  | 'DRAFT'
  | 'PENDING'
  | 'FAILED'
  | 'ACTIVATE'
  | 'SELLER_DEACTIVATED'
  | 'PLATFORM_DEACTIVATED'
  | 'FREEZE'
  | 'DELETED';

export const PRODUCT_STATUSES: readonly ProductStatus[] = [
  'DRAFT',
  'PENDING',
  'FAILED',
  'ACTIVATE',
  'SELLER_DEACTIVATED',
  'PLATFORM_DEACTIVATED',
  'FREEZE',
  'DELETED',
];

export type AuditStatus = 'NONE' | 'AUDITING' | 'FAILED' | 'PRE_APPROVED' | 'APPROVED';

export const AUDIT_STATUSES: readonly AuditStatus[] = [
  'NONE',
  'AUDITING',
  'FAILED',
  'PRE_APPROVED',
  'APPROVED',
];

export type ProductType = 'COMBINED_PRODUCT' | 'GPR_PRODUCT';

export interface ProductRecord {
  id: string;
  shopId: string;
  title: string;
  skuIds: string[];
  status: ProductStatus;
  auditStatus: AuditStatus;
  /** Unix seconds. */
  createTime: number;
  /** Unix seconds. Every admin change and every API write bumps it. */
  updateTime: number;
  salesRegions: string[];
  productTypes: ProductType[];
  /** A gift-with-purchase-only product. */
  isNotForSale: boolean;
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
  /** Warehouse where this unit's stock is committed, unset when the SKU had no warehouse. */
  stockWarehouseId?: string;
  /** State of this unit in the committed-stock model, unset when it never committed stock. */
  stockState?: 'committed' | 'released' | 'shipped';
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
