import type { Logger } from 'pino';

import type { FaultController } from './faults.ts';
import { toJsonText } from './json-text.ts';
import { computeWebhookSignature } from './signing.ts';
import type { EmulatorStore } from './store.ts';
import type { Clock } from './types.ts';

const MINUTE_MS = 60_000;

/** Delays before each retry, counted from the previous failure; after the last, TikTok gives up. */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  2 * MINUTE_MS,
  30 * MINUTE_MS,
  3 * 60 * MINUTE_MS,
  12 * 60 * MINUTE_MS,
];

/** TikTok expects the receiver to respond within this time. */
export const WEBHOOK_TIMEOUT_MS = 3_000;

export const WEBHOOK_TYPES = {
  ORDER_STATUS_CHANGE: 1,
  PRODUCT_STATUS_CHANGE: 5,
  SELLER_DEAUTHORIZATION: 6,
  UPCOMING_AUTHORIZATION_EXPIRATION: 7,
  PRODUCT_INFORMATION_CHANGE: 15,
  PRODUCT_CREATION: 16,
  /** TikTok's topic page gives only the number and the name "inventory status change". */
  INVENTORY_STATUS_CHANGE: 27,
  PRODUCT_AUDIT_STATUS_CHANGE: 37,
} as const;

export type DeliveryState = 'held' | 'pending' | 'in_flight' | 'delivered' | 'failed' | 'dropped';

/** One webhook for one app, with its exact body bytes and signature. */
export interface WebhookDelivery {
  id: number;
  appKey: string;
  type: number;
  notificationId: string;
  shopId: string;
  body: string;
  signature: string;
  state: DeliveryState;
  attemptCount: number;
  nextAttemptAtMs: number;
  /** A copy sent by the duplicate fault. */
  isDuplicate: boolean;
}

/** The webhooks a dispatcher has not settled yet, as plain JSON data. */
export interface WebhookQueueSnapshot {
  /** Id of the next delivery, so that restored and new deliveries never share an id. */
  nextId: number;
  /** Deliveries still held, pending or in flight, in sending order. */
  deliveries: WebhookDelivery[];
}

/** One HTTP attempt of a delivery. */
export interface WebhookAttempt {
  deliveryId: number;
  notificationId: string;
  type: number;
  attempt: number;
  /** Clock time when the attempt started. */
  atMs: number;
  url: string;
  /** HTTP status, absent when the request failed or timed out. */
  status?: number;
  /** Real time the receiver took, in milliseconds. */
  latencyMs: number;
  error?: string;
  isSuccess: boolean;
}

export interface WebhookDispatcherOptions {
  store: EmulatorStore;
  clock: Clock;
  faults: FaultController;
  fetch: typeof fetch;
  logger?: Logger;
  /** @default 3000 (TikTok's documented limit) */
  timeoutMs?: number;
  /** Deliveries sent at once by one deliverDue call. @default 8 */
  concurrency?: number;
}

