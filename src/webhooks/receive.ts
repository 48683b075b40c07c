import { createHash } from 'node:crypto';

import type { AppContext } from '../context.ts';
import { QUEUES } from '../jobs/boss.ts';
import { parseWebhookEvent, verifyWebhookSignature } from '../tiktok/index.ts';
import type { WebhookEnvelopePayload } from '../tiktok/index.ts';

/**
 * Topics this connector acts on: order status, deauthorization, upcoming expiry, and the product
 * topics (status, information, creation, inventory status, audit) that keep the catalog mirror current.
 */
export const HANDLED_WEBHOOK_TYPES = new Set([1, 6, 7, 5, 15, 16, 27, 37]);
export const PRODUCT_WEBHOOK_TYPES = new Set([5, 15, 16, 27, 37]);

export type ReceiveOutcome =
  | { kind: 'rejected_signature' }
  | { kind: 'malformed'; message: string }
  | { kind: 'duplicate'; eventId: null }
  | { kind: 'stored'; eventId: number; status: string };

/**
 * Verifies a TikTok webhook on its raw bytes, stores it, and schedules the work it triggers.
 * Nothing is written for a bad signature or a malformed body. An event for an unknown shop is
 * recorded and acknowledged, because any other status makes TikTok retry for half a day.
 */
export async function receiveWebhook(
  ctx: AppContext,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<ReceiveOutcome> {
  const { appKey, appSecret } = ctx.config.tiktok;
  if (!verifyWebhookSignature({ appKey, appSecret, rawBody, signature })) {
    ctx.logger.warn(
      { bytes: rawBody.length, hasSignature: Boolean(signature) },
      'webhook signature invalid',
    );
    return { kind: 'rejected_signature' };
  }
  let event;
  try {
    // The topic-specific data is re-read from the stored body when the event is processed.
    event = parseWebhookEvent(rawBody).payload as WebhookEnvelopePayload;
  } catch (error) {
    const message = (error as Error).message;
    ctx.logger.warn({ bytes: rawBody.length, reason: message }, 'webhook body malformed');
    return { kind: 'malformed', message };
  }

  const body = rawBody.toString('utf8');
  const data = (event.data ?? {}) as Record<string, unknown>;
  const dedupeKey = event.tts_notification_id
    ? `n:${event.tts_notification_id}`
    : `h:${createHash('sha256')
        .update(`${event.type}|${event.shop_id}|${JSON.stringify(data)}`)
        .digest('hex')}`;
  const now = new Date(ctx.clock.now());

  const live = await ctx.db
    .selectFrom('connections')
    .select('id')
    .where('shop_id', '=', event.shop_id)
    .where('status', '<>', 'disconnected')
    .executeTakeFirst();
  const status = !live
    ? 'unknown_shop'
    : HANDLED_WEBHOOK_TYPES.has(event.type)
      ? 'pending'
      : 'ignored';

  const inserted = await ctx.db
    .insertInto('webhook_events')
    .values({
      dedupe_key: dedupeKey,
      notification_id: event.tts_notification_id ?? null,
      type: event.type,
      shop_id: event.shop_id,
      order_id: data.order_id === undefined ? null : String(data.order_id),
      product_id: data.product_id === undefined ? null : String(data.product_id),
      event_time: typeof event.timestamp === 'number' ? event.timestamp : null,
      body,
      status,
      received_at: now,
      processed_at: status === 'pending' ? null : now,
      error: null,
    })
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    ctx.logger.info(
      { shopId: event.shop_id, type: event.type, dedupeKey },
      'webhook duplicate ignored',
    );
    return { kind: 'duplicate', eventId: null };
  }
  if (live) {
    await ctx.db
      .updateTable('connections')
      .set({ last_webhook_at: now })
      .where('id', '=', live.id)
      .execute();
  }
  if (status === 'pending') {
    await ctx.jobs.send(QUEUES.webhookBatch, { shopId: event.shop_id }, event.shop_id);
  }
  ctx.logger.info(
    { eventId: inserted.id, shopId: event.shop_id, type: event.type, status },
    'webhook received',
  );
  return { kind: 'stored', eventId: inserted.id, status };
}
