import { createTransport } from './http.ts';
import type { ApiRequest, ApiResponse } from './http.ts';
import { getOrderDetail, iterateOrderPages, searchOrders } from './orders.ts';
import type { OrderSearchPage, SearchOrdersQuery, TikTokShopContext } from './orders.ts';
import { searchInventory, updateInventory, updatePrice } from './inventory.ts';
import type {
  InventorySearchQuery,
  InventoryUpdateSku,
  PriceUpdateSku,
  SkuUpdateFailure,
} from './inventory.ts';
import type { OrderPayload } from './payloads.ts';
import type {
  ProductInventoryPayload,
  ProductPayload,
  WarehousePayload,
} from './product-payloads.ts';
import { getProduct, iterateProductPages, searchProducts } from './products.ts';
import type { ProductSearchPage, SearchProductsQuery } from './products.ts';
import { createMemoryRateLimiter } from './rate-limiter.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { getAuthorizedShops } from './shops.ts';
import type { AuthorizedShop } from './shops.ts';
import { requestAccessToken, requestRefreshedToken } from './token.ts';
import type { TokenGrant } from './token.ts';
import { SILENT_LOGGER, SYSTEM_CLOCK } from './types.ts';
import type { Clock, FetchFunction, TikTokLogger, TokenProvider } from './types.ts';
import { getWarehouses } from './warehouses.ts';

/** The production host of every business API. */
export const DEFAULT_API_BASE_URL = 'https://open-api.tiktokglobalshop.com';
/** The production host of the token calls. */
export const DEFAULT_AUTH_BASE_URL = 'https://auth.tiktok-shops.com';
const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_RETRY_BASE_DELAY_MS = 500;
const DEFAULT_RETRY_MAX_DELAY_MS = 20_000;

/** Options of {@link createTikTokClient}. */
export interface TikTokClientOptions {
  appKey: string;
  appSecret: string;
  /**
   * Default {@link DEFAULT_API_BASE_URL}. A path prefix (e.g. `http://127.0.0.1:8080/tiktok`) is
   * sent but not signed, because the reverse proxy in front of the API strips it.
   */
  apiBaseUrl?: string;
  /** Default {@link DEFAULT_AUTH_BASE_URL}; may carry a path prefix like `apiBaseUrl`. */
  authBaseUrl?: string;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: the global fetch. */
  fetch?: FetchFunction;
  /** Called before every attempt. Default: an in-memory limiter at 50 requests/s per key. */
  rateLimiter?: RateLimiter;
  /** A pino logger or anything with the same methods. Default: no logging. */
  logger?: TikTokLogger;
  /** Time limit of one attempt in ms. Default 15000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for failures that allow one. Default 3. */
  maxRetries?: number;
  /** Upper bound of the first backoff delay in ms; doubles per attempt. Default 500. */
  retryBaseDelayMs?: number;
  /**
   * Upper bound of any backoff delay in ms. When `Retry-After` requests longer, the call fails
   * with `retryAfterMs` set. Default 20000.
   */
  retryMaxDelayMs?: number;
  /** Uniform random source in [0, 1) for the backoff jitter. Default `Math.random`. */
  random?: () => number;
}

