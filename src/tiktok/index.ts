// The public surface of the TikTok Shop Open API client. It imports nothing from the rest of src/.

export { createTikTokClient, DEFAULT_API_BASE_URL, DEFAULT_AUTH_BASE_URL } from './client.ts';
export type { TikTokClient, TikTokClientOptions } from './client.ts';
export {
  TIKTOK_ERROR_KINDS,
  TikTokApiError,
  classifyTikTokError,
  isPriceLocked,
  isTikTokApiError,
} from './errors.ts';
export type { TikTokApiErrorOptions, TikTokErrorClass, TikTokErrorKind } from './errors.ts';
export type { ApiRequest, ApiResponse } from './http.ts';
export type {
  InventorySearchQuery,
  InventoryUpdateSku,
  PriceUpdateSku,
  SkuUpdateFailure,
  WarehouseQuantity,
} from './inventory.ts';
export { parseJsonLossless } from './json.ts';
export type {
  OrderSearchFilters,
  OrderSearchPage,
  SearchOrdersQuery,
  TikTokShopContext,
} from './orders.ts';
export * from './payloads.ts';
export * from './product-payloads.ts';
export type { ProductSearchFilters, ProductSearchPage, SearchProductsQuery } from './products.ts';
export { createMemoryRateLimiter } from './rate-limiter.ts';
export type { MemoryRateLimiterOptions, RateLimitKey, RateLimiter } from './rate-limiter.ts';
export { TIKTOK_REDACT_PATHS } from './redact.ts';
export { shopCipherRule } from './shop-cipher.ts';
export type { ShopCipherRule } from './shop-cipher.ts';
export { findShopById } from './shops.ts';
export type { AuthorizedShop } from './shops.ts';
export {
  buildStringToSign,
  hmacSha256Hex,
  normalizeQuery,
  signRequest,
  unixTimestamp,
} from './sign.ts';
export type { NormalizedQuery, QueryValue, SignRequestInput } from './sign.ts';
export { createSingleFlight, parseTokenGrant } from './token.ts';
export type { SingleFlight, TokenGrant } from './token.ts';
export { SILENT_LOGGER, SYSTEM_CLOCK } from './types.ts';
export type { Clock, FetchFunction, HttpMethod, TikTokLogger, TokenProvider } from './types.ts';
export {
  WEBHOOK_TYPES,
  parseWebhookEvent,
  signWebhook,
  verifyWebhookSignature,
} from './webhook.ts';
export type { VerifyWebhookInput, WebhookEvent, WebhookPayload } from './webhook.ts';
