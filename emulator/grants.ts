import type { EmulatorContext } from './context.ts';
import { TIKTOK_CODES, TikTokApiError, invalidParam } from './errors.ts';
import type { AppConfig, GrantRecord } from './types.ts';

const DAY_MS = 86_400_000;
export const ACCESS_TOKEN_LIFETIME_MS = 7 * DAY_MS;
export const REFRESH_TOKEN_LIFETIME_MS = 365 * DAY_MS;
export const AUTH_CODE_LIFETIME_MS = 30 * 60_000;

const GRANTED_SCOPES = [
  'seller.authorization.info',
  'seller.shop.info',
  'seller.order.info',
  'seller.fulfillment.basic',
  'seller.product.basic',
  'seller.product.write',
  'seller.logistics',
  'seller.return_refund.basic',
];

/** Creates a single-use authorization code for a seller's approval of some of their shops. */
export function createAuthCode(
  context: EmulatorContext,
  app: AppConfig,
  sellerId: string,
  shopIds: string[],
): string {
  const seller = context.store.sellers.get(sellerId);
  if (!seller) throw new RangeError(`seller ${sellerId} not found`);
  const foreign = shopIds.find((id) => !seller.shopIds.includes(id));
  if (foreign) throw new RangeError(`shop ${foreign} does not belong to seller ${sellerId}`);
  if (shopIds.length === 0) throw new RangeError('an authorization needs at least one shop');

  const code = `${tokenPrefix(context, sellerId)}${context.random.token(48)}`;
  context.store.authCodes.set(code, {
    code,
    appKey: app.appKey,
    sellerId,
    shopIds: [...shopIds],
    createdAtMs: context.clock.now(),
    isUsed: false,
  });
  return code;
}

/** Handles Get Access Token: spends the code and issues tokens for the seller's grant. */
export function exchangeAuthCode(context: EmulatorContext, query: URLSearchParams): GrantRecord {
  const app = checkAppCredentials(context, query);
  const grantType = query.get('grant_type');
  if (grantType !== 'authorized_code') {
    throw invalidParam(`grant_type ${grantType ?? '(missing)'} is invalid: use authorized_code`);
  }
  const code = query.get('auth_code') ?? '';
  const record = context.store.authCodes.get(code);
  const isExpired =
    record !== undefined && context.clock.now() - record.createdAtMs > AUTH_CODE_LIFETIME_MS;
  if (!record || record.appKey !== app.appKey || record.isUsed || isExpired) {
    throw new TikTokApiError(TIKTOK_CODES.INVALID_AUTH_CODE, 'Invalid auth code', 200);
  }
  record.isUsed = true;

  // One grant per (app, seller): authorizing again rotates its tokens and sets its shops.
  const existing = context.store.findGrant(app.appKey, record.sellerId);
  const grant: GrantRecord = existing ?? {
    id: context.random.token(16),
    appKey: app.appKey,
    sellerId: record.sellerId,
    openId: context.random.token(43),
    shopIds: [],
    accessToken: '',
    accessTokenExpiresAtMs: 0,
    refreshToken: '',
    refreshTokenExpiresAtMs: 0,
    grantedScopes: GRANTED_SCOPES,
    isRevoked: false,
  };
  grant.shopIds = [...record.shopIds];
  grant.isRevoked = false;
  grant.refreshTokenExpiresAtMs = context.clock.now() + REFRESH_TOKEN_LIFETIME_MS;
  context.store.grants.set(grant.id, grant);
  issueTokens(context, grant);
  return grant;
}

/** Handles Refresh Token: rotates both tokens; the refresh token keeps its expiry. */
export function refreshGrant(context: EmulatorContext, query: URLSearchParams): GrantRecord {
  const app = checkAppCredentials(context, query);
  const grantType = query.get('grant_type');
  // The official Node SDK sends authorized_code here; the documented value is refresh_token.
  if (grantType !== 'refresh_token' && grantType !== 'authorized_code') {
    throw invalidParam(`grant_type ${grantType ?? '(missing)'} is invalid: use refresh_token`);
  }
  const token = query.get('refresh_token') ?? '';
  const grant = context.store.grantsByRefreshToken.get(token);
  if (!grant || grant.appKey !== app.appKey || grant.isRevoked) {
    throw invalidParam('refresh_token is invalid: authorize the app again');
  }
  if (grant.refreshTokenExpiresAtMs <= context.clock.now()) {
    throw invalidParam('refresh_token is expired: authorize the app again');
  }
  issueTokens(context, grant);
  return grant;
}

/** Formats the token response `data`, with expiry as absolute Unix seconds. */
export function tokenPayload(context: EmulatorContext, grant: GrantRecord): object {
  const seller = context.store.sellers.get(grant.sellerId)!;
  return {
    access_token: grant.accessToken,
    access_token_expire_in: Math.floor(grant.accessTokenExpiresAtMs / 1000),
    refresh_token: grant.refreshToken,
    refresh_token_expire_in: Math.floor(grant.refreshTokenExpiresAtMs / 1000),
    open_id: grant.openId,
    seller_name: seller.name,
    seller_base_region: seller.baseRegion,
    user_type: 0,
    granted_scopes: grant.grantedScopes,
  };
}

/** Makes a grant's access token expire now, so that the next call gets 105002. */
export function expireAccessToken(context: EmulatorContext, grant: GrantRecord): void {
  grant.accessTokenExpiresAtMs = context.clock.now();
}

/** Removes a shop from a grant; a grant with no shops left is revoked. */
export function deauthorizeShop(grant: GrantRecord, shopId: string): void {
  grant.shopIds = grant.shopIds.filter((id) => id !== shopId);
  if (grant.shopIds.length === 0) grant.isRevoked = true;
}

function issueTokens(context: EmulatorContext, grant: GrantRecord): void {
  const { store, random } = context;
  store.grantsByAccessToken.delete(grant.accessToken);
  store.grantsByRefreshToken.delete(grant.refreshToken);
  const prefix = tokenPrefix(context, grant.sellerId);
  grant.accessToken = `${prefix}${random.token(64)}`;
  grant.refreshToken = `${prefix}${random.token(64)}`;
  grant.accessTokenExpiresAtMs = context.clock.now() + ACCESS_TOKEN_LIFETIME_MS;
  store.grantsByAccessToken.set(grant.accessToken, grant);
  store.grantsByRefreshToken.set(grant.refreshToken, grant);
}

function checkAppCredentials(context: EmulatorContext, query: URLSearchParams): AppConfig {
  const appKey = query.get('app_key');
  const app = appKey ? context.store.apps.get(appKey) : undefined;
  if (!app) throw invalidParam(`app_key ${appKey ?? '(missing)'} is invalid`);
  if (query.get('app_secret') !== app.appSecret) {
    throw invalidParam('app_secret is invalid: pass the secret of this app key');
  }
  return app;
}

/** Tokens carry a region-like prefix: TTP_ for US sellers, ROW_ elsewhere. */
function tokenPrefix(context: EmulatorContext, sellerId: string): string {
  return context.store.sellers.get(sellerId)?.baseRegion === 'US' ? 'TTP_' : 'ROW_';
}
