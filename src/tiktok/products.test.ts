import { afterEach, describe, expect, it } from 'vitest';

import { createTikTokClient } from './client.ts';
import type { TikTokClientOptions } from './client.ts';
import { TikTokApiError, isPriceLocked } from './errors.ts';
import type { InventoryUpdateSku, PriceUpdateSku } from './inventory.ts';
import type { TikTokShopContext } from './orders.ts';
import {
  createFakeClock,
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
const PRODUCT_ID = '1729000000000000001';
const SKU_ID = '1729000000000000101';
const WAREHOUSE_ID = '7068000000000000001';
/** 19 digits; `Number` rounds it to 1729582718312380200. */
const BIG_ID = '1729582718312380123';

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
  const tokenProvider = createStaticTokenProvider(ACCESS_TOKEN);
  const client = createTikTokClient({
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    apiBaseUrl: `${server.baseUrl}${PREFIX}`,
    authBaseUrl: `${server.baseUrl}${PREFIX}`,
    clock,
    timeoutMs: 2_000,
    maxRetries: 3,
    retryBaseDelayMs: 1_000,
    random: () => 1,
    ...overrides,
  });
  const shopA: TikTokShopContext = { shopId: SHOP_A, shopCipher: CIPHER_A, tokenProvider };
  return { clock, client, shopA, requests: server.requests };
}

function signedPathOf(request: RecordedRequest): string {
  return request.path.slice(PREFIX.length);
}

function expectSignedCorrectly(request: RecordedRequest | undefined): void {
  expect(request).toBeDefined();
  if (request === undefined) return;
  expect(request.query.get('sign')).toBe(expectedSign(APP_SECRET, signedPathOf(request), request));
}

async function expectTikTokError(promise: Promise<unknown>): Promise<TikTokApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TikTokApiError);
  return error as TikTokApiError;
}

function ids(count: number, first: bigint): string[] {
  return Array.from({ length: count }, (_unused, i) => String(first + BigInt(i)));
}

const ONE_SKU_STOCK: InventoryUpdateSku[] = [
  { id: SKU_ID, inventory: [{ warehouseId: WAREHOUSE_ID, quantity: 12 }] },
];
const ONE_SKU_PRICE: PriceUpdateSku[] = [
  { id: SKU_ID, price: { amount: '24.99', currency: 'GBP' } },
];

