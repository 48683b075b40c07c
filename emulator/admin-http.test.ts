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
});
