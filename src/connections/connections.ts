import type { Selectable } from 'kysely';

import type { Principal } from '../accounts/accounts.ts';
import { requireStore } from '../accounts/accounts.ts';
import type { AppContext } from '../context.ts';
import type { ConnectionsTable } from '../db/schema.ts';
import type { Connection, PendingGrant } from '../http/api-types.ts';
import { QUEUES } from '../jobs/boss.ts';
import { toUnixSeconds } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { TikTokShopContext } from '../tiktok/index.ts';
import { createGrantTokenProvider, deleteTokensIfUnused } from './grants.ts';

export type ConnectionRow = Selectable<ConnectionsTable>;

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export async function listPendingGrants(
  ctx: AppContext,
  principal: Principal,
): Promise<PendingGrant[]> {
  const now = new Date(ctx.clock.now());
  const grants = await ctx.db
    .selectFrom('grants')
    .select(['id', 'seller_name', 'suggested_store_id', 'claim_expires_at', 'account_id'])
    .where('claim_expires_at', '>', now)
    .where((eb) =>
      eb.or([eb('account_id', '=', principal.accountId), eb('account_id', 'is', null)]),
    )
    .orderBy('created_at')
    .execute();
  const result: PendingGrant[] = [];
  for (const grant of grants) {
    const shops = await ctx.db
      .selectFrom('grant_shops')
      .leftJoin('connections', (join) =>
        join
          .onRef('connections.shop_id', '=', 'grant_shops.shop_id')
          .on('connections.status', '<>', 'disconnected'),
      )
      .select([
        'grant_shops.shop_id',
        'grant_shops.name',
        'grant_shops.region',
        'connections.store_id',
      ])
      .where('grant_shops.grant_id', '=', grant.id)
      .orderBy('grant_shops.name')
      .execute();
    result.push({
      id: grant.id,
      sellerName: grant.seller_name,
      suggestedStoreId: grant.account_id === principal.accountId ? grant.suggested_store_id : null,
      expiresAt: grant.claim_expires_at!.toISOString(),
      shops: shops.map((shop) => ({
        shopId: shop.shop_id,
        shopName: shop.name,
        region: shop.region,
        connectedStoreId: shop.store_id,
      })),
    });
  }
  return result;
}

/**
 * Connects the chosen shops of a grant to stores of the principal's account. A shop that is
 * already connected to another store must be disconnected there first.
 */