/** The TikTok Shop Open API client. */
export interface TikTokClient {
  /** Exchanges the `code` of the authorization redirect for tokens. */
  getAccessToken(authCode: string): Promise<TokenGrant>;
  /** Obtains a new access token and refresh token; store both. */
  refreshAccessToken(refreshToken: string): Promise<TokenGrant>;
  /** Lists the shops of an authorization with their ciphers. */
  getAuthorizedShops(tokenProvider: TokenProvider): Promise<AuthorizedShop[]>;
  /** Fetches one page of Search Orders. */
  searchOrders(shop: TikTokShopContext, query: SearchOrdersQuery): Promise<OrderSearchPage>;
  /** Yields every page of Search Orders until the last one. */
  iterateOrderPages(
    shop: TikTokShopContext,
    query: SearchOrdersQuery,
  ): AsyncGenerator<OrderSearchPage, void, undefined>;
  /** Fetches up to 50 orders by id. */
  getOrderDetail(shop: TikTokShopContext, orderIds: readonly string[]): Promise<OrderPayload[]>;
  /** Fetches one page of Search Products (version 202502). */
  searchProducts(shop: TikTokShopContext, query: SearchProductsQuery): Promise<ProductSearchPage>;
  /** Yields every page of Search Products until the last one. */
  iterateProductPages(
    shop: TikTokShopContext,
    query: SearchProductsQuery,
  ): AsyncGenerator<ProductSearchPage, void, undefined>;
  /** Fetches one product with its SKUs. */
  getProduct(shop: TikTokShopContext, productId: string): Promise<ProductPayload>;
  /** Fetches available and committed stock per warehouse for up to 100 products or 600 SKUs. */
  searchInventory(
    shop: TikTokShopContext,
    query: InventorySearchQuery,
  ): Promise<ProductInventoryPayload[]>;
  /**
   * Sets absolute stock per warehouse for SKUs of one product and returns the SKUs that TikTok
   * rejected.
   * Retried like a read, because repeating it is safe.
   */
  updateInventory(
    shop: TikTokShopContext,
    productId: string,
    skus: readonly InventoryUpdateSku[],
  ): Promise<SkuUpdateFailure[]>;
  /**
   * Sets absolute prices for SKUs of one product and returns the SKUs that TikTok rejected. Retried like a
   * read, because repeating it is safe.
   */
  updatePrice(
    shop: TikTokShopContext,
    productId: string,
    skus: readonly PriceUpdateSku[],
  ): Promise<SkuUpdateFailure[]>;
  /** Lists the shop's warehouses. */
  getWarehouses(shop: TikTokShopContext): Promise<WarehousePayload[]>;
  /** Sends any signed business call; for endpoints without a dedicated method. */
  callApi(request: ApiRequest): Promise<ApiResponse>;
}

/** Creates a TikTok Shop Open API client. */
export function createTikTokClient(options: TikTokClientOptions): TikTokClient {
  validateOptions(options);
  const clock = options.clock ?? SYSTEM_CLOCK;
  const logger = options.logger ?? SILENT_LOGGER;
  const transport = createTransport({
    appKey: options.appKey,
    appSecret: options.appSecret,
    apiBaseUrl: options.apiBaseUrl ?? DEFAULT_API_BASE_URL,
    authBaseUrl: options.authBaseUrl ?? DEFAULT_AUTH_BASE_URL,
    clock,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    rateLimiter: options.rateLimiter ?? createMemoryRateLimiter({ clock }),
    logger,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    backoff: {
      baseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
      maxDelayMs: options.retryMaxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS,
      random: options.random ?? Math.random,
    },
  });
  const tokenDeps = {
    transport,
    clock,
    logger,
    appKey: options.appKey,
    appSecret: options.appSecret,
  };

  return {
    getAccessToken: (authCode) => requestAccessToken(tokenDeps, authCode),
    refreshAccessToken: (refreshToken) => requestRefreshedToken(tokenDeps, refreshToken),
    getAuthorizedShops: (tokenProvider) => getAuthorizedShops(transport, tokenProvider),
    searchOrders: (shop, query) => searchOrders(transport, shop, query),
    iterateOrderPages: (shop, query) => iterateOrderPages(transport, shop, query),
    getOrderDetail: (shop, orderIds) => getOrderDetail(transport, shop, orderIds),
    searchProducts: (shop, query) => searchProducts(transport, shop, query),
    iterateProductPages: (shop, query) => iterateProductPages(transport, shop, query),
    getProduct: (shop, productId) => getProduct(transport, shop, productId),
    searchInventory: (shop, query) => searchInventory(transport, shop, query),
    updateInventory: (shop, productId, skus) => updateInventory(transport, shop, productId, skus),
    updatePrice: (shop, productId, skus) => updatePrice(transport, shop, productId, skus),
    getWarehouses: (shop) => getWarehouses(transport, shop),
    callApi: (request) => transport.callApi(request),
  };
}

function validateOptions(options: TikTokClientOptions): void {
  if (!options.appKey || !options.appSecret) {
    throw new TypeError('appKey and appSecret are required; copy them from Partner Center');
  }
  const positive: [string, number | undefined][] = [
    ['timeoutMs', options.timeoutMs],
    ['retryBaseDelayMs', options.retryBaseDelayMs],
    ['retryMaxDelayMs', options.retryMaxDelayMs],
  ];
  for (const [name, value] of positive) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new RangeError(`${name} must be a positive number of milliseconds, got ${value}`);
    }
  }
  const { maxRetries } = options;
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    throw new RangeError(`maxRetries must be a non-negative integer, got ${maxRetries}`);
  }
}
