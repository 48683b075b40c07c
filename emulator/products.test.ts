import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import type { EmulatorOptions } from './emulator.ts';
import { callApi, createAuthorizedSeller, startHarness } from './test-helpers.ts';
import type { ApiResult, AuthorizedSeller, Harness } from './test-helpers.ts';
import type { ShopRecord } from './types.ts';

interface SearchData {
  products: {
    id: string;
    title: string;
    status: string;
    update_time: number;
    skus: {
      id: string;
      seller_sku: string;
      price: { currency: string; sale_price: string; tax_exclusive_price?: string };
      inventory: { warehouse_id: string; quantity: number }[];
    }[];
  }[];
  total_count: number;
  next_page_token: string;
}

let harness: Harness;
let seller: AuthorizedSeller;
let us: ShopRecord;
let uk: ShopRecord;

async function start(options: Partial<EmulatorOptions> = {}): Promise<void> {
  harness = await startHarness({ rateLimitPerSecond: 10_000, ...options });
  seller = await createAuthorizedSeller(harness);
  [us, uk] = seller.shops as [ShopRecord, ShopRecord];
}

afterEach(async () => harness.close());

function api(
  path: string,
  options: { body?: object; params?: Record<string, string>; shop?: ShopRecord } = {},
): Promise<ApiResult> {
  return callApi(harness, {
    path,
    params: options.params,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    token: seller.accessToken,
    shopCipher: (options.shop ?? us).cipher,
  });
}

function search(
  body: object,
  params: Record<string, string> = { page_size: '100' },
  version = '202502',
): Promise<ApiResult> {
  return api(`/product/${version}/products/search`, { body, params });
}

function searchData(result: ApiResult): SearchData {
  expect(result.body.code).toBe(0);
  return result.body.data as unknown as SearchData;
}

describe('warehouses', () => {
  beforeEach(() => start());

  test('default shop has sales and return warehouse', async () => {
    const result = await api('/logistics/202309/warehouses');
    expect(result.body.code).toBe(0);
    const warehouses = (result.body.data as { warehouses: Record<string, unknown>[] }).warehouses;
    expect(warehouses).toHaveLength(2);
    expect(warehouses[0]).toMatchObject({
      id: us.warehouseIds[0],
      is_default: true,
      type: 'SALES_WAREHOUSE',
      sub_type: 'DOMESTIC_WAREHOUSE',
      effect_status: 'ENABLED',
    });
    expect(warehouses[0]!.id).toMatch(/^\d{19}$/);
    expect(warehouses[0]!.entity_id).toMatch(/^\d{19}$/);
    expect(warehouses[0]!.address).toMatchObject({ region_code: 'US' });
    expect(warehouses[1]).toMatchObject({ type: 'RETURN_WAREHOUSE', is_default: true });
  });

  test('admin adds a warehouse and assigns it', async () => {
    const added = harness.emulator.admin.addWarehouse(us.id, {
      name: 'New Jersey DC',
      assignQuantity: 7,
    });
    const result = await api('/logistics/202309/warehouses');
    const warehouses = (result.body.data as { warehouses: { id: string; is_default: boolean }[] })
      .warehouses;
    expect(warehouses.map((w) => w.id)).toContain(added.id);
    expect(warehouses.find((w) => w.id === added.id)!.is_default).toBe(false);
    const product = harness.emulator.admin.listProducts(us.id)[0]!;
    expect(product.skus[0]!.inventory.map((entry) => entry.warehouseId)).toEqual([
      us.warehouseIds[0],
      added.id,
    ]);
    expect(product.skus[0]!.inventory[1]!.quantity).toBe(7);
  });
});