describe('product search request', () => {
  it('signs a 202502 search with its body', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ products: [] }));

    await client.searchProducts(shopA, {
      pageSize: 20,
      filters: { status: 'ACTIVATE', sellerSkus: ['MUG-01'] },
    });

    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`${PREFIX}/product/202502/products/search`);
    expect(request?.query.get('page_size')).toBe('20');
    expect(request?.query.has('page_token')).toBe(false);
    expect(request?.query.get('shop_cipher')).toBe(CIPHER_A);
    expect(request?.query.get('timestamp')).toBe('1700000000');
    expect(request?.headers['x-tts-access-token']).toBe(ACCESS_TOKEN);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toBe('{"status":"ACTIVATE","seller_skus":["MUG-01"]}');
    expect(request?.query.get('sign')).toBe(
      '8b897a80e4133d338d15ea0032626c563633f8faf0c18d63656c4e01b7884ccf',
    );
    expectSignedCorrectly(request);
  });

  it('keeps the 202309 search vector', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ products: [] }));

    await client.callApi({
      method: 'POST',
      path: '/product/202309/products/search',
      query: { page_size: 20 },
      body: { status: 'ACTIVATE', seller_skus: ['MUG-01'] },
      isRead: true,
      shopId: SHOP_A,
      shopCipher: CIPHER_A,
      tokenProvider: shopA.tokenProvider,
    });

    expect(requests[0]?.query.get('sign')).toBe(
      'bd8332735322ede2882ef6ab6b4d8acfa3f95c8fe7d7cd73743481a1a0ac4d8f',
    );
  });

  it('sends every filter with inclusive seconds', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ products: [] }));

    await client.searchProducts(shopA, {
      pageSize: 100,
      pageToken: 'tok+/=',
      filters: {
        status: 'SELLER_DEACTIVATED',
        sellerSkus: ['MUG-01', 'MUG-02'],
        skuIds: [SKU_ID],
        createTimeGeMs: 1_699_000_000_500,
        createTimeLeMs: 1_700_000_000_999,
        updateTimeGeMs: 1_699_500_000_000,
        updateTimeLeMs: 1_699_600_000_001,
      },
    });

    const [request] = requests;
    expect(request?.query.get('page_token')).toBe('tok+/=');
    expect(request?.rawQuery).toContain('page_token=tok%2B%2F%3D');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      status: 'SELLER_DEACTIVATED',
      seller_skus: ['MUG-01', 'MUG-02'],
      sku_ids: [SKU_ID],
      create_time_ge: 1_699_000_000,
      create_time_le: 1_700_000_000,
      update_time_ge: 1_699_500_000,
      update_time_le: 1_699_600_000,
    });
    expect(request?.body).not.toContain('_lt');
    expectSignedCorrectly(request);
  });

  it('leaves empty filters out', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ products: [] }));

    await client.searchProducts(shopA, { pageSize: 10, filters: { sellerSkus: [], skuIds: [] } });
    await client.searchProducts(shopA, { pageSize: 10 });

    expect(requests[0]?.body).toBe('{}');
    expect(requests[1]?.body).toBe('{}');
  });

  it('returns products with exact ids', async () => {
    const body = `{"code":0,"message":"Success","request_id":"req-p","data":{"total_count":1,"next_page_token":"","products":[{"id":${BIG_ID},"title":"Mug","status":"ACTIVATE","create_time":1699000000,"update_time":1699500000,"sales_regions":["GB"],"skus":[{"id":${BIG_ID},"seller_sku":"MUG-01","price":{"currency":"GBP","sale_price":"24.99","tax_exclusive_price":"20.83","unit_price":"24.99"},"inventory":[{"warehouse_id":${BIG_ID},"quantity":12}]}],"future_field":true}]}}`;
    const { client, shopA } = await setup(() => ({ body }));

    const page = await client.searchProducts(shopA, { pageSize: 10 });

    expect(page.totalCount).toBe(1);
    expect(page.nextPageToken).toBeNull();
    const [product] = page.products;
    expect(product?.id).toBe(BIG_ID);
    expect(String(Number(BIG_ID))).not.toBe(BIG_ID);
    expect(product?.skus?.[0]?.id).toBe(BIG_ID);
    expect(product?.skus?.[0]?.price?.sale_price).toBe('24.99');
    expect(product?.skus?.[0]?.price?.tax_exclusive_price).toBe('20.83');
    expect(product?.skus?.[0]?.inventory?.[0]).toEqual({ warehouse_id: BIG_ID, quantity: 12 });
    expect((product as Record<string, unknown>).future_field).toBe(true);
  });
});

describe('product pagination', () => {
  it('follows tokens until an empty one', async () => {
    const pages = [
      okEnvelope({ products: [{ id: '1' }], total_count: 3, next_page_token: 'a+b/c==' }),
      okEnvelope({ products: [{ id: '2' }], total_count: 3, next_page_token: 'x y&z' }),
      okEnvelope({ products: [{ id: '3' }], total_count: 3, next_page_token: '' }),
    ];
    const { client, shopA, requests } = await setup((_request, index) => pages[index] ?? {});

    const productIds: string[] = [];
    const query = { pageSize: 1, filters: { status: 'ACTIVATE' } };
    for await (const page of client.iterateProductPages(shopA, query)) {
      productIds.push(...page.products.map((product) => product.id ?? ''));
    }

    expect(productIds).toEqual(['1', '2', '3']);
    expect(requests).toHaveLength(3);
    expect(requests[0]?.query.has('page_token')).toBe(false);
    expect(requests[1]?.query.get('page_token')).toBe('a+b/c==');
    expect(requests[1]?.rawQuery).toContain('page_token=a%2Bb%2Fc%3D%3D');
    expect(requests[2]?.query.get('page_token')).toBe('x y&z');
    for (const request of requests) {
      expect(request.body).toBe('{"status":"ACTIVATE"}');
      expectSignedCorrectly(request);
    }
  });

  it('stops when the token is missing', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ products: [] }));

    const pages = [];
    for await (const page of client.iterateProductPages(shopA, { pageSize: 100 })) {
      pages.push(page);
    }

    expect(pages).toEqual([{ products: [], totalCount: null, nextPageToken: null }]);
    expect(requests).toHaveLength(1);
  });

  it('stops on a repeated token', async () => {
    const { client, shopA } = await setup(() =>
      okEnvelope({ products: [], next_page_token: 'same' }),
    );

    const iterate = async () => {
      for await (const page of client.iterateProductPages(shopA, { pageSize: 10 })) {
        expect(page.nextPageToken).toBe('same');
      }
    };

    await expect(iterate()).rejects.toThrow(/same next_page_token/);
  });
});

