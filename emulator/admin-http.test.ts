import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import { startEmulatorServer } from './server.ts';
import type { EmulatorServer } from './server.ts';
import { TEST_APP } from './test-helpers.ts';

let running: EmulatorServer;

beforeEach(async () => {
  running = await startEmulatorServer({
    apps: [TEST_APP],
    adminToken: 'admin-secret',
    tickIntervalMs: 0,
  });
});
afterEach(async () => running.close());

async function admin(method: string, path: string, body?: object, token = 'admin-secret') {
  const response = await fetch(`${running.url}/admin${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('admin HTTP API', () => {
  test('rejects a wrong admin token', async () => {
    const result = await admin('GET', '/state', undefined, 'nope');
    expect(result.status).toBe(401);
  });

  test('creates seller, shop, product and order, then moves it', async () => {
    const seller = await admin('POST', '/sellers', { name: 'HTTP Seller', baseRegion: 'GB' });
    const shop = await admin('POST', '/shops', {
      sellerId: seller.body.id,
      name: 'HTTP Shop',
      region: 'GB',
      currency: 'GBP',
    });
    expect(shop.status).toBe(200);
    await admin('POST', '/products', {
      shopId: shop.body.id,
      title: 'Tote',
      skus: [{ sellerSku: 'TOTE-01', price: '9.50' }],
    });
    const order = await admin('POST', '/orders', {
      shopId: shop.body.id,
      items: [{ sellerSku: 'TOTE-01', quantity: 2 }],
    });
    expect(order.body.status).toBe('UNPAID');
    expect(order.body.line_items).toHaveLength(2);

    const moved = await admin('POST', `/orders/${String(order.body.id)}/status`, {
      status: 'IN_TRANSIT',
    });
    expect(moved.body.status).toBe('IN_TRANSIT');
    const invalid = await admin('POST', `/orders/${String(order.body.id)}/cancel`, {});
    expect(invalid.status).toBe(400);
    const missing = await admin('GET', '/orders/123');
    expect(missing.status).toBe(404);

    const install = await admin('POST', '/app-store-installs', {
      appKey: TEST_APP.appKey,
      sellerId: seller.body.id,
    });
    expect(String(install.body.redirectUrl)).toContain('code=');
  });

  test('sets faults and lists deliveries', async () => {
    expect((await admin('POST', '/faults/api', { kind: 'server_error', next: 1 })).status).toBe(
      200,
    );
    expect((await admin('PUT', '/faults/webhooks', { dropFraction: 0.5 })).status).toBe(200);
    expect((await admin('DELETE', '/faults')).status).toBe(200);
    const deliveries = await admin('GET', '/webhooks/deliveries');
    expect(deliveries.body).toEqual({ deliveries: [], attempts: [] });
  });

  test('manages warehouses, products, stock and price locks', async () => {
    const seller = await admin('POST', '/sellers', { name: 'HTTP Seller', baseRegion: 'US' });
    const shop = await admin('POST', '/shops', {
      sellerId: seller.body.id,
      name: 'HTTP Shop',
      region: 'US',
      currency: 'USD',
    });
    const shopId = String(shop.body.id);
    const added = await admin('POST', `/shops/${shopId}/warehouses`, { name: 'East DC' });
    expect(added.body.type).toBe('SALES_WAREHOUSE');
    const warehouses = await admin('GET', `/shops/${shopId}/warehouses`);
    expect(warehouses.body.warehouses).toHaveLength(3);

    const created = await admin('POST', '/products', {
      shopId,
      title: 'Lamp',
      skus: [{ sellerSku: 'LAMP-01', price: '34.99', quantity: 5 }],
    });
    const productId = String((created.body.product as { id: string }).id);
    const skuId = String((created.body.skus as { id: string }[])[0]!.id);
    const view = await admin('GET', `/products/${productId}`);
    expect(view.body).toMatchObject({ title: 'Lamp', status: 'ACTIVATE' });
    expect((view.body.skus as { quantity: number }[])[0]!.quantity).toBe(10);

    expect(
      (await admin('PUT', `/products/${productId}/status`, { status: 'FREEZE' })).body,
    ).toMatchObject({ status: 'FREEZE' });
    expect(
      (await admin('PUT', `/products/${productId}/audit-status`, { status: 'AUDITING' })).body,
    ).toMatchObject({ auditStatus: 'AUDITING' });
    expect(
      (await admin('PUT', `/products/${productId}/title`, { title: 'Desk Lamp' })).body,
    ).toMatchObject({ title: 'Desk Lamp' });
    const stock = await admin('PUT', `/skus/${skuId}/inventory`, {
      inventory: [{ warehouseId: added.body.id, quantity: 1 }],
    });
    expect(stock.body).toMatchObject({ quantity: 6, available: 6 });
    const lock = await admin('POST', `/skus/${skuId}/price-lock`, {});
    expect(lock.body.priceLock).toMatchObject({ code: 12019045 });
    const unlock = await admin('DELETE', `/skus/${skuId}/price-lock`);
    expect(unlock.body.priceLock).toBeUndefined();
    const badStatus = await admin('PUT', `/products/${productId}/status`, { status: 'LIVE' });
    expect(badStatus.status).toBe(400);
    expect((await admin('GET', '/products/1729000000000000000')).status).toBe(404);

    const generated = await admin('POST', '/products/generate', {
      shopId,
      productCount: 3,
      skusPerProduct: 2,
    });
    expect(generated.body.productIds).toHaveLength(3);
    const bulk = await admin('POST', '/products/bulk', {
      products: [{ shopId, title: 'Bulk', skus: [{ sellerSku: 'B-1', price: '1.00' }] }],
    });
    expect(bulk.body.productIds).toHaveLength(1);
    const listed = await admin('GET', `/shops/${shopId}/products`);
    expect(listed.body.products).toHaveLength(5);
  });
});
