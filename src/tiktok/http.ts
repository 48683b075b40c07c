import { z } from 'zod';

import { TikTokApiError, classifyTikTokError } from './errors.ts';
import { parseJsonLossless } from './json.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { backoffDelayMs, isNotSentNetworkError, parseRetryAfterMs } from './retry.ts';
import type { BackoffPolicy } from './retry.ts';
import { normalizeQuery, signRequest, unixTimestamp } from './sign.ts';
import type { NormalizedQuery, QueryValue } from './sign.ts';
import { describeCause, redactSecrets } from './redact.ts';
import { shopCipherRule } from './shop-cipher.ts';
import type { Clock, FetchFunction, HttpMethod, TikTokLogger, TokenProvider } from './types.ts';
import { buildUrl, fillPathTemplate, parseBaseUrl } from './url.ts';

/** Everything the transport needs; the client fills in the defaults. */
export interface TransportOptions {
  appKey: string;
  appSecret: string;
  apiBaseUrl: string;
  authBaseUrl: string;
  clock: Clock;
  fetch: FetchFunction;
  rateLimiter: RateLimiter;
  logger: TikTokLogger;
  /** Time limit of one attempt in ms, response body included. */
  timeoutMs: number;
  /** Retries after the first attempt, for failures that allow a retry. */
  maxRetries: number;
  backoff: BackoffPolicy;
}

/** One call to a business API on the API host. */
export interface ApiRequest {
  method: HttpMethod;
  /** Path template as documented, e.g. `/fulfillment/202309/packages/{package_id}/ship`. */
  path: string;
  /** Values of the `{name}` placeholders in `path`. */
  pathParams?: Record<string, string>;
  /** Query parameters besides app_key, timestamp, sign and shop_cipher. */
  query?: Record<string, QueryValue>;
  /** JSON body, serialized once; the signed bytes are the sent bytes. */
  body?: unknown;
  /** Multipart body for uploads; it is not signed. */
  formData?: FormData;
  /** Whether the call only reads, so that repeating it is safe. Default: true for GET only. */
  isRead?: boolean;
  /**
   * Whether sending the call twice has the same effect as sending it once, as with a write that
   * sets absolute values. Such a write is retried like a read after a 5xx, a timeout or an
   * internal error, and its final failure keeps its kind instead of becoming UNKNOWN_OUTCOME.
   * Default false. Reads are always retried.
   */
  isIdempotent?: boolean;
  /** Shop the call is for; null for app- and seller-level calls. */
  shopId?: string | null;
  /** Sent as `shop_cipher` on endpoints that require it, never on the ones that reject it. */
  shopCipher?: string | null;
  tokenProvider: TokenProvider;
}

/** The useful part of a successful response envelope. */
export interface ApiResponse {
  data: unknown;
  requestId: string | null;
  httpStatus: number;
}

/** One unsigned call to the auth host (token exchange and refresh). */
export interface AuthRequest {
  path: string;
  query: Record<string, QueryValue>;
  /** Values that must never appear in errors, e.g. the refresh token. */
  secrets: readonly string[];
}

/** Sends TikTok Shop requests: signing, retries, rate limiting and envelope checks. */
export interface Transport {
  callApi(request: ApiRequest): Promise<ApiResponse>;
  callAuth(request: AuthRequest): Promise<ApiResponse>;
}

const envelopeSchema = z.object({
  code: z.number().int(),
  message: z.string().optional().default(''),
  request_id: z.string().optional(),
  data: z.unknown().optional(),
});

interface HttpExchange {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | FormData | undefined;
  /** Path template used in errors and logs in place of the URL. */
  path: string;
  secrets: readonly string[];
}

interface AttemptContext {
  api: string;
  path: string;
  shopId: string | null;
  /** True for reads and idempotent writes, which are retried on every retryable failure. */
  isRetrySafe: boolean;
}

