import { afterEach, describe, expect, it } from 'vitest';

import { createTikTokClient } from './client.ts';
import type { TikTokClientOptions } from './client.ts';
import { TikTokApiError } from './errors.ts';
import type { TikTokShopContext } from './orders.ts';
import type { RateLimitKey } from './rate-limiter.ts';
import { findShopById } from './shops.ts';
import {
  createFakeClock,
  createRecordingLogger,
  createStaticTokenProvider,
  expectedSign,
  okEnvelope,
  startLoopbackServer,
} from './test-support.ts';
import type { CannedReply, LoopbackServer, RecordedRequest } from './test-support.ts';

const APP_KEY = '6d1examplek3y';
const APP_SECRET = 'e1a7c0ffee0000000000000000000000000000ab';
const ACCESS_TOKEN = 'TTP_made_up_access_token';
const CIPHER_A = 'ROW_TestCipherAAA';
const SHOP_A = '7495000000000000001';
const PREFIX = '/tiktok-emulator';

let server: LoopbackServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(
  reply: (request: RecordedRequest, index: number) => CannedReply,
  overrides: Partial<TikTokClientOptions> = {},
) {
  server = await startLoopbackServer(reply);
  const clock = createFakeClock(1_700_000_000_000);
  const logger = createRecordingLogger();
  const tokenProvider = createStaticTokenProvider(ACCESS_TOKEN);
  const client = createTikTokClient({
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    apiBaseUrl: `${server.baseUrl}${PREFIX}`,
    authBaseUrl: `${server.baseUrl}${PREFIX}`,
    clock,
    logger,
    timeoutMs: 2_000,
    maxRetries: 3,
    retryBaseDelayMs: 1_000,
    random: () => 1,
    ...overrides,
  });
  const shopA: TikTokShopContext = { shopId: SHOP_A, shopCipher: CIPHER_A, tokenProvider };
  return { server, clock, logger, tokenProvider, client, shopA, requests: server.requests };
}

function signedPathOf(request: RecordedRequest): string {
  return request.path.slice(PREFIX.length);
}

async function expectTikTokError(promise: Promise<unknown>): Promise<TikTokApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TikTokApiError);
  return error as TikTokApiError;
}

const TWO_SHOPS = {
  shops: [
    { id: '7495000000000000001', cipher: 'ROW_TestCipherAAA', region: 'GB', seller_type: 'LOCAL' },
    { id: '7495000000000000002', cipher: 'ROW_TestCipherBBB', region: 'DE' },
  ],
};

