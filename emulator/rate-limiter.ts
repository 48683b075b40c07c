/**
 * Counts calls per key in fixed one-second windows of the injected clock. TikTok's default
 * quota is 50 requests per second for each API, per (app, shop) pair.
 */
export class RateLimiter {
  private windowStartMs = -1;
  private counts = new Map<string, number>();

  constructor(private readonly limitPerSecond: number) {}

  /** Counts one call for the key; returns false when it is over the limit. */
  tryAcquire(key: string, nowMs: number): boolean {
    const windowStartMs = Math.floor(nowMs / 1000) * 1000;
    if (windowStartMs !== this.windowStartMs) {
      this.windowStartMs = windowStartMs;
      this.counts = new Map();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count <= this.limitPerSecond;
  }
}
