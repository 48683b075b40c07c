import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import { seedDemo } from './seed.ts';
import type { DemoSeed } from './seed.ts';
import type { EmulatorSnapshot } from './snapshot.ts';
import { TEST_APP, callApi, exchangeCode, startHarness } from './test-helpers.ts';
import type { Harness } from './test-helpers.ts';

let original: Harness;
let restored: Harness;
let demo: DemoSeed;
let accessToken: string;

beforeEach(async () => {
  original = await startHarness({ rateLimitPerSecond: 10_000 });
  demo = seedDemo(original.emulator);
  const { code } = original.emulator.admin.simulateAppStoreInstall({
    appKey: TEST_APP.appKey,
    sellerId: demo.seller.id,
  });
  accessToken = ((await exchangeCode(original, code)).body.data as { access_token: string })
    .access_token;
  restored = await startHarness({ rateLimitPerSecond: 10_000 });
});
afterEach(async () => {
  await original.close();
  await restored.close();
});

/** Passes a snapshot through JSON text, as a file carries it. */
function throughJson(snapshot: EmulatorSnapshot): EmulatorSnapshot {
  return JSON.parse(JSON.stringify(snapshot)) as EmulatorSnapshot;
}

/** Open orders' unshipped units per SKU id, as the committed-stock model counts them. */
function openUnitsBySku(harness: Harness): Map<string, number> {
  const counts = new Map<string, number>();
  for (const order of harness.emulator.state.store.orders.values()) {
    if (order.status === 'CANCELLED') continue;
    for (const line of order.lineItems) {
      const pack = order.packages.find((p) => p.id === line.packageId);
      if (pack && pack.status !== 'TO_FULFILL') continue;
      counts.set(line.skuId, (counts.get(line.skuId) ?? 0) + 1);
    }
  }
  return counts;
}

describe('catalog snapshot', () => {
  test('round trip keeps warehouses, stock, prices and locks', async () => {
    const { admin } = original.emulator;
    const us = demo.shops.us;
    const tee = admin.listProducts(us.id).find((p) => p.title === 'Classic Cotton T-Shirt')!;
    admin.lockSkuPrice(tee.skus[0]!.id, { code: 12052038, reason: 'Flash sale' });
    admin.setSkuInventory(tee.skus[1]!.id, [{ warehouseId: us.warehouseIds[0]!, quantity: 7 }]);
    const order = admin.createOrder({ shopId: us.id, items: [{ skuId: tee.skus[1]!.id }] });

    restored.emulator.restore(throughJson(original.emulator.snapshot()));

    const radmin = restored.emulator.admin;
    for (const shop of [demo.shops.us, demo.shops.uk]) {
      expect(radmin.listWarehouses(shop.id)).toEqual(admin.listWarehouses(shop.id));
      expect(radmin.listProducts(shop.id)).toEqual(admin.listProducts(shop.id));
    }
    expect(radmin.getProduct(tee.id).skus[1]!.inventory[0]).toMatchObject({
      quantity: 7,
      committed: 1,
    });

    const locked = await callApi(restored, {
      path: `/product/202309/products/${tee.id}/prices/update`,
      body: JSON.stringify({
        skus: [{ id: tee.skus[0]!.id, price: { amount: '1.00', currency: 'USD' } }],
      }),
      token: accessToken,
      shopCipher: us.cipher,
    });
    expect(locked.body.code).toBe(12052038);

    radmin.moveOrder(order.id, 'IN_TRANSIT');
    expect(radmin.getProduct(tee.id).skus[1]!.inventory[0]).toMatchObject({
      quantity: 6,
      committed: 0,
    });
    expect(admin.getProduct(tee.id).skus[1]!.inventory[0]!.quantity).toBe(7);
  });

  test('an old snapshot without catalog state restores with defaults', async () => {
    const snapshot = throughJson(original.emulator.snapshot());
    // Strip everything that snapshots from before products had status and stock lack.
    delete snapshot.warehouses;
    for (const shop of snapshot.shops) shop.warehouseIds = shop.warehouseIds.slice(0, 1);
    const legacyProducts = snapshot.products as unknown as Record<string, unknown>[];
    for (const product of legacyProducts) {
      for (const key of [
        'status',
        'auditStatus',
        'createTime',
        'updateTime',
        'salesRegions',
        'productTypes',
        'isNotForSale',
      ]) {
        delete product[key];
      }
    }
    for (const sku of snapshot.skus as unknown as Record<string, unknown>[]) {
      delete sku.inventory;
      delete sku.priceLock;
    }
    for (const order of snapshot.orders) {
      for (const line of order.lineItems) {
        delete line.stockState;
        delete line.stockWarehouseId;
      }
    }

    restored.emulator.restore(snapshot);

    const radmin = restored.emulator.admin;
    const us = demo.shops.us;
    const warehouses = radmin.listWarehouses(us.id);
    expect(warehouses).toHaveLength(1);
    expect(warehouses[0]).toMatchObject({
      id: us.warehouseIds[0],
      isDefault: true,
      type: 'SALES_WAREHOUSE',
    });
    const now = Math.floor(restored.clock.now() / 1000);
    const committed = openUnitsBySku(restored);
    for (const product of radmin.listProducts(us.id)) {
      expect(product).toMatchObject({
        status: 'ACTIVATE',
        auditStatus: 'APPROVED',
        salesRegions: ['US'],
        createTime: now,
        updateTime: now,
      });
      for (const sku of product.skus) {
        expect(sku.inventory).toEqual([
          {
            warehouseId: us.warehouseIds[0],
            quantity: 100,
            committed: committed.get(sku.id) ?? 0,
            available: 100 - (committed.get(sku.id) ?? 0),
          },
        ]);
      }
    }
    expect([...committed.values()].some((count) => count > 0)).toBe(true);

    const search = await callApi(restored, {
      path: '/product/202502/products/search',
      params: { page_size: '100' },
      body: '{}',
      token: accessToken,
      shopCipher: us.cipher,
    });
    expect(search.body.code).toBe(0);
    // The restored default warehouse takes new orders' stock.
    const mug = radmin.listProducts(us.id).find((p) => p.skus[0]!.sellerSku === 'MUG-01')!;
    const before = mug.skus[0]!.committed;
    radmin.createOrder({ shopId: us.id, items: [{ sellerSku: 'MUG-01' }] });
    expect(radmin.getProduct(mug.id).skus[0]!.committed).toBe(before + 1);
  });
});