describe('request shape', () => {
  it('sends authorized shops without cipher', async () => {
    const { client, tokenProvider, requests } = await setup(() => okEnvelope(TWO_SHOPS));

    const shops = await client.getAuthorizedShops(tokenProvider);

    const [request] = requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe(`${PREFIX}/authorization/202309/shops`);
    expect(request?.query.has('shop_cipher')).toBe(false);
    expect(request?.query.has('access_token')).toBe(false);
    expect(request?.query.get('timestamp')).toBe('1700000000');
    expect(request?.query.get('sign')).toBe(
      'cd3511cb6afb97de4e690677c8aabe80e61ff8b0c434319d702cadb9dd6a55aa',
    );
    expect(request?.headers['x-tts-access-token']).toBe(ACCESS_TOKEN);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toBe('');
    expect(shops[0]).toEqual({
      id: '7495000000000000001',
      cipher: 'ROW_TestCipherAAA',
      code: null,
      name: null,
      region: 'GB',
      sellerType: 'LOCAL',
    });
  });

  it('uses the cipher of the event shop', async () => {
    const { client, tokenProvider, requests } = await setup((_request, index) =>
      index === 0 ? okEnvelope(TWO_SHOPS) : okEnvelope({ orders: [{ id: '576000000000000009' }] }),
    );
    const shops = await client.getAuthorizedShops(tokenProvider);
    const shopB = findShopById(shops, '7495000000000000002');

    await client.getOrderDetail({ shopId: shopB.id, shopCipher: shopB.cipher, tokenProvider }, [
      '576000000000000009',
    ]);

    const detail = requests[1];
    expect(detail?.path).toBe(`${PREFIX}/order/202309/orders`);
    expect(detail?.query.get('shop_cipher')).toBe('ROW_TestCipherBBB');
    expect(detail?.query.get('ids')).toBe('576000000000000009');
    expect(detail?.query.get('sign')).toBe(
      '69a4fe06d3ef1570b595323ae3a30fcead0de82ad55b073eba7a81b612668fb4',
    );
    expect(() => findShopById(shops, '7495000000000000009')).toThrow(TikTokApiError);
  });

  it('reproduces the worked Search Orders example', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ orders: [] }), {
      appKey: 'demoappkey',
      appSecret: 'demosecret123',
      clock: createFakeClock(1_718_000_000_000),
    });

    await client.searchOrders(
      { ...shopA, shopCipher: 'ROW_demoCipher' },
      {
        filters: {
          orderStatus: 'AWAITING_SHIPMENT',
          updateTimeGeMs: 1_717_990_000_000,
          updateTimeLtMs: 1_718_000_000_000,
        },
        pageSize: 50,
        sortField: 'update_time',
        sortOrder: 'ASC',
      },
    );

    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.body).toBe(
      '{"order_status":"AWAITING_SHIPMENT","update_time_ge":1717990000,"update_time_lt":1718000000}',
    );
    expect(request?.query.get('sign')).toBe(
      '34eca621bcde7562221cf039c1c6b157d28186e5354a4260c73479d75963ac5c',
    );
  });

  it('sends the DELETE body that it signs', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope(null));

    await client.callApi({
      method: 'DELETE',
      path: '/event/202309/webhooks',
      body: { event_type: 'ORDER_STATUS_CHANGE' },
      shopId: SHOP_A,
      shopCipher: CIPHER_A,
      tokenProvider: shopA.tokenProvider,
    });

    const [request] = requests;
    expect(request?.method).toBe('DELETE');
    expect(request?.body).toBe('{"event_type":"ORDER_STATUS_CHANGE"}');
    expect(request?.query.get('sign')).toBe(
      'b17b4b8476a6942ee7313a07c23898c4b4501e56ecea231cab43cbf98e7688f0',
    );
  });

  it('leaves the cipher off Create Custom Brands', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ brand_id: '1' }));

    await client.callApi({
      method: 'POST',
      path: '/product/202309/brands',
      body: { name: 'Example Brand' },
      shopId: SHOP_A,
      shopCipher: CIPHER_A,
      tokenProvider: shopA.tokenProvider,
    });

    const [request] = requests;
    expect(request?.query.has('shop_cipher')).toBe(false);
    expect(request?.query.get('sign')).toBe(
      'ffc65533d278b9e6483837946cbe182323c7de9db7a68eace7a7eed7a7200d42',
    );
  });

  it('rejects a shop call without cipher', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({}));

    const error = await expectTikTokError(
      client.callApi({
        method: 'GET',
        path: '/event/202309/webhooks',
        tokenProvider: shopA.tokenProvider,
      }),
    );

    expect(error.kind).toBe('CIPHER_MISSING');
    expect(requests).toHaveLength(0);
  });

  it('fills path parameters and signs the filled path', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({}));

    await client.callApi({
      method: 'POST',
      path: '/fulfillment/202309/packages/{package_id}/ship',
      pathParams: { package_id: '1152000000000000001' },
      body: { handover_method: 'DROP_OFF', pickup_slot: undefined, self_shipment: undefined },
      shopId: SHOP_A,
      shopCipher: CIPHER_A,
      tokenProvider: shopA.tokenProvider,
    });

    const [request] = requests;
    expect(request?.path).toBe(`${PREFIX}/fulfillment/202309/packages/1152000000000000001/ship`);
    expect(request?.body).toBe('{"handover_method":"DROP_OFF"}');
    expect(request?.query.get('sign')).toBe(
      '2359b25fac2f2245095cca37031385bfbdbee96cb770d1a89933674452a61c96',
    );
    await expect(
      client.callApi({
        method: 'GET',
        path: '/fulfillment/202309/packages/{package_id}',
        pathParams: { package_id: '../x' },
        shopCipher: CIPHER_A,
        tokenProvider: shopA.tokenProvider,
      }),
    ).rejects.toThrow(/package_id/);
  });
});

