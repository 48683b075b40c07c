import type { AppContext } from '../context.ts';
import { seedDemoCatalog } from '../catalog/demo.ts';
import { AppError } from '../shared/errors.ts';
import { hashPassword, sha256Hex, verifyPassword } from '../shared/crypto.ts';
import type { MeResponse } from '../http/api-types.ts';

export const SIGN_IN_LINK_TTL_MS = 30 * 60_000;

/** Caller of a request: a signed-in user, or an API key issued for one store. */
export type Principal =
  | { kind: 'user'; userId: string; accountId: string }
  | { kind: 'api_key'; apiKeyId: string; storeId: string; accountId: string };

export interface CreatedAccount {
  accountId: string;
  userId: string;
  storeId: string;
}

export async function createAccount(
  ctx: AppContext,
  input: {
    accountName: string;
    email: string;
    userName: string;
    storeName: string;
    password?: string;
  },
): Promise<CreatedAccount> {
  const now = new Date(ctx.clock.now());
  const accountId = ctx.ids.uuid();
  const userId = ctx.ids.uuid();
  const storeId = ctx.ids.uuid();
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('accounts')
      .values({ id: accountId, name: input.accountName, created_at: now })
      .execute();
    await trx
      .insertInto('users')
      .values({
        id: userId,
        account_id: accountId,
        email: input.email.toLowerCase(),
        name: input.userName,
        password_hash: passwordHash,
        created_at: now,
      })
      .execute();
    await trx
      .insertInto('stores')
      .values({ id: storeId, account_id: accountId, name: input.storeName, created_at: now })
      .execute();
  });
  return { accountId, userId, storeId };
}

export const DEMO_OWNER_EMAIL = 'owner@demo.example';

/** Creates the demo owner and "Demo store" on first start; later starts find them. */
export async function ensureDemoAccount(ctx: AppContext): Promise<CreatedAccount> {
  const existing = await ctx.db
    .selectFrom('users')
    .innerJoin('stores', 'stores.account_id', 'users.account_id')
    .select(['users.id as userId', 'users.account_id as accountId', 'stores.id as storeId'])
    .where('users.email', '=', DEMO_OWNER_EMAIL)
    .orderBy('stores.created_at')
    .executeTakeFirst();
  if (existing) {
    // A demo data folder from before the catalog existed gets the demo catalog on its next start.
    const location = await ctx.db
      .selectFrom('locations')
      .select('id')
      .where('store_id', '=', existing.storeId)
      .executeTakeFirst();
    if (!location) await seedDemoCatalog(ctx, existing.storeId);
    return existing;
  }
  const created = await createAccount(ctx, {
    accountName: 'Demo account',
    email: DEMO_OWNER_EMAIL,
    userName: 'Demo owner',
    storeName: 'Demo store',
  });
  await seedDemoCatalog(ctx, created.storeId);
  return created;
}

export async function createStore(
  ctx: AppContext,
  accountId: string,
  name: string,
): Promise<string> {
  const id = ctx.ids.uuid();
  await ctx.db
    .insertInto('stores')
    .values({ id, account_id: accountId, name, created_at: new Date(ctx.clock.now()) })
    .execute();
  return id;
}

/** Issues a one-time sign-in link token; only its hash is stored. */
export async function createSignInLink(ctx: AppContext, userId: string): Promise<string> {
  const token = ctx.ids.token();
  await ctx.db
    .insertInto('sign_in_links')
    .values({
      token_hash: sha256Hex(token),
      user_id: userId,
      expires_at: new Date(ctx.clock.now() + SIGN_IN_LINK_TTL_MS),
      used_at: null,
    })
    .execute();
  return token;
}

/** Marks a sign-in link used and returns its user; a used or expired link is rejected. */
export async function consumeSignInLink(ctx: AppContext, token: string): Promise<string> {
  const now = new Date(ctx.clock.now());
  const row = await ctx.db
    .updateTable('sign_in_links')
    .set({ used_at: now })
    .where('token_hash', '=', sha256Hex(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  if (!row) {
    throw new AppError(
      'UNAUTHENTICATED',
      'This sign-in link is invalid, used or expired; print a new one with `npm start`.',
    );
  }
  return row.user_id;
}

export async function setPassword(
  ctx: AppContext,
  userId: string,
  password: string,
): Promise<void> {
  if (password.length < 10) {
    throw new AppError('VALIDATION_FAILED', 'The password must be at least 10 characters long.');
  }
  await ctx.db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password) })
    .where('id', '=', userId)
    .execute();
}

