import { createSignInLink } from '../../src/accounts/accounts.ts';
import type { TestConnector } from './connector.ts';

/** A tiny cookie-keeping HTTP client, standing in for the dashboard's browser. */
export class Browser {
  cookie = '';

  constructor(private readonly baseUrl: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    return response;
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const response = await this.request(path, init);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}

export async function signIn(test: TestConnector): Promise<Browser> {
  const browser = new Browser(test.baseUrl);
  const token = await createSignInLink(test.connector.ctx, test.demo.userId);
  const response = await browser.request(`/auth/link?token=${token}`);
  if (response.status !== 302) throw new Error(`sign-in link answered ${response.status}`);
  return browser;
}

/**
 * Walks the seller authorization page of the emulator: loads the page, keeps the shops whose
 * checkbox values pass `chooseShop`, submits the decision and returns the redirect target.
 */
export async function approveOnAuthorizationPage(
  browser: Browser,
  authorizeUrl: string,
  options: { decision?: 'approve' | 'deny'; chooseShop?: (shopId: string) => boolean } = {},
): Promise<string> {
  const page = await browser.request(authorizeUrl);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
  if (!action) throw new Error(`authorization page has no form: ${html.slice(0, 300)}`);
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.append(match[1]!, decodeEntities(match[2]!));
  }
  for (const match of html.matchAll(/<input type="checkbox" name="shop_id" value="([^"]+)"/g)) {
    if (options.chooseShop?.(match[1]!) ?? true) form.append('shop_id', match[1]!);
  }
  form.append('decision', options.decision ?? 'approve');
  const origin = new URL(authorizeUrl).origin;
  const response = await browser.request(new URL(action, origin).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location)
    throw new Error(`authorization answered ${response.status}`);
  return location;
}

const decodeEntities = (value: string): string =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Runs scheduler ticks and queued jobs until nothing is left to do. */
export async function settle(test: TestConnector, rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await test.connector.emulator?.deliverDueWebhooks();
    await test.connector.tick();
    const ran = await test.connector.runJobsUntilIdle();
    if (ran === 0 && i > 0) return;
  }
}

/** Connects every demo shop to the demo store through the authorization page and a claim. */
export async function connectDemoShops(
  test: TestConnector,
  browser: Browser,
  options: { settle?: boolean } = {},
) {
  const storeId = test.demo.storeId;
  const authorize = await browser.json<{ authorizeUrl: string }>(
    `/api/v1/stores/${storeId}/connections/authorize`,
    {
      method: 'POST',
      body: JSON.stringify({ market: 'US' }),
    },
  );
  const callback = await approveOnAuthorizationPage(browser, authorize.body.authorizeUrl);
  const landing = await browser.request(callback);
  const grantId = landing.headers.get('location')!.split('/').at(-1)!;
  const grants = await browser.json<{ grants: { id: string; shops: { shopId: string }[] }[] }>(
    '/api/v1/grants',
  );
  const grant = grants.body.grants.find((candidate) => candidate.id === grantId)!;
  const claimed = await browser.json<{
    connections: { id: string; shopId: string; region: string }[];
  }>(`/api/v1/grants/${grantId}/claim`, {
    method: 'POST',
    body: JSON.stringify({
      assignments: grant.shops.map((shop) => ({ shopId: shop.shopId, storeId })),
    }),
  });
  if (options.settle ?? true) await settle(test);
  return { grantId, connections: claimed.body.connections };
}

/** Reads the stored TikTok status and update_time of every order. */
export async function storedOrders(test: TestConnector) {
  const rows = await test.connector.ctx.db
    .selectFrom('orders')
    .select(['shop_id', 'id', 'tiktok_status', 'tiktok_update_time', 'status'])
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}
