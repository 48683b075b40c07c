import { describe, expect, it } from 'vitest';

import { createMemoryRateLimiter } from './rate-limiter.ts';
import { createFakeClock } from './test-support.ts';

const key = { appKey: 'app', shopId: 'shop-a', api: 'POST /order/202309/orders/search' };

describe('createMemoryRateLimiter', () => {
  it('spaces requests 20 ms apart at 50/s', async () => {
    const clock = createFakeClock(0);
    const limiter = createMemoryRateLimiter({ clock });

    for (let i = 0; i < 5; i += 1) {
      await limiter.acquire(key);
    }

    expect(clock.sleeps).toEqual([20, 20, 20, 20]);
  });

  it('never exceeds 50 requests in one second', async () => {
    const clock = createFakeClock(0);
    const limiter = createMemoryRateLimiter({ clock });
    const sentAt: number[] = [];

    for (let i = 0; i < 200; i += 1) {
      await limiter.acquire(key);
      sentAt.push(clock.now());
    }

    for (const start of sentAt) {
      const inWindow = sentAt.filter((time) => time >= start && time < start + 1000);
      expect(inWindow.length).toBeLessThanOrEqual(50);
    }
  });

  it('reserves consecutive slots for concurrent callers', async () => {
    // Time does not move here, so each sleep shows how far ahead its caller's slot is.
    const sleeps: number[] = [];
    const frozenClock = { now: () => 0, sleep: async (ms: number) => void sleeps.push(ms) };
    const limiter = createMemoryRateLimiter({ clock: frozenClock, ratePerSecond: 10 });

    await Promise.all([1, 2, 3, 4].map(() => limiter.acquire(key)));

    expect(sleeps).toEqual([100, 200, 300]);
  });

  it('keeps shops and APIs apart', async () => {
    const clock = createFakeClock(0);
    const limiter = createMemoryRateLimiter({ clock });

    await limiter.acquire(key);
    await limiter.acquire({ ...key, shopId: 'shop-b' });
    await limiter.acquire({ ...key, api: 'GET /order/202309/orders' });
    await limiter.acquire({ ...key, shopId: null });

    expect(clock.sleeps).toEqual([]);
  });

  it('allows a burst before spacing', async () => {
    const clock = createFakeClock(0);
    const limiter = createMemoryRateLimiter({ clock, burst: 3 });

    for (let i = 0; i < 5; i += 1) {
      await limiter.acquire(key);
    }

    expect(clock.sleeps).toEqual([20, 20]);
  });

  it('does not wait after an idle period', async () => {
    const clock = createFakeClock(0);
    const limiter = createMemoryRateLimiter({ clock });

    await limiter.acquire(key);
    clock.set(5_000);
    await limiter.acquire(key);

    expect(clock.sleeps).toEqual([]);
  });

  it('rejects invalid settings', () => {
    const clock = createFakeClock(0);
    expect(() => createMemoryRateLimiter({ clock, ratePerSecond: 0 })).toThrow(RangeError);
    expect(() => createMemoryRateLimiter({ clock, burst: 0 })).toThrow(RangeError);
  });
});
