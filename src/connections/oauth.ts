import type { Principal } from '../accounts/accounts.ts';
import { requireStore } from '../accounts/accounts.ts';
import type { AppContext } from '../context.ts';
import { sha256Hex } from '../shared/crypto.ts';
import { AppError } from '../shared/errors.ts';
import { saveGrant } from './grants.ts';

export const OAUTH_STATE_TTL_MS = 10 * 60_000;

export type Market = 'US' | 'ROW';

/**
 * Builds the seller authorization link for a store. The `state` is a random nonce plus the
 * store id, signed with a key derived from the encryption key, stored as a hash, single-use and
 * valid for ten minutes.
 */
export async function createAuthorizeUrl(
  ctx: AppContext,
  principal: Principal,
  storeId: string,
  market: Market,
): Promise<{ authorizeUrl: string; expiresAt: Date }> {
  await requireStore(ctx, principal, storeId);
  const now = ctx.clock.now();
  const expiresAt = new Date(now + OAUTH_STATE_TTL_MS);
  const payload = `${ctx.ids.token(18)}.${storeId}`;
  const state = `${payload}.${ctx.secrets.sign(payload)}`;
  await ctx.db
    .insertInto('oauth_states')
    .values({
      state_hash: sha256Hex(state),
      store_id: storeId,
      user_id: principal.kind === 'user' ? principal.userId : null,
      market,
      created_at: new Date(now),
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
  const url = new URL(ctx.config.tiktok.authorizeUrls[market]);
  url.searchParams.set('service_id', ctx.config.tiktok.serviceId);
  url.searchParams.set('state', state);
  return { authorizeUrl: url.toString(), expiresAt };
}

/** Checks the state's signature and marks it used; returns the store it was issued for. */
export async function consumeState(
  ctx: AppContext,
  state: string,
): Promise<{ storeId: string; accountId: string }> {
  const parts = state.split('.');
  const signature = parts.pop() ?? '';
  const payload = parts.join('.');
  if (parts.length !== 2 || !ctx.secrets.verify(payload, signature)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'The OAuth state is invalid. Start the connection again from the dashboard.',
    );
  }
  const now = new Date(ctx.clock.now());
  const row = await ctx.db
    .updateTable('oauth_states')
    .set({ used_at: now })
    .from('stores')
    .whereRef('stores.id', '=', 'oauth_states.store_id')
    .where('oauth_states.state_hash', '=', sha256Hex(state))
    .where('oauth_states.used_at', 'is', null)
    .where('oauth_states.expires_at', '>', now)
    .returning(['oauth_states.store_id as storeId', 'stores.account_id as accountId'])
    .executeTakeFirst();
  if (!row) {
    throw new AppError(
      'GONE',
      'The OAuth state has expired or was already used. Start the connection again from the dashboard.',
    );
  }
  return row;
}

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

export type CallbackResult =
  { kind: 'denied' } | { kind: 'grant'; grantId: string; isReauthorization: boolean };

/**
 * Handles TikTok's redirect after the seller approved or denied. An install from TikTok's app
 * store arrives without state, so its grant is parked for a signed-in user to claim.
 */
export async function handleOauthCallback(
  ctx: AppContext,
  query: CallbackQuery,
): Promise<CallbackResult> {
  if (query.error || !query.code || query.code === 'null') {
    if (query.state) await consumeState(ctx, query.state).catch(() => undefined);
    ctx.logger.info({ error: query.error ?? 'missing code' }, 'seller did not authorize');
    return { kind: 'denied' };
  }
  const target = query.state ? await consumeState(ctx, query.state.trim()) : null;
  const grant = await ctx.tiktok.getAccessToken(query.code);
  const result = await saveGrant(ctx, grant, target);
  ctx.logger.info(
    { grantId: result.grantId, shopCount: result.shopCount, fromAppStore: target === null },
    'authorization received',
  );
  return { kind: 'grant', grantId: result.grantId, isReauthorization: result.isReauthorization };
}
