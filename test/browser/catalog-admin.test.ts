import { existsSync } from 'node:fs';
import path from 'node:path';

import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSignInLink } from '../../src/accounts/accounts.ts';
import type { ApiErrorBody } from '../../src/http/api-types.ts';
import type { Location, PlatformSku, TiktokWarehouse } from '../../src/http/catalog-types.ts';
import { WEB_DIST_DIR } from '../../src/http/server.ts';
import { startTestConnector } from '../support/connector.ts';
import type { TestConnector } from '../support/connector.ts';
import { connectDemoShops, settle, signIn } from '../support/flows.ts';
import type { Browser as ApiClient } from '../support/flows.ts';
import { hasChromium, launchBrowser, SKIP_MESSAGE } from './browser.ts';
import type { TestBrowser } from './browser.ts';

// The reporter shows the title of a skipped suite, so it carries the way to enable it.
const SUITE = hasChromium()
  ? 'catalog administration in the browser'
  : `catalog administration in the browser (skipped: ${SKIP_MESSAGE})`;

const NEW_SKU = 'KIT-01';
const NEW_LOCATION = 'EAST-1';

const IMPORT_HEADER = 'sku,title,price,currency,MAIN,OVERFLOW';

/** Three rows, the second without a currency and the third without a price. */
const IMPORT_CSV = [
  IMPORT_HEADER,
  'IMP-01,"Import Mug, large",15.00,USD,10,2',
  'IMP-02,Import Tote,9.50,,4,',
  'IMP-03,Import Candle,,,0,1',
  '',
].join('\n');

/** CSV text that the browser rejects, and the start of the message it shows. */
const MALFORMED_CASES: { csv: string; error: RegExp }[] = [
  {
    csv: 'sku,title,price\nA,Mug,1.00\n',
    error: /^Line 1: the header must start with sku,title,price,currency/,
  },
  {
    csv: `${IMPORT_HEADER}\nA,"Mug,1.00,USD,1,1\n`,
    error: /^Line 2: a quoted field is never closed\./,
  },
  {
    csv: `${IMPORT_HEADER}\nA,"Mug, "large"",1.00,USD,1,1\n`,
    error: /^Line 2: a closing quote must be followed by a comma/,
  },
  {
    csv: `${IMPORT_HEADER}\nA,Mug,1.00,USD,1\n`,
    error: /^Line 2: the row has 5 fields, but the header has 6/,
  },
  {
    csv: `${IMPORT_HEADER}\nA,Mug,1.00,usd,1,1\n`,
    error: /^Line 2: currency "usd" of SKU A is not an ISO 4217 code/,
  },
  // The quoted title spans lines 2 and 3, so the repeated SKU is on line 4.
  {
    csv: `${IMPORT_HEADER}\nA,"Mug\nwith a line break",1.00,USD,1,1\nA,Mug,1.00,USD,1,1\n`,
    error: /^Line 4: SKU A is already on line 2; list each SKU once\./,
  },
];

/** Rows in one import request, the server's limit. */
const BATCH_SIZE = 5000;

/** The same rows with a stock cell on line 3 that is not a number, which the browser rejects. */
const MALFORMED_CSV = IMPORT_CSV.replace(
  'IMP-02,Import Tote,9.50,,4,',
  'IMP-02,Import Tote,9.50,,four,',
);

/** The same rows with a price on line 3 that has more decimals than USD, which the server rejects. */
const REJECTED_CSV = IMPORT_CSV.replace('IMP-02,Import Tote,9.50,', 'IMP-02,Import Tote,9.505,');

/** Loads a dashboard page afresh and waits for its heading. */
async function openPage(page: Page, baseUrl: string, hash: string, heading: string) {
  // A change of the hash alone keeps the document, so the reload makes every request anew.
  await page.goto(`${baseUrl}/app/${hash}`);
  await page.reload();
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
}

/** Returns the row of the stock table for this SKU code. */
function stockRow(page: Page, sku: string): Locator {
  return page.locator(`[data-testid=stock-row][data-sku="${sku}"]`);
}

