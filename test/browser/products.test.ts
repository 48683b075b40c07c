import { existsSync } from 'node:fs';
import path from 'node:path';

import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSignInLink } from '../../src/accounts/accounts.ts';
import type { ApiErrorBody } from '../../src/http/api-types.ts';
import type { CatalogSku, CatalogSkuPage } from '../../src/http/catalog-types.ts';
import { WEB_DIST_DIR } from '../../src/http/server.ts';
import { startTestConnector } from '../support/connector.ts';
import type { TestConnector } from '../support/connector.ts';
import { connectDemoShops, settle, signIn } from '../support/flows.ts';
import type { Browser as ApiClient } from '../support/flows.ts';
import { hasChromium, launchBrowser, SKIP_MESSAGE } from './browser.ts';
import type { TestBrowser } from './browser.ts';

// The reporter shows the title of a skipped suite, so it carries the way to enable it.
const SUITE = hasChromium()
  ? 'products page in the browser'
  : `products page in the browser (skipped: ${SKIP_MESSAGE})`;

const DUPLICATE_SKU = 'CARD-01';
/** Units added at MAIN, so the pushed stock rises unless a max-quantity rule caps it. */
const ADDED_UNITS = 25;

/** Returns the TikTok SKU row of the products table with this id. */
function catalogRow(page: Page, tiktokSkuId: string): Locator {
  return page.locator(`[data-testid=catalog-row][data-tiktok-sku-id="${tiktokSkuId}"]`);
}

/** Returns the notice that an action on this TikTok SKU shows in the table row under it. */
function catalogRowNotice(page: Page, tiktokSkuId: string): Locator {
  return page.locator(
    `[data-testid=catalog-row][data-tiktok-sku-id="${tiktokSkuId}"] + [data-testid=row-notice]`,
  );
}

/** Loads the products page afresh, filtered to one shop and a search text. */
async function openProducts(page: Page, baseUrl: string, shopId: string, search: string) {
  // A change of the hash alone keeps the document, so the reload makes every request anew.
  await page.goto(`${baseUrl}/app/#/products`);
  await page.reload();
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  await expect
    .poll(() => page.locator(`[data-testid=shop-filter] option[value="${shopId}"]`).count())
    .toBe(1);
  await page.getByTestId('shop-filter').selectOption(shopId);
  await page.getByTestId('catalog-search').fill(search);
}

/** Reads one TikTok SKU from the catalog API. */
async function readCatalogSku(
  api: ApiClient,
  storeId: string,
  shopId: string,
  tiktokSkuId: string,
): Promise<CatalogSku> {
  const params = new URLSearchParams({ shopId, q: DUPLICATE_SKU, limit: '50' });
  const page = await api.json<CatalogSkuPage>(`/api/v1/stores/${storeId}/catalog/skus?${params}`);
  expect(page.status).toBe(200);
  const sku = page.body.skus.find((candidate) => candidate.tiktokSkuId === tiktokSkuId);
  if (!sku) throw new Error(`TikTok SKU ${tiktokSkuId} is missing from the catalog API`);
  return sku;
}

