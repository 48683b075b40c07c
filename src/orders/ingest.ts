import type { AppContext } from '../context.ts';
import type { OrderPayload } from '../tiktok/index.ts';
import { mapOrder } from './mapper.ts';
import type { MappedOrder } from './mapper.ts';

export type IngestSource = 'backfill' | 'poll' | 'webhook' | 'resync';

export interface IngestResult {
  upserted: number;
  unchanged: number;
  stale: number;
  failed: number;
}

/**
 * Stores orders through the one ingestion path, from backfill, polling, webhooks and manual re-syncs. It is
 * idempotent, and an order is never moved back to an older `update_time`: a write carrying an
 * older version than the stored one is dropped. Existing rows are locked first, so concurrent
 * workers on PostgreSQL serialize per order.
 */
export async function ingestOrders(
  ctx: AppContext,
  target: { shopId: string; accountId: string; storeId: string },
  payloads: OrderPayload[],
  source: IngestSource,
): Promise<IngestResult> {
  const result: IngestResult = { upserted: 0, unchanged: 0, stale: 0, failed: 0 };
  const mapped = new Map<string, MappedOrder>();
  for (const payload of payloads) {
    try {
      const order = mapOrder(payload);
      const previous = mapped.get(order.id);
      if (!previous || previous.tiktok_update_time <= order.tiktok_update_time)
        mapped.set(order.id, order);
    } catch (error) {
      result.failed++;
      ctx.logger.error({ err: error, shopId: target.shopId, source }, 'order could not be mapped');
    }
  }
  if (mapped.size === 0) return result;

  const now = new Date(ctx.clock.now());
  const ids = [...mapped.keys()].sort();
  const toRow = ({ lineItems: _lines, packages: _packages, ...order }: MappedOrder) => ({
    ...order,
    shop_id: target.shopId,
    account_id: target.accountId,
    store_id: target.storeId,
    first_synced_at: now,
    synced_at: now,
  });
  await ctx.db.transaction().execute(async (trx) => {
    // New orders are inserted first. An order another worker is inserting at the same time
    // makes this statement wait for that transaction, and then counts as existing below, so
    // two workers never both record it as new.
    const inserted = await trx
      .insertInto('orders')
      .values(ids.map((id) => toRow(mapped.get(id)!)))
      .onConflict((conflict) => conflict.columns(['shop_id', 'id']).doNothing())
      .returning('id')
      .execute();
    const insertedIds = new Set(inserted.map((row) => row.id));
    const existingIds = ids.filter((id) => !insertedIds.has(id));
    const existing =
      existingIds.length === 0
        ? []
        : await trx
            .selectFrom('orders')
            .select(['id', 'status', 'tiktok_status', 'tiktok_update_time'])
            .where('shop_id', '=', target.shopId)
            .where('id', 'in', existingIds)
            .orderBy('id')
            .forUpdate()
            .execute();
    const existingById = new Map(existing.map((row) => [row.id, row]));

    const accepted: MappedOrder[] = ids
      .filter((id) => insertedIds.has(id))
      .map((id) => mapped.get(id)!);
    const updated: MappedOrder[] = [];
    for (const id of existingIds) {
      const order = mapped.get(id)!;
      const stored = existingById.get(id)!;
      if (stored.tiktok_update_time > order.tiktok_update_time) {
        result.stale++;
      } else if (
        stored.tiktok_update_time === order.tiktok_update_time &&
        stored.tiktok_status === order.tiktok_status
      ) {
        result.unchanged++;
      } else {
        updated.push(order);
      }
    }
    accepted.push(...updated);
    if (accepted.length === 0) return;

    if (updated.length > 0) {
      const orderRows = updated.map(toRow);
      await trx
        .insertInto('orders')
        .values(orderRows)
        .onConflict((conflict) =>
          conflict.columns(['shop_id', 'id']).doUpdateSet((eb) => {
            const columns = Object.keys(orderRows[0]!).filter(
              (column) => !['shop_id', 'id', 'first_synced_at'].includes(column),
            ) as (keyof (typeof orderRows)[number])[];
            return Object.fromEntries(
              columns.map((column) => [column, eb.ref(`excluded.${column}`)]),
            );
          }),
        )
        .execute();
    }

    const acceptedIds = accepted.map((order) => order.id);
    await trx
      .deleteFrom('order_line_items')
      .where('shop_id', '=', target.shopId)
      .where('order_id', 'in', acceptedIds)
      .execute();
    await trx
      .deleteFrom('order_packages')
      .where('shop_id', '=', target.shopId)
      .where('order_id', 'in', acceptedIds)
      .execute();
    const lineRows = accepted.flatMap((order) =>
      order.lineItems.map((line) => ({ ...line, shop_id: target.shopId, order_id: order.id })),
    );
    for (const chunk of chunks(lineRows, 500))
      await trx.insertInto('order_line_items').values(chunk).execute();
    const packageRows = accepted.flatMap((order) =>
      order.packages.map((pkg) => ({ ...pkg, shop_id: target.shopId, order_id: order.id })),
    );
    for (const chunk of chunks(packageRows, 500))
      await trx.insertInto('order_packages').values(chunk).execute();

    const historyRows = accepted
      .filter((order) => existingById.get(order.id)?.tiktok_status !== order.tiktok_status)
      .map((order) => ({
        shop_id: target.shopId,
        order_id: order.id,
        status: order.status,
        tiktok_status: order.tiktok_status,
        tiktok_update_time: order.tiktok_update_time,
        source,
        recorded_at: now,
      }));
    if (historyRows.length > 0)
      await trx.insertInto('order_status_history').values(historyRows).execute();
    result.upserted = accepted.length;
  });
  return result;
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
