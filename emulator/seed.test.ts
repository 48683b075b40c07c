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

test('demo seed catalog: warehouses, SKUs and statuses', async () => {
  harness = await startHarness();
  const demo = seedDemo(harness.emulator);
  const { admin } = harness.emulator;
  const sellerSkus = (shopId: string) =>
    admin.listProducts(shopId).flatMap((product) => product.skus.map((sku) => sku.sellerSku));
  const catalog = [
    'MUG-01',
    'BOTTLE-01',
    'TOTE-01',
    'CANDLE-01',
    'STAND-01',
    'EARBUDS-01',
    'YOGA-01',
    'PILLOW-01',
    'STRAW-04',
    'CARD-01',
    'CREAM-50',
    'LAMP-01',
  ];
  const extras = ['TEE-S', 'TEE-M', 'TEE-L', 'TT-BUNDLE-01', 'TT-GIFTBOX-01', 'POSTER-01'];
  expect(sellerSkus(demo.shops.us.id)).toEqual([
    ...catalog,
    ...extras.slice(0, 3),
    'CARD-01',
    ...extras.slice(3),
    'PLANTER-01',
  ]);
  expect(sellerSkus(demo.shops.uk.id)).toEqual([...catalog, ...extras, 'PLANTER-01']);

  const usWarehouses = admin.listWarehouses(demo.shops.us.id);
  expect(usWarehouses.map((w) => [w.name, w.type, w.isDefault])).toEqual([
    ['Los Angeles DC', 'SALES_WAREHOUSE', true],
    ['New Jersey DC', 'SALES_WAREHOUSE', false],
    ['US Returns Center', 'RETURN_WAREHOUSE', true],
  ]);
  const ukWarehouses = admin.listWarehouses(demo.shops.uk.id);
  expect(ukWarehouses.map((w) => w.type)).toEqual(['SALES_WAREHOUSE', 'RETURN_WAREHOUSE']);

  for (const [shop, warehouses] of [
    [demo.shops.us, usWarehouses],
    [demo.shops.uk, ukWarehouses],
  ] as const) {
    const salesIds = warehouses.filter((w) => w.type === 'SALES_WAREHOUSE').map((w) => w.id);
    const products = admin.listProducts(shop.id);
    expect(products.find((p) => p.skus[0]!.sellerSku === 'POSTER-01')!.status).toBe(
      'SELLER_DEACTIVATED',
    );
    expect(products.find((p) => p.skus[0]!.sellerSku === 'PLANTER-01')!.status).toBe('FREEZE');
    for (const sku of products.flatMap((p) => p.skus)) {
      expect(sku.inventory.map((entry) => entry.warehouseId)).toEqual(salesIds);
    }
  }

  // Seeded open orders commit stock: committed equals the unshipped units of open orders.
  const committedBySku = new Map<string, number>();
  for (const order of harness.emulator.state.store.orders.values()) {
    if (order.status === 'CANCELLED') continue;
    for (const line of order.lineItems) {
      const pack = order.packages.find((p) => p.id === line.packageId);
      if (pack && pack.status !== 'TO_FULFILL') continue;
      committedBySku.set(line.skuId, (committedBySku.get(line.skuId) ?? 0) + 1);
    }
  }
  expect(committedBySku.size).toBeGreaterThan(0);
  for (const shop of [demo.shops.us, demo.shops.uk]) {
    for (const sku of admin.listProducts(shop.id).flatMap((p) => p.skus)) {
      expect(sku.committed).toBe(committedBySku.get(sku.id) ?? 0);
    }
  }
});