describe.skipIf(!hasChromium())(SUITE, () => {
  let test: TestConnector;
  let browser: TestBrowser;

  beforeAll(async () => {
    // The connector serves the dashboard from the vite build only when it exists.
    if (!existsSync(path.join(WEB_DIST_DIR, 'index.html'))) {
      throw new Error(`no dashboard build in ${WEB_DIST_DIR}: run \`npm run build:web\` first`);
    }
    // Pushes wait out their coalescing window with pg-boss's startAfter, which runs on the
    // database's real clock, so a window of 0 lets `settle` run them at once.
    test = await startTestConnector({ TTS_PUSH_COALESCE_MS: '0' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
    if (browser) console.warn(`products screenshots: ${browser.screenshotDir}`);
  });

  it('links a duplicate seller SKU and pushes its stock', async () => {
    const { page } = browser;
    const emulator = test.connector.emulator!;
    const storeId = test.demo.storeId;

    const token = await createSignInLink(test.connector.ctx, test.demo.userId);
    await page.goto(`${test.baseUrl}/auth/link?token=${encodeURIComponent(token)}`);
    await page.waitForURL((url) => url.pathname === '/app/');

    // The connect flow has its own browser test, so the shops are connected through the API.
    const api = await signIn(test);
    const { connections } = await connectDemoShops(test, api);
    const usShop = connections.find((connection) => connection.region === 'US');
    expect(usShop, 'the demo grant has a US shop').toBeDefined();
    const shopId = usShop!.shopId;
    await settle(test);

    // The duplicates count of the report filters the table to duplicate rows, and CARD-01 of the
    // US shop has two of them.
    await openProducts(page, test.baseUrl, shopId, DUPLICATE_SKU);
    const report = page.getByTestId('link-report');
    await report.waitFor();
    expect(
      Number(await report.getByTestId('report-linked').locator('.stat-value').textContent()),
    ).toBeGreaterThan(0);
    await page.getByTestId('report-duplicates').click();
    await expect.poll(() => page.getByTestId('link-state-filter').inputValue()).toBe('duplicate');

    const duplicates = page.locator(
      `[data-testid=catalog-row][data-shop-id="${shopId}"][data-seller-sku="${DUPLICATE_SKU}"]`,
    );
    await expect.poll(() => duplicates.count()).toBe(2);
    expect(
      await duplicates.evaluateAll((rows) =>
        rows.map((row) => row.getAttribute('data-link-state')),
      ),
    ).toEqual(['duplicate', 'duplicate']);
    const [linkedId, otherId] = await duplicates.evaluateAll((rows) =>
      rows.map((row) => row.getAttribute('data-tiktok-sku-id')!),
    );
    expect(linkedId).not.toBe(otherId);
    await browser.screenshot('products-duplicates');

    // Shows every link state again, so the row stays on screen once it is linked.
    // The same two rows come back, so wait for the re-read itself: a form opened on the old
    // rows would lose what was typed when the new list replaces them.
    const reread = page.waitForResponse(
      (response) => response.url().includes('/catalog/skus?') && !response.url().includes('state='),
    );
    await page.getByTestId('link-state-filter').selectOption('');
    await reread;
    await expect.poll(() => duplicates.count()).toBe(2);
    const row = catalogRow(page, linkedId!);

    // A platform SKU that does not exist is rejected, with the server's message shown as is.
    const missingSku = 'NO-SUCH-SKU';
    const rejected = await api.json<ApiErrorBody>(
      `/api/v1/stores/${storeId}/catalog/links/${shopId}/${linkedId}`,
      { method: 'PUT', body: JSON.stringify({ platformSku: missingSku }) },
    );
    expect(rejected.status).toBeGreaterThanOrEqual(400);
    expect(rejected.status).toBeLessThan(500);
    await row.getByTestId('link-open').click();
    await row.getByTestId('link-input').fill(missingSku);
    await row.getByTestId('link-save').click();
    const notice = catalogRowNotice(page, linkedId!);
    await expect.poll(() => notice.getAttribute('data-tone')).toBe('error');
    expect(await notice.textContent()).toBe(rejected.body.error.message);
    expect(await row.getAttribute('data-link-state')).toBe('duplicate');

    // Links one of the two TikTok SKUs to CARD-01 by hand.
    await row.getByTestId('link-input').fill(DUPLICATE_SKU);
    await browser.screenshot('products-link-form');
    await row.getByTestId('link-save').click();
    await expect.poll(() => notice.getAttribute('data-tone')).toBe('success');
    await expect.poll(() => row.getAttribute('data-link-state')).toBe('manual');
    expect(await row.getByTestId('linked-sku').textContent()).toBe(DUPLICATE_SKU);
    // The other TikTok SKU still shares its seller_sku, so it stays out of automatic linking.
    expect(await catalogRow(page, otherId!).getAttribute('data-link-state')).toBe('duplicate');
    await browser.screenshot('products-linked');

    await settle(test);
    const afterLink = await readCatalogSku(api, storeId, shopId, linkedId!);
    expect(afterLink.stock.pending).toBe(false);
    expect(afterLink.stock.error).toBeNull();
    expect(afterLink.stock.pushed).not.toBeNull();
    const firstPush = afterLink.stock.pushed!;

    // Sets CARD-01's on-hand stock at MAIN on the stock page.
    await page.getByRole('link', { name: 'Stock', exact: true }).click();
    await page.waitForURL((url) => url.hash === '#/stock');
    await page.getByTestId('stock-search').fill(DUPLICATE_SKU);
    const stockRow = page.locator(`[data-testid=stock-row][data-sku="${DUPLICATE_SKU}"]`);
    await stockRow.waitFor();
    const mainLevel = stockRow.locator('[data-testid=stock-level][data-location=MAIN]');
    const onHandBefore = Number((await mainLevel.getAttribute('data-on-hand')) || '0');
    const onHand = onHandBefore + ADDED_UNITS;
    const stockNotice = page.locator(
      `[data-testid=stock-row][data-sku="${DUPLICATE_SKU}"] + [data-testid=row-notice]`,
    );

    // An unknown location is rejected, with the server's message shown as is.
    const badLocation = await api.json<ApiErrorBody>(
      `/api/v1/stores/${storeId}/skus/${DUPLICATE_SKU}/stock`,
      {
        method: 'PUT',
        body: JSON.stringify({ levels: [{ location: 'NO-SUCH-LOCATION', onHand }] }),
      },
    );
    expect(badLocation.status).toBeGreaterThanOrEqual(400);
    expect(badLocation.status).toBeLessThan(500);
    await stockRow.getByTestId('stock-edit').click();
    await stockRow.getByTestId('stock-location').fill('NO-SUCH-LOCATION');
    await stockRow.getByTestId('stock-on-hand').fill(String(onHand));
    await stockRow.getByTestId('stock-save').click();
    await expect.poll(() => stockNotice.getAttribute('data-tone')).toBe('error');
    expect(await stockNotice.textContent()).toBe(badLocation.body.error.message);

    await stockRow.getByTestId('stock-location').fill('MAIN');
    await stockRow.getByTestId('stock-save').click();
    await expect.poll(() => stockNotice.getAttribute('data-tone')).toBe('success');
    expect(await stockNotice.textContent()).toContain('queued');
    await expect.poll(() => mainLevel.getAttribute('data-on-hand')).toBe(String(onHand));
    await browser.screenshot('stock-set');

    await settle(test);
    await openProducts(page, test.baseUrl, shopId, DUPLICATE_SKU);
    await row.waitFor();
    expect(await row.getAttribute('data-link-state')).toBe('manual');
    expect(await row.getByTestId('linked-sku').textContent()).toBe(DUPLICATE_SKU);
    expect(await row.getByTestId('pushed-stock-pending').count()).toBe(0);

    const afterStock = await readCatalogSku(api, storeId, shopId, linkedId!);
    expect(afterStock.stock.pending).toBe(false);
    expect(afterStock.stock.error).toBeNull();
    const pushed = afterStock.stock.pushed;
    expect(pushed).toBe(afterStock.stock.wanted);
    expect(pushed).toBeGreaterThan(firstPush);
    expect(await row.getByTestId('pushed-stock').getAttribute('data-value')).toBe(String(pushed));

    // TikTok's side: the emulator's quantity summed over the SKU's warehouses.
    const product = emulator.admin.getProduct(afterStock.productId);
    const emulatorSku = product.skus.find((sku) => sku.id === linkedId);
    expect(emulatorSku, 'the emulator has the linked TikTok SKU').toBeDefined();
    expect(emulatorSku!.quantity).toBe(pushed);
    await browser.screenshot('products-pushed');
  });
});