describe('Search Products', () => {
  beforeEach(() => start());

  test('serves every version with SKUs, price and inventory', async () => {
    for (const version of ['202502', '202309', '202312']) {
      const data = searchData(await search({}, { page_size: '10' }, version));
      expect(data.total_count).toBe(1);
      expect(data.next_page_token).toBe('');
      const product = data.products[0]!;
      expect(product).toMatchObject({ title: 'Mug', status: 'ACTIVATE' });
      expect(product.id).toMatch(/^\d{19}$/);
      expect(product.skus.map((sku) => sku.seller_sku)).toEqual(['MUG-01', 'MUG-02']);
      expect(product.skus[0]!.price).toEqual({ currency: 'USD', sale_price: '24.99' });
      expect(product.skus[0]!.inventory).toEqual([
        { warehouse_id: us.warehouseIds[0], quantity: 100 },
      ]);
    }
  });

  test('pages with opaque tokens in a stable order', async () => {
    const { admin } = harness.emulator;
    admin.generateProducts({ shopId: us.id, productCount: 25, skusPerProduct: 1 });
    const seen: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const params: Record<string, string> = { page_size: '10' };
      if (token) params.page_token = token;
      const data = searchData(await search({}, params));
      expect(data.total_count).toBe(26);
      if (data.next_page_token) {
        expect(data.next_page_token).toContain('+');
        expect(data.next_page_token).toContain('/');
      }
      seen.push(...data.products.map((p) => p.id));
      token = data.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(26);
    const sorted = admin
      .listProducts(us.id)
      .sort((a, b) => a.updateTime - b.updateTime || a.id.localeCompare(b.id));
    expect(seen).toEqual(sorted.map((p) => p.id));
  });

  test('rejects a forged page token', async () => {
    const result = await search({}, { page_size: '10', page_token: 'bm90IGEgdG9rZW4=' });
    expect(result.body.code).toBe(36009004);
    expect(result.body.message).toMatch(/page_token/);
  });

  test.each([
    [{}, /page_size is missing/],
    [{ page_size: '0' }, /between 1 and 100/],
    [{ page_size: '101' }, /between 1 and 100/],
  ])('rejects page_size %o', async (params, message) => {
    const result = await search({}, params);
    expect(result.status).toBe(400);
    expect(result.body.code).toBe(36009004);
    expect(result.body.message).toMatch(message);
  });

  test('status ALL leaves out DELETED', async () => {
    const { admin } = harness.emulator;
    const make = (title: string) =>
      admin.createProduct({ shopId: us.id, title, skus: [{ sellerSku: title, price: '1.00' }] })
        .product;
    const deleted = make('DEL-1');
    const frozen = make('FRZ-1');
    admin.setProductStatus(deleted.id, 'DELETED');
    admin.setProductStatus(frozen.id, 'FREEZE');

    const all = searchData(await search({}));
    expect(all.products.map((p) => p.id)).not.toContain(deleted.id);
    expect(all.total_count).toBe(2);
    const onlyDeleted = searchData(await search({ status: 'DELETED' }));
    expect(onlyDeleted.products.map((p) => p.id)).toEqual([deleted.id]);
    const onlyFrozen = searchData(await search({ status: 'FREEZE' }));
    expect(onlyFrozen.products.map((p) => p.id)).toEqual([frozen.id]);
    const invalid = await search({ status: 'LIVE' });
    expect(invalid.body.code).toBe(36009004);
  });

  test('filters by seller_skus and sku_ids', async () => {
    const { admin } = harness.emulator;
    const other = admin.createProduct({
      shopId: us.id,
      title: 'Lamp',
      skus: [{ sellerSku: 'LAMP-01', price: '34.99' }],
    });
    const bySellerSku = searchData(await search({ seller_skus: ['LAMP-01'] }));
    expect(bySellerSku.products.map((p) => p.id)).toEqual([other.product.id]);
    const bySkuId = searchData(await search({ sku_ids: [other.skus[0]!.id] }));
    expect(bySkuId.products.map((p) => p.id)).toEqual([other.product.id]);
    const none = searchData(await search({ seller_skus: ['NOPE'] }));
    expect(none.total_count).toBe(0);
  });

  test('more than 10 seller_skus gets 12019027', async () => {
    const skus = Array.from({ length: 11 }, (_, i) => `S-${i}`);
    const result = await search({ seller_skus: skus });
    expect(result.body.code).toBe(12019027);
    expect(result.body.data).toBeNull();
    expect((await search({ seller_skus: skus.slice(0, 10) })).body.code).toBe(0);
  });

  test('more than 10 sku_ids gets 12019087', async () => {
    const ids = Array.from({ length: 11 }, (_, i) => `17300000000000000${i + 10}`);
    expect((await search({ sku_ids: ids })).body.code).toBe(12019087);
    expect((await search({ sku_ids: ids.slice(0, 10) })).body.code).toBe(0);
  });

  test('time windows are inclusive at both ends', async () => {
    const { admin } = harness.emulator;
    const now = Math.floor(harness.clock.now() / 1000);
    const [first, second] = admin.createProducts([
      { shopId: us.id, title: 'A', skus: [{ sellerSku: 'A', price: '1' }], createTime: now - 100 },
      { shopId: us.id, title: 'B', skus: [{ sellerSku: 'B', price: '1' }], createTime: now - 50 },
    ]);
    const window = searchData(
      await search({ update_time_ge: now - 100, update_time_le: now - 50 }),
    );
    expect(window.products.map((p) => p.id)).toEqual([first!.id, second!.id]);
    const created = searchData(
      await search({ create_time_ge: now - 99, create_time_le: now - 50 }),
    );
    expect(created.products.map((p) => p.id)).toEqual([second!.id]);
    // A missing end means now, inclusive, so the product created this second is found.
    const openEnd = searchData(await search({ update_time_ge: now }));
    expect(openEnd.products.map((p) => p.title)).toEqual(['Mug']);
    const invalid = await search({ update_time_ge: -1 });
    expect(invalid.body.code).toBe(36009004);
  });

  test('other shops products stay out', async () => {
    const result = await api('/product/202502/products/search', {
      body: {},
      params: { page_size: '10' },
      shop: uk,
    });
    const data = searchData(result);
    expect(data.products[0]!.skus[0]!.price.currency).toBe('GBP');
    expect(data.total_count).toBe(1);
  });
});