describe('product, inventory and warehouse reads', () => {
  it('gets a product by id', async () => {
    const body = `{"code":0,"message":"Success","request_id":"req-g","data":{"id":${BIG_ID},"status":"SCHEDULED","audit":{"status":"APPROVED"},"product_types":["COMBINED_PRODUCT"],"is_not_for_sale":false,"skus":[{"id":"${SKU_ID}","seller_sku":"MUG-01","inventory":[{"warehouse_id":"${WAREHOUSE_ID}","quantity":"7"}]}]}}`;
    const { client, shopA, requests } = await setup(() => ({ body }));

    const product = await client.getProduct(shopA, PRODUCT_ID);

    const [request] = requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe(`${PREFIX}/product/202309/products/${PRODUCT_ID}`);
    expect(request?.body).toBe('');
    expect(request?.query.get('sign')).toBe(
      'c0feda0a95445841025c84d0c4943c8568e30be4488214708579e4e048c66610',
    );
    expectSignedCorrectly(request);
    expect(product.id).toBe(BIG_ID);
    expect(product.status).toBe('SCHEDULED');
    expect(product.audit?.status).toBe('APPROVED');
    expect(product.product_types).toEqual(['COMBINED_PRODUCT']);
    expect(product.skus?.[0]?.inventory?.[0]?.quantity).toBe(7);
  });

  it('rejects a product without id', async () => {
    const { client, shopA } = await setup(() => okEnvelope(null));

    const error = await expectTikTokError(client.getProduct(shopA, PRODUCT_ID));

    expect(error.kind).toBe('PAYLOAD_INVALID');
  });

  it('searches inventory by product ids', async () => {
    const body = `{"code":0,"message":"Success","request_id":"req-i","data":{"inventory":[{"product_id":${BIG_ID},"skus":[{"id":${BIG_ID},"seller_sku":"MUG-01","total_available_quantity":9,"total_committed_quantity":3,"warehouse_inventory":[{"warehouse_id":"${WAREHOUSE_ID}","available_quantity":9,"committed_quantity":3}],"campaign_reserved_quantity":1}]}]}}`;
    const { client, shopA, requests } = await setup(() => ({ body }));

    const inventory = await client.searchInventory(shopA, {
      productIds: [PRODUCT_ID, '1729000000000000002'],
    });

    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`${PREFIX}/product/202309/inventory/search`);
    expect(request?.body).toBe('{"product_ids":["1729000000000000001","1729000000000000002"]}');
    expect(request?.query.get('sign')).toBe(
      'e9ce063810d2f0abc53ede507bc06ec578b75b28c2b3a17ce4dcd2e199db8dc1',
    );
    expectSignedCorrectly(request);
    const sku = inventory[0]?.skus?.[0];
    expect(inventory[0]?.product_id).toBe(BIG_ID);
    expect(sku?.id).toBe(BIG_ID);
    expect(sku?.total_available_quantity).toBe(9);
    expect(sku?.total_committed_quantity).toBe(3);
    expect(sku?.warehouse_inventory).toEqual([
      { warehouse_id: WAREHOUSE_ID, available_quantity: 9, committed_quantity: 3 },
    ]);
    expect((sku as Record<string, unknown>).campaign_reserved_quantity).toBe(1);
  });

  it('searches inventory by sku ids', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ inventory: [] }));

    const inventory = await client.searchInventory(shopA, { skuIds: [SKU_ID] });

    expect(inventory).toEqual([]);
    expect(requests[0]?.body).toBe(`{"sku_ids":["${SKU_ID}"]}`);
    expectSignedCorrectly(requests[0]);
  });

  it('retries an inventory search after a 503', async () => {
    const { client, shopA, requests } = await setup((_request, index) =>
      index === 0 ? { status: 503, body: '' } : okEnvelope({ inventory: [] }),
    );

    await client.searchInventory(shopA, { skuIds: [SKU_ID] });

    expect(requests).toHaveLength(2);
  });

  it('lists warehouses', async () => {
    const { client, shopA, requests } = await setup(() =>
      okEnvelope({
        warehouses: [
          {
            id: WAREHOUSE_ID,
            name: 'Leeds',
            is_default: true,
            type: 'SALES_WAREHOUSE',
            sub_type: 'DOMESTIC_WAREHOUSE',
            effect_status: 'ENABLED',
            entity_id: '7068000000000000009',
            address: { region_code: 'GB', city: 'Leeds' },
          },
        ],
      }),
    );

    const warehouses = await client.getWarehouses(shopA);

    const [request] = requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe(`${PREFIX}/logistics/202309/warehouses`);
    expect(request?.query.get('shop_cipher')).toBe(CIPHER_A);
    expect(request?.query.get('sign')).toBe(
      'da8f85732a00ab2dd3c2d02ec4cf893b324f286b1f9abc9320c271371599f87f',
    );
    expectSignedCorrectly(request);
    expect(warehouses[0]).toMatchObject({
      id: WAREHOUSE_ID,
      is_default: true,
      type: 'SALES_WAREHOUSE',
      effect_status: 'ENABLED',
      address: { region_code: 'GB', city: 'Leeds' },
    });
  });
});

