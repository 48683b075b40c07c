// Response shapes of the REST API under /api/v1, shared by the Fastify routes and the dashboard.
// Times are ISO-8601 strings in UTC; money amounts are decimal strings with their currency.

export interface ApiErrorBody {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

export interface MeResponse {
  user: { id: string; email: string; name: string };
  account: { id: string; name: string };
  stores: StoreSummary[];
}

export interface StoreSummary {
  id: string;
  name: string;
}

export type ConnectionStatus = 'active' | 'reauthorize_required' | 'disconnected';

export interface BackfillProgress {
  status: 'pending' | 'running' | 'done' | 'failed';
  windowsDone: number;
  windowsTotal: number;
  ordersImported: number;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Connection {
  id: string;
  storeId: string;
  shopId: string;
  shopName: string;
  shopCode: string | null;
  region: string;
  sellerType: string | null;
  status: ConnectionStatus;
  sellerName: string | null;
  /** When the seller's authorization ends (refresh token expiry). */
  authorizationExpiresAt: string | null;
  /** Set when TikTok warned that the authorization is about to expire. */
  reauthorizeBy: string | null;
  connectedAt: string;
  disconnectedAt: string | null;
  lastPolledAt: string | null;
  lastWebhookAt: string | null;
  orderCount: number;
  backfill: BackfillProgress;
  catalog: CatalogProgress;
}

/** State of the shop's product catalog mirror. */
export interface CatalogProgress {
  status: 'pending' | 'running' | 'done' | 'failed';
  products: number;
  syncedAt: string | null;
  error: string | null;
}

export interface ConnectionListResponse {
  connections: Connection[];
}

export interface AuthorizeUrlResponse {
  authorizeUrl: string;
  expiresAt: string;
}

export interface GrantShop {
  shopId: string;
  shopName: string;
  region: string;
  /** Store the shop is connected to now, if any. */
  connectedStoreId: string | null;
}

export interface PendingGrant {
  id: string;
  sellerName: string | null;
  /** Store named by the OAuth state, or null for an install from TikTok's app store. */
  suggestedStoreId: string | null;
  expiresAt: string;
  shops: GrantShop[];
}

export interface PendingGrantListResponse {
  grants: PendingGrant[];
}

export interface ClaimGrantRequest {
  assignments: { shopId: string; storeId: string }[];
}

export type PlatformOrderStatus =
  | 'pending_payment'
  | 'on_hold'
  | 'awaiting_fulfillment'
  | 'partially_shipped'
  | 'shipped'
  | 'delivered'
  | 'completed'
  | 'cancelled';

export interface OrderSummary {
  id: string;
  shopId: string;
  tiktokOrderId: string;
  status: PlatformOrderStatus;
  tiktokStatus: string;
  currency: string;
  totalAmount: string;
  isSample: boolean;
  hasGift: boolean;
  isOnHoldOrder: boolean;
  isFulfillable: boolean;
  lineItemCount: number;
  buyerName: string | null;
  createdAt: string;
  updatedAt: string;
  syncedAt: string;
}

export interface OrderListResponse {
  orders: OrderSummary[];
  nextCursor: string | null;
}

export interface OrderLineItem {
  id: string;
  skuId: string | null;
  sellerSku: string | null;
  productName: string | null;
  skuName: string | null;
  currency: string;
  originalPrice: string | null;
  salePrice: string | null;
  isGift: boolean;
  giftRetailPrice: string | null;
  packageId: string | null;
  packageStatus: string | null;
  displayStatus: string | null;
  cancelUser: string | null;
  cancelReason: string | null;
  taxes: { taxType: string; taxAmount: string; taxRate: string | null }[];
}

export interface OrderPackage {
  id: string;
  status: string | null;
  trackingNumber: string | null;
  shippingProviderName: string | null;
  lineItemIds: string[];
}

export interface OrderDetail extends OrderSummary {
  shippingType: string | null;
  fulfillmentType: string | null;
  paidAt: string | null;
  cancelReason: string | null;
  cancellationInitiator: string | null;
  payment: Record<string, string>;
  recipient: { name: string | null; fullAddress: string | null; regionCode: string | null };
  lineItems: OrderLineItem[];
  packages: OrderPackage[];
  statusHistory: {
    status: PlatformOrderStatus;
    tiktokStatus: string;
    at: string;
    source: string;
  }[];
}

export interface ApiKeySummary {
  id: string;
  storeId: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreatedApiKey extends ApiKeySummary {
  /** The whole key, returned once at creation and never again. */
  key: string;
}
