/** The TikTok Shop error codes the emulator returns, by meaning. */
export const TIKTOK_CODES = {
  SUCCESS: 0,
  /** Overloaded: bad parameter, app key, timestamp, token, or an unexpected shop_cipher. */
  INVALID_PARAM: 36009004,
  INVALID_SIGN: 106001,
  MISSING_SHOP_CIPHER: 106013,
  ACCESS_TOKEN_INVALID: 105001,
  ACCESS_TOKEN_EXPIRED: 105002,
  SHOP_NOT_AUTHORIZED: 101000,
  TOO_MANY_REQUESTS: 36009002,
  INTERNAL_ERROR: 36009003,
  INVALID_PATH: 36009009,
  INVALID_METHOD: 36009010,
  INVALID_VERSION: 36009014,
  CONTENT_TYPE_NOT_JSON: 36009022,
  CONTENT_TYPE_MULTIPART: 36009023,
  INVALID_AUTH_CODE: 36004004,
  /** Search Products: the page reaches past the 10,000th result. */
  PRODUCT_SEARCH_TOO_DEEP: 12052180,
  TOO_MANY_SELLER_SKUS: 12019027,
  TOO_MANY_SKU_IDS: 12019087,
  /** Update Inventory: a warehouse assigned to the SKU was left out. */
  INVENTORY_WAREHOUSE_MISSING: 12019028,
  /** Update Price: the price is locked by an ongoing promotion. */
  PRICE_LOCKED_BY_PROMOTION: 12019045,
  /** Update Price: the price is locked for another reason. */
  PRICE_LOCKED: 12052038,
} as const;

/** A request the emulator rejects with a TikTok code, an HTTP status and a message. */
export class TikTokApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus = 200,
  ) {
    super(message);
    this.name = 'TikTokApiError';
  }
}

/** Creates a 36009004 error about one parameter, with HTTP 400. */
export function invalidParam(message: string): TikTokApiError {
  return new TikTokApiError(TIKTOK_CODES.INVALID_PARAM, message, 400);
}

/** Creates a business-rule error: HTTP 200 with a non-zero code, as TikTok sends those. */
export function businessError(code: number, message: string): TikTokApiError {
  return new TikTokApiError(code, message, 200);
}
