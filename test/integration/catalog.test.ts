import { afterEach, describe, expect, it } from 'vitest';

import type {
  CatalogSku,
  CatalogSkuPage,
  LinkReport,
  PlatformSku,
  TiktokProductPage,
} from '../../src/http/catalog-types.ts';
import { startTestConnector } from '../support/connector.ts';
import type { TestConnector } from '../support/connector.ts';
import { connectDemoShops, settle, signIn } from '../support/flows.ts';
import type { Browser } from '../support/flows.ts';

let test: TestConnector;
let browser: Browser;
let storeId: string;
let connections: { id: string; shopId: string; region: string }[];

afterEach(async () => {
  await test?.close();
});

async function start(env: Record<string, string> = {}, options = {}) {
  test = await startTestConnector({ TTS_PUSH_COALESCE_MS: '0', ...env }, options);
  browser = await signIn(test);
  storeId = test.demo.storeId;
  ({ connections } = await connectDemoShops(test, browser));
}

const emulator = () => test.connector.emulator!;
const shopOf = (region: string) => connections.find((c) => c.region === region)!;
const api = (path: string) => `/api/v1/stores/${storeId}${path}`;

/** Calls to TikTok whose path matches, from the connector's own fetch. */
function callCount(pattern: RegExp): number {
  let total = 0;
  for (const [key, count] of test.calls) if (pattern.test(key)) total += count;
  return total;
}
const INVENTORY_UPDATE = /^POST \/product\/202309\/products\/\d+\/inventory\/update$/;
const PRICE_UPDATE = /^POST \/product\/202309\/products\/\d+\/prices\/update$/;

async function catalogRow(region: string, sellerSku: string): Promise<CatalogSku> {
  const page = await browser.json<CatalogSkuPage>(
    api(`/catalog/skus?shopId=${shopOf(region).shopId}&q=${encodeURIComponent(sellerSku)}`),
  );
  const row = page.body.skus.find((sku) => sku.sellerSku === sellerSku);
  if (!row) throw new Error(`no catalog row for ${sellerSku} in ${region}`);
  return row;
}

/** Reads the emulator's copy of the TikTok SKU behind a row: quantity per warehouse and price. */
function tiktokSku(row: CatalogSku) {
  const product = emulator().admin.getProduct(row.productId);
  return { product, sku: product.skus.find((sku) => sku.id === row.tiktokSkuId)! };
}

async function setStock(sku: string, levels: { location: string; onHand: number }[]) {
  return browser.json<{ updated: number; queuedPushes: number }>(api(`/skus/${sku}/stock`), {
    method: 'PUT',
    body: JSON.stringify({ levels }),
  });
}

