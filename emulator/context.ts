import type { Logger } from 'pino';

import type { FaultController } from './faults.ts';
import type { StockLedger } from './inventory.ts';
import type { OrderLifecycle } from './order-lifecycle.ts';
import type { Random } from './random.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { EmulatorStore } from './store.ts';
import type { Clock } from './types.ts';
import type { WebhookDispatcher } from './webhooks.ts';

/** The parts of one emulator that route handlers and admin functions share. */
export interface EmulatorContext {
  store: EmulatorStore;
  clock: Clock;
  random: Random;
  lifecycle: OrderLifecycle;
  stock: StockLedger;
  /** Search Products rejects a page that reaches past this many results, with 12052180. */
  productSearchResultLimit: number;
  webhooks: WebhookDispatcher;
  faults: FaultController;
  rateLimiter: RateLimiter;
  logger?: Logger;
  /** Bearer token that /admin routes require; open when unset. */
  adminToken?: string;
}

/** Returns the clock's current time in Unix seconds, TikTok's time unit. */
export function nowSeconds(context: { clock: Clock }): number {
  return Math.floor(context.clock.now() / 1000);
}