export async function claimGrant(
  ctx: AppContext,
  principal: Principal,
  grantId: string,
  assignments: { shopId: string; storeId: string }[],
): Promise<ConnectionRow[]> {
  if (assignments.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'Choose at least one shop to connect.');
  }
  const now = new Date(ctx.clock.now());
  const grant = await ctx.db
    .selectFrom('grants')
    .select(['id', 'open_id', 'account_id', 'claim_expires_at', 'access_token_enc'])
    .where('id', '=', grantId)
    .executeTakeFirst();
  const isClaimable =
    grant &&
    grant.access_token_enc !== null &&
    grant.claim_expires_at !== null &&
    grant.claim_expires_at > now &&
    (grant.account_id === null || grant.account_id === principal.accountId);
  if (!grant || !isClaimable) {
    throw new AppError(
      'NOT_FOUND',
      `Authorization ${grantId} was not found or has expired; connect the shop again.`,
    );
  }
  for (const { storeId } of assignments) await requireStore(ctx, principal, storeId);

  const shops = await ctx.db
    .selectFrom('grant_shops')
    .selectAll()
    .where('grant_id', '=', grantId)
    .execute();
  const connectionIds: string[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    for (const { shopId, storeId } of assignments) {
      const shop = shops.find((candidate) => candidate.shop_id === shopId);
      if (!shop) {
        throw new AppError(
          'VALIDATION_FAILED',
          `Shop ${shopId} is not part of this authorization.`,
          {
            details: { shopId },
          },
        );
      }
      const live = await trx
        .selectFrom('connections')
        .select(['id', 'store_id', 'open_id'])
        .where('shop_id', '=', shopId)
        .where('status', '<>', 'disconnected')
        .executeTakeFirst();
      if (live && (live.store_id !== storeId || live.open_id !== grant.open_id)) {
        throw new AppError(
          'CONFLICT',
          `Shop ${shop.name} is already connected to another store; disconnect it there first.`,
          { details: { shopId, storeId: live.store_id } },
        );
      }
      const values = {
        account_id: principal.accountId,
        store_id: storeId,
        grant_id: grantId,
        shop_cipher: shop.cipher,
        shop_name: shop.name,
        shop_code: shop.code,
        region: shop.region,
        seller_type: shop.seller_type,
        status: 'active' as const,
        connected_at: now,
        disconnected_at: null,
        reauthorize_by: null,
        next_poll_at: null,
        poll_watermark: toUnixSeconds(now.getTime()),
        backfill_status: 'pending' as const,
        backfill_windows_total: 0,
        backfill_windows_done: 0,
        backfill_orders: 0,
        backfill_started_at: null,
        backfill_finished_at: null,
        backfill_error: null,
        catalog_status: 'pending' as const,
        catalog_watermark: null,
        catalog_error: null,
        next_catalog_poll_at: null,
      };
      const row = await trx
        .insertInto('connections')
        .values({ id: ctx.ids.uuid(), open_id: grant.open_id, shop_id: shopId, ...values })
        .onConflict((conflict) =>
          conflict
            .columns(['open_id', 'shop_id'])
            .doUpdateSet(live ? { grant_id: grantId, shop_cipher: shop.cipher } : values),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      connectionIds.push(row.id);
      // Orders are keyed by shop, so history from an earlier connection comes along.
      await trx
        .updateTable('orders')
        .set({ store_id: storeId, account_id: principal.accountId })
        .where('shop_id', '=', shopId)
        .execute();
    }
    await trx
      .updateTable('grants')
      .set({ account_id: principal.accountId, claim_expires_at: null, updated_at: now })
      .where('id', '=', grantId)
      .execute();
  });

  const rows = await ctx.db
    .selectFrom('connections')
    .selectAll()
    .where('id', 'in', connectionIds)
    .execute();
  for (const row of rows) {
    if (row.backfill_status === 'pending') {
      await ctx.jobs.send(QUEUES.backfill, { connectionId: row.id }, row.id);
    }
    if (row.catalog_status === 'pending') {
      await ctx.jobs.send(QUEUES.catalogSync, { connectionId: row.id, full: true }, row.id);
    }
    ctx.logger.info(
      { connectionId: row.id, shopId: row.shop_id, storeId: row.store_id },
      'shop connected',
    );
  }
  return rows;
}

export async function listConnections(
  ctx: AppContext,
  principal: Principal,
  storeId: string,
): Promise<Connection[]> {
  await requireStore(ctx, principal, storeId);
  const rows = await ctx.db
    .selectFrom('connections')
    .leftJoin('grants', 'grants.id', 'connections.grant_id')
    .selectAll('connections')
    .select(['grants.seller_name', 'grants.refresh_token_expires_at'])
    .select((eb) =>
      eb
        .selectFrom('orders')
        .select(eb.fn.countAll<string>().as('count'))
        .whereRef('orders.shop_id', '=', 'connections.shop_id')
        .whereRef('orders.store_id', '=', 'connections.store_id')
        .as('order_count'),
    )
    .where('connections.store_id', '=', storeId)
    .orderBy('connections.connected_at')
    .execute();
  return rows.map((row) => ({
    ...toConnection(row),
    sellerName: row.seller_name,
    authorizationExpiresAt: iso(row.refresh_token_expires_at),
    orderCount: Number(row.order_count ?? 0),
  }));
}

function toConnection(row: ConnectionRow): Connection {
  return {
    id: row.id,
    storeId: row.store_id,
    shopId: row.shop_id,
    shopName: row.shop_name,
    shopCode: row.shop_code,
    region: row.region,
    sellerType: row.seller_type,
    status: row.status,
    sellerName: null,
    authorizationExpiresAt: null,
    reauthorizeBy: iso(row.reauthorize_by),
    connectedAt: row.connected_at.toISOString(),
    disconnectedAt: iso(row.disconnected_at),
    lastPolledAt: iso(row.last_polled_at),
    lastWebhookAt: iso(row.last_webhook_at),
    orderCount: 0,
    backfill: {
      status: row.backfill_status,
      windowsDone: row.backfill_windows_done,
      windowsTotal: row.backfill_windows_total,
      ordersImported: row.backfill_orders,
      startedAt: iso(row.backfill_started_at),
      finishedAt: iso(row.backfill_finished_at),
    },
    catalog: {
      status: row.catalog_status,
      products: row.catalog_products,
      syncedAt: iso(row.catalog_synced_at),
      error: row.catalog_error,
    },
  };
}