describe('inventory and price updates', () => {
  it('signs an inventory update', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({}));

    const failures = await client.updateInventory(shopA, PRODUCT_ID, ONE_SKU_STOCK);

    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`${PREFIX}/product/202309/products/${PRODUCT_ID}/inventory/update`);
    expect(request?.query.get('shop_cipher')).toBe(CIPHER_A);
    expect(request?.body).toBe(
      '{"skus":[{"id":"1729000000000000101","inventory":[{"warehouse_id":"7068000000000000001","quantity":12}]}]}',
    );
    expect(request?.query.get('sign')).toBe(
      'df755601f821aee4789e2de9a9eb2129a93086886dc1b2e80b7e33a96b969c6c',
    );
    expectSignedCorrectly(request);
    expect(failures).toEqual([]);
  });

  it('omits a missing warehouse id', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({}));

    await client.updateInventory(shopA, PRODUCT_ID, [{ id: SKU_ID, inventory: [{ quantity: 0 }] }]);

    expect(requests[0]?.body).toBe(`{"skus":[{"id":"${SKU_ID}","inventory":[{"quantity":0}]}]}`);
  });

  it('sends a price update', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope(null));

    const failures = await client.updatePrice(shopA, PRODUCT_ID, ONE_SKU_PRICE);
    await client.updatePrice(shopA, PRODUCT_ID, [
      { id: SKU_ID, price: { amount: '5000', currency: 'JPY', salePrice: '4500.50' } },
    ]);

    const [request, withSalePrice] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`${PREFIX}/product/202309/products/${PRODUCT_ID}/prices/update`);
    expect(request?.body).toBe(
      '{"skus":[{"id":"1729000000000000101","price":{"amount":"24.99","currency":"GBP"}}]}',
    );
    expect(request?.query.get('sign')).toBe(
      '0153bfef7144e5f99d525e930c02388223af8d1e41ddb11b33ad94d11298e580',
    );
    expectSignedCorrectly(request);
    expect(withSalePrice?.body).toBe(
      `{"skus":[{"id":"${SKU_ID}","price":{"amount":"5000","currency":"JPY","sale_price":"4500.50"}}]}`,
    );
    expect(failures).toEqual([]);
  });

  it('returns per-SKU inventory failures', async () => {
    const body = `{"code":0,"message":"Success","request_id":"req-e","data":{"errors":[{"code":12019028,"message":"all warehouses must be provided","detail":{"sku_id":${BIG_ID},"extra_errors":[{"code":12019028,"message":"missing","warehouse_id":${BIG_ID}},{"code":1,"message":"no warehouse"}]}},{"code":999999,"message":"made-up failure","detail":{"sku_id":"${SKU_ID}"}}]}}`;
    const { client, shopA, requests } = await setup(() => ({ body }));

    const failures = await client.updateInventory(shopA, PRODUCT_ID, ONE_SKU_STOCK);

    expect(requests).toHaveLength(1);
    expect(failures).toEqual([
      {
        code: 12019028,
        kind: 'INVENTORY_WAREHOUSE_MISSING',
        message: 'all warehouses must be provided',
        skuId: BIG_ID,
        warehouseIds: [BIG_ID],
      },
      {
        code: 999999,
        kind: 'FAILED',
        message: 'made-up failure',
        skuId: SKU_ID,
        warehouseIds: [],
      },
    ]);
  });

  it('returns per-SKU price failures', async () => {
    const { client, shopA } = await setup(() =>
      okEnvelope({ errors: [{ code: 12019045, message: 'price locked', sku_id: SKU_ID }] }),
    );

    const failures = await client.updatePrice(shopA, PRODUCT_ID, ONE_SKU_PRICE);

    expect(failures).toEqual([
      {
        code: 12019045,
        kind: 'PRICE_LOCKED',
        message: 'price locked',
        skuId: SKU_ID,
        warehouseIds: [],
      },
    ]);
  });

  it('throws on a failed envelope', async () => {
    const { client, shopA, requests } = await setup(() => ({
      body: { code: 12019028, message: 'warehouse missing', request_id: 'req-w' },
    }));

    const error = await expectTikTokError(client.updateInventory(shopA, PRODUCT_ID, ONE_SKU_STOCK));

    expect(error.kind).toBe('INVENTORY_WAREHOUSE_MISSING');
    expect(error.code).toBe(12019028);
    expect(error.requestId).toBe('req-w');
    expect(requests).toHaveLength(1);
  });
});

