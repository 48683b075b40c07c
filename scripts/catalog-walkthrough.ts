// Walks a running demo (`npm start`) over HTTP: signs in with the one-time link, connects the
// demo shops, links a duplicate seller SKU by hand, pushes stock and a price, and sends bad input.
// Every request and the part of its response that matters is printed, as a transcript.
//
//   npx tsx scripts/catalog-walkthrough.ts 'http://127.0.0.1:3000/auth/link?token=…'
import { setTimeout as sleep } from 'node:timers/promises';

import type { ConnectionListResponse } from '../src/http/api-types.ts';
import type { CatalogSku, CatalogSkuPage, LinkReport } from '../src/http/catalog-types.ts';
import { Browser, approveOnAuthorizationPage } from '../test/support/flows.ts';

const link = process.argv[2];
if (!link || !link.includes('/auth/link?token=')) {
  console.error(
    'Usage: npx tsx scripts/catalog-walkthrough.ts <sign-in link printed by npm start>',
  );
  process.exit(2);
}
const baseUrl = new URL(link).origin;
const browser = new Browser(baseUrl);
let apiKey = '';

function show(label: string, value: unknown): void {
  console.log(`${label}\n${JSON.stringify(value, null, 2)}\n`);
}

async function call<T>(method: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  console.log(`$ ${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`);
  console.log(`< ${response.status}`);
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

async function waitFor<T>(what: string, read: () => Promise<T | null>, timeoutMs = 60_000) {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value !== null) {
      console.log(`(${what}: after ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      return value;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const signIn = await browser.request(new URL(link).pathname + new URL(link).search);
if (signIn.status !== 302)
  throw new Error(`the sign-in link returned HTTP ${signIn.status}; print a new one`);
const me = await browser.json<{ stores: { id: string; name: string }[] }>('/api/v1/me');
const storeId = me.body.stores[0]!.id;
const key = await browser.json<{ key: string }>(`/api/v1/stores/${storeId}/api-keys`, {
  method: 'POST',
  body: JSON.stringify({ name: 'catalog walkthrough' }),
});
apiKey = key.body.key;
console.log(`Signed in; store ${storeId}; created an API key for the calls below.\n`);
const api = `/api/v1/stores/${storeId}`;

let connections = (
  await call<ConnectionListResponse>('GET', `${api}/connections`)
).body.connections.filter((connection) => connection.status === 'active');
if (connections.length === 0) {
  const authorize = await browser.json<{ authorizeUrl: string }>(`${api}/connections/authorize`, {
    method: 'POST',
    body: JSON.stringify({ market: 'US' }),
  });
  const callback = await approveOnAuthorizationPage(browser, authorize.body.authorizeUrl);
  const landing = await browser.request(callback);
  const grantId = landing.headers.get('location')!.split('/').at(-1)!;
  const grants = await browser.json<{ grants: { id: string; shops: { shopId: string }[] }[] }>(
    '/api/v1/grants',
  );
  const grant = grants.body.grants.find((candidate) => candidate.id === grantId)!;
  await browser.json(`/api/v1/grants/${grantId}/claim`, {
    method: 'POST',
    body: JSON.stringify({
      assignments: grant.shops.map((shop) => ({ shopId: shop.shopId, storeId })),
    }),
  });
  console.log('Approved both demo shops on the emulator authorization page and claimed them.\n');
}
connections = await waitFor('catalog import of every shop', async () => {
  const list = (await browser.json<ConnectionListResponse>(`${api}/connections`)).body.connections;
  const active = list.filter((connection) => connection.status === 'active');
  return active.length > 0 && active.every((c) => c.catalog.status === 'done') ? active : null;
});
show(
  'Connected shops:',
  connections.map((c) => ({ shop: c.shopName, region: c.region, catalog: c.catalog })),
);
const us = connections.find((connection) => connection.region === 'US')!;
const uk = connections.find((connection) => connection.region === 'GB')!;

const report = await call<LinkReport>('GET', `${api}/catalog/report`);
show('Link report:', {
  linked: report.body.linked,
  unmatchedTiktok: report.body.unmatchedTiktok.map((row) => `${row.sellerSku} (${row.shopId})`),
  unmatchedPlatform: report.body.unmatchedPlatform.map((row) => row.sku),
  duplicates: report.body.duplicates,
});

const rowsOf = async (query: string) =>
  (await call<CatalogSkuPage>('GET', `${api}/catalog/skus?${query}`)).body.skus;
const summary = (row: CatalogSku) => ({
  shop: row.shopName,
  sellerSku: row.sellerSku,
  tiktokSkuId: row.tiktokSkuId,
  link: row.link,
  tiktok: row.tiktok,
  stock: row.stock,
  price: row.price,
});

const duplicates = await rowsOf(`shopId=${us.shopId}&state=duplicate`);
show('The US shop uses CARD-01 twice; neither is linked:', duplicates.map(summary));
const linked = await call<CatalogSku>(
  'PUT',
  `${api}/catalog/links/${duplicates[0]!.shopId}/${duplicates[0]!.tiktokSkuId}`,
  { platformSku: 'CARD-01' },
);
show('Linked by hand:', summary(linked.body));

const settled = async (sellerSku: string, kind: 'stock' | 'price') =>
  waitFor(`${kind} push of ${sellerSku}`, async () => {
    const rows = (
      await (
        await fetch(`${baseUrl}${api}/catalog/skus?q=${sellerSku}`, {
          headers: { authorization: `Bearer ${apiKey}` },
        })
      ).json()
    ).skus as CatalogSku[];
    const mine = rows.filter((row) => row.sellerSku === sellerSku && row.link.platformSku);
    const done = mine.every((row) =>
      kind === 'stock'
        ? !row.stock.pending && row.stock.pushed === row.stock.wanted
        : !row.price.pending && row.price.pushed === row.price.wanted,
    );
    return done && mine.length > 0 ? mine : null;
  });

await call('PUT', `${api}/skus/MUG-01/stock`, { levels: [{ location: 'MAIN', onHand: 12 }] });
const mugs = await settled('MUG-01', 'stock');
show('MUG-01 after the stock change (12 at MAIN + 5 at OVERFLOW):', mugs.map(summary));
for (const row of mugs) {
  const product = await (
    await fetch(`${baseUrl}/tiktok-emulator/admin/products/${row.productId}`)
  ).json();
  const sku = (product as { skus: { id: string; inventory: unknown }[] }).skus.find(
    (candidate) => candidate.id === row.tiktokSkuId,
  );
  show(`The emulator's inventory of ${row.shopName} MUG-01:`, sku?.inventory);
}

await call('PATCH', `${api}/skus/MUG-01`, { price: '15.49' });
const priced = await settled('MUG-01', 'price');
show(
  'MUG-01 after the price change (GBP at the 0.79 rate):',
  priced.map((row) => ({ shop: row.shopName, price: row.price })),
);

for (const [path, body] of [
  [`${api}/skus/MUG-01/stock`, { levels: [{ location: 'MAIN', onHand: -1 }] }],
  [`${api}/skus/NOPE-1/stock`, { levels: [{ location: 'MAIN', onHand: 1 }] }],
  [`${api}/skus/MUG-01`, { price: '15.499' }],
  [`${api}/skus/MUG-01`, { price: '15.49', currency: 'EUR' }],
] as const) {
  const response = await call<{ error: { message: string } }>(
    path.endsWith('/stock') ? 'PUT' : 'PATCH',
    path,
    body,
  );
  console.log(`  ${response.body.error.message}\n`);
}
console.log(`Done. UK shop ${uk.shopName} and US shop ${us.shopName} are connected.`);
