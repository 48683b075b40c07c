/** Every kind of failure the TikTok client reports; callers branch on this, never on `code`. */
export const TIKTOK_ERROR_KINDS = [
  'RATE_LIMITED',
  'SIGNATURE_INVALID',
  'TIMESTAMP_INVALID',
  'APP_KEY_INVALID',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'SCOPE_MISSING',
  'SHOP_NOT_AUTHORIZED',
  'CIPHER_MISSING',
  'CIPHER_UNEXPECTED',
  'IP_NOT_ALLOWED',
  'AUTH_CODE_INVALID',
  'VERSION_RETIRED',
  'REQUEST_INVALID',
  'ON_HOLD',
  'UNSUPPORTED_REGION',
  'SEARCH_LIMIT_EXCEEDED',
  'SKU_FILTER_LIMIT_EXCEEDED',
  'INVENTORY_WAREHOUSE_MISSING',
  'PRICE_LOCKED',
  'SERVER_ERROR',
  'TIMEOUT',
  'NETWORK',
  'UNKNOWN_OUTCOME',
  'PAYLOAD_INVALID',
  'FAILED',
] as const;

/** One of {@link TIKTOK_ERROR_KINDS}. */
export type TikTokErrorKind = (typeof TIKTOK_ERROR_KINDS)[number];

/** The result of classifying a TikTok response that is not a success. */
export interface TikTokErrorClass {
  kind: TikTokErrorKind;
  /** Whether repeating the same read may succeed (rate limits, server errors, timeouts). */
  retryable: boolean;
}

/** Details of a TikTok failure, all safe to log. */
export interface TikTokApiErrorOptions {
  kind: TikTokErrorKind;
  message: string;
  /** TikTok's numeric code from the response envelope; null for local failures. */
  code?: number | null;
  requestId?: string | null;
  httpStatus?: number | null;
  /** The API path template, e.g. `/order/202309/orders/search`. */
  path?: string | null;
  retryable?: boolean;
  /** `'unknown'` when a write may or may not have taken effect. */
  outcome?: 'unknown';
  /** Milliseconds TikTok asked the caller to wait before the next attempt. */
  retryAfterMs?: number | null;
  cause?: unknown;
}

/**
 * A failed TikTok Shop call. `message` is TikTok's own message (or ours for local failures) and
 * never contains the app secret, a token or a signature.
 */
export class TikTokApiError extends Error {
  override readonly name = 'TikTokApiError';
  readonly kind: TikTokErrorKind;
  readonly code: number | null;
  readonly requestId: string | null;
  readonly httpStatus: number | null;
  readonly path: string | null;
  readonly retryable: boolean;
  readonly outcome: 'unknown' | undefined;
  readonly retryAfterMs: number | null;

