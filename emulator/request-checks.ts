import type { EmulatorContext } from './context.ts';
import { TIKTOK_CODES, TikTokApiError, invalidParam } from './errors.ts';
import { computeRequestSign, isDigestEqual, isMultipart, mediaType } from './signing.ts';
import type { AppConfig, GrantRecord, ShopRecord } from './types.ts';

/** TikTok accepts a timestamp from 5 minutes before to 30 seconds after its own clock. */
const TIMESTAMP_MAX_AGE_SECONDS = 300;
const TIMESTAMP_MAX_LEAD_SECONDS = 30;

/** Whether an endpoint needs `shop_cipher` or rejects it. */
export type ShopCipherRule = 'required' | 'refused';

/** The parts of an incoming business call that the checks read. */
export interface ApiRequestParts {
  /** Path without any reverse-proxy prefix; this is what the client signed. */
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
  accessToken: string | undefined;
  rawBody: Buffer | undefined;
}

/** The caller of a business call after its checks have passed. */
export interface ApiCaller {
  app: AppConfig;
  grant: GrantRecord;
  /** The shop named by `shop_cipher`, on shop-scoped endpoints. */
  shop?: ShopRecord;
}

/** Checks app key, timestamp and signature, in that order; returns the app. */
export function checkSignedRequest(context: EmulatorContext, parts: ApiRequestParts): AppConfig {
  const appKey = parts.query.get('app_key');
  if (!appKey) throw invalidParam('app_key is missing: pass the app key as a query parameter');
  const app = context.store.apps.get(appKey);
  if (!app) throw invalidParam(`app_key ${appKey} is invalid: no app has this key`);

  checkTimestamp(parts.query.get('timestamp'), Math.floor(context.clock.now() / 1000));

  const sign = parts.query.get('sign');
  if (!sign)
    throw invalidParam(
      'sign is missing: compute it over the path, the sorted query and the raw body',
    );
  if (!isSignValid(app, parts, sign)) {
    throw new TikTokApiError(
      TIKTOK_CODES.INVALID_SIGN,
      "Invalid credentials. The 'sign' query parameter is invalid: recompute it over the path, the sorted query and the raw body",
      401,
    );
  }
  return app;
}

function checkTimestamp(text: string | null, now: number): void {
  if (text === null) throw invalidParam('timestamp is missing: pass Unix seconds');
  if (!/^\d{10}$/.test(text)) {
    throw invalidParam(`timestamp ${text} is invalid: it must be Unix seconds (10 digits)`);
  }
  const timestamp = Number(text);
  if (timestamp < now - TIMESTAMP_MAX_AGE_SECONDS || timestamp > now + TIMESTAMP_MAX_LEAD_SECONDS) {
    throw invalidParam(
      `timestamp ${text} is invalid: it must be within 5 minutes before and 30 seconds after the server time ${now}`,
    );
  }
}

/** Accepts a sign with empty parameters either signed as `key` or left out, as SDKs differ. */
function isSignValid(app: AppConfig, parts: ApiRequestParts, sign: string): boolean {
  const input = {
    appSecret: app.appSecret,
    path: parts.path,
    query: parts.query.entries(),
    body: parts.rawBody,
    contentType: parts.contentType,
  };
  if (isDigestEqual(computeRequestSign(input), sign)) return true;
  const hasEmpty = [...parts.query.values()].some((value) => value === '');
  if (!hasEmpty) return false;
  const withoutEmpty = { ...input, query: parts.query.entries(), shouldSkipEmptyParams: true };
  return isDigestEqual(computeRequestSign(withoutEmpty), sign);
}

/** Requires application/json, which TikTok requires on every call without a file, GET included. */
export function checkContentType(contentType: string | undefined): void {
  if (mediaType(contentType) === 'application/json') return;
  if (isMultipart(contentType)) {
    throw new TikTokApiError(
      TIKTOK_CODES.CONTENT_TYPE_MULTIPART,
      'content-type multipart/form-data is accepted only by upload endpoints: send application/json',
      400,
    );
  }
  throw new TikTokApiError(
    TIKTOK_CODES.CONTENT_TYPE_NOT_JSON,
    `content-type ${contentType ?? '(missing)'} is invalid: send application/json`,
    400,
  );
}

/** Resolves the x-tts-access-token header to a live grant of the calling app. */
export function checkAccessToken(
  context: EmulatorContext,
  app: AppConfig,
  token: string | undefined,
): GrantRecord {
  if (!token) {
    throw new TikTokApiError(
      TIKTOK_CODES.INVALID_PARAM,
      'x-tts-access-token header is missing: send the access token in it',
      401,
    );
  }
  const grant = context.store.grantsByAccessToken.get(token);
  if (!grant || grant.appKey !== app.appKey) {
    throw new TikTokApiError(TIKTOK_CODES.INVALID_PARAM, 'x-tts-access-token is invalid', 401);
  }
  if (grant.isRevoked) {
    throw new TikTokApiError(
      TIKTOK_CODES.ACCESS_TOKEN_INVALID,
      'your token has been deauthorized: ask the seller to authorize the app again',
      401,
    );
  }
  if (grant.accessTokenExpiresAtMs <= context.clock.now()) {
    throw new TikTokApiError(
      TIKTOK_CODES.ACCESS_TOKEN_EXPIRED,
      'access token is expired, please refresh it',
      401,
    );
  }
  return grant;
}

/** Applies the endpoint's shop_cipher rule; returns the shop on shop-scoped endpoints. */
export function checkShopCipher(
  context: EmulatorContext,
  grant: GrantRecord,
  rule: ShopCipherRule,
  cipher: string | null,
): ShopRecord | undefined {
  if (rule === 'refused') {
    if (cipher !== null) {
      throw invalidParam('Unexpected identifier: this endpoint does not take shop_cipher');
    }
    return undefined;
  }
  if (!cipher) {
    throw new TikTokApiError(
      TIKTOK_CODES.MISSING_SHOP_CIPHER,
      'Missing identifier: shop_cipher is required; take it from Get Authorized Shops',
      400,
    );
  }
  const shop = context.store.shopsByCipher.get(cipher);
  if (!shop) throw invalidParam(`shop_cipher ${cipher} is invalid: no shop has this cipher`);
  if (!grant.shopIds.includes(shop.id)) {
    throw new TikTokApiError(
      TIKTOK_CODES.SHOP_NOT_AUTHORIZED,
      `x-tts-access-token is not authorized for the shop of shop_cipher ${cipher}`,
      401,
    );
  }
  return shop;
}