export async function authenticatePassword(
  ctx: AppContext,
  email: string,
  password: string,
): Promise<string> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'password_hash'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  const isValid = user?.password_hash ? await verifyPassword(password, user.password_hash) : false;
  if (!user || !isValid) throw new AppError('UNAUTHENTICATED', 'The email or password is wrong.');
  return user.id;
}

export async function createSession(ctx: AppContext, userId: string): Promise<string> {
  const token = ctx.ids.token();
  const now = ctx.clock.now();
  await ctx.db
    .insertInto('sessions')
    .values({
      token_hash: sha256Hex(token),
      user_id: userId,
      created_at: new Date(now),
      expires_at: new Date(now + ctx.config.sessionTtlMs),
    })
    .execute();
  return token;
}

export async function deleteSession(ctx: AppContext, token: string): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('token_hash', '=', sha256Hex(token)).execute();
}

export async function principalFromSession(
  ctx: AppContext,
  token: string,
): Promise<Principal | null> {
  const row = await ctx.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id as userId', 'users.account_id as accountId'])
    .where('sessions.token_hash', '=', sha256Hex(token))
    .where('sessions.expires_at', '>', new Date(ctx.clock.now()))
    .executeTakeFirst();
  return row ? { kind: 'user', ...row } : null;
}

const API_KEY_PREFIX = 'tsk_';

/** Issues an API key for one store. The whole key is returned once; only its hash is kept. */
export async function createApiKey(ctx: AppContext, storeId: string, name: string) {
  const id = ctx.ids.uuid();
  const key = `${API_KEY_PREFIX}${ctx.ids.token(24)}`;
  const row = {
    id,
    store_id: storeId,
    name,
    prefix: key.slice(0, 10),
    key_hash: sha256Hex(key),
    created_at: new Date(ctx.clock.now()),
    last_used_at: null,
    revoked_at: null,
  };
  await ctx.db.insertInto('api_keys').values(row).execute();
  return { ...row, key };
}

export async function listApiKeys(ctx: AppContext, storeId: string) {
  return ctx.db
    .selectFrom('api_keys')
    .select(['id', 'store_id', 'name', 'prefix', 'created_at', 'last_used_at'])
    .where('store_id', '=', storeId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

export async function revokeApiKey(
  ctx: AppContext,
  storeId: string,
  apiKeyId: string,
): Promise<void> {
  const result = await ctx.db
    .updateTable('api_keys')
    .set({ revoked_at: new Date(ctx.clock.now()) })
    .where('id', '=', apiKeyId)
    .where('store_id', '=', storeId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n)
    throw new AppError('NOT_FOUND', `API key ${apiKeyId} was not found`);
}

export async function principalFromApiKey(ctx: AppContext, key: string): Promise<Principal | null> {
  if (!key.startsWith(API_KEY_PREFIX)) return null;
  const row = await ctx.db
    .updateTable('api_keys')
    .set({ last_used_at: new Date(ctx.clock.now()) })
    .from('stores')
    .whereRef('stores.id', '=', 'api_keys.store_id')
    .where('api_keys.key_hash', '=', sha256Hex(key))
    .where('api_keys.revoked_at', 'is', null)
    .returning([
      'api_keys.id as apiKeyId',
      'api_keys.store_id as storeId',
      'stores.account_id as accountId',
    ])
    .executeTakeFirst();
  return row ? { kind: 'api_key', ...row } : null;
}

/**
 * Loads a store that the principal may use. Another account's store is reported as not found,
 * so ids from other accounts reveal nothing.
 */
export async function requireStore(ctx: AppContext, principal: Principal, storeId: string) {
  const isUuid = /^[0-9a-f-]{36}$/i.test(storeId);
  const store = isUuid
    ? await ctx.db
        .selectFrom('stores')
        .selectAll()
        .where('id', '=', storeId)
        .where('account_id', '=', principal.accountId)
        .executeTakeFirst()
    : undefined;
  if (!store || (principal.kind === 'api_key' && principal.storeId !== store.id)) {
    throw new AppError('NOT_FOUND', `Store ${storeId} was not found`, { details: { storeId } });
  }
  return store;
}

export async function getMe(ctx: AppContext, userId: string): Promise<MeResponse> {
  const user = await ctx.db
    .selectFrom('users')
    .innerJoin('accounts', 'accounts.id', 'users.account_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'accounts.id as accountId',
      'accounts.name as accountName',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow();
  const stores = await ctx.db
    .selectFrom('stores')
    .select(['id', 'name'])
    .where('account_id', '=', user.accountId)
    .orderBy('created_at')
    .execute();
  return {
    user: { id: user.id, email: user.email, name: user.name },
    account: { id: user.accountId, name: user.accountName },
    stores,
  };
}
