import { existsSync } from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSignInLink } from '../../src/accounts/accounts.ts';
import { WEB_DIST_DIR } from '../../src/http/server.ts';
import { toPlatformStatus } from '../../src/orders/status.ts';
import { startTestConnector } from '../support/connector.ts';
import type { TestConnector } from '../support/connector.ts';
import { settle } from '../support/flows.ts';
import { hasChromium, launchBrowser, SKIP_MESSAGE } from './browser.ts';
import type { TestBrowser } from './browser.ts';

// The reporter shows the title of a skipped suite, so it carries the way to enable it.
const SUITE = hasChromium()
  ? 'connect flow in the browser'
  : `connect flow in the browser (skipped: ${SKIP_MESSAGE})`;

/** Waits until the row count of `selector` stops changing for a moment, then returns it. */
async function stableCount(page: Page, selector: string): Promise<number> {
  let last = -1;
  for (let i = 0; i < 20; i++) {
    const count = await page.locator(selector).count();
    if (count === last && count > 0) return count;
    last = count;
    await page.waitForTimeout(150);
  }
  return last;
}

describe.skipIf(!hasChromium())(SUITE, () => {
  let test: TestConnector;
  let browser: TestBrowser;

  beforeAll(async () => {
    // The connector serves the dashboard from the vite build only when it exists.
    if (!existsSync(path.join(WEB_DIST_DIR, 'index.html'))) {
      throw new Error(`no dashboard build in ${WEB_DIST_DIR}: run \`npm run build:web\` first`);
    }
    test = await startTestConnector();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await test?.close();
    if (browser) console.warn(`connect-flow screenshots: ${browser.screenshotDir}`);
  });

  it('connects shops and shows order updates', async () => {
    const { page } = browser;
    const emulator = test.connector.emulator!;
    const emulatorOrders = () => [...emulator.state.store.orders.values()];

    // A one-time link is how a seller signs in without a password.
    const token = await createSignInLink(test.connector.ctx, test.demo.userId);
    await page.goto(`${test.baseUrl}/auth/link?token=${encodeURIComponent(token)}`);
    await page.waitForURL((url) => url.pathname === '/app/');
    await expect
      .poll(() => page.getByRole('heading', { name: 'Connections' }).isVisible())
      .toBe(true);
    await browser.screenshot('connections-empty');

    // US is the default market, and its authorization page lists both demo shops.
    await expect.poll(() => page.getByTestId('market-select').inputValue()).toBe('US');
    await page.getByRole('button', { name: 'Connect TikTok Shop' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/tiktok-emulator/'));
    const shopBoxes = page.locator('input[type=checkbox][name=shop_id]');
    expect(await shopBoxes.count()).toBe(2);
    for (const box of await shopBoxes.all()) await box.check();
    await browser.screenshot('emulator-authorize');
    await page.getByRole('button', { name: 'Approve' }).click();

    // The emulator redirects to the connector's callback, which lands on the grant page.
    await page.waitForURL((url) => url.pathname === '/app/' && url.hash.startsWith('#/grants/'));
    const grantId = new URL(page.url()).hash.split('/').at(-1)!;
    const grant = page.locator(`[data-testid=grant][data-grant-id="${grantId}"]`);
    await grant.waitFor();
    expect(await grant.getByTestId('grant-shop-row').count()).toBe(2);
    await browser.screenshot('grant');
    await grant.getByRole('button', { name: 'Connect selected shops' }).click();
    await page.waitForURL((url) => url.hash === '#/' || url.hash === '');
    await page.getByTestId('connection-row').nth(1).waitFor();

    // Workers are off on the fake clock, so the backfill runs only when the test drives it.
    await settle(test);
    await page.reload();
    const rows = page.getByTestId('connection-row');
    await expect.poll(() => rows.count()).toBe(2);
    const regions = await rows.locator('td:nth-child(2)').allTextContents();
    expect(regions.sort()).toEqual(['GB', 'US']);
    await expect
      .poll(() =>
        rows
          .getByTestId('connection-status')
          .evaluateAll((badges) => badges.map((badge) => badge.getAttribute('data-status'))),
      )
      .toEqual(['active', 'active']);
    await expect
      .poll(() =>
        rows
          .getByTestId('backfill')
          .evaluateAll((bars) => bars.map((bar) => bar.getAttribute('data-status'))),
      )
      .toEqual(['done', 'done']);
    await browser.screenshot('connections-active');

    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.waitForURL((url) => url.hash === '#/orders');
    await page.locator('[data-testid=order-row]').first().waitFor();
    const total = emulatorOrders().length;
    expect(total).toBeGreaterThan(0);
    // The list shows pages of 50 and a "Load more" button past that.
    const firstPageRows = await stableCount(page, '[data-testid=order-row]');
    expect(firstPageRows).toBe(Math.min(total, 50));
    if (total > 50) {
      while (await page.getByRole('button', { name: 'Load more' }).isVisible()) {
        await page.getByRole('button', { name: 'Load more' }).click();
        await page.waitForTimeout(200);
      }
      expect(await stableCount(page, '[data-testid=order-row]')).toBe(total);
    }
    await browser.screenshot('orders');

    // Picks an order that TikTok can still move to AWAITING_SHIPMENT. Every order is on screen now.
    const movable = emulatorOrders().find(
      (order) => order.status === 'UNPAID' || order.status === 'ON_HOLD',
    );
    expect(movable, 'the demo seed has an unpaid or held order').toBeDefined();
    const badge = page.locator(
      `[data-testid=order-row][data-tiktok-order-id="${movable!.id}"] [data-testid=order-status]`,
    );
    expect(await badge.getAttribute('data-status')).toBe(toPlatformStatus(movable!.status));

    emulator.admin.moveOrder(movable!.id, 'AWAITING_SHIPMENT');
    await settle(test);
    // No reload: the list refreshes itself every 5 seconds.
    await expect
      .poll(() => badge.getAttribute('data-status'), { timeout: 8_000, interval: 250 })
      .toBe('awaiting_fulfillment');
    expect(await badge.textContent()).toBe('Awaiting fulfillment');
    await browser.screenshot('order-moved');

    // Rows loaded with "Load more" are refreshed too. The oldest seed orders are final in the
    // emulator, so this changes the stored row directly to see the dashboard pick it up.
    if (total > 50) {
      const lastRow = page.locator('[data-testid=order-row]').last();
      const lastId = (await lastRow.getAttribute('data-tiktok-order-id'))!;
      const lastStatus = await lastRow
        .locator('[data-testid=order-status]')
        .getAttribute('data-status');
      const changedStatus = lastStatus === 'cancelled' ? 'completed' : 'cancelled';
      await test.connector.ctx.db
        .updateTable('orders')
        .set({ status: changedStatus })
        .where('id', '=', lastId)
        .execute();
      await expect
        .poll(() => lastRow.locator('[data-testid=order-status]').getAttribute('data-status'), {
          timeout: 8_000,
          interval: 250,
        })
        .toBe(changedStatus);
    }
  });
});