describe('read retries', () => {
  it('re-signs every retry with a new timestamp', async () => {
    const { client, shopA, requests, clock, logger } = await setup((_request, index) =>
      index < 2 ? { status: 503, body: '<html>busy</html>' } : okEnvelope({ orders: [] }),
    );

    await client.searchOrders(shopA, { pageSize: 10 });

    expect(requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([1_000, 2_000]);
    const timestamps = requests.map((request) => request.query.get('timestamp'));
    expect(timestamps).toEqual(['1700000000', '1700000001', '1700000003']);
    for (const request of requests) {
      expect(request.query.get('sign')).toBe(
        expectedSign(APP_SECRET, signedPathOf(request), request),
      );
    }
    expect(new Set(requests.map((request) => request.query.get('sign'))).size).toBe(3);
    const warnings = logger.lines.filter((line) => line.includes('"level":"warn"'));
    expect(warnings).toHaveLength(2);
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({
      path: '/order/202309/orders/search',
      attempt: 1,
      kind: 'SERVER_ERROR',
    });
  });

  it('retries internal error code 36009003', async () => {
    const { client, shopA, requests } = await setup((_request, index) =>
      index === 0
        ? { body: { code: 36009003, message: 'Internal error', request_id: 'req-1' } }
        : okEnvelope({ orders: [] }),
    );

    await client.getOrderDetail(shopA, ['576000000000000001']);

    expect(requests).toHaveLength(2);
  });

  it('honours Retry-After on 429', async () => {
    const { client, shopA, requests, clock } = await setup(
      (_request, index) =>
        index === 0
          ? {
              status: 429,
              headers: { 'retry-after': '3' },
              body: { code: 36009002, message: 'Too many requests', request_id: 'req-429' },
            }
          : okEnvelope({ orders: [] }),
      { random: () => 0 },
    );

    await client.searchOrders(shopA, { pageSize: 10 });

    expect(requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([3_000]);
    expect(requests[1]?.query.get('timestamp')).toBe('1700000003');
  });

  it('grows the backoff exponentially up to the cap', async () => {
    const { client, shopA, requests, clock } = await setup(() => ({ status: 502, body: '' }), {
      maxRetries: 5,
      retryBaseDelayMs: 1_000,
      retryMaxDelayMs: 5_000,
    });

    const error = await expectTikTokError(client.searchOrders(shopA, { pageSize: 10 }));

    expect(error.kind).toBe('SERVER_ERROR');
    expect(requests).toHaveLength(6);
    expect(clock.sleeps).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('gives up when Retry-After exceeds the cap', async () => {
    const { client, shopA, requests } = await setup(() => ({
      status: 429,
      headers: { 'retry-after': '120' },
      body: { code: 36009002, message: 'Too many requests' },
    }));

    const error = await expectTikTokError(client.searchOrders(shopA, { pageSize: 10 }));

    expect(error.kind).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBe(120_000);
    expect(requests).toHaveLength(1);
  });

  it('retries a timed-out read then reports TIMEOUT', async () => {
    const { client, shopA, requests } = await setup(() => ({ ...okEnvelope({}), delayMs: 400 }), {
      timeoutMs: 50,
      maxRetries: 1,
    });

    const error = await expectTikTokError(client.getOrderDetail(shopA, ['576000000000000001']));

    expect(error.kind).toBe('TIMEOUT');
    expect(requests).toHaveLength(2);
  });

  it('retries network errors on reads', async () => {
    const { client, shopA, server: closed } = await setup(() => okEnvelope({}), { maxRetries: 2 });
    await closed.close();
    server = undefined;

    const error = await expectTikTokError(client.getOrderDetail(shopA, ['576000000000000001']));

    expect(error.kind).toBe('NETWORK');
    expect(String(error.cause)).not.toContain(APP_SECRET);
  });

  it('does not retry an unknown code', async () => {
    const { client, shopA, requests } = await setup(() => ({
      body: { code: 999999, message: 'made-up failure', request_id: 'req-x' },
    }));

    const error = await expectTikTokError(client.searchOrders(shopA, { pageSize: 10 }));

    expect(error.kind).toBe('FAILED');
    expect(error.code).toBe(999999);
    expect(error.requestId).toBe('req-x');
    expect(error.message).toBe('made-up failure');
    expect(requests).toHaveLength(1);
  });
});

describe('write retries', () => {
  const shipRequest = (tokenProvider: TikTokShopContext['tokenProvider']) => ({
    method: 'POST' as const,
    path: '/fulfillment/202309/packages/{package_id}/ship',
    pathParams: { package_id: '1152000000000000001' },
    body: { handover_method: 'DROP_OFF' },
    shopId: SHOP_A,
    shopCipher: CIPHER_A,
    tokenProvider,
  });

  it('reports a 5xx write as unknown outcome', async () => {
    const { client, shopA, requests } = await setup(() => ({ status: 500, body: 'oops' }));

    const error = await expectTikTokError(client.callApi(shipRequest(shopA.tokenProvider)));

    expect(error.kind).toBe('UNKNOWN_OUTCOME');
    expect(error.outcome).toBe('unknown');
    expect(error.httpStatus).toBe(500);
    expect(requests).toHaveLength(1);
  });

  it('reports code 36009003 on a write as unknown outcome', async () => {
    const { client, shopA, requests } = await setup(() => ({
      body: { code: 36009003, message: 'Internal error', request_id: 'req-w' },
    }));

    const error = await expectTikTokError(client.callApi(shipRequest(shopA.tokenProvider)));

    expect(error.kind).toBe('UNKNOWN_OUTCOME');
    expect(error.code).toBe(36009003);
    expect(error.requestId).toBe('req-w');
    expect(requests).toHaveLength(1);
  });

  it('reports a timed-out write as unknown outcome', async () => {
    const { client, shopA, requests } = await setup(() => ({ ...okEnvelope({}), delayMs: 400 }), {
      timeoutMs: 50,
    });

    const error = await expectTikTokError(client.callApi(shipRequest(shopA.tokenProvider)));

    expect(error.kind).toBe('UNKNOWN_OUTCOME');
    expect(error.outcome).toBe('unknown');
    expect(requests).toHaveLength(1);
  });

  it('retries a write rejected with 429', async () => {
    const { client, shopA, requests } = await setup((_request, index) =>
      index === 0
        ? { status: 429, body: { code: 36009002, message: 'slow down' } }
        : okEnvelope({}),
    );

    await client.callApi(shipRequest(shopA.tokenProvider));

    expect(requests).toHaveLength(2);
    expect(requests[1]?.body).toBe(requests[0]?.body);
  });

  it('reports a refused connection on a write as NETWORK', async () => {
    const { client, shopA, server: closed } = await setup(() => okEnvelope({}));
    await closed.close();
    server = undefined;

    const error = await expectTikTokError(client.callApi(shipRequest(shopA.tokenProvider)));

    expect(error.kind).toBe('NETWORK');
    expect(error.outcome).toBeUndefined();
  });
});

describe('expired access token', () => {
  const expired = { body: { code: 105002, message: 'access token is expired, please refresh it' } };

  it('refreshes once and retries once', async () => {
    const { client, shopA, tokenProvider, requests } = await setup((_request, index) =>
      index === 0 ? expired : okEnvelope({ orders: [] }),
    );

    await client.searchOrders(shopA, { pageSize: 10 });

    expect(tokenProvider.refreshCalls).toEqual([ACCESS_TOKEN]);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.headers['x-tts-access-token']).toBe(`${ACCESS_TOKEN}_refreshed`);
  });

  it('stops after the second expiry', async () => {
    const { client, shopA, tokenProvider, requests } = await setup(() => expired);

    const error = await expectTikTokError(client.searchOrders(shopA, { pageSize: 10 }));

    expect(error.kind).toBe('TOKEN_EXPIRED');
    expect(tokenProvider.refreshCalls).toHaveLength(1);
    expect(requests).toHaveLength(2);
  });

  it('does not refresh on a missing scope', async () => {
    const { client, shopA, tokenProvider, requests } = await setup(() => ({
      body: { code: 105005, message: 'you should apply auth pkg for this api' },
    }));

    const error = await expectTikTokError(client.getOrderDetail(shopA, ['576000000000000001']));

    expect(error.kind).toBe('SCOPE_MISSING');
    expect(tokenProvider.refreshCalls).toHaveLength(0);
    expect(requests).toHaveLength(1);
  });
});

describe('responses', () => {
  it('keeps big-int ids exact', async () => {
    const body =
      '{"code":0,"message":"Success","request_id":"req-big","data":{"orders":[{"id":576461413038785752,"user_id":7494049642642441621,"status":"AWAITING_SHIPMENT","payment":{"currency":"USD","total_amount":"121.10"},"line_items":[{"id":577461413038785752,"sku_id":1729582718312380123,"sale_price":"24.99"}],"brand_new_field":{"x":1}}]}}';
    const { client, shopA } = await setup(() => ({ body }));

    const [order] = await client.getOrderDetail(shopA, ['576461413038785752']);

    expect(order?.id).toBe('576461413038785752');
    expect(order?.user_id).toBe('7494049642642441621');
    expect(order?.line_items?.[0]?.id).toBe('577461413038785752');
    expect(order?.line_items?.[0]?.sku_id).toBe('1729582718312380123');
    expect(order?.payment?.total_amount).toBe('121.10');
    expect((order as Record<string, unknown>).brand_new_field).toEqual({ x: 1 });
  });

  it('rejects a malformed success envelope', async () => {
    const { client, shopA, requests } = await setup(() => ({ body: '{"unexpected":true}' }));

    const error = await expectTikTokError(client.searchOrders(shopA, { pageSize: 10 }));

    expect(error.kind).toBe('PAYLOAD_INVALID');
    expect(requests).toHaveLength(1);
  });

  it('redacts secrets echoed in a message', async () => {
    const { client, shopA } = await setup(() => ({
      body: { code: 999999, message: `token ${ACCESS_TOKEN} and secret ${APP_SECRET} rejected` },
    }));

    const error = await expectTikTokError(client.searchOrders(shopA, { pageSize: 10 }));

    expect(error.message).toBe('token [REDACTED] and secret [REDACTED] rejected');
  });
});

describe('pagination', () => {
  it('encodes page tokens and stops on an empty token', async () => {
    const pages = [
      okEnvelope({ orders: [{ id: '1' }], total_count: 3, next_page_token: 'a+b/c==' }),
      okEnvelope({ orders: [{ id: '2' }], total_count: 3, next_page_token: 'x y&z' }),
      okEnvelope({ orders: [{ id: '3' }], total_count: 3, next_page_token: '' }),
    ];
    const { client, shopA, requests } = await setup((_request, index) => pages[index] ?? {});

    const ids: string[] = [];
    for await (const page of client.iterateOrderPages(shopA, { pageSize: 1 })) {
      ids.push(...page.orders.map((order) => order.id ?? ''));
    }

    expect(ids).toEqual(['1', '2', '3']);
    expect(requests).toHaveLength(3);
    expect(requests[0]?.query.has('page_token')).toBe(false);
    expect(requests[1]?.rawQuery).toContain('page_token=a%2Bb%2Fc%3D%3D');
    expect(requests[1]?.query.get('page_token')).toBe('a+b/c==');
    expect(requests[2]?.rawQuery).toContain('page_token=x%20y%26z');
    for (const request of requests) {
      expect(request.query.get('sign')).toBe(
        expectedSign(APP_SECRET, signedPathOf(request), request),
      );
    }
  });

  it('stops when the token is missing', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ orders: [] }));

    const pages = [];
    for await (const page of client.iterateOrderPages(shopA, { pageSize: 100 })) {
      pages.push(page);
    }

    expect(pages).toEqual([{ orders: [], totalCount: null, nextPageToken: null }]);
    expect(requests).toHaveLength(1);
  });

  it('stops on a repeated token', async () => {
    const { client, shopA } = await setup(() =>
      okEnvelope({ orders: [], next_page_token: 'same' }),
    );

    const iterate = async () => {
      for await (const page of client.iterateOrderPages(shopA, { pageSize: 10 })) {
        expect(page.nextPageToken).toBe('same');
      }
    };

    await expect(iterate()).rejects.toThrow(/same next_page_token/);
  });
});

