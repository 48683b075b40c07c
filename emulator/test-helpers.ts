import { createHmac } from 'node:crypto';

import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';

import { createEmulator } from './emulator.ts';
import type { Emulator, EmulatorOptions } from './emulator.ts';
import type { AppConfig, SellerRecord, ShopRecord } from './types.ts';

/** A clock that moves only when the test moves it. */
export interface FakeClock {
  t: number;
  now(): number;
  advance(ms: number): void;
}

export function createFakeClock(startMs = 1_718_000_000_000): FakeClock {
  const clock: FakeClock = {
    t: startMs,
    now: () => clock.t,
    advance: (ms) => {
      clock.t += ms;
    },
  };
  return clock;
}

export const TEST_APP: AppConfig = {
  appKey: 'demoappkey',
  appSecret: 'demosecret123',
  serviceId: '7000000000000000001',
  redirectUrl: 'http://127.0.0.1:9/callback?from=tiktok',
};

/**
 * Computes a request sign independently of signing.ts, straight from the algorithm, so that a
 * mistake in either shows up against the other.
 */
export function testSign(
  secret: string,
  path: string,
  params: Record<string, string>,
  body = '',
): string {
  const keys = Object.keys(params)
    .filter((key) => key !== 'sign' && key !== 'access_token')
    .sort();
  const text = secret + path + keys.map((key) => key + params[key]).join('') + body + secret;
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}

export interface Harness {
  emulator: Emulator;
  server: FastifyInstance;
  clock: FakeClock;
  /** Base URL including the prefix. */
  baseUrl: string;
  prefix: string;
  close(): Promise<void>;
}

/** Starts the emulator plugin on a loopback port, under an optional prefix. */
export async function startHarness(
  options: Partial<EmulatorOptions> & { prefix?: string } = {},
): Promise<Harness> {
  const clock = createFakeClock();
  const emulator = createEmulator({ clock, apps: [TEST_APP], ...options });
  const server = Fastify();
  const prefix = options.prefix ?? '';
  await server.register(emulator.app, { prefix });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    emulator,
    server,
    clock,
    prefix,
    baseUrl: `http://127.0.0.1:${port}${prefix}`,
    close: async () => {
      await emulator.close();
      await server.close();
    },
  };
}

export interface ApiCallInput {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  params?: Record<string, string>;
  body?: string;
  token?: string;
  shopCipher?: string;
  contentType?: string | null;
  app?: AppConfig;
  /** Replaces the computed sign. */
  sign?: string;
  timestamp?: string;
}

export interface ApiResult {
  status: number;
  body: { code: number; message: string; request_id: string; data: Record<string, unknown> | null };
}

/** Calls a business endpoint, signed with testSign, and returns HTTP status and envelope. */
export async function callApi(harness: Harness, input: ApiCallInput): Promise<ApiResult> {
  const app = input.app ?? TEST_APP;
  const params: Record<string, string> = {
    app_key: app.appKey,
    timestamp: input.timestamp ?? String(Math.floor(harness.clock.now() / 1000)),
    ...(input.shopCipher ? { shop_cipher: input.shopCipher } : {}),
    ...input.params,
  };
  params.sign = input.sign ?? testSign(app.appSecret, input.path, params, input.body ?? '');
  const headers: Record<string, string> = {};
  if (input.contentType !== null) headers['content-type'] = input.contentType ?? 'application/json';
  if (input.token) headers['x-tts-access-token'] = input.token;
  const response = await fetch(`${harness.baseUrl}${input.path}?${new URLSearchParams(params)}`, {
    method: input.method ?? (input.body !== undefined ? 'POST' : 'GET'),
    headers,
    body: input.body,
  });
  return { status: response.status, body: (await response.json()) as ApiResult['body'] };
}

export interface AuthorizedSeller {
  seller: SellerRecord;
  shops: ShopRecord[];
  accessToken: string;
  refreshToken: string;
}

/** Creates a seller with shops and authorizes TEST_APP for all of them over HTTP. */
export async function createAuthorizedSeller(
  harness: Harness,
  shops: { region: string; currency: string; hasOnHold?: boolean; salesTaxRate?: string }[] = [
    { region: 'US', currency: 'USD', hasOnHold: true, salesTaxRate: '0.0725' },
    { region: 'GB', currency: 'GBP' },
  ],
): Promise<AuthorizedSeller> {
  const { admin } = harness.emulator;
  const seller = admin.createSeller({ name: 'Test Seller', baseRegion: 'US' });
  const created = shops.map((shop, i) =>
    admin.createShop({ sellerId: seller.id, name: `Shop ${i + 1}`, ...shop }),
  );
  for (const shop of created) {
    admin.createProduct({
      shopId: shop.id,
      title: 'Mug',
      skus: [
        { sellerSku: 'MUG-01', price: '24.99' },
        { sellerSku: 'MUG-02', price: '10.00' },
      ],
    });
  }
  const { code } = admin.simulateAppStoreInstall({ appKey: TEST_APP.appKey, sellerId: seller.id });
  const tokens = await exchangeCode(harness, code);
  const data = tokens.body.data as { access_token: string; refresh_token: string };
  return {
    seller,
    shops: created,
    accessToken: data.access_token,
    refreshToken: data.refresh_token,
  };
}

/** Calls Get Access Token for an auth code. */
export async function exchangeCode(
  harness: Harness,
  code: string,
  app = TEST_APP,
): Promise<ApiResult> {
  const query = new URLSearchParams({
    app_key: app.appKey,
    app_secret: app.appSecret,
    auth_code: code,
    grant_type: 'authorized_code',
  });
  const response = await fetch(`${harness.baseUrl}/api/v2/token/get?${query}`);
  return { status: response.status, body: (await response.json()) as ApiResult['body'] };
}
