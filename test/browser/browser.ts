import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

/** Path of Debian's Chromium, used because playwright-core ships no browser build. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

export const SKIP_MESSAGE =
  `browser tests need Chromium at ${CHROMIUM_PATH}; ` +
  'install it with `apt-get update && apt-get install -y chromium` to run them';

// The flags turn off background networking, component updates and sync, so Chromium does not
// contact Google services during the test. Chromium does not start as root without --no-sandbox.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Folder of the screenshots, which stays after close so they can be looked at. */
  screenshotDir: string;
  /** Saves a full-page screenshot named `NN-name.png` and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium on a fresh, empty profile, so no cookie or cache from an earlier
 * run leaks into the test, and opens one page.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'tts-chromium-'));
  const screenshotDir =
    process.env.TTS_SCREENSHOT_DIR ?? mkdtempSync(path.join(tmpdir(), 'tts-shots-'));
  mkdirSync(screenshotDir, { recursive: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  // A persistent context opens with one blank tab already.
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  page.setDefaultNavigationTimeout(10_000);
  let shots = 0;
  return {
    context,
    page,
    screenshotDir,
    async screenshot(name) {
      shots += 1;
      const file = path.join(screenshotDir, `${String(shots).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