describe('argument validation', () => {
  it('rejects page sizes outside 1-100', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({}));

    for (const pageSize of [0, 101, 1.5]) {
      const error = await expectTikTokError(client.searchOrders(shopA, { pageSize }));
      expect(error.kind).toBe('REQUEST_INVALID');
    }
    expect(requests).toHaveLength(0);
  });

  it('rejects more than 50 order ids', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ orders: [] }));
    const ids = Array.from({ length: 51 }, (_unused, i) => String(576000000000000000n + BigInt(i)));

    await expect(client.getOrderDetail(shopA, ids)).rejects.toThrow(/1 to 50/);
    await expect(client.getOrderDetail(shopA, [])).rejects.toThrow(/1 to 50/);
    await expect(client.getOrderDetail(shopA, ['1,2'])).rejects.toThrow(/not numeric/);
    await client.getOrderDetail(shopA, ids.slice(0, 50));
    expect(requests).toHaveLength(1);
    expect(requests[0]?.query.get('ids')?.split(',')).toHaveLength(50);
  });

  it('rejects invalid client options', () => {
    expect(() => createTikTokClient({ appKey: '', appSecret: 'x' })).toThrow(TypeError);
    expect(() => createTikTokClient({ appKey: 'k', appSecret: 's', maxRetries: -1 })).toThrow(
      RangeError,
    );
    expect(() => createTikTokClient({ appKey: 'k', appSecret: 's', timeoutMs: 0 })).toThrow(
      RangeError,
    );
  });
});