/** Queues, signs, sends and retries webhooks on the injected clock, applying webhook faults. */
export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  readonly attempts: WebhookAttempt[] = [];
  private heldDeliveries: WebhookDelivery[] = [];
  private nextId = 1;

  constructor(private readonly options: WebhookDispatcherOptions) {}

  /** Queues one event for every app that has a live grant on the shop. */
  emitForShop(type: number, shopId: string, data: object): WebhookDelivery[] {
    const grants = this.options.store.grantsForShop(shopId);
    return grants.flatMap((grant) => this.emitToApp(grant.appKey, type, shopId, data));
  }

  /** Queues one event for one app; nothing is queued while the app has no webhook URL. */
  emitToApp(appKey: string, type: number, shopId: string, data: object): WebhookDelivery[] {
    const app = this.options.store.apps.get(appKey);
    if (!app?.webhookUrl) return [];
    const notificationId = this.options.store.newId('notification');
    const timestamp = Math.floor(this.options.clock.now() / 1000);
    const body = toJsonText({
      type,
      tts_notification_id: notificationId,
      shop_id: shopId,
      timestamp,
      data,
    });
    const delivery = this.createDelivery({
      appKey,
      type,
      notificationId,
      shopId,
      body,
      signature: computeWebhookSignature(appKey, app.appSecret, body),
      isDuplicate: false,
    });
    const created = [delivery];
    if (this.options.faults.shouldDuplicateWebhook()) {
      created.push(this.createDelivery({ ...delivery, isDuplicate: true }));
    }
    for (const item of created) this.enqueue(item);
    return created;
  }

  /** Releases every held webhook now, shuffled. */
  flushHeld(): void {
    const batch = new Set(this.heldDeliveries);
    this.heldDeliveries = [];
    // Deliveries are sent in list order, so the shuffled batch moves to the end of the list.
    const remaining = this.deliveries.filter((delivery) => !batch.has(delivery));
    this.deliveries.length = 0;
    this.deliveries.push(...remaining, ...this.options.store.random.shuffle([...batch]));
    for (const delivery of batch) delivery.state = 'pending';
  }

  /** Sends every delivery that is due on the clock; returns the attempts made. */
  async deliverDue(): Promise<WebhookAttempt[]> {
    const now = this.options.clock.now();
    const due = this.deliveries.filter((d) => d.state === 'pending' && d.nextAttemptAtMs <= now);
    for (const delivery of due) delivery.state = 'in_flight';

    const attemptsMade: WebhookAttempt[] = [];
    const queue = [...due];
    const worker = async (): Promise<void> => {
      for (let delivery = queue.shift(); delivery; delivery = queue.shift()) {
        attemptsMade.push(await this.attempt(delivery));
      }
    };
    const concurrency = this.options.concurrency ?? 8;
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
    return attemptsMade;
  }

  /** Copies the deliveries that are not settled yet, recording an in-flight one as pending. */
  snapshot(): WebhookQueueSnapshot {
    const open = this.deliveries.filter(
      (d) => d.state === 'held' || d.state === 'pending' || d.state === 'in_flight',
    );
    const deliveries = structuredClone(open);
    // The attempt in flight cannot finish after a restore, so the restored emulator sends it again.
    for (const delivery of deliveries)
      if (delivery.state === 'in_flight') delivery.state = 'pending';
    return { nextId: this.nextId, deliveries };
  }

  /**
   * Replaces the queue with a snapshot's deliveries. Settled deliveries and the attempt history
   * are not in a snapshot, so they are gone after a restore.
   */
  restore(snapshot: WebhookQueueSnapshot): void {
    const deliveries = structuredClone(snapshot.deliveries);
    this.deliveries.length = 0;
    this.deliveries.push(...deliveries);
    this.attempts.length = 0;
    this.heldDeliveries = deliveries.filter((delivery) => delivery.state === 'held');
    this.nextId = deliveries.reduce((next, d) => Math.max(next, d.id + 1), snapshot.nextId);
  }

  private createDelivery(
    fields: Omit<WebhookDelivery, 'id' | 'state' | 'attemptCount' | 'nextAttemptAtMs'>,
  ): WebhookDelivery {
    return {
      ...fields,
      id: this.nextId++,
      state: 'pending',
      attemptCount: 0,
      nextAttemptAtMs: this.options.clock.now() + (this.options.faults.webhook.delayMs ?? 0),
    };
  }

  private enqueue(delivery: WebhookDelivery): void {
    this.deliveries.push(delivery);
    if (this.options.faults.shouldDropWebhook()) {
      delivery.state = 'dropped';
      this.options.logger?.debug(
        { notificationId: delivery.notificationId },
        'Webhook dropped by fault',
      );
      return;
    }
    const batchSize = this.options.faults.webhook.reorderBatchSize;
    if (batchSize && batchSize > 1) {
      delivery.state = 'held';
      this.heldDeliveries.push(delivery);
      if (this.heldDeliveries.length >= batchSize) this.flushHeld();
    }
  }

  private async attempt(delivery: WebhookDelivery): Promise<WebhookAttempt> {
    const app = this.options.store.apps.get(delivery.appKey);
    const url = app?.webhookUrl ?? '';
    delivery.attemptCount++;
    const record: WebhookAttempt = {
      deliveryId: delivery.id,
      notificationId: delivery.notificationId,
      type: delivery.type,
      attempt: delivery.attemptCount,
      atMs: this.options.clock.now(),
      url,
      latencyMs: 0,
      isSuccess: false,
    };

    const started = performance.now();
    try {
      const response = await this.options.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: delivery.signature },
        body: delivery.body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      record.status = response.status;
      record.isSuccess = response.status === 200;
    } catch (error) {
      record.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    record.latencyMs = performance.now() - started;
    this.attempts.push(record);
    this.settle(delivery, record);
    return record;
  }

  private settle(delivery: WebhookDelivery, record: WebhookAttempt): void {
    const log = {
      deliveryId: delivery.id,
      notificationId: delivery.notificationId,
      attempt: record.attempt,
    };
    if (record.isSuccess) {
      delivery.state = 'delivered';
      this.options.logger?.debug({ ...log, latencyMs: record.latencyMs }, 'Webhook delivered');
      return;
    }
    const delay = WEBHOOK_RETRY_DELAYS_MS[delivery.attemptCount - 1];
    if (delay === undefined) {
      delivery.state = 'failed';
      this.options.logger?.warn(
        { ...log, status: record.status, error: record.error },
        'Webhook abandoned after the last retry',
      );
      return;
    }
    delivery.state = 'pending';
    delivery.nextAttemptAtMs = this.options.clock.now() + delay;
    this.options.logger?.info(
      { ...log, status: record.status, error: record.error, retryInMs: delay },
      'Webhook attempt failed; retry scheduled',
    );
  }
}
