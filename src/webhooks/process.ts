import type { AppContext } from '../context.ts';
import { PRODUCT_WEBHOOK_TYPES } from './receive.ts';
import {
  handleDeauthorization,
  handleExpiryWarning,
  liveConnectionsOfShop,
  shopContext,
} from '../connections/connections.ts';
import { refreshProducts } from '../catalog/mirror.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { fetchOrderDetails } from '../orders/sync.ts';

/** Events read per round; order events of one round share Get Order Detail calls of 50 ids. */
const EVENTS_PER_ROUND = 500;
const MAX_ROUNDS_PER_JOB = 20;

/**
 * Works off a shop's pending webhook events. An order event is only a trigger, so the order
 * is re-read with Get Order Detail, up to 50 ids per call. It then goes through the one ingestion
 * path, which ignores versions older than the stored one, so duplicates and reordering are safe.
 */
export async function processShopWebhooks(ctx: AppContext, shopId: string): Promise<number> {
  let processed = 0;
  for (let round = 0; round < MAX_ROUNDS_PER_JOB; round++) {
    const events = await ctx.db
      .selectFrom('webhook_events')
      .select(['id', 'type', 'order_id', 'product_id', 'body'])
      .where('shop_id', '=', shopId)
      .where('status', '=', 'pending')
      .orderBy('id')
      .limit(EVENTS_PER_ROUND)
      .execute();
    if (events.length === 0) break;
    const now = () => new Date(ctx.clock.now());

    const productEvents = events.filter((event) => PRODUCT_WEBHOOK_TYPES.has(event.type));
    if (productEvents.length > 0) {
      const [connection] = await liveConnectionsOfShop(ctx, shopId);
      const productIds = productEvents
        .map((event) => event.product_id)
        .filter((id): id is string => !!id);
      if (connection && connection.status === 'active' && productIds.length > 0) {
        try {
          // Like orders, a product event is a trigger: the product is read again.
          await refreshProducts(ctx, shopContext(ctx, connection), shopId, productIds);
        } catch (error) {
          ctx.logger.warn(
            { err: error, shopId, products: productIds.length },
            'webhook product fetch failed; retried later',
          );
          return processed;
        }
      }
    }

    for (const event of events.filter((candidate) => candidate.type !== 1)) {
      const data = (JSON.parse(event.body) as { data?: Record<string, unknown> }).data ?? {};
      if (event.type === 6) await handleDeauthorization(ctx, shopId);
      if (event.type === 7) {
        const expiresAtSeconds = Number(data.expiration_time);
        if (Number.isFinite(expiresAtSeconds))
          await handleExpiryWarning(ctx, shopId, expiresAtSeconds * 1000);
      }
      await ctx.db
        .updateTable('webhook_events')
        .set({ status: 'processed', processed_at: now() })
        .where('id', '=', event.id)
        .execute();
      processed++;
    }

    const orderEvents = events.filter((event) => event.type === 1);
    if (orderEvents.length === 0) continue;
    const [connection] = await liveConnectionsOfShop(ctx, shopId);
    if (!connection) {
      await ctx.db
        .updateTable('webhook_events')
        .set({ status: 'ignored', processed_at: now(), error: 'shop is not connected' })
        .where(
          'id',
          'in',
          orderEvents.map((event) => event.id),
        )
        .execute();
      continue;
    }
    const orderIds = [
      ...new Set(orderEvents.map((event) => event.order_id).filter((id): id is string => !!id)),
    ];
    const stats = { searchCalls: 0, detailCalls: 0, fetched: 0, upserted: 0, failed: 0 };
    try {
      const orders = await fetchOrderDetails(ctx, shopContext(ctx, connection), orderIds, stats);
      await ingestOrders(
        ctx,
        { shopId, accountId: connection.account_id, storeId: connection.store_id },
        orders,
        'webhook',
      );
    } catch (error) {
      ctx.logger.warn(
        { err: error, shopId, orders: orderIds.length },
        'webhook order fetch failed; retried later',
      );
      return processed;
    }
    await ctx.db
      .updateTable('webhook_events')
      .set({ status: 'processed', processed_at: now() })
      .where(
        'id',
        'in',
        orderEvents.map((event) => event.id),
      )
      .execute();
    processed += orderEvents.length;
    ctx.logger.info(
      {
        shopId,
        events: orderEvents.length,
        orders: orderIds.length,
        detailCalls: stats.detailCalls,
      },
      'webhook batch processed',
    );
  }
  return processed;
}