describe('rate limiting and logs', () => {
  it('acquires the limiter before every attempt', async () => {
    const keys: RateLimitKey[] = [];
    const { client, shopA } = await setup(
      (_request, index) => (index === 0 ? { status: 503, body: '' } : okEnvelope({ orders: [] })),
      { rateLimiter: { acquire: async (key) => void keys.push(key) } },
    );

    await client.searchOrders(shopA, { pageSize: 10 });

    const expected = { appKey: APP_KEY, shopId: SHOP_A, api: 'POST /order/202309/orders/search' };
    expect(keys).toEqual([expected, expected]);
  });

  it('never logs tokens, secrets or signs', async () => {
    const { client, shopA, logger, requests } = await setup((_request, index) =>
      index < 2
        ? { status: 429, body: { code: 36009002, message: 'Too many requests' } }
        : { body: { code: 105002, message: 'access token is expired' } },
    );

    await expectTikTokError(client.searchOrders(shopA, { pageSize: 10 }));

    expect(logger.lines.length).toBeGreaterThan(2);
    const signs = requests.map((request) => request.query.get('sign') ?? '');
    for (const line of logger.lines) {
      for (const secret of [APP_SECRET, ACCESS_TOKEN, `${ACCESS_TOKEN}_refreshed`, ...signs]) {
        expect(line).not.toContain(secret);
      }
    }
  });
});