/** Creates the transport shared by every client method. */
export function createTransport(options: TransportOptions): Transport {
  const apiBase = parseBaseUrl('apiBaseUrl', options.apiBaseUrl);
  const authBase = parseBaseUrl('authBaseUrl', options.authBaseUrl);

  async function callApi(request: ApiRequest): Promise<ApiResponse> {
    const context: AttemptContext = {
      api: `${request.method} ${request.path}`,
      path: request.path,
      shopId: request.shopId ?? null,
      isRetrySafe: (request.isRead ?? request.method === 'GET') || request.isIdempotent === true,
    };
    const signedPath = fillPathTemplate(request.path, request.pathParams ?? {});
    const shopCipher = resolveShopCipher(request);
    const query = normalizeQuery(request.query ?? {});
    const bodyText = request.body === undefined ? undefined : JSON.stringify(request.body);
    const send = (token: string) =>
      sendSigned({ request, signedPath, shopCipher, query, bodyText, token });

    const staleToken = await request.tokenProvider.getAccessToken();
    try {
      return await runWithRetries(context, () => send(staleToken));
    } catch (error) {
      if (!(error instanceof TikTokApiError) || error.kind !== 'TOKEN_EXPIRED') {
        throw error;
      }
      options.logger.warn(
        { path: context.path, kind: error.kind, requestId: error.requestId },
        'TikTok access token expired; refreshing it and retrying once',
      );
    }
    const freshToken = await request.tokenProvider.refreshAccessToken(staleToken);
    return runWithRetries(context, () => send(freshToken));
  }

  interface SignedSend {
    request: ApiRequest;
    signedPath: string;
    shopCipher: string | null;
    query: NormalizedQuery;
    bodyText: string | undefined;
    token: string;
  }

  // Runs once per attempt, so every retry carries a new timestamp and a new signature.
  async function sendSigned(input: SignedSend): Promise<ApiResponse> {
    const query: NormalizedQuery = {
      ...input.query,
      app_key: options.appKey,
      timestamp: unixTimestamp(options.clock),
    };
    if (input.shopCipher !== null) {
      query.shop_cipher = input.shopCipher;
    }
    const contentType = input.request.formData ? 'multipart/form-data' : 'application/json';
    query.sign = signRequest({
      appSecret: options.appSecret,
      path: input.signedPath,
      query,
      body: input.bodyText,
      contentType,
    });
    const headers: Record<string, string> = { 'x-tts-access-token': input.token };
    // fetch writes the multipart content type itself, because it carries the boundary.
    if (!input.request.formData) {
      headers['content-type'] = 'application/json';
    }
    return exchange({
      url: buildUrl(apiBase, input.signedPath, query),
      method: input.request.method,
      headers,
      body: input.request.formData ?? input.bodyText,
      path: input.request.path,
      secrets: [options.appSecret, input.token, query.sign],
    });
  }

  async function callAuth(request: AuthRequest): Promise<ApiResponse> {
    // A token call is treated as a write, because an auth code works once and a lost refresh
    // response may already have rotated the refresh token.
    const context: AttemptContext = {
      api: `GET ${request.path}`,
      path: request.path,
      shopId: null,
      isRetrySafe: false,
    };
    const query = normalizeQuery(request.query);
    return runWithRetries(context, () =>
      exchange({
        url: buildUrl(authBase, request.path, query),
        method: 'GET',
        headers: { 'content-type': 'application/json' },
        body: undefined,
        path: request.path,
        secrets: [options.appSecret, ...request.secrets],
      }),
    );
  }

  async function runWithRetries(
    context: AttemptContext,
    attemptOnce: () => Promise<ApiResponse>,
  ): Promise<ApiResponse> {
    for (let attempt = 1; ; attempt += 1) {
      await options.rateLimiter.acquire({
        appKey: options.appKey,
        shopId: context.shopId,
        api: context.api,
      });
      try {
        return await attemptOnce();
      } catch (error) {
        if (!(error instanceof TikTokApiError)) {
          throw error;
        }
        const failure = context.isRetrySafe ? error : toWriteFailure(error);
        const mayRetry = context.isRetrySafe ? failure.retryable : failure.kind === 'RATE_LIMITED';
        const delayMs = mayRetry
          ? backoffDelayMs(options.backoff, attempt, failure.retryAfterMs)
          : null;
        if (delayMs === null || attempt > options.maxRetries) {
          throw failure;
        }
        options.logger.warn(
          {
            path: context.path,
            attempt,
            kind: failure.kind,
            requestId: failure.requestId,
            httpStatus: failure.httpStatus,
            delayMs,
          },
          'TikTok request failed; retrying',
        );
        await options.clock.sleep(delayMs);
      }
    }
  }

  async function exchange(request: HttpExchange): Promise<ApiResponse> {
    let response: Response;
    let text: string;
    try {
      response = await options.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw networkFailure(error, request);
    }
    const retryAfterMs = parseRetryAfterMs(
      response.headers.get('retry-after'),
      options.clock.now(),
    );
    return interpretResponse({ httpStatus: response.status, text, retryAfterMs }, request);
  }

  function networkFailure(error: unknown, request: HttpExchange): TikTokApiError {
    const isTimeout = error instanceof Error && error.name === 'TimeoutError';
    return new TikTokApiError({
      kind: isTimeout ? 'TIMEOUT' : 'NETWORK',
      message: isTimeout
        ? `TikTok request ${request.method} ${request.path} timed out after ${options.timeoutMs} ms`
        : `TikTok request ${request.method} ${request.path} failed before a response arrived`,
      path: request.path,
      retryable: true,
      cause: describeCause(error, request.secrets),
    });
  }

  return { callApi, callAuth };
}