describe('product error kinds', () => {
  const cases: [string, number, string][] = [
    ['search', 12052180, 'SEARCH_LIMIT_EXCEEDED'],
    ['search', 12019027, 'SKU_FILTER_LIMIT_EXCEEDED'],
    ['search', 12019087, 'SKU_FILTER_LIMIT_EXCEEDED'],
    ['inventory', 12019028, 'INVENTORY_WAREHOUSE_MISSING'],
    ['price', 12019045, 'PRICE_LOCKED'],
    ['price', 12052038, 'PRICE_LOCKED'],
  ];

  for (const [call, code, kind] of cases) {
    it(`reports ${code} from ${call} as ${kind}`, async () => {
      const { client, shopA, requests } = await setup(() => ({
        body: { code, message: 'made-up refusal', request_id: 'req-k' },
      }));

      const promise =
        call === 'search'
          ? client.searchProducts(shopA, { pageSize: 10 })
          : call === 'inventory'
            ? client.updateInventory(shopA, PRODUCT_ID, ONE_SKU_STOCK)
            : client.updatePrice(shopA, PRODUCT_ID, ONE_SKU_PRICE);
      const error = await expectTikTokError(promise);

      expect(error.kind).toBe(kind);
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(false);
      expect(isPriceLocked(error)).toBe(kind === 'PRICE_LOCKED');
      expect(requests).toHaveLength(1);
    });
  }
});