describe('catalog import and SKU links', () => {
  it('mirrors both shops, links by seller_sku and reports what it could not link', async () => {
    await start();
    for (const connection of connections) {
      const emulated = emulator().admin.listProducts(connection.shopId);
      const mirrored = await test.connector.ctx.db
        .selectFrom('tiktok_products')
        .select('id')
        .where('shop_id', '=', connection.shopId)
        .execute();
      expect(mirrored.map((row) => row.id).sort()).toEqual(emulated.map((p) => p.id).sort());
    }

    const report = await browser.json<LinkReport>(api('/catalog/report'));
    expect(report.status).toBe(200);
    const us = shopOf('US').shopId;
    expect(report.body.duplicates).toEqual([
      expect.objectContaining({ shopId: us, sellerSku: 'CARD-01' }),
    ]);
    expect(report.body.duplicates[0]!.tiktokSkuIds).toHaveLength(2);
    const unmatched = report.body.unmatchedTiktok.map((row) => row.sellerSku);
    expect(unmatched).toEqual(
      expect.arrayContaining(['TT-BUNDLE-01', 'TT-BUNDLE-01', 'TT-GIFTBOX-01', 'TT-GIFTBOX-01']),
    );
    const platformSkus = (await browser.json<{ skus: PlatformSku[] }>(api('/skus?limit=500'))).body
      .skus;
    expect(unmatched.filter((sku) => platformSkus.some((p) => p.sku === sku))).toEqual([]);
    expect(report.body.unmatchedPlatform.map((row) => row.sku)).toEqual([
      'GIFTCARD-25',
      'SOCKS-01',
    ]);
    expect(report.body.linked).toBeGreaterThan(20);

    // CARD-01 is linked in the UK shop, where it is used once, but in neither US SKU.
    expect((await catalogRow('GB', 'CARD-01')).link.state).toBe('auto');
    const usCards = await browser.json<CatalogSkuPage>(
      api(`/catalog/skus?shopId=${us}&state=duplicate`),
    );
    expect(usCards.body.skus.map((row) => row.sellerSku)).toEqual(['CARD-01', 'CARD-01']);
    expect(usCards.body.skus.every((row) => row.stock.pushed === null)).toBe(true);
  });

  it('pushes the platform stock of every linked SKU once connected, and TikTok agrees', async () => {
    await start();
    // MUG-01: 40 at MAIN and 5 at OVERFLOW feed the default warehouse; RETURNS is excluded.
    const row = await catalogRow('US', 'MUG-01');
    expect(row.link.state).toBe('auto');
    expect(row.stock.error).toBeNull();
    const { sku } = tiktokSku(row);
    const warehouses = emulator().admin.listWarehouses(shopOf('US').shopId);
    const defaultSales = warehouses.find((w) => w.isDefault && w.type === 'SALES_WAREHOUSE')!;
    const byWarehouse = Object.fromEntries(sku.inventory.map((w) => [w.warehouseId, w.quantity]));
    expect(byWarehouse[defaultSales.id]).toBe(45);
    // The second US sales warehouse is fed by no location, so it keeps TikTok's own count.
    expect(sku.inventory.length).toBe(2);
    expect(row.stock.pushed).toBe(sku.quantity);
  });

  it('links and unlinks by hand, and automatic matching leaves both alone', async () => {
    await start();
    const [first, second] = (
      await browser.json<CatalogSkuPage>(
        api(`/catalog/skus?shopId=${shopOf('US').shopId}&state=duplicate`),
      )
    ).body.skus;
    const linked = await browser.json<CatalogSku>(
      api(`/catalog/links/${first!.shopId}/${first!.tiktokSkuId}`),
      { method: 'PUT', body: JSON.stringify({ platformSku: 'CARD-01' }) },
    );
    expect(linked.status).toBe(200);
    expect(linked.body.link).toMatchObject({ state: 'manual', platformSku: 'CARD-01' });
    await settle(test);
    const pushed = tiktokSku(linked.body).sku;
    expect(pushed.quantity).toBeGreaterThanOrEqual(22);
    const other = tiktokSku(second!).sku;
    expect(other.quantity).not.toBe(pushed.quantity);

    const unknown = await browser.json<{ error: { message: string } }>(
      api(`/catalog/links/${first!.shopId}/${first!.tiktokSkuId}`),
      { method: 'PUT', body: JSON.stringify({ platformSku: 'NOPE-404' }) },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('NOPE-404');

    const mug = await catalogRow('US', 'MUG-01');
    const unlinked = await browser.json<CatalogSku>(
      api(`/catalog/links/${mug.shopId}/${mug.tiktokSkuId}`),
      { method: 'DELETE' },
    );
    expect(unlinked.body.link.state).toBe('unlinked');
    const before = tiktokSku(mug).sku.quantity;
    await setStock('MUG-01', [{ location: 'MAIN', onHand: 3 }]);
    await settle(test);
    expect(tiktokSku(mug).sku.quantity).toBe(before);
    expect((await catalogRow('US', 'MUG-01')).link.state).toBe('unlinked');
  });
});

describe('links and shops over time', () => {
  it('rejects a second listing fed by one platform SKU in a shop', async () => {
    await start();
    const [first, second] = (
      await browser.json<CatalogSkuPage>(
        api(`/catalog/skus?shopId=${shopOf('US').shopId}&state=duplicate`),
      )
    ).body.skus;
    const path = (row: CatalogSku) => api(`/catalog/links/${row.shopId}/${row.tiktokSkuId}`);
    const body = JSON.stringify({ platformSku: 'CARD-01' });
    expect((await browser.json(path(first!), { method: 'PUT', body })).status).toBe(200);
    const refused = await browser.json<{ error: { message: string } }>(path(second!), {
      method: 'PUT',
      body,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(first!.tiktokSkuId);
    // Unlinking with a JSON content type and no body is fine.
    const unlinked = await browser.request(path(first!), {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
    });
    expect(unlinked.status).toBe(200);
    expect((await browser.json(path(second!), { method: 'PUT', body })).status).toBe(200);
  });

  it('sends changes made while a shop was disconnected once it is back', async () => {
    await start();
    const uk = shopOf('GB');
    const gone = await browser.request(`/api/v1/stores/${storeId}/connections/${uk.id}`, {
      method: 'DELETE',
    });
    expect(gone.status).toBe(204);
    await setStock('YOGA-01', [
      { location: 'MAIN', onHand: 11 },
      { location: 'OVERFLOW', onHand: 0 },
    ]);
    await browser.json(api('/skus/YOGA-01'), {
      method: 'PATCH',
      body: JSON.stringify({ price: '31.00' }),
    });
    await settle(test);
    ({ connections } = await connectDemoShops(test, browser));
    const row = await catalogRow('GB', 'YOGA-01');
    expect(defaultWarehouseQuantity(row)).toBe(11);
    // 31.00 USD at 0.79 is 24.49 GBP.
    expect(tiktokSku(row).sku.price).toBe('24.49');
    expect(row.stock.pending).toBe(false);
    expect(row.price.pending).toBe(false);
  });

  it('long SKU paths and unknown routes', async () => {
    await start();
    const code = `LONG-${'X'.repeat(115)}`;
    const created = await browser.json(api('/skus'), {
      method: 'POST',
      body: JSON.stringify({ sku: code, title: 'Long code', price: '1.00' }),
    });
    expect(created.status).toBe(201);
    const read = await browser.json<PlatformSku>(api(`/skus/${encodeURIComponent(code)}`));
    expect(read.status).toBe(200);
    expect(read.body.sku).toBe(code);
    const missing = await browser.json<{ error: { code: string; message: string } }>(
      '/api/v1/no-such-route',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});

describe('stock push', () => {
  it('coalesces many changes to one product into one call with every changed SKU', async () => {
    await start();
    const tees = ['TEE-S', 'TEE-M', 'TEE-L'];
    const callsBefore = callCount(INVENTORY_UPDATE);
    for (let round = 1; round <= 5; round++) {
      for (const tee of tees) await setStock(tee, [{ location: 'MAIN', onHand: round * 10 }]);
    }
    await settle(test);
    // One product in each of the two shops: two calls, not fifteen per shop.
    expect(callCount(INVENTORY_UPDATE) - callsBefore).toBe(2);
    for (const tee of tees) {
      for (const region of ['US', 'GB']) {
        const row = await catalogRow(region, tee);
        const base = tee === 'TEE-S' ? 5 : 0;
        expect(row.stock.pushed).toBe(tiktokSku(row).sku.quantity);
        expect(row.stock.wanted).toBe(row.stock.pushed);
        expect(row.stock.pending).toBe(false);
        expect(tiktokSku(row).sku.inventory.some((w) => w.quantity === 50 + base)).toBe(true);
      }
    }
  });

  it('store and SKU stock rules', async () => {
    await start();
    const settings = await browser.json(api('/settings/catalog'), {
      method: 'PUT',
      body: JSON.stringify({ stockRule: { reserveUnits: 2 } }),
    });
    expect(settings.status).toBe(200);
    await browser.json(api('/skus/LAMP-01'), {
      method: 'PATCH',
      body: JSON.stringify({ stockRule: { reservePercent: '50', maxQuantity: 3 } }),
    });
    await setStock('TOTE-01', [{ location: 'MAIN', onHand: 10 }]);
    await setStock('STAND-01', [{ location: 'MAIN', onHand: 1 }]);
    await settle(test);
    const tote = await catalogRow('US', 'TOTE-01');
    expect(defaultWarehouseQuantity(tote)).toBe(8);
    const stand = await catalogRow('US', 'STAND-01');
    expect(defaultWarehouseQuantity(stand)).toBe(0);
    const lamp = await catalogRow('US', 'LAMP-01');
    expect(defaultWarehouseQuantity(lamp)).toBe(3);
  });

  it('sell-out skips the window', async () => {
    await start({ TTS_PUSH_COALESCE_MS: '600000' });
    const before = defaultWarehouseQuantity(await catalogRow('US', 'BOTTLE-01'));
    await setStock('BOTTLE-01', [{ location: 'MAIN', onHand: 7 }]);
    await settle(test);
    expect(defaultWarehouseQuantity(await catalogRow('US', 'BOTTLE-01'))).toBe(before);
    expect((await catalogRow('US', 'BOTTLE-01')).stock.pending).toBe(true);

    // CANDLE-01 sells out (18 at MAIN, nothing at OVERFLOW): that goes out without waiting.
    await setStock('CANDLE-01', [
      { location: 'MAIN', onHand: 0 },
      { location: 'OVERFLOW', onHand: 0 },
    ]);
    await settle(test);
    expect(defaultWarehouseQuantity(await catalogRow('US', 'CANDLE-01'))).toBe(0);
    expect(defaultWarehouseQuantity(await catalogRow('GB', 'CANDLE-01'))).toBe(0);
  });

  it('retries a push through a 429 and a 503', async () => {
    await start();
    const path = '/product/202309/products/{product_id}/inventory/update';
    emulator().admin.addApiFault({ kind: 'rate_limit', next: 1, path });
    emulator().admin.addApiFault({ kind: 'server_error', status: 503, next: 1, path });
    const calls = callCount(INVENTORY_UPDATE);
    await setStock('CREAM-50', [{ location: 'MAIN', onHand: 11 }]);
    await settle(test);
    const row = await catalogRow('US', 'CREAM-50');
    expect(row.stock.error).toBeNull();
    expect(row.stock.pending).toBe(false);
    expect(defaultWarehouseQuantity(row)).toBe(11);
    // One call per shop, plus at least one attempt that TikTok refused.
    expect(callCount(INVENTORY_UPDATE) - calls).toBeGreaterThanOrEqual(3);
  });

  it('shop needing re-authorization waits', async () => {
    await start();
    const us = shopOf('US');
    await test.connector.ctx.db
      .updateTable('connections')
      .set({ status: 'reauthorize_required' })
      .where('id', '=', us.id)
      .execute();
    await setStock('STRAW-04', [{ location: 'MAIN', onHand: 17 }]);
    await settle(test);
    const skipped = await test.connector.ctx.db
      .selectFrom('sku_push_state as s')
      .innerJoin('tiktok_skus as t', (join) =>
        join.onRef('t.shop_id', '=', 's.shop_id').onRef('t.id', '=', 's.tiktok_sku_id'),
      )
      .select(['s.stock_error_code'])
      .where('s.shop_id', '=', us.shopId)
      .where('t.seller_sku', '=', 'STRAW-04')
      .executeTakeFirstOrThrow();
    expect(skipped.stock_error_code).toBe('SHOP_NOT_ACTIVE');

    await test.connector.ctx.db
      .updateTable('connections')
      .set({ status: 'active' })
      .where('id', '=', us.id)
      .execute();
    await browser.json(api(`/connections/${us.id}/catalog/sync`), { method: 'POST' });
    await settle(test);
    const row = await catalogRow('US', 'STRAW-04');
    expect(row.stock.error).toBeNull();
    expect(defaultWarehouseQuantity(row)).toBe(17);
  });

  it('open order units counted once', async () => {
    await start();
    await setStock('YOGA-01', [
      { location: 'MAIN', onHand: 10 },
      { location: 'OVERFLOW', onHand: 0 },
    ]);
    await settle(test);
    const row = await catalogRow('US', 'YOGA-01');
    const warehouse = defaultWarehouse();
    const pushesBefore = callCount(INVENTORY_UPDATE);
    const order = emulator().admin.createOrder({
      shopId: row.shopId,
      items: [{ sellerSku: 'YOGA-01', quantity: 2 }],
      status: 'AWAITING_SHIPMENT',
    } as never);
    await settle(test);
    // TikTok counts the two units as committed, and the connector sends nothing for the order.
    const afterOrder = warehouseView(row, warehouse);
    expect(afterOrder).toMatchObject({ quantity: 10, committed: 2, available: 8 });
    expect(callCount(INVENTORY_UPDATE)).toBe(pushesBefore);
    const stored = await test.connector.ctx.db
      .selectFrom('orders')
      .select('id')
      .where('id', '=', order.id)
      .executeTakeFirst();
    expect(stored?.id).toBe(order.id);

    // The warehouse ships the order: TikTok lowers both counts, and the platform counts 8.
    emulator().admin.shipOrder(order.id);
    await setStock('YOGA-01', [{ location: 'MAIN', onHand: 8 }]);
    await settle(test);
    expect(warehouseView(row, warehouse)).toMatchObject({
      quantity: 8,
      committed: 0,
      available: 8,
    });
  });

  it('frozen product and new warehouse', async () => {
    await start();
    const frozen = (
      await browser.json<CatalogSkuPage>(api('/catalog/skus?limit=500'))
    ).body.skus.find((sku) => sku.productStatus === 'FREEZE');
    expect(frozen).toBeDefined();
    const link = await browser.json(
      api(`/catalog/links/${frozen!.shopId}/${frozen!.tiktokSkuId}`),
      {
        method: 'PUT',
        body: JSON.stringify({ platformSku: 'SOCKS-01' }),
      },
    );
    expect(link.status).toBe(200);
    await setStock('SOCKS-01', [{ location: 'MAIN', onHand: 4 }]);
    await settle(test);
    const skipped = await catalogRow(
      frozen!.shopId === shopOf('US').shopId ? 'US' : 'GB',
      frozen!.sellerSku,
    );
    expect(skipped.stock.errorCode).toBe('PRODUCT_FREEZE');
    expect(skipped.stock.error).toContain('FREEZE');

    // TikTok lifts the freeze: the status webhook brings the product back and the stock goes out.
    emulator().admin.setProductStatus(frozen!.productId, 'ACTIVATE');
    await settle(test);
    const released = await catalogRow(
      frozen!.shopId === shopOf('US').shopId ? 'US' : 'GB',
      frozen!.sellerSku,
    );
    expect(released.productStatus).toBe('ACTIVATE');
    expect(released.stock.error).toBeNull();
    expect(defaultWarehouseQuantity(released)).toBe(4);

    // A warehouse added in Seller Center after the import: the first call leaves it out.
    const uk = shopOf('GB').shopId;
    const added = emulator().admin.addWarehouse(uk, { name: 'Leeds DC', isDefault: false });
    const mug = await catalogRow('GB', 'MUG-01');
    const { sku } = tiktokSku(mug);
    emulator().admin.setSkuInventory(sku.id, [
      ...sku.inventory.map((w) => ({ warehouseId: w.warehouseId, quantity: w.quantity })),
      { warehouseId: added.id, quantity: 6 },
    ]);
    await setStock('MUG-01', [{ location: 'MAIN', onHand: 30 }]);
    await settle(test);
    const after = await catalogRow('GB', 'MUG-01');
    expect(after.stock.error).toBeNull();
    const view = tiktokSku(after).sku;
    expect(view.inventory.find((w) => w.warehouseId === added.id)?.quantity).toBe(6);
    expect(after.stock.pushed).toBe(view.quantity);
  });
});

function defaultWarehouse(region = 'US'): string {
  const warehouses = emulator().admin.listWarehouses(shopOf(region).shopId);
  return warehouses.find((w) => w.isDefault && w.type === 'SALES_WAREHOUSE')!.id;
}

function warehouseView(row: CatalogSku, warehouseId: string) {
  return tiktokSku(row).sku.inventory.find((w) => w.warehouseId === warehouseId)!;
}

function defaultWarehouseQuantity(row: CatalogSku): number {
  const region = row.shopId === shopOf('US').shopId ? 'US' : 'GB';
  return warehouseView(row, defaultWarehouse(region)).quantity;
}

describe('price push', () => {
  it('sends prices in each shop currency with markup and exact rounding', async () => {
    await start();
    await browser.json(api('/settings/catalog'), {
      method: 'PUT',
      body: JSON.stringify({ priceRule: { markupPercent: '10' } }),
    });
    const patched = await browser.json<PlatformSku>(api('/skus/PILLOW-01'), {
      method: 'PATCH',
      body: JSON.stringify({ price: '21.99' }),
    });
    expect(patched.status).toBe(200);
    await settle(test);
    // 21.99 * 1.10 = 24.189 -> 24.19 USD; 21.99 * 0.79 * 1.10 = 19.108... -> 19.11 GBP.
    expect(tiktokSku(await catalogRow('US', 'PILLOW-01')).sku.price).toBe('24.19');
    expect(tiktokSku(await catalogRow('GB', 'PILLOW-01')).sku.price).toBe('19.11');
    const row = await catalogRow('GB', 'PILLOW-01');
    expect(row.price).toMatchObject({ pushed: '19.11', currency: 'GBP', error: null });
  });

  it('reports a locked price once and sends it only after the price changes', async () => {
    await start();
    const row = await catalogRow('US', 'EARBUDS-01');
    emulator().admin.lockSkuPrice(row.tiktokSkuId);
    await browser.json(api('/skus/EARBUDS-01'), {
      method: 'PATCH',
      body: JSON.stringify({ price: '44.99' }),
    });
    await settle(test);
    const locked = await catalogRow('US', 'EARBUDS-01');
    expect(locked.price.errorCode).toBe('12019045');
    expect(locked.price.locked).toBe(true);
    const earbuds = [row.productId, (await catalogRow('GB', 'EARBUDS-01')).productId];
    const earbudCalls = () =>
      callCount(new RegExp(`^POST /product/202309/products/(${earbuds.join('|')})/prices/update$`));
    const calls = earbudCalls();

    // Same price again (a title edit marks nothing): no new call.
    await browser.json(api('/skus/EARBUDS-01'), {
      method: 'PATCH',
      body: JSON.stringify({ price: '44.99' }),
    });
    await settle(test);
    expect(earbudCalls()).toBe(calls);

    emulator().admin.unlockSkuPrice(row.tiktokSkuId);
    await browser.json(api('/skus/EARBUDS-01'), {
      method: 'PATCH',
      body: JSON.stringify({ price: '42.50' }),
    });
    await settle(test);
    const sent = await catalogRow('US', 'EARBUDS-01');
    expect(sent.price).toMatchObject({ pushed: '42.50', locked: false, error: null });
    expect(tiktokSku(sent).sku.price).toBe('42.50');
  });

  it('sends a locked price again on push again once TikTok unlocks it', async () => {
    await start();
    const row = await catalogRow('US', 'LAMP-01');
    emulator().admin.lockSkuPrice(row.tiktokSkuId);
    await browser.json(api('/skus/LAMP-01'), {
      method: 'PATCH',
      body: JSON.stringify({ price: '29.99' }),
    });
    await settle(test);
    expect((await catalogRow('US', 'LAMP-01')).price.locked).toBe(true);
    emulator().admin.unlockSkuPrice(row.tiktokSkuId);
    const again = await browser.json(api(`/catalog/skus/${row.shopId}/${row.tiktokSkuId}/push`), {
      method: 'POST',
    });
    expect(again.status).toBe(202);
    await settle(test);
    const sent = await catalogRow('US', 'LAMP-01');
    expect(sent.price).toMatchObject({ pushed: '29.99', locked: false, error: null });
    expect(tiktokSku(sent).sku.price).toBe('29.99');
  });
});

describe('bad input', () => {
  it('answers each bad value with a 4xx that names it, and pushes nothing', async () => {
    await start();
    await settle(test);
    const inventoryCalls = callCount(INVENTORY_UPDATE);
    const priceCalls = callCount(PRICE_UPDATE);
    const cases: { path: string; method: string; body: unknown; status: number; text: string }[] = [
      {
        path: '/skus/NOPE-404/stock',
        method: 'PUT',
        body: { levels: [{ location: 'MAIN', onHand: 1 }] },
        status: 404,
        text: 'NOPE-404',
      },
      {
        path: '/skus/MUG-01/stock',
        method: 'PUT',
        body: { levels: [{ location: 'MAIN', onHand: -3 }] },
        status: 400,
        text: '-3',
      },
      {
        path: '/skus/MUG-01',
        method: 'PATCH',
        body: { price: '12.999' },
        status: 400,
        text: '12.999',
      },
      {
        path: '/skus/MUG-01',
        method: 'PATCH',
        body: { price: '12.99', currency: 'EUR' },
        status: 400,
        text: 'EUR',
      },
      {
        path: '/stock',
        method: 'POST',
        body: {
          changes: [
            { sku: 'MUG-01', location: 'MAIN', onHand: 9 },
            { sku: 'MUG-01', location: 'UNMAPPED', onHand: 1 },
          ],
        },
        status: 404,
        text: 'UNMAPPED',
      },
    ];
    const created = await browser.json(api('/locations'), {
      method: 'POST',
      body: JSON.stringify({ code: 'POPUP', name: 'Pop-up shop' }),
    });
    expect(created.status).toBe(201);
    cases.push({
      path: '/skus/MUG-01/stock',
      method: 'PUT',
      body: { levels: [{ location: 'POPUP', onHand: 4 }] },
      status: 400,
      text: 'POPUP feeds no TikTok warehouse',
    });
    cases.push({
      path: '/skus/MUG-01',
      method: 'PATCH',
      body: { price: 12.5 },
      status: 400,
      text: 'decimal string',
    });
    for (const item of cases) {
      const response = await browser.json<{ error: { message: string } }>(api(item.path), {
        method: item.method,
        body: JSON.stringify(item.body),
      });
      expect(response.status, `${item.method} ${item.path}`).toBe(item.status);
      expect(response.body.error.message).toContain(item.text);
    }
    await settle(test);
    expect(callCount(INVENTORY_UPDATE)).toBe(inventoryCalls);
    expect(callCount(PRICE_UPDATE)).toBe(priceCalls);
    const mug = (await browser.json<PlatformSku>(api('/skus/MUG-01'))).body;
    expect(mug.price).toBe('14.99');
    expect(mug.stock.find((level) => level.locationCode === 'MAIN')?.onHand).toBe(40);
  });
});

describe('catalog settings and edge input', () => {
  it('rejects settings and values that would break pushes, and saves nothing', async () => {
    await start();
    await settle(test);
    const priceCalls = callCount(PRICE_UPDATE);
    const cases: { path: string; method: string; body: unknown; text: string }[] = [
      { path: '/settings/catalog', method: 'PUT', body: { currencyRates: [] }, text: 'USD to GBP' },
      {
        path: '/settings/catalog',
        method: 'PUT',
        body: {
          currencyRates: [
            { from: 'USD', to: 'GBP', rate: '0.79' },
            { from: 'USD', to: 'GBP', rate: '0.80' },
          ],
        },
        text: 'listed twice',
      },
      {
        path: '/settings/catalog',
        method: 'PUT',
        body: { currencyRates: [{ from: 'USD', to: 'GBP', rate: '99999999999999999999' }] },
        text: '12 digits',
      },
      {
        path: '/settings/catalog',
        method: 'PUT',
        body: { currencyRates: [{ from: 'USD', to: 'GBP', rate: '0.0' }] },
        text: 'above 0',
      },
      { path: '/settings/catalog', method: 'PUT', body: { currency: 'ABC' }, text: 'ISO 4217' },
      {
        path: '/settings/catalog',
        method: 'PUT',
        body: { priceRule: { markupFixed: '-20' } },
        text: 'no positive price',
      },
      {
        path: '/skus/STRAW-04',
        method: 'PATCH',
        body: { priceRule: { markupPercent: '-99.99' } },
        text: 'STRAW-04 would cost',
      },
      {
        path: '/skus/MUG-01',
        method: 'PATCH',
        body: { price: '1234567890123.00' },
        text: 'too large',
      },
      {
        path: '/skus/MUG-01/stock',
        method: 'PUT',
        body: { levels: [{ location: 'MAIN', onHand: 1_000_000 }] },
        text: '999999',
      },
      {
        path: '/skus/MUG-01/stock',
        method: 'PUT',
        body: { levels: [{ location: 'MAIN', onHand: 5, reserved: 9 }] },
        text: 'more than onHand',
      },
      {
        path: '/skus/MUG-01/stock',
        method: 'PUT',
        body: {
          levels: [
            { location: 'MAIN', onHand: 5 },
            { location: 'MAIN', onHand: 6 },
          ],
        },
        text: 'listed twice',
      },
      {
        path: '/skus',
        method: 'POST',
        body: { sku: 'TAB\tCODE', title: 'Tabbed' },
        text: 'control characters',
      },
    ];
    for (const item of cases) {
      const response = await browser.json<{ error: { message: string } }>(api(item.path), {
        method: item.method,
        body: JSON.stringify(item.body),
      });
      expect(response.status, `${item.method} ${item.path} ${JSON.stringify(item.body)}`).toBe(400);
      expect(response.body.error.message).toContain(item.text);
    }
    const settings = await browser.json<{ currencyRates: unknown[]; priceRule: unknown }>(
      api('/settings/catalog'),
    );
    expect(settings.body.currencyRates).toEqual([{ from: 'USD', to: 'GBP', rate: '0.79' }]);
    expect(settings.body.priceRule).toBeNull();
    // Empty bodies and empty rules are accepted and change nothing.
    expect(
      (await browser.json(api('/settings/catalog'), { method: 'PUT', body: '{}' })).status,
    ).toBe(200);
    expect(
      (await browser.json(api('/locations/MAIN'), { method: 'PATCH', body: '{}' })).status,
    ).toBe(200);
    const emptyRule = await browser.json<PlatformSku>(api('/skus/MUG-01'), {
      method: 'PATCH',
      body: JSON.stringify({ stockRule: {} }),
    });
    expect(emptyRule.body.stockRule).toBeNull();
    // The same code typed decomposed finds the SKU created precomposed.
    await browser.json(api('/skus'), {
      method: 'POST',
      body: JSON.stringify({ sku: 'CAF\u00c9', title: 'Coffee' }),
    });
    const badCursor = await browser.json<{ error: { message: string } }>(
      api('/skus?cursor=garbage'),
    );
    expect(badCursor.status).toBe(400);
    const decomposed = await browser.json<PlatformSku>(
      api(`/skus/${encodeURIComponent('CAFE\u0301')}`),
    );
    expect(decomposed.status).toBe(200);
    await settle(test);
    expect(callCount(PRICE_UPDATE)).toBe(priceCalls);
  });
});

describe('product search for other apps', () => {
  it('mirror search filters and tokens', async () => {
    await start();
    const us = shopOf('US');
    const path = (query: string) => api(`/connections/${us.id}/products?${query}`);
    const all: string[] = [];
    let token: string | null = null;
    do {
      const page: { body: TiktokProductPage } = await browser.json<TiktokProductPage>(
        path(`pageSize=4${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`),
      );
      all.push(...page.body.products.map((product) => product.id));
      token = page.body.nextPageToken;
    } while (token);
    expect(new Set(all).size).toBe(emulator().admin.listProducts(us.shopId).length);

    const tee = await browser.json<TiktokProductPage>(path('sellerSku=TEE-M'));
    expect(tee.body.products).toHaveLength(1);
    expect(tee.body.products[0]!.skus.map((sku) => sku.sellerSku).sort()).toEqual([
      'TEE-L',
      'TEE-M',
      'TEE-S',
    ]);
    expect(tee.body.products[0]!.skus[0]!.inventory.length).toBe(2);
    const mugs = await browser.json<TiktokProductPage>(path('title=coffee'));
    expect(mugs.body.products.map((product) => product.title)).toEqual(['Ceramic Coffee Mug 12oz']);
    const frozen = await browser.json<TiktokProductPage>(path('status=FREEZE'));
    expect(frozen.body.products.every((product) => product.status === 'FREEZE')).toBe(true);
    expect(frozen.body.totalCount).toBe(1);
    const future = await browser.json<TiktokProductPage>(path('updatedFrom=4102444800'));
    expect(future.body.products).toHaveLength(0);

    const live = await browser.json<TiktokProductPage>(path('source=live&sellerSku=MUG-01'));
    expect(live.status).toBe(200);
    expect(live.body.source).toBe('live');
    expect(live.body.products[0]!.skus[0]!.sellerSku).toBe('MUG-01');
    const liveTitle = await browser.json<{ error: { message: string } }>(
      path('source=live&title=mug'),
    );
    expect(liveTitle.status).toBe(400);
    const mirrorPage = await browser.json<TiktokProductPage>(path('pageSize=2'));
    const crossed = await browser.json<{ error: { message: string } }>(
      path(`source=live&pageToken=${encodeURIComponent(mirrorPage.body.nextPageToken!)}`),
    );
    expect(crossed.status).toBe(400);
    expect(crossed.body.error.message).toContain('source=mirror');
    const millis = await browser.json<{ error: { message: string } }>(
      path('updatedFrom=1764000000000'),
    );
    expect(millis.status).toBe(400);
    expect(millis.body.error.message).toContain('milliseconds');
  });

  it('reads a catalog past the search limit by splitting update-time windows', async () => {
    await start({}, { emulatorOptions: { productSearchResultLimit: 50 } });
    const uk = shopOf('GB');
    const created = emulator().admin.generateProducts({
      shopId: uk.shopId,
      productCount: 120,
      skusPerProduct: 2,
    });
    expect(created).toHaveLength(120);
    await browser.json(api(`/connections/${uk.id}/catalog/sync`), { method: 'POST' });
    await settle(test);
    const mirrored = await test.connector.ctx.db
      .selectFrom('tiktok_products')
      .select('id')
      .where('shop_id', '=', uk.shopId)
      .execute();
    expect(mirrored.length).toBe(emulator().admin.listProducts(uk.shopId).length);
    const connection = await test.connector.ctx.db
      .selectFrom('connections')
      .select(['catalog_status', 'catalog_error'])
      .where('id', '=', uk.id)
      .executeTakeFirstOrThrow();
    expect(connection).toMatchObject({ catalog_status: 'done', catalog_error: null });
  });

  it('keeps a product written during a full sync', async () => {
    await start();
    const uk = shopOf('GB');
    const victim = emulator().admin.listProducts(uk.shopId)[3]!;
    // Without its webhook, only the sync itself can notice the change.
    emulator().admin.setWebhookFaults({ dropFraction: 1 });
    let armed = true;
    test.beforeTikTokCall = (key) => {
      if (!armed || key !== 'POST /product/202502/products/search') return;
      armed = false;
      // A write one second after the sync started moves the product past the walk's window.
      test.clock.advance(1000);
      emulator().admin.editProductTitle(victim.id, 'Renamed during the sync');
    };
    await browser.json(api(`/connections/${uk.id}/catalog/sync`), { method: 'POST' });
    await settle(test);
    test.beforeTikTokCall = undefined;
    const row = await test.connector.ctx.db
      .selectFrom('tiktok_products')
      .select('title')
      .where('shop_id', '=', uk.shopId)
      .where('id', '=', victim.id)
      .executeTakeFirst();
    expect(row?.title).toBe('Renamed during the sync');
    const mirrored = await test.connector.ctx.db
      .selectFrom('tiktok_products')
      .select('id')
      .where('shop_id', '=', uk.shopId)
      .execute();
    expect(mirrored).toHaveLength(emulator().admin.listProducts(uk.shopId).length);
  });

  it('follows product webhooks: a new product, a title edit and a status change', async () => {
    await start();
    const us = shopOf('US').shopId;
    const { product } = emulator().admin.createProduct({
      shopId: us,
      title: 'Wool Socks',
      skus: [{ sellerSku: 'SOCKS-01', price: '11.00' }],
    } as never);
    await settle(test);
    const socks = await catalogRow('US', 'SOCKS-01');
    expect(socks.link.state).toBe('auto');
    expect(socks.productId).toBe(product.id);

    emulator().admin.editProductTitle(product.id, 'Merino Wool Socks');
    emulator().admin.setProductStatus(product.id, 'SELLER_DEACTIVATED' as never);
    await settle(test);
    const after = await catalogRow('US', 'SOCKS-01');
    expect(after.productTitle).toBe('Merino Wool Socks');
    expect(after.productStatus).toBe('SELLER_DEACTIVATED');
  });
});
