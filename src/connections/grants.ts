import type { Kysely } from 'kysely';

import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { releaseLease, tryAcquireLease } from '../db/leases.ts';
import { AppError } from '../shared/errors.ts';
import type { TokenGrant, TokenProvider } from '../tiktok/index.ts';

/** How long a grant waits for a signed-in user to assign its shops to stores. */
export const GRANT_CLAIM_TTL_MS = 60 * 60_000;

/** Refresh an access token this long before TikTok's expiry (access tokens last 7 days). */
export const REFRESH_AHEAD_MS = 24 * 3_600_000;

const REFRESH_LEASE_TTL_MS = 30_000;

export interface SaveGrantResult {
  grantId: string;
  shopCount: number;
  isReauthorization: boolean;
}

/**
 * Stores a token grant by its `open_id`, with the shops it covers. Active connections of that
 * seller get the new ciphers at once, so a re-authorization needs no further step.
 */
export async function saveGrant(
  ctx: AppContext,
  grant: TokenGrant,
  target: { storeId: string; accountId: string } | null,
): Promise<SaveGrantResult> {
  const now = new Date(ctx.clock.now());
  const existing = await ctx.db
    .selectFrom('grants')
    .select(['id', 'account_id'])
    .where('open_id', '=', grant.openId)
    .executeTakeFirst();
  if (existing?.account_id && target && existing.account_id !== target.accountId) {
    const live = await liveConnectionCount(ctx.db, existing.id);
    if (live > 0) {
      throw new AppError(
        'CONFLICT',
        'This TikTok seller is already connected to another account. Disconnect it there first.',
      );
    }
  }
  const grantId = existing?.id ?? ctx.ids.uuid();
  const tokenColumns = {
    access_token_enc: ctx.secrets.encrypt(grant.accessToken),
    access_token_expires_at: new Date(grant.accessTokenExpiresAtMs),
    refresh_token_enc: ctx.secrets.encrypt(grant.refreshToken),
    refresh_token_expires_at: new Date(grant.refreshTokenExpiresAtMs),
    refresh_failed_at: null,
    refresh_error: null,
  };
  const sellerColumns = {
    seller_name: grant.sellerName ?? null,
    seller_base_region: grant.sellerBaseRegion ?? null,
    user_type: grant.userType ?? null,
    granted_scopes: JSON.stringify(grant.grantedScopes ?? []),
  };

  // The shop list is read with the new token before anything is written, so a failure here
  // leaves the stored grant as it was.
  const provider = staticTokenProvider(grant.accessToken);
  const shops = await ctx.tiktok.getAuthorizedShops(provider);

  await ctx.db.transaction().execute(async (trx) => {
    if (existing) {
      await trx
        .updateTable('grants')
        .set({
          ...tokenColumns,
          ...sellerColumns,
          account_id: target?.accountId ?? existing.account_id,
          suggested_store_id: target?.storeId ?? null,
          claim_expires_at: new Date(now.getTime() + GRANT_CLAIM_TTL_MS),
          token_version: (eb) => eb('token_version', '+', 1),
          updated_at: now,
        })
        .where('id', '=', grantId)
        .execute();
    } else {
      await trx
        .insertInto('grants')
        .values({
          id: grantId,
          open_id: grant.openId,
          ...tokenColumns,
          ...sellerColumns,
          account_id: target?.accountId ?? null,
          suggested_store_id: target?.storeId ?? null,
          claim_expires_at: new Date(now.getTime() + GRANT_CLAIM_TTL_MS),
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    await trx.deleteFrom('grant_shops').where('grant_id', '=', grantId).execute();
    if (shops.length > 0) {
      await trx
        .insertInto('grant_shops')
        .values(
          shops.map((shop) => ({
            grant_id: grantId,
            shop_id: shop.id,
            cipher: shop.cipher,
            name: shop.name ?? shop.id,
            code: shop.code ?? null,
            region: shop.region ?? '',
            seller_type: shop.sellerType ?? null,
          })),
        )
        .execute();
    }
    for (const shop of shops) {
      await trx
        .updateTable('connections')
        .set({
          shop_cipher: shop.cipher,
          shop_name: shop.name ?? shop.id,
          grant_id: grantId,
          status: 'active',
          reauthorize_by: null,
        })
        .where('open_id', '=', grant.openId)
        .where('shop_id', '=', shop.id)
        .where('status', '<>', 'disconnected')
        .execute();
    }
  });

  const liveShops = await ctx.db
    .selectFrom('connections')
    .select('shop_id')
    .where('grant_id', '=', grantId)
    .where('status', '<>', 'disconnected')
    .execute();
  const isReauthorization =
    shops.length > 0 && shops.every((shop) => liveShops.some((row) => row.shop_id === shop.id));
  if (isReauthorization) {
    await ctx.db
      .updateTable('grants')
      .set({ claim_expires_at: null })
      .where('id', '=', grantId)
      .execute();
  }
  return { grantId, shopCount: shops.length, isReauthorization };
}

async function liveConnectionCount(db: Kysely<Database>, grantId: string): Promise<number> {
  const row = await db
    .selectFrom('connections')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('grant_id', '=', grantId)
    .where('status', '<>', 'disconnected')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

function staticTokenProvider(accessToken: string): TokenProvider {
  return {
    getAccessToken: async () => accessToken,
    refreshAccessToken: async () => {
      throw new AppError('TIKTOK_ERROR', 'A freshly issued access token was reported as expired.');
    },
  };
}

/**
 * Deletes a grant's tokens once no live connection uses them. A grant may cover several shops,
 * so disconnecting one of them must not cut off the others.
 */
export async function deleteTokensIfUnused(
  db: Kysely<Database>,
  grantId: string,
  now: Date,
): Promise<boolean> {
  if ((await liveConnectionCount(db, grantId)) > 0) return false;
  await db
    .updateTable('grants')
    .set({
      access_token_enc: null,
      refresh_token_enc: null,
      claim_expires_at: null,
      updated_at: now,
    })
    .where('id', '=', grantId)
    .execute();
  return true;
}

/** Deletes the tokens of grants that no user claimed in time. */
export async function expireUnclaimedGrants(ctx: AppContext): Promise<number> {
  const now = new Date(ctx.clock.now());
  const expired = await ctx.db
    .selectFrom('grants')
    .select('id')
    .where('claim_expires_at', '<=', now)
    .execute();
  let count = 0;
  for (const { id } of expired) {
    if (await deleteTokensIfUnused(ctx.db, id, now)) count++;
    else
      await ctx.db
        .updateTable('grants')
        .set({ claim_expires_at: null })
        .where('id', '=', id)
        .execute();
  }
  return count;
}

/**
 * Token provider for shop calls of one grant. Refreshes ahead of expiry and on TikTok's 105002,
 * single-flight within this process (a shared promise) and across processes (a lease row), and
 * stores both new tokens in one UPDATE.
 */
export function createGrantTokenProvider(ctx: AppContext, grantId: string): TokenProvider {
  return {
    async getAccessToken() {
      const row = await loadTokens(ctx, grantId);
      if (row.accessExpiresAtMs - REFRESH_AHEAD_MS <= ctx.clock.now()) {
        return refreshGrant(ctx, grantId, row.accessToken);
      }
      return row.accessToken;
    },
    refreshAccessToken: (expiredToken) => refreshGrant(ctx, grantId, expiredToken),
  };
}

async function loadTokens(ctx: AppContext, grantId: string) {
  const row = await ctx.db
    .selectFrom('grants')
    .select(['access_token_enc', 'refresh_token_enc', 'access_token_expires_at', 'token_version'])
    .where('id', '=', grantId)
    .executeTakeFirst();
  if (!row?.access_token_enc || !row.refresh_token_enc || !row.access_token_expires_at) {
    throw new AppError(
      'CONFLICT',
      `Grant ${grantId} has no tokens; the seller must authorize again.`,
      {
        details: { grantId },
      },
    );
  }
  return {
    accessToken: ctx.secrets.decrypt(row.access_token_enc),
    refreshToken: ctx.secrets.decrypt(row.refresh_token_enc),
    accessExpiresAtMs: row.access_token_expires_at.getTime(),
    tokenVersion: row.token_version,
  };
}

const refreshesInFlight = new Map<string, Promise<string>>();

async function refreshGrant(ctx: AppContext, grantId: string, staleToken: string): Promise<string> {
  const inFlight = refreshesInFlight.get(grantId);
  if (inFlight) return inFlight;
  const promise = refreshWithLease(ctx, grantId, staleToken).finally(() =>
    refreshesInFlight.delete(grantId),
  );
  refreshesInFlight.set(grantId, promise);
  return promise;
}

async function refreshWithLease(
  ctx: AppContext,
  grantId: string,
  staleToken: string,
): Promise<string> {
  const leaseKey = `grant-refresh:${grantId}`;
  const holder = ctx.ids.uuid();
  const deadline = ctx.clock.now() + REFRESH_LEASE_TTL_MS * 2;
  while (!(await tryAcquireLease(ctx.db, ctx.clock, leaseKey, holder, REFRESH_LEASE_TTL_MS))) {
    // Another process is refreshing: wait for its result instead of spending the refresh token.
    const current = await loadTokens(ctx, grantId);
    if (
      current.accessToken !== staleToken &&
      current.accessExpiresAtMs - REFRESH_AHEAD_MS > ctx.clock.now()
    ) {
      return current.accessToken;
    }
    if (ctx.clock.now() > deadline) {
      throw new AppError(
        'UNAVAILABLE',
        `Timed out waiting for another process to refresh grant ${grantId}`,
        {
          retryable: true,
        },
      );
    }
    await ctx.clock.sleep(200);
  }
  try {
    const current = await loadTokens(ctx, grantId);
    const isFresh = current.accessExpiresAtMs - REFRESH_AHEAD_MS > ctx.clock.now();
    if (current.accessToken !== staleToken && isFresh) return current.accessToken;

    let next: TokenGrant;
    try {
      next = await ctx.tiktok.refreshAccessToken(current.refreshToken);
    } catch (error) {
      await ctx.db
        .updateTable('grants')
        .set({
          refresh_failed_at: new Date(ctx.clock.now()),
          refresh_error: String((error as Error).message),
        })
        .where('id', '=', grantId)
        .execute();
      ctx.logger.warn({ err: error, grantId }, 'token refresh failed');
      throw error;
    }
    await ctx.db
      .updateTable('grants')
      .set({
        access_token_enc: ctx.secrets.encrypt(next.accessToken),
        access_token_expires_at: new Date(next.accessTokenExpiresAtMs),
        refresh_token_enc: ctx.secrets.encrypt(next.refreshToken),
        refresh_token_expires_at: new Date(next.refreshTokenExpiresAtMs),
        token_version: (eb) => eb('token_version', '+', 1),
        refresh_failed_at: null,
        refresh_error: null,
        updated_at: new Date(ctx.clock.now()),
      })
      .where('id', '=', grantId)
      .execute();
    ctx.logger.info(
      { grantId, accessTokenExpiresAt: new Date(next.accessTokenExpiresAtMs).toISOString() },
      'token refreshed',
    );
    return next.accessToken;
  } finally {
    await releaseLease(ctx.db, leaseKey, holder);
  }
}

/** Grants whose access token is due for refresh; the scheduler enqueues one job for each. */
export async function grantsDueForRefresh(ctx: AppContext): Promise<string[]> {
  const now = ctx.clock.now();
  const rows = await ctx.db
    .selectFrom('grants')
    .select('id')
    .where('access_token_enc', 'is not', null)
    .where('access_token_expires_at', '<=', new Date(now + REFRESH_AHEAD_MS))
    .where((eb) =>
      eb.or([
        eb('refresh_failed_at', 'is', null),
        eb('refresh_failed_at', '<=', new Date(now - 15 * 60_000)),
      ]),
    )
    .execute();
  return rows.map((row) => row.id);
}
