import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';

import { createAdmin, emitOrderStatus } from './admin.ts';
import type { EmulatorAdmin } from './admin.ts';
import { registerAdminRoutes } from './admin-routes.ts';
import { registerApiRoutes } from './api-routes.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import type { EmulatorContext } from './context.ts';
import { FaultController } from './faults.ts';
import { DEFAULT_LOW_STOCK_THRESHOLD, StockLedger } from './inventory.ts';
import { OrderLifecycle } from './order-lifecycle.ts';
import { emitInventoryStatusChange } from './product-webhooks.ts';
import { createRandom } from './random.ts';
import { RateLimiter } from './rate-limiter.ts';
import { restoreSnapshot, takeSnapshot } from './snapshot.ts';
import type { EmulatorSnapshot } from './snapshot.ts';
import { EmulatorStore } from './store.ts';
import type { AppConfig, Clock } from './types.ts';
import type { WebhookAttempt } from './webhooks.ts';
import { WebhookDispatcher } from './webhooks.ts';

/** Options of createEmulator. */
export interface EmulatorOptions {
  /** Time source in milliseconds; every expiry, window and webhook retry reads it. */
  clock: Clock;
  /** Apps registered in Partner Center. */
  apps: AppConfig[];
  /** Calls per second per (app, shop, API) before HTTP 429. @default 50 */
  rateLimitPerSecond?: number;
  /** How long a paid order stays ON_HOLD in shops that have it, in ms. @default 3_600_000 */
  onHoldWindowMs?: number;
  /** Used to deliver webhooks. @default globalThis.fetch */
  fetch?: typeof fetch;
  logger?: Logger;
  /** Seed of the PRNG behind ids, tokens and faults. @default 1 */
  seed?: number;
  /** When set, /admin routes require `authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** Webhook receiver timeout in real ms. @default 3000 */
  webhookTimeoutMs?: number;
  /**
   * Number of results Search Products can reach. A page past them gets 12052180. Tests set a small value
   * to exercise update-time window walking. @default 10000 (TikTok's limit)
   */
  productSearchResultLimit?: number;
  /**
   * Available units at or below which a SKU is LOW_STOCK (0 is OUT_OF_STOCK), for the inventory
   * status webhook (type 27). @default 5
   */
  lowStockThreshold?: number;
}

/** One emulated TikTok Shop: HTTP plugin, admin functions, state and the webhook pump. */
export interface Emulator {
  /** Fastify plugin serving the API host, the auth host, /open/authorize and /admin. */
  app: FastifyPluginAsync;
  admin: EmulatorAdmin;
  state: EmulatorContext;
  /** Releases due ON_HOLD orders; tests call it after advancing the clock. */
  tick(): number;
  /** Sends the webhooks that are due on the clock, retries included. */
  deliverDueWebhooks(): Promise<WebhookAttempt[]>;
  /** Copies the whole state as JSON-serializable data, for restore in this or a later process. */
  snapshot(): EmulatorSnapshot;
  /** Replaces the whole state with a snapshot's, so that its tokens, ciphers and orders work. */
  restore(snapshot: EmulatorSnapshot): void;
  close(): Promise<void>;
}

/** Creates an emulator. Register `app` on a Fastify instance, optionally under a prefix. */
export function createEmulator(options: EmulatorOptions): Emulator {
  const random = createRandom(options.seed ?? 1);
  const store = new EmulatorStore(random);
  const faults = new FaultController(random);
  const webhooks = new WebhookDispatcher({
    store,
    clock: options.clock,
    faults,
    fetch: options.fetch ?? globalThis.fetch,
    logger: options.logger,
    timeoutMs: options.webhookTimeoutMs,
  });
  const lowStockThreshold = options.lowStockThreshold ?? DEFAULT_LOW_STOCK_THRESHOLD;
  const stock = new StockLedger({
    store,
    lowStockThreshold,
    onInventoryStatusChange: (sku, status) =>
      emitInventoryStatusChange(
        { webhooks, nowSeconds: () => Math.floor(options.clock.now() / 1000) },
        sku,
        status,
        lowStockThreshold,
      ),
  });
  const context: EmulatorContext = {
    store,
    stock,
    productSearchResultLimit: options.productSearchResultLimit ?? 10_000,
    clock: options.clock,
    random,
    faults,
    webhooks,
    rateLimiter: new RateLimiter(options.rateLimitPerSecond ?? 50),
    logger: options.logger,
    adminToken: options.adminToken,
    lifecycle: new OrderLifecycle({
      store,
      clock: options.clock,
      onHoldWindowMs: options.onHoldWindowMs ?? 3_600_000,
      onStatusChange: (order) => emitOrderStatus(webhooks, order),
      stock,
    }),
  };
  for (const app of options.apps) store.apps.set(app.appKey, { ...app });

  const admin = createAdmin(context);
  let isClosed = false;
  const plugin: FastifyPluginAsync = async (instance: FastifyInstance) => {
    // Signatures cover the raw body bytes, so every body reaches the handlers unparsed.
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    registerAuthRoutes(instance, context);
    registerAdminRoutes(instance, context, admin, () => webhooks.deliverDue());
    registerApiRoutes(instance, context);
  };

  return {
    app: plugin,
    admin,
    state: context,
    tick: () => admin.tick(),
    deliverDueWebhooks: async () => (isClosed ? [] : webhooks.deliverDue()),
    snapshot: () => takeSnapshot(context),
    restore: (snapshot) => restoreSnapshot(context, snapshot),
    close: async () => {
      isClosed = true;
    },
  };
}