/**
 * Turns a failed write that is not idempotent into what the caller may safely assume. TikTok may have applied a write
 * that timed out or got a 5xx or an internal error, so it becomes UNKNOWN_OUTCOME and is never
 * repeated. The caller reads the state back before trying again.
 */
function toWriteFailure(error: TikTokApiError): TikTokApiError {
  const isAmbiguous =
    error.kind === 'SERVER_ERROR' ||
    error.kind === 'TIMEOUT' ||
    (error.kind === 'NETWORK' && !isNotSentNetworkError(error));
  if (!isAmbiguous) {
    return error;
  }
  return new TikTokApiError({
    kind: 'UNKNOWN_OUTCOME',
    message: `${error.message}; the write may or may not have been applied, so read the state back before retrying`,
    code: error.code,
    requestId: error.requestId,
    httpStatus: error.httpStatus,
    path: error.path,
    outcome: 'unknown',
    cause: error,
  });
}

interface RawResponse {
  httpStatus: number;
  text: string;
  retryAfterMs: number | null;
}

function interpretResponse(raw: RawResponse, request: HttpExchange): ApiResponse {
  const envelope = envelopeSchema.safeParse(parseOrUndefined(raw.text));
  if (!envelope.success) {
    const byStatus = classifyTikTokError(raw.httpStatus, null, '');
    throw new TikTokApiError({
      kind: byStatus?.kind ?? 'PAYLOAD_INVALID',
      message: `TikTok returned HTTP ${raw.httpStatus} for ${request.method} ${request.path} without a valid response envelope`,
      httpStatus: raw.httpStatus,
      path: request.path,
      retryable: byStatus?.retryable ?? false,
      retryAfterMs: raw.retryAfterMs,
    });
  }

  const { code, message, request_id: requestId = null, data = null } = envelope.data;
  const failure = classifyTikTokError(raw.httpStatus, code, message);
  if (failure !== null) {
    throw new TikTokApiError({
      ...failure,
      message: redactSecrets(message, request.secrets) || `TikTok returned code ${code}`,
      code,
      requestId,
      httpStatus: raw.httpStatus,
      path: request.path,
      retryAfterMs: raw.retryAfterMs,
    });
  }
  return { data, requestId, httpStatus: raw.httpStatus };
}

function parseOrUndefined(text: string): unknown {
  try {
    return parseJsonLossless(text);
  } catch {
    return undefined;
  }
}

function resolveShopCipher(request: ApiRequest): string | null {
  if (shopCipherRule(request.method, request.path) === 'rejected') {
    return null;
  }
  if (!request.shopCipher) {
    throw new TikTokApiError({
      kind: 'CIPHER_MISSING',
      message: `${request.method} ${request.path} is shop-scoped and needs a shop cipher; pass the shop's cipher from Get Authorized Shops`,
      path: request.path,
    });
  }
  return request.shopCipher;
}
