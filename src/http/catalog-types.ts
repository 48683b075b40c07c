// JSON bodies of the catalog endpoints, shared by the server and the dashboard. Amounts are
// decimal strings; times are ISO 8601 strings; TikTok ids are strings.

import type { PriceRule, StockRule } from '../catalog/rules.ts';

export type { PriceRule, StockRule };

export interface Location {
  id: string;
  code: string;
  name: string;
  excludeFromTiktok: boolean;
  /** The TikTok warehouse this location feeds, per connected shop. */
  warehouses: { shopId: string; warehouseId: string; warehouseName: string | null }[];
}

export interface StockLevel {
  locationCode: string;
  onHand: number;
  reserved: number;
}

export interface PlatformSku {
  id: string;
  sku: string;
  title: string;
  price: string | null;
  currency: string | null;
  stock: StockLevel[];
  stockRule: StockRule | null;
  priceRule: PriceRule | null;
  updatedAt: string;
}

export interface PlatformSkuPage {
  skus: PlatformSku[];
  nextCursor: string | null;
}

export interface TiktokWarehouse {
  shopId: string;
  id: string;
  name: string;
  type: string | null;
  effectStatus: string | null;
  isDefault: boolean;
  /** Codes of the platform locations that feed it. */
  locationCodes: string[];
}

export interface TiktokSkuSummary {
  id: string;
  sellerSku: string;
  price: { amount: string | null; salePrice: string | null; currency: string | null };
  inventory: { warehouseId: string; quantity: number }[];
}

export interface TiktokProduct {
  shopId: string;
  id: string;
  title: string;
  status: string;
  createTime: number | null;
  updateTime: number;
  skus: TiktokSkuSummary[];
}

export interface TiktokProductPage {
  products: TiktokProduct[];
  nextPageToken: string | null;
  totalCount: number;
  /** `mirror` (the connector's copy) or `live` (asked TikTok now). */
  source: 'mirror' | 'live';
}

export type LinkState = 'auto' | 'manual' | 'unlinked' | 'unmatched' | 'duplicate';

/** One TikTok SKU as the products page shows it. */
export interface CatalogSku {
  shopId: string;
  shopName: string;
  productId: string;
  productTitle: string;
  productStatus: string;
  tiktokSkuId: string;
  sellerSku: string;
  link: { state: LinkState; platformSku: string | null; platformSkuId: string | null };
  tiktok: { price: string | null; currency: string | null; quantity: number };
  stock: {
    /** Quantity the connector would send now under the rules; null when not linked. */
    wanted: number | null;
    pushed: number | null;
    pushedAt: string | null;
    pending: boolean;
    error: string | null;
    errorCode: string | null;
  };
  price: {
    wanted: string | null;
    pushed: string | null;
    currency: string | null;
    pushedAt: string | null;
    pending: boolean;
    locked: boolean;
    error: string | null;
    errorCode: string | null;
  };
}

export interface CatalogSkuPage {
  skus: CatalogSku[];
  nextCursor: string | null;
}

export interface LinkReport {
  linked: number;
  /** TikTok SKUs whose seller_sku matches no platform SKU. */
  unmatchedTiktok: { shopId: string; productId: string; tiktokSkuId: string; sellerSku: string }[];
  /** Platform SKUs that no TikTok SKU of a connected shop links to. */
  unmatchedPlatform: { id: string; sku: string; title: string }[];
  /** seller_sku values used by more than one TikTok SKU in one shop; never linked on their own. */
  duplicates: { shopId: string; sellerSku: string; tiktokSkuIds: string[] }[];
}

export interface StockChangeResult {
  updated: number;
  /** TikTok SKUs whose stock push was queued. */
  queuedPushes: number;
}

export interface ImportResult {
  created: number;
  updated: number;
  queuedPushes: number;
}

export interface CatalogSettings {
  /** Currency of platform prices that name none. */
  currency: string;
  stockRule: StockRule | null;
  priceRule: PriceRule | null;
  currencyRates: { from: string; to: string; rate: string }[];
}
