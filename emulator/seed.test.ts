import { afterEach, expect, test } from 'vitest';

import { seedDemo } from './seed.ts';
import { startSimulator } from './simulator.ts';
import { startHarness } from './test-helpers.ts';
import type { Harness } from './test-helpers.ts';

let harness: Harness | undefined;
afterEach(async () => harness?.close());

test('demo seed creates two shops with products and history', async () => {
  harness = await startHarness();
  const demo = seedDemo(harness.emulator);
  expect(demo.shops.us).toMatchObject({ region: 'US', currency: 'USD', hasOnHold: true });
  expect(demo.shops.uk).toMatchObject({ region: 'GB', currency: 'GBP', hasOnHold: false });
  expect(demo.products.length).toBeGreaterThanOrEqual(12);

  const orders = [...harness.emulator.state.store.orders.values()];
  const now = Math.floor(harness.clock.now() / 1000);
  expect(orders).toHaveLength(60);
  expect(new Set(orders.map((o) => o.status)).size).toBeGreaterThanOrEqual(5);
  for (const order of orders) {
    expect(order.createTime).toBeGreaterThanOrEqual(now - 90 * 86_400);
    expect(order.updateTime).toBeLessThanOrEqual(now);
    expect(order.updateTime).toBeGreaterThanOrEqual(order.createTime);
  }
});

test('simulator places and advances orders', async () => {
  harness = await startHarness();
  seedDemo(harness.emulator, { ordersPerShop: 0 });
  const simulator = startSimulator(harness.emulator, { intervalMs: 60_000 });
  for (let i = 0; i < 30; i++) await simulator.step();
  simulator.stop();
  const statuses = [...harness.emulator.state.store.orders.values()].map((o) => o.status);
  expect(statuses.length).toBeGreaterThan(10);
  expect(statuses.some((s) => s !== 'UNPAID')).toBe(true);
});