  constructor(options: TikTokApiErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind;
    this.code = options.code ?? null;
    this.requestId = options.requestId ?? null;
    this.httpStatus = options.httpStatus ?? null;
    this.path = options.path ?? null;
    this.retryable = options.retryable ?? false;
    this.outcome = options.outcome;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/** Checks whether `error` is a {@link TikTokApiError}, optionally of one of the given kinds. */
export function isTikTokApiError(
  error: unknown,
  ...kinds: TikTokErrorKind[]
): error is TikTokApiError {
  return error instanceof TikTokApiError && (kinds.length === 0 || kinds.includes(error.kind));
}

/**
 * Checks whether a price update was rejected because the price is locked, e.g. by an ongoing
 * promotion. Repeating the update does not help until the lock ends.
 */
export function isPriceLocked(error: unknown): error is TikTokApiError & { kind: 'PRICE_LOCKED' } {
  return isTikTokApiError(error, 'PRICE_LOCKED');
}

const RETRYABLE_KINDS: ReadonlySet<TikTokErrorKind> = new Set([
  'RATE_LIMITED',
  'SERVER_ERROR',
  'TIMEOUT',
  'NETWORK',
]);

/** TikTok codes with one meaning each. 36009004 is overloaded and handled by message. */
const KIND_BY_CODE: ReadonlyMap<number, TikTokErrorKind> = new Map([
  [106001, 'SIGNATURE_INVALID'],
  [105002, 'TOKEN_EXPIRED'],
  [105001, 'TOKEN_INVALID'],
  [101000, 'SHOP_NOT_AUTHORIZED'],
  [106013, 'CIPHER_MISSING'],
  [105005, 'SCOPE_MISSING'],
  [36009033, 'IP_NOT_ALLOWED'],
  [36009002, 'RATE_LIMITED'],
  [36009003, 'SERVER_ERROR'],
  [36009007, 'TIMEOUT'],
  [36009009, 'REQUEST_INVALID'],
  [36009010, 'REQUEST_INVALID'],
  [36009014, 'VERSION_RETIRED'],
  [36009022, 'REQUEST_INVALID'],
  [36009023, 'REQUEST_INVALID'],
  [36004004, 'AUTH_CODE_INVALID'],
  [21011044, 'ON_HOLD'],
  [21008106, 'UNSUPPORTED_REGION'],
  // Search Products cannot page past 10,000 results, so split the search into update-time windows.
  [12052180, 'SEARCH_LIMIT_EXCEEDED'],
  // Search Products takes at most 10 seller_skus (12019027) and at most 10 sku_ids (12019087).
  [12019027, 'SKU_FILTER_LIMIT_EXCEEDED'],
  [12019087, 'SKU_FILTER_LIMIT_EXCEEDED'],
  // Update Inventory must list every warehouse assigned to the SKU.
  [12019028, 'INVENTORY_WAREHOUSE_MISSING'],
  // Both codes mean the price is locked, e.g. by an ongoing promotion.
  [12019045, 'PRICE_LOCKED'],
  [12052038, 'PRICE_LOCKED'],
]);

const OVERLOADED_CODE = 36009004;

/**
 * Tells apart the causes that share code 36009004. The checks run in order, so a message about
 * an unexpected shop_cipher is not read as a signature problem.
 */
const KIND_BY_MESSAGE_FOR_OVERLOADED_CODE: readonly [RegExp, TikTokErrorKind][] = [
  [
    /unexpected identifier|shop_cipher.*not (be )?required|cipher.*not (be )?required/i,
    'CIPHER_UNEXPECTED',
  ],
  [/timestamp/i, 'TIMESTAMP_INVALID'],
  [/access[_ -]?token/i, 'TOKEN_INVALID'],
  [/app[_ ]?key/i, 'APP_KEY_INVALID'],
  [/\bsign(ature)?\b/i, 'SIGNATURE_INVALID'],
];

/**
 * Classifies a TikTok response. Returns null for success: a 2xx status with code 0 (or none).
 *
 * Codes are matched exactly, never by prefix, because codes that share a prefix mean different
 * things (36009002 is a rate limit, 36009003 an internal error). An unknown non-zero code is a
 * failure that is not retried, unless the HTTP status is 429 or 5xx.
 */
export function classifyTikTokError(
  httpStatus: number,
  code: number | null,
  message: string,
): TikTokErrorClass | null {
  const kind = kindFromCode(code, message) ?? kindFromHttpStatus(httpStatus, code);
  if (kind === null) {
    return null;
  }
  return { kind, retryable: RETRYABLE_KINDS.has(kind) };
}

function kindFromCode(code: number | null, message: string): TikTokErrorKind | null {
  if (code === OVERLOADED_CODE) {
    const match = KIND_BY_MESSAGE_FOR_OVERLOADED_CODE.find(([pattern]) => pattern.test(message));
    return match?.[1] ?? 'REQUEST_INVALID';
  }
  return code === null ? null : (KIND_BY_CODE.get(code) ?? null);
}

function kindFromHttpStatus(httpStatus: number, code: number | null): TikTokErrorKind | null {
  if (httpStatus === 429) {
    return 'RATE_LIMITED';
  }
  if (httpStatus >= 500) {
    return 'SERVER_ERROR';
  }
  const isSuccessStatus = httpStatus >= 200 && httpStatus < 300;
  return isSuccessStatus && (code === 0 || code === null) ? null : 'FAILED';
}