/** Reads one platform SKU from the API. */
async function readSku(api: ApiClient, storeId: string, sku: string): Promise<PlatformSku> {
  const response = await api.json<PlatformSku>(`/api/v1/stores/${storeId}/skus/${sku}`);
  expect(response.status, `GET /skus/${sku}`).toBe(200);
  return response.body;
}

/** Returns a SKU's on-hand units per location code. */
function onHandByLocation(sku: PlatformSku): Record<string, number> {
  return Object.fromEntries(sku.stock.map((level) => [level.locationCode, level.onHand]));
}

describe.skipIf(!hasChromium())(SUITE, () => {
  let test: TestConnector;
  let browser: TestBrowser;

  beforeAll(async () => {
    // The connector serves the dashboard from the vite build only when it exists.
    if (!existsSync(path.join(WEB_DIST_DIR, 'index.html'))) {
      throw new Error(`no dashboard build in ${WEB_DIST_DIR}: run \`npm run build:web\` first`);
    }
    test = await startTestConnector({ TTS_PUSH_COALESCE_MS: '0' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
    if (browser) console.warn(`catalog-admin screenshots: ${browser.screenshotDir}`);
  });

  it('manages SKUs, imports, locations and rules', async () => {
    const { page } = browser;
    const storeId = test.demo.storeId;
    const skusPath = `/api/v1/stores/${storeId}/skus`;

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

    // --- Create a SKU. A price with more decimals than USD allows is rejected first. ---
    await openPage(page, test.baseUrl, '#/stock', 'Stock');
    await page.getByTestId('sku-create-open').click();
    const createForm = page.getByTestId('sku-create-form');
    await createForm.waitFor();
    // The store's locations fill the stock inputs, so wait for MAIN's before typing.
    const mainInput = createForm.locator('[data-testid=sku-create-stock][data-location=MAIN]');
    await mainInput.waitFor();

    const badPrice = await api.json<ApiErrorBody>(skusPath, {
      method: 'POST',
      body: JSON.stringify({
        sku: NEW_SKU,
        title: 'Starter Kit',
        price: '12.505',
        currency: 'USD',
      }),
    });
    expect(badPrice.status).toBe(400);
    await createForm.getByTestId('sku-create-sku').fill(NEW_SKU);
    await createForm.getByTestId('sku-create-title').fill('Starter Kit');
    await createForm.getByTestId('sku-create-price').fill('12.505');
    await createForm.getByTestId('sku-create-currency').fill('USD');
    await mainInput.fill('7');
    await createForm.getByTestId('sku-create-save').click();
    const createError = createForm.getByTestId('sku-create-error');
    await createError.waitFor();
    expect(await createError.textContent()).toBe(badPrice.body.error.message);

    // The form keeps what was typed, so only the price changes.
    await createForm.getByTestId('sku-create-price').fill('12.50');
    await createForm.getByTestId('sku-create-save').click();
    await createForm.getByTestId('sku-create-result').waitFor();
    expect(await createForm.getByTestId('sku-create-result').textContent()).toContain(NEW_SKU);
    expect(await createError.count()).toBe(0);
    await browser.screenshot('sku-created');

    const created = await readSku(api, storeId, NEW_SKU);
    expect(created.title).toBe('Starter Kit');
    expect(created.price).toBe('12.50');
    expect(created.currency).toBe('USD');
    expect(onHandByLocation(created)).toEqual({ MAIN: 7 });
    expect(created.stockRule).toBeNull();
    expect(created.priceRule).toBeNull();

    // --- Edit the new SKU's title and price, then give it rules of its own. ---
    const searched = page.waitForResponse((response) => response.url().includes(`q=${NEW_SKU}`));
    await page.getByTestId('stock-search').fill(NEW_SKU);
    await searched;
    await expect.poll(() => page.locator('[data-testid=stock-row]').count()).toBe(1);
    const row = stockRow(page, NEW_SKU);
    const panel = page.locator(`[data-testid=sku-panel][data-sku="${NEW_SKU}"]`);
    const rowNotice = page.locator(
      `[data-testid=stock-row][data-sku="${NEW_SKU}"] + [data-testid=row-notice]`,
    );
    await row.getByTestId('sku-edit-open').click();
    await panel.getByTestId('sku-edit-title').fill('Starter Kit, blue');
    await panel.getByTestId('sku-edit-price').fill('13.00');
    await panel.getByTestId('sku-edit-save').click();
    await expect.poll(() => rowNotice.getAttribute('data-tone')).toBe('success');
    await expect.poll(() => row.getByTestId('sku-price').getAttribute('data-price')).toBe('13.00');
    expect(await row.getByTestId('sku-title').textContent()).toBe('Starter Kit, blue');
    const edited = await readSku(api, storeId, NEW_SKU);
    expect(edited.title).toBe('Starter Kit, blue');
    expect(edited.price).toBe('13.00');
    expect(edited.currency).toBe('USD');

    await row.getByTestId('sku-rules-open').click();
    await panel.getByTestId('sku-stock-rule-mode').selectOption('on');
    await panel.getByTestId('sku-stock-rule-reserve-units').fill('2');
    await panel.getByTestId('sku-stock-rule-max-quantity').fill('50');
    await panel.getByTestId('sku-price-rule-mode').selectOption('on');
    await panel.getByTestId('sku-price-rule-markup-percent').fill('5');
    await browser.screenshot('sku-rules-form');
    await panel.getByTestId('sku-rules-save').click();
    await expect.poll(() => rowNotice.textContent()).toContain('rules');
    expect(await rowNotice.getAttribute('data-tone')).toBe('success');
    await row.getByTestId('sku-stock-rule-summary').waitFor();
    const withRules = await readSku(api, storeId, NEW_SKU);
    expect(withRules.stockRule).toEqual({ reserveUnits: 2, maxQuantity: 50 });
    expect(withRules.priceRule).toEqual({ markupPercent: '5' });

    // Setting the stock rule back to the store-wide one sends null.
    await row.getByTestId('sku-rules-open').click();
    await panel.getByTestId('sku-stock-rule-mode').selectOption('off');
    await panel.getByTestId('sku-rules-save').click();
    await expect.poll(() => row.getByTestId('sku-stock-rule-summary').count()).toBe(0);
    const cleared = await readSku(api, storeId, NEW_SKU);
    expect(cleared.stockRule).toBeNull();
    expect(cleared.priceRule).toEqual({ markupPercent: '5' });

    // --- Import CSV. A malformed row is rejected in the browser with its line number. ---
    await page.getByTestId('import-open').click();
    const importForm = page.getByTestId('import-form');
    const parseError = importForm.getByTestId('import-parse-error');
    for (const { csv, error } of MALFORMED_CASES) {
      await importForm.getByTestId('import-text').fill(csv);
      await expect.poll(() => parseError.textContent(), { message: csv }).toMatch(error);
      expect(await importForm.getByTestId('import-save').isDisabled()).toBe(true);
    }
    await importForm.getByTestId('import-text').fill(MALFORMED_CSV);
    await expect
      .poll(() => parseError.textContent())
      .toMatch(/^Line 3: stock "four" of SKU IMP-02 at MAIN/);
    expect(await importForm.getByTestId('import-save').isDisabled()).toBe(true);
    await browser.screenshot('import-malformed');

    // A row that the server rejects is named by its line, with the server's message as is.
    // These are the items that the browser builds from REJECTED_CSV, as checked below.
    const rejectedItems = [
      {
        sku: 'IMP-01',
        title: 'Import Mug, large',
        price: '15.00',
        currency: 'USD',
        stock: [
          { location: 'MAIN', onHand: 10 },
          { location: 'OVERFLOW', onHand: 2 },
        ],
      },
      {
        sku: 'IMP-02',
        title: 'Import Tote',
        price: '9.505',
        stock: [{ location: 'MAIN', onHand: 4 }],
      },
      {
        sku: 'IMP-03',
        title: 'Import Candle',
        stock: [
          { location: 'MAIN', onHand: 0 },
          { location: 'OVERFLOW', onHand: 1 },
        ],
      },
    ];
    const serverRejection = await api.json<ApiErrorBody>(`${skusPath}/import`, {
      method: 'POST',
      body: JSON.stringify({ items: rejectedItems }),
    });
    expect(serverRejection.status).toBe(400);
    expect(serverRejection.body.error.message).toContain('items[1]');
    await importForm.getByTestId('import-text').fill(REJECTED_CSV);
    await importForm.getByTestId('import-summary').waitFor();
    const importRequest = page.waitForRequest((request) => request.url().endsWith('/skus/import'));
    await importForm.getByTestId('import-save').click();
    expect((await importRequest).postDataJSON()).toEqual({ items: rejectedItems });
    const importError = importForm.getByTestId('import-error');
    await importError.waitFor();
    expect(await importError.getAttribute('data-lines')).toBe('3');
    expect(await importError.textContent()).toContain('line 3');
    expect(await importForm.getByTestId('import-error-message').textContent()).toBe(
      serverRejection.body.error.message,
    );
    const missing = await api.json<ApiErrorBody>(`${skusPath}/IMP-01`);
    expect(missing.status, 'a rejected import writes no row').toBe(404);
    await browser.screenshot('import-rejected');

    // The file picker loads the good CSV into the text area.
    await importForm.getByTestId('import-file').setInputFiles({
      name: 'skus.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(IMPORT_CSV, 'utf8'),
    });
    await expect.poll(() => importForm.getByTestId('import-text').inputValue()).toBe(IMPORT_CSV);
    await expect
      .poll(() => importForm.getByTestId('import-summary').textContent())
      .toContain('3 rows, with stock columns MAIN, OVERFLOW');
    await importForm.getByTestId('import-save').click();
    const importResult = importForm.getByTestId('import-result');
    await importResult.waitFor();
    expect(await importResult.getAttribute('data-created')).toBe('3');
    expect(await importResult.getAttribute('data-updated')).toBe('0');
    await browser.screenshot('import-done');

    const imported = await Promise.all(
      ['IMP-01', 'IMP-02', 'IMP-03'].map((sku) => readSku(api, storeId, sku)),
    );
    expect(imported.map((sku) => sku.title)).toEqual([
      'Import Mug, large',
      'Import Tote',
      'Import Candle',
    ]);
    expect(imported.map((sku) => sku.price)).toEqual(['15.00', '9.50', null]);
    // IMP-02 has no currency cell, so it gets the store currency.
    expect(imported[1]!.currency).toBe('USD');
    expect(imported.map(onHandByLocation)).toEqual([
      { MAIN: 10, OVERFLOW: 2 },
      { MAIN: 4 },
      { MAIN: 0, OVERFLOW: 1 },
    ]);

    // --- Create a location and map it to the US shop's default warehouse. ---
    const warehousesPath = `/api/v1/stores/${storeId}/warehouses`;
    const before = await api.json<{ warehouses: TiktokWarehouse[] }>(warehousesPath);
    expect(before.status).toBe(200);
    const usWarehouses = before.body.warehouses.filter((warehouse) => warehouse.shopId === shopId);
    const defaultWarehouse = usWarehouses.find(
      (warehouse) => warehouse.isDefault && warehouse.type === 'SALES_WAREHOUSE',
    );
    const returnWarehouse = usWarehouses.find((warehouse) => warehouse.type === 'RETURN_WAREHOUSE');
    expect(defaultWarehouse, 'the US shop has a default sales warehouse').toBeDefined();
    expect(returnWarehouse, 'the US shop has a return warehouse').toBeDefined();
    expect(defaultWarehouse!.locationCodes).not.toContain(NEW_LOCATION);

    await page.getByRole('link', { name: 'Locations', exact: true }).click();
    await page.getByRole('heading', { name: 'Locations', exact: true }).waitFor();
    const locationForm = page.getByTestId('location-create-form');
    await locationForm.getByTestId('location-create-code').fill(NEW_LOCATION);
    await locationForm.getByTestId('location-create-name').fill('East depot');
    await locationForm.getByTestId('location-create-save').click();
    await expect
      .poll(() => locationForm.getByTestId('location-create-message').getAttribute('data-tone'))
      .toBe('success');

    // Creating the same code again shows the server's conflict message next to the form.
    const duplicate = await api.json<ApiErrorBody>(`/api/v1/stores/${storeId}/locations`, {
      method: 'POST',
      body: JSON.stringify({ code: NEW_LOCATION, name: 'East depot', excludeFromTiktok: false }),
    });
    expect(duplicate.status).toBe(409);
    await locationForm.getByTestId('location-create-code').fill(NEW_LOCATION);
    await locationForm.getByTestId('location-create-name').fill('East depot');
    await locationForm.getByTestId('location-create-save').click();
    await expect
      .poll(() => locationForm.getByTestId('location-create-message').getAttribute('data-tone'))
      .toBe('error');
    expect(await locationForm.getByTestId('location-create-message').textContent()).toBe(
      duplicate.body.error.message,
    );

    const locationRow = page.locator(`[data-testid=location-row][data-code="${NEW_LOCATION}"]`);
    await locationRow.waitFor();
    const select = locationRow.locator(
      `[data-testid=location-warehouse][data-shop-id="${shopId}"]`,
    );
    expect(await select.inputValue()).toBe('');
    // Return warehouses are listed but cannot be chosen.
    const returnOption = select.locator(`option[value="${returnWarehouse!.id}"]`);
    expect(await returnOption.isDisabled()).toBe(true);
    await select.selectOption(defaultWarehouse!.id);
    const locationNotice = page.locator(
      `[data-testid=location-row][data-code="${NEW_LOCATION}"] + [data-testid=row-notice]`,
    );
    await expect.poll(() => locationNotice.getAttribute('data-tone')).toBe('success');
    await expect.poll(() => select.inputValue()).toBe(defaultWarehouse!.id);
    const warehouseRow = page.locator(
      `[data-testid=warehouse-row][data-shop-id="${shopId}"][data-warehouse-id="${defaultWarehouse!.id}"]`,
    );
    await expect
      .poll(() => warehouseRow.getAttribute('data-location-codes'))
      .toContain(NEW_LOCATION);
    await browser.screenshot('location-mapped');

    const after = await api.json<{ warehouses: TiktokWarehouse[] }>(warehousesPath);
    const mappedWarehouse = after.body.warehouses.find(
      (warehouse) => warehouse.shopId === shopId && warehouse.id === defaultWarehouse!.id,
    );
    expect(mappedWarehouse?.locationCodes).toContain(NEW_LOCATION);
    const locations = await api.json<{ locations: Location[] }>(
      `/api/v1/stores/${storeId}/locations`,
    );
    const location = locations.body.locations.find((candidate) => candidate.code === NEW_LOCATION);
    expect(location?.name).toBe('East depot');
    expect(location?.excludeFromTiktok).toBe(false);
    expect(location?.warehouses).toEqual([
      { shopId, warehouseId: defaultWarehouse!.id, warehouseName: defaultWarehouse!.name },
    ]);

    // Turning off "Stock to TikTok" sets excludeFromTiktok.
    await locationRow.getByTestId('location-send').uncheck();
    await expect.poll(() => locationRow.getAttribute('data-exclude-from-tiktok')).toBe('true');
    const excluded = await api.json<{ locations: Location[] }>(
      `/api/v1/stores/${storeId}/locations`,
    );
    expect(
      excluded.body.locations.find((candidate) => candidate.code === NEW_LOCATION)
        ?.excludeFromTiktok,
    ).toBe(true);

    // --- Set the store-wide price rule. A value the server rejects shows its message. ---
    await page.getByRole('link', { name: 'Catalog settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Catalog settings', exact: true }).waitFor();
    const priceForm = page.getByTestId('settings-price-rule');
    await priceForm.getByTestId('store-price-rule-mode').selectOption('on');
    const badRule = await api.json<ApiErrorBody>(`/api/v1/stores/${storeId}/settings/catalog`, {
      method: 'PUT',
      body: JSON.stringify({ priceRule: { markupPercent: '10', markupFixed: '0.1234567' } }),
    });
    expect(badRule.status).toBe(400);
    await priceForm.getByTestId('store-price-rule-markup-percent').fill('10');
    await priceForm.getByTestId('store-price-rule-markup-fixed').fill('0.1234567');
    await priceForm.getByTestId('settings-price-rule-save').click();
    const priceMessage = priceForm.getByTestId('settings-price-rule-message');
    await expect.poll(() => priceMessage.getAttribute('data-tone')).toBe('error');
    expect(await priceMessage.textContent()).toBe(badRule.body.error.message);

    await priceForm.getByTestId('store-price-rule-markup-fixed').fill('0.50');
    await priceForm.getByTestId('settings-price-rule-save').click();
    await expect.poll(() => priceMessage.getAttribute('data-tone')).toBe('success');
    await browser.screenshot('settings-price-rule');

    const settings = await api.json<{
      currency: string;
      priceRule: unknown;
      currencyRates: unknown[];
    }>(`/api/v1/stores/${storeId}/settings/catalog`);
    expect(settings.status).toBe(200);
    expect(settings.body.priceRule).toEqual({ markupPercent: '10', markupFixed: '0.50' });
    // The price form sends only the price rule, so the demo's rate and currency stay.
    expect(settings.body.currency).toBe('USD');
    expect(settings.body.currencyRates).toEqual([{ from: 'USD', to: 'GBP', rate: '0.79' }]);
  });

  it('splits a large import into requests', async () => {
    const { page } = browser;
    const storeId = test.demo.storeId;
    const skusPath = `/api/v1/stores/${storeId}/skus`;
    const token = await createSignInLink(test.connector.ctx, test.demo.userId);
    await page.goto(`${test.baseUrl}/auth/link?token=${encodeURIComponent(token)}`);
    await page.waitForURL((url) => url.pathname === '/app/');
    const api = await signIn(test);

    // Two rows more than one request holds, so the second request has lines 5002 and 5003, and
    // the server rejects the price on line 5003.
    const skuOf = (row: number) => `BULK-${String(row).padStart(5, '0')}`;
    const rowCount = BATCH_SIZE + 2;
    const lines = ['sku,title,price,currency'];
    for (let row = 1; row <= rowCount; row++) {
      lines.push(`${skuOf(row)},Bulk item ${row},${row === rowCount ? '2.005' : '2.00'},USD`);
    }
    await openPage(page, test.baseUrl, '#/stock', 'Stock');
    await page.getByTestId('import-open').click();
    const importForm = page.getByTestId('import-form');
    await importForm.getByTestId('import-file').setInputFiles({
      name: 'bulk.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${lines.join('\n')}\n`, 'utf8'),
    });
    await expect
      .poll(() => importForm.getByTestId('import-summary').textContent())
      .toContain('sent in 2 requests of up to 5,000 rows');
    await importForm.getByTestId('import-save').click();
    const importError = importForm.getByTestId('import-error');
    // The first request writes 5,000 rows, which takes seconds on PGlite.
    await importError.waitFor({ timeout: 50_000 });
    expect(await importError.getAttribute('data-lines')).toBe(String(rowCount + 1));
    expect(await importError.textContent()).toContain(`line ${rowCount + 1} in request 2 of 2`);
    expect(await importForm.getByTestId('import-applied').textContent()).toBe(
      'Request 1 was applied: 5,000 created, 0 updated. 0 pushes to TikTok are queued.',
    );
    expect(await importForm.getByTestId('import-not-sent').count()).toBe(0);
    await browser.screenshot('import-split');

    // The server names the row within its request, so the same second request through the API
    // returns the message that the page shows.
    const secondRequest = await api.json<ApiErrorBody>(`${skusPath}/import`, {
      method: 'POST',
      body: JSON.stringify({
        items: [rowCount - 1, rowCount].map((row) => ({
          sku: skuOf(row),
          title: `Bulk item ${row}`,
          price: row === rowCount ? '2.005' : '2.00',
          currency: 'USD',
        })),
      }),
    });
    expect(secondRequest.status).toBe(400);
    expect(secondRequest.body.error.message).toContain(`items[1] SKU ${skuOf(rowCount)}`);
    expect(await importForm.getByTestId('import-error-message').textContent()).toBe(
      secondRequest.body.error.message,
    );

    expect((await api.json(`${skusPath}/${skuOf(1)}`)).status).toBe(200);
    expect((await api.json(`${skusPath}/${skuOf(BATCH_SIZE)}`)).status).toBe(200);
    expect((await api.json(`${skusPath}/${skuOf(BATCH_SIZE + 1)}`)).status).toBe(404);
  });
});