describe('Search Products result limit', () => {
  beforeEach(() => start({ productSearchResultLimit: 50 }));

  test('a page past the limit gets 12052180', async () => {
    harness.emulator.admin.generateProducts({
      shopId: us.id,
      productCount: 119,
      skusPerProduct: 1,
      stepSeconds: 60,
    });
    const first = searchData(await search({}, { page_size: '50' }));
    expect(first.total_count).toBe(120);
    const second = await search({}, { page_size: '50', page_token: first.next_page_token });
    expect(second.body.code).toBe(12052180);
    expect(second.body.message).toMatch(/update_time/);
    expect((await search({}, { page_size: '100' })).body.code).toBe(12052180);
  });

  test('update-time windows walk all 120 products', async () => {
    harness.emulator.admin.generateProducts({
      shopId: us.id,
      productCount: 120,
      skusPerProduct: 2,
      stepSeconds: 60,
    });
    const now = Math.floor(harness.clock.now() / 1000);
    const seen = new Set<string>();
    const windowSeconds = 40 * 60;
    for (let end = now; end > now - 3 * 3600; end -= windowSeconds) {
      let token = '';
      do {
        const params: Record<string, string> = { page_size: '20' };
        if (token) params.page_token = token;
        const data = searchData(
          await search({ update_time_ge: end - windowSeconds + 1, update_time_le: end }, params),
        );
        expect(data.total_count).toBeLessThanOrEqual(50);
        for (const product of data.products) seen.add(product.id);
        token = data.next_page_token;
      } while (token);
    }
    expect(seen.size).toBe(121);
  });
});

describe('Get Product', () => {
  beforeEach(() => start());

  test('returns the full product in 202309 and 202509', async () => {
    const product = harness.emulator.admin.listProducts(us.id)[0]!;
    for (const version of ['202309', '202509']) {
      const result = await api(`/product/${version}/products/${product.id}`);
      expect(result.body.code).toBe(0);
      expect(result.body.data).toMatchObject({
        id: product.id,
        title: 'Mug',
        status: 'ACTIVATE',
        audit: { status: 'APPROVED' },
        sales_regions: ['US'],
        is_not_for_sale: false,
        create_time: product.createTime,
        update_time: product.updateTime,
      });
      const skus = (result.body.data as { skus: { id: string; inventory: unknown[] }[] }).skus;
      expect(skus.map((sku) => sku.id)).toEqual(product.skus.map((sku) => sku.id));
      expect(skus[0]!.inventory).toEqual([{ warehouse_id: us.warehouseIds[0], quantity: 100 }]);
    }
  });

  test('unknown and foreign ids are not found', async () => {
    const foreign = harness.emulator.admin.listProducts(uk.id)[0]!;
    for (const id of ['1729000000000000000', foreign.id]) {
      const result = await api(`/product/202309/products/${id}`);
      expect(result.status).toBe(200);
      expect(result.body.code).toBe(36009004);
      expect(result.body.message).toMatch(/not found in this shop/);
    }
    const invalid = await api('/product/202309/products/abc');
    expect(invalid.body.message).toMatch(/product_id abc is invalid/);
  });

  test('wrong method and version', async () => {
    const product = harness.emulator.admin.listProducts(us.id)[0]!;
    const search = await callApi(harness, {
      method: 'GET',
      path: '/product/202309/products/search',
      token: seller.accessToken,
      shopCipher: us.cipher,
    });
    expect(search.body.code).toBe(36009010);
    const version = await api(`/product/202502/products/${product.id}`);
    expect(version.body.code).toBe(36009014);
    const posted = await api(`/product/202309/products/${product.id}`, { body: {} });
    expect(posted.body.code).toBe(36009010);
  });

  test('is signed, rate-limited and fault-injectable', async () => {
    const product = harness.emulator.admin.listProducts(us.id)[0]!;
    const path = `/product/202309/products/${product.id}`;
    const badSign = await callApi(harness, {
      path,
      token: seller.accessToken,
      shopCipher: us.cipher,
      sign: 'f'.repeat(64),
    });
    expect(badSign.body.code).toBe(106001);
    const noCipher = await callApi(harness, { path, token: seller.accessToken });
    expect(noCipher.body.code).toBe(106013);

    harness.emulator.admin.addApiFault({
      kind: 'server_error',
      status: 503,
      next: 1,
      path: '/product/202309/products/{product_id}',
    });
    const failed = await api(path);
    expect(failed.status).toBe(503);
    expect(failed.body.code).toBe(36009003);
    expect((await api(path)).body.code).toBe(0);
  });
});

describe('rate limit on product endpoints', () => {
  beforeEach(async () => {
    harness = await startHarness({ rateLimitPerSecond: 2 });
    seller = await createAuthorizedSeller(harness);
    [us, uk] = seller.shops as [ShopRecord, ShopRecord];
  });

  test('third call in a second gets 429', async () => {
    const product = harness.emulator.admin.listProducts(us.id)[0]!;
    const path = `/product/202309/products/${product.id}`;
    expect((await api(path)).status).toBe(200);
    expect((await api(path)).status).toBe(200);
    const limited = await api(path);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe(36009002);
  });
});