export async function requireConnection(
  ctx: AppContext,
  principal: Principal,
  storeId: string,
  connectionId: string,
): Promise<ConnectionRow> {
  await requireStore(ctx, principal, storeId);
  const isUuid = /^[0-9a-f-]{36}$/i.test(connectionId);
  const row = isUuid
    ? await ctx.db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', connectionId)
        .where('store_id', '=', storeId)
        .executeTakeFirst()
    : undefined;
  if (!row)
    throw new AppError('NOT_FOUND', `Connection ${connectionId} was not found`, {
      details: { connectionId },
    });
  return row;
}

/**
 * Disconnects a shop: its jobs stop (every job checks the status first), its pending webhook
 * events are set aside, and the grant's tokens are deleted once no other shop uses them. Order
 * history stays.
 */
export async function disconnectShop(
  ctx: AppContext,
  connection: ConnectionRow,
  reason: string,
): Promise<void> {
  const now = new Date(ctx.clock.now());
  await ctx.db
    .updateTable('connections')
    .set({ status: 'disconnected', disconnected_at: now, next_poll_at: null, shop_cipher: null })
    .where('id', '=', connection.id)
    .execute();
  await ctx.db
    .updateTable('webhook_events')
    .set({ status: 'ignored', processed_at: now, error: 'shop disconnected' })
    .where('shop_id', '=', connection.shop_id)
    .where('status', '=', 'pending')
    .execute();
  const tokensDeleted = connection.grant_id
    ? await deleteTokensIfUnused(ctx.db, connection.grant_id, now)
    : false;
  ctx.logger.info(
    { connectionId: connection.id, shopId: connection.shop_id, reason, tokensDeleted },
    'shop disconnected',
  );
}

/** Handles SELLER_DEAUTHORIZATION: every live connection of the shop is disconnected. */
export async function handleDeauthorization(ctx: AppContext, shopId: string): Promise<number> {
  const rows = await liveConnectionsOfShop(ctx, shopId);
  for (const row of rows) await disconnectShop(ctx, row, 'seller deauthorized the app');
  return rows.length;
}

/** Handles UPCOMING_AUTHORIZATION_EXPIRATION: the seller is asked to re-authorize by then. */
export async function handleExpiryWarning(
  ctx: AppContext,
  shopId: string,
  expiresAtMs: number,
): Promise<number> {
  const result = await ctx.db
    .updateTable('connections')
    .set({ status: 'reauthorize_required', reauthorize_by: new Date(expiresAtMs) })
    .where('shop_id', '=', shopId)
    .where('status', '<>', 'disconnected')
    .executeTakeFirst();
  ctx.logger.warn(
    { shopId, reauthorizeBy: new Date(expiresAtMs).toISOString() },
    'authorization expires soon',
  );
  return Number(result.numUpdatedRows);
}

export async function liveConnectionsOfShop(
  ctx: AppContext,
  shopId: string,
): Promise<ConnectionRow[]> {
  return ctx.db
    .selectFrom('connections')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('status', '<>', 'disconnected')
    .execute();
}

/** Builds the context the TikTok client needs for shop-scoped calls of this connection. */
export function shopContext(ctx: AppContext, connection: ConnectionRow): TikTokShopContext {
  if (!connection.grant_id || !connection.shop_cipher || connection.status === 'disconnected') {
    throw new AppError('CONFLICT', `Connection ${connection.id} is disconnected`, {
      details: { connectionId: connection.id },
    });
  }
  return {
    shopId: connection.shop_id,
    shopCipher: connection.shop_cipher,
    tokenProvider: createGrantTokenProvider(ctx, connection.grant_id),
  };
}