describe('idempotent write retries', () => {
  it('retries an inventory update after a 503', async () => {
    const { client, shopA, requests, clock } = await setup((_request, index) =>
      index === 0 ? { status: 503, body: '<html>busy</html>' } : okEnvelope({}),
    );

    const failures = await client.updateInventory(shopA, PRODUCT_ID, ONE_SKU_STOCK);

    expect(failures).toEqual([]);
    expect(requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([1_000]);
    expect(requests[1]?.body).toBe(requests[0]?.body);
    expect(requests[1]?.query.get('timestamp')).toBe('1700000001');
    expect(requests[1]?.query.get('sign')).not.toBe(requests[0]?.query.get('sign'));
    for (const request of requests) {
      expectSignedCorrectly(request);
    }
  });

  it('retries an inventory update after code 36009003', async () => {
    const { client, shopA, requests } = await setup((_request, index) =>
      index === 0
        ? { body: { code: 36009003, message: 'Internal error', request_id: 'req-1' } }
        : okEnvelope({}),
    );

    await client.updateInventory(shopA, PRODUCT_ID, ONE_SKU_STOCK);

    expect(requests).toHaveLength(2);
  });

  it('retries a timed-out price update', async () => {
    const { client, shopA, requests } = await setup(
      (_request, index) => (index === 0 ? { ...okEnvelope({}), delayMs: 400 } : okEnvelope({})),
      { timeoutMs: 50 },
    );

    await client.updatePrice(shopA, PRODUCT_ID, ONE_SKU_PRICE);

    expect(requests).toHaveLength(2);
    expect(requests[1]?.body).toBe(requests[0]?.body);
  });

  it('keeps the kind after the last retry', async () => {
    const { client, shopA, requests } = await setup(() => ({ status: 500, body: 'oops' }), {
      maxRetries: 2,
    });

    const error = await expectTikTokError(client.updateInventory(shopA, PRODUCT_ID, ONE_SKU_STOCK));

    expect(error.kind).toBe('SERVER_ERROR');
    expect(error.outcome).toBeUndefined();
    expect(requests).toHaveLength(3);
  });

  it('still reports other writes as unknown outcome', async () => {
    const { client, shopA, requests } = await setup(() => ({ status: 503, body: '' }));

    const error = await expectTikTokError(
      client.callApi({
        method: 'POST',
        path: '/product/202309/products/{product_id}/inventory/update',
        pathParams: { product_id: PRODUCT_ID },
        body: { skus: [] },
        shopId: SHOP_A,
        shopCipher: CIPHER_A,
        tokenProvider: shopA.tokenProvider,
      }),
    );

    expect(error.kind).toBe('UNKNOWN_OUTCOME');
    expect(requests).toHaveLength(1);
  });
});

describe('product argument limits', () => {
  it('rejects page sizes outside 1-100', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({}));

    for (const pageSize of [0, 101, 1.5]) {
      const error = await expectTikTokError(client.searchProducts(shopA, { pageSize }));
      expect(error.kind).toBe('REQUEST_INVALID');
    }
    expect(requests).toHaveLength(0);
  });

  it('rejects more than 10 seller SKUs', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ products: [] }));
    const sellerSkus = Array.from({ length: 11 }, (_unused, i) => `MUG-${i}`);

    const error = await expectTikTokError(
      client.searchProducts(shopA, { pageSize: 10, filters: { sellerSkus } }),
    );

    expect(error.kind).toBe('SKU_FILTER_LIMIT_EXCEEDED');
    expect(error.code).toBeNull();
    expect(error.message).toMatch(/sellerSkus takes at most 10 values, got 11/);
    expect(error.message).toContain('12019027');
    expect(requests).toHaveLength(0);
    await client.searchProducts(shopA, {
      pageSize: 10,
      filters: { sellerSkus: sellerSkus.slice(1) },
    });
    expect(requests).toHaveLength(1);
  });

  it('rejects more than 10 SKU ids', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ products: [] }));
    const skuIds = ids(11, 1729000000000000101n);

    const error = await expectTikTokError(
      client.searchProducts(shopA, { pageSize: 10, filters: { skuIds } }),
    );

    expect(error.kind).toBe('SKU_FILTER_LIMIT_EXCEEDED');
    expect(error.message).toMatch(/skuIds takes at most 10 values, got 11/);
    expect(error.message).toContain('12019087');
    expect(requests).toHaveLength(0);
    await client.searchProducts(shopA, { pageSize: 10, filters: { skuIds: skuIds.slice(1) } });
    expect(requests).toHaveLength(1);
  });

  it('rejects invalid search times', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({}));

    for (const updateTimeLeMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await expectTikTokError(
        client.searchProducts(shopA, { pageSize: 10, filters: { updateTimeLeMs } }),
      );
      expect(error.kind).toBe('REQUEST_INVALID');
      expect(error.message).toContain('updateTimeLeMs');
    }
    expect(requests).toHaveLength(0);
  });

  it('rejects a non-numeric product id', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({}));

    await expect(client.getProduct(shopA, '12/34')).rejects.toThrow(/expected a string of digits/);
    await expect(client.getProduct(shopA, '')).rejects.toThrow(/expected a string of digits/);
    await expect(client.updateInventory(shopA, 'abc', ONE_SKU_STOCK)).rejects.toThrow(
      /expected a string of digits/,
    );
    await expect(client.updatePrice(shopA, 'abc', ONE_SKU_PRICE)).rejects.toThrow(
      /expected a string of digits/,
    );
    expect(requests).toHaveLength(0);
  });

  it('limits inventory search to 100 products', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ inventory: [] }));
    const productIds = ids(101, 1729000000000000001n);

    await expect(client.searchInventory(shopA, { productIds })).rejects.toThrow(
      /productIds takes 1 to 100 ids, got 101/,
    );
    await expect(client.searchInventory(shopA, { productIds: [] })).rejects.toThrow(/1 to 100/);
    expect(requests).toHaveLength(0);
    await client.searchInventory(shopA, { productIds: productIds.slice(1) });
    expect(requests).toHaveLength(1);
  });

  it('limits inventory search to 600 SKUs', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ inventory: [] }));
    const skuIds = ids(601, 1729000000000000101n);

    const error = await expectTikTokError(client.searchInventory(shopA, { skuIds }));

    expect(error.kind).toBe('REQUEST_INVALID');
    expect(error.message).toMatch(/skuIds takes 1 to 600 ids, got 601/);
    expect(requests).toHaveLength(0);
    await client.searchInventory(shopA, { skuIds: skuIds.slice(1) });
    expect(requests).toHaveLength(1);
  });

  it('rejects an ambiguous inventory search', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({ inventory: [] }));
    const both = { productIds: [PRODUCT_ID], skuIds: [SKU_ID] } as unknown as { skuIds: string[] };

    await expect(client.searchInventory(shopA, both)).rejects.toThrow(/not both/);
    await expect(client.searchInventory(shopA, {} as { skuIds: string[] })).rejects.toThrow(
      /requires productIds or skuIds/,
    );
    await expect(client.searchInventory(shopA, { skuIds: ['1,2'] })).rejects.toThrow(
      /expected a string of digits/,
    );
    expect(requests).toHaveLength(0);
  });

  it('rejects invalid quantities', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({}));

    for (const quantity of [
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '3' as unknown as number,
    ]) {
      const error = await expectTikTokError(
        client.updateInventory(shopA, PRODUCT_ID, [
          { id: SKU_ID, inventory: [{ warehouseId: WAREHOUSE_ID, quantity }] },
        ]),
      );
      expect(error.kind).toBe('REQUEST_INVALID');
      expect(error.message).toContain('non-negative integer');
    }
    expect(requests).toHaveLength(0);
  });

  it('rejects empty inventory updates', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({}));

    await expect(client.updateInventory(shopA, PRODUCT_ID, [])).rejects.toThrow(/at least one/);
    await expect(
      client.updateInventory(shopA, PRODUCT_ID, [{ id: SKU_ID, inventory: [] }]),
    ).rejects.toThrow(/every warehouse/);
    await expect(
      client.updateInventory(shopA, PRODUCT_ID, [
        { id: SKU_ID, inventory: [{ warehouseId: 'W 1', quantity: 1 }] },
      ]),
    ).rejects.toThrow(/Warehouse id/);
    expect(requests).toHaveLength(0);
  });

  it('rejects numeric and malformed amounts', async () => {
    const { client, shopA, requests } = await setup(() => okEnvelope({}));
    const badAmounts: unknown[] = [24.99, 0, '', '24.9.9', '1e3', '-1', '01.00', '.5', '5.', ' 5'];

    for (const amount of badAmounts) {
      const price = { amount: amount as string, currency: 'GBP' };
      const error = await expectTikTokError(
        client.updatePrice(shopA, PRODUCT_ID, [{ id: SKU_ID, price }]),
      );
      expect(error.kind).toBe('REQUEST_INVALID');
      expect(error.message).toContain('decimal string');
    }
    const numericSalePrice = {
      amount: '24.99',
      currency: 'GBP',
      salePrice: 20 as unknown as string,
    };
    await expect(
      client.updatePrice(shopA, PRODUCT_ID, [{ id: SKU_ID, price: numericSalePrice }]),
    ).rejects.toThrow(/salePrice of SKU .* the number 20/);
    await expect(
      client.updatePrice(shopA, PRODUCT_ID, [
        { id: SKU_ID, price: { amount: '1', currency: 'gbp' } },
      ]),
    ).rejects.toThrow(/ISO 4217/);
    await expect(client.updatePrice(shopA, PRODUCT_ID, [])).rejects.toThrow(/at least one/);
    expect(requests).toHaveLength(0);
    await client.updatePrice(shopA, PRODUCT_ID, [
      { id: SKU_ID, price: { amount: '0.50', currency: 'GBP' } },
    ]);
    expect(requests).toHaveLength(1);
  });
});
