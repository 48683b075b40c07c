import { z } from 'zod';

import { TikTokApiError } from './errors.ts';
import type { Transport } from './http.ts';
import type { Clock, TikTokLogger } from './types.ts';

export type { TokenProvider } from './types.ts';

/** The tokens and seller details returned by Get Access Token and Refresh Token. */
export interface TokenGrant {
  accessToken: string;
  accessTokenExpiresAtMs: number;
  refreshToken: string;
  refreshTokenExpiresAtMs: number;
  /** Identifies the authorizing TikTok account; connections are keyed by it and the shop id. */
  openId: string;
  sellerName: string | null;
  /** Region code such as `US` or `GB`. */
  sellerBaseRegion: string | null;
  /** 0 seller, 1 creator, 3 partner. */
  userType: number | null;
  grantedScopes: string[];
}

/** Dependencies of the token calls. */
export interface TokenCallDependencies {
  transport: Transport;
  clock: Clock;
  logger: TikTokLogger;
  appKey: string;
  appSecret: string;
}

const GET_TOKEN_PATH = '/api/v2/token/get';
const REFRESH_TOKEN_PATH = '/api/v2/token/refresh';

/** Below this, an expiry cannot be a Unix time after 2001, so it can only be a duration. */
const MIN_ABSOLUTE_EXPIRY_SECONDS = 1_000_000_000;

const unixSecondsSchema = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+$/).transform(Number),
]);

const tokenDataSchema = z.looseObject({
  access_token: z.string().min(1),
  access_token_expire_in: unixSecondsSchema,
  refresh_token: z.string().min(1),
  refresh_token_expire_in: unixSecondsSchema,
  open_id: z.string().min(1),
  seller_name: z.string().nullish(),
  seller_base_region: z.string().nullish(),
  user_type: z.number().int().nullish(),
  granted_scopes: z.array(z.string()).nullish(),
});

/**
 * Exchanges the `code` of the authorization redirect for tokens (Get Access Token).
 *
 * The call is unsigned and goes to the auth host. It is never repeated after a timeout, because
 * an auth code works once.
 */
export async function requestAccessToken(
  deps: TokenCallDependencies,
  authCode: string,
): Promise<TokenGrant> {
  const response = await deps.transport.callAuth({
    path: GET_TOKEN_PATH,
    query: {
      app_key: deps.appKey,
      app_secret: deps.appSecret,
      auth_code: authCode,
      grant_type: 'authorized_code',
    },
    secrets: [authCode],
  });
  return parseTokenGrant(response.data, deps.clock.now(), deps.logger);
}

/**
 * Obtains a new access token and a new refresh token (Refresh Token). Store both in one write,
 * because the old refresh token is discarded.
 */
export async function requestRefreshedToken(
  deps: TokenCallDependencies,
  refreshToken: string,
): Promise<TokenGrant> {
  const response = await deps.transport.callAuth({
    path: REFRESH_TOKEN_PATH,
    query: {
      app_key: deps.appKey,
      app_secret: deps.appSecret,
      refresh_token: refreshToken,
      grant_type: 'refresh_token',
    },
    secrets: [refreshToken],
  });
  return parseTokenGrant(response.data, deps.clock.now(), deps.logger);
}

/** Converts the `data` of a token response into a {@link TokenGrant}. */
export function parseTokenGrant(data: unknown, nowMs: number, logger: TikTokLogger): TokenGrant {
  const parsed = tokenDataSchema.safeParse(data);
  if (!parsed.success) {
    // Only field names go into the message, since the values include tokens.
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)');
    throw new TikTokApiError({
      kind: 'PAYLOAD_INVALID',
      message: `TikTok token response has missing or invalid fields: ${fields.join(', ')}`,
    });
  }
  const token = parsed.data;
  return {
    accessToken: token.access_token,
    accessTokenExpiresAtMs: expiryToMs(
      'access_token_expire_in',
      token.access_token_expire_in,
      nowMs,
      logger,
    ),
    refreshToken: token.refresh_token,
    refreshTokenExpiresAtMs: expiryToMs(
      'refresh_token_expire_in',
      token.refresh_token_expire_in,
      nowMs,
      logger,
    ),
    openId: token.open_id,
    sellerName: token.seller_name ?? null,
    sellerBaseRegion: token.seller_base_region ?? null,
    userType: token.user_type ?? null,
    grantedScopes: token.granted_scopes ?? [],
  };
}

// Despite the "_in" suffix, TikTok documents these as absolute Unix seconds. Read as a duration,
// they would put the expiry decades ahead, so the token would never be refreshed.
function expiryToMs(field: string, seconds: number, nowMs: number, logger: TikTokLogger): number {
  if (seconds >= MIN_ABSOLUTE_EXPIRY_SECONDS) {
    return seconds * 1000;
  }
  logger.warn(
    { field, seconds },
    'TikTok token expiry is below 10^9 seconds; treating it as a duration from now',
  );
  return nowMs + seconds * 1000;
}

/** Runs at most one task per key at a time; concurrent callers share the running task's result. */
export interface SingleFlight<T> {
  run(key: string, task: () => Promise<T>): Promise<T>;
}

/**
 * Creates a {@link SingleFlight}, e.g. to coalesce concurrent refreshes of one authorization in
 * one process. It does not coordinate several processes; that needs a database lock.
 */
export function createSingleFlight<T>(): SingleFlight<T> {
  const running = new Map<string, Promise<T>>();
  return {
    run(key, task) {
      const existing = running.get(key);
      if (existing !== undefined) {
        return existing;
      }
      const promise = Promise.resolve()
        .then(task)
        .finally(() => running.delete(key));
      running.set(key, promise);
      return promise;
    },
  };
}
