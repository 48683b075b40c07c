import type { Clock } from './types.ts';

/** The scope of one rate limit: TikTok's quota is per app, per shop and per API. */
export interface RateLimitKey {
  appKey: string;
  /** Null for calls that are not tied to a shop (token calls, Get Authorized Shops). */
  shopId: string | null;
  /** Method and path template, e.g. `POST /order/202309/orders/search`. */
  api: string;
}

/** Waits until a request for `key` may be sent; called before every attempt. */
export interface RateLimiter {
  acquire(key: RateLimitKey): Promise<void>;
}

/** Options of {@link createMemoryRateLimiter}. */
export interface MemoryRateLimiterOptions {
  clock: Clock;
  /** Sustained requests per second per key. Default 50, TikTok's default quota. */
  ratePerSecond?: number;
  /**
   * Requests that may go out back to back before spacing applies. Default 1, which keeps every
   * one-second window at or under `ratePerSecond`.
   */
  burst?: number;
}

/** Keys whose theoretical arrival time has passed carry no state, so they are pruned past this. */
const PRUNE_THRESHOLD = 10_000;

/**
 * Creates an in-process rate limiter using the generic cell rate algorithm (GCRA).
 *
 * Each acquire reserves the next free slot for its key and sleeps until that slot, so concurrent
 * callers are served in order. It only limits one process; several processes need a shared one.
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions): RateLimiter {
  const ratePerSecond = options.ratePerSecond ?? 50;
  const burst = options.burst ?? 1;
  if (!(ratePerSecond > 0) || !Number.isInteger(burst) || burst < 1) {
    throw new RangeError(
      `ratePerSecond must be positive and burst a positive integer; got ${ratePerSecond} and ${burst}`,
    );
  }
  const emissionIntervalMs = 1000 / ratePerSecond;
  const toleranceMs = (burst - 1) * emissionIntervalMs;
  const theoreticalArrivalMs = new Map<string, number>();

  return {
    async acquire(key) {
      const now = options.clock.now();
      const mapKey = `${key.appKey}\u0000${key.shopId ?? ''}\u0000${key.api}`;
      const arrival = Math.max(theoreticalArrivalMs.get(mapKey) ?? now, now);
      const waitMs = Math.max(0, arrival - toleranceMs - now);
      theoreticalArrivalMs.set(mapKey, arrival + emissionIntervalMs);
      if (theoreticalArrivalMs.size > PRUNE_THRESHOLD) {
        pruneExpired(theoreticalArrivalMs, now);
      }
      if (waitMs > 0) {
        await options.clock.sleep(waitMs);
      }
    },
  };
}

function pruneExpired(arrivals: Map<string, number>, now: number): void {
  for (const [key, arrival] of arrivals) {
    if (arrival <= now) {
      arrivals.delete(key);
    }
  }
}
