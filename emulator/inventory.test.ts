import { afterEach, beforeEach, describe, expect, test } from 'vitest';

import type { SkuView } from './catalog.ts';
import { callApi, createAuthorizedSeller, startHarness } from './test-helpers.ts';
import type { ApiResult, AuthorizedSeller, Harness } from './test-helpers.ts';
import type { ProductRecord, ShopRecord, SkuRecord, WarehouseRecord } from './types.ts';

let harness: Harness;
let seller: AuthorizedSeller;
let us: ShopRecord;
/** A US product with two SKUs in two sales warehouses (LA default with 10, NJ with 4). */
let product: ProductRecord;
let skus: SkuRecord[];
let la: string;
let nj: WarehouseRecord;

beforeEach(async () => {
  harness = await startHarness({ rateLimitPerSecond: 10_000 });
  seller = await createAuthorizedSeller(harness);
  us = seller.shops[0]!;
  const { admin } = harness.emulator;
  la = us.warehouseIds[0]!;
  nj = admin.addWarehouse(us.id, { name: 'New Jersey DC' });
  const created = admin.createProduct({
    shopId: us.id,
    title: 'Tee',
    skus: ['S', 'M'].map((size) => ({
      sellerSku: `TEE-${size}`,
      price: '19.00',
      name: size,
      inventory: [
        { warehouseId: la, quantity: 10 },
        { warehouseId: nj.id, quantity: 4 },
      ],
    })),
  });
  product = created.product;
  skus = created.skus;
});
afterEach(async () => harness.close());

function api(path: string, body: object, shop: ShopRecord = us): Promise<ApiResult> {
  return callApi(harness, {
    path,
    body: JSON.stringify(body),
    token: seller.accessToken,
    shopCipher: shop.cipher,
  });
}

function updateInventory(body: object, productId = product.id): Promise<ApiResult> {
  return api(`/product/202309/products/${productId}/inventory/update`, body);
}

function updatePrices(body: object, productId = product.id): Promise<ApiResult> {
  return api(`/product/202309/products/${productId}/prices/update`, body);
}

function skuView(skuId: string): SkuView {
  return harness.emulator.admin.getProduct(product.id).skus.find((sku) => sku.id === skuId)!;
}

function warehouseView(skuId: string, warehouseId: string) {
  return skuView(skuId).inventory.find((entry) => entry.warehouseId === warehouseId)!;
}

describe('Inventory Search', () => {
  test('by product_ids returns every SKU', async () => {
    const result = await api('/product/202309/inventory/search', { product_ids: [product.id] });
    expect(result.body.code).toBe(0);
    expect(result.body.data).toEqual({
      inventory: [
        {
          product_id: product.id,
          skus: skus.map((sku) => ({
            id: sku.id,
            seller_sku: sku.sellerSku,
            total_available_quantity: 14,
            total_committed_quantity: 0,
            warehouse_inventory: [
              { warehouse_id: la, available_quantity: 10, committed_quantity: 0 },
              { warehouse_id: nj.id, available_quantity: 4, committed_quantity: 0 },
            ],
          })),
        },
      ],
    });
  });

  test('sku_ids win over product_ids', async () => {
    const mug = harness.emulator.admin.listProducts(us.id)[0]!;
    const result = await api('/product/202309/inventory/search', {
      product_ids: [mug.id],
      sku_ids: [skus[1]!.id, '1730000000000000000'],
    });
    const data = result.body.data as {
      inventory: { product_id: string; skus: { id: string }[] }[];
    };
    expect(data.inventory).toHaveLength(1);
    expect(data.inventory[0]!.product_id).toBe(product.id);
    expect(data.inventory[0]!.skus.map((sku) => sku.id)).toEqual([skus[1]!.id]);
  });

  test('id limits and a missing filter', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => String(1729e15 + i));
    const tooManyProducts = await api('/product/202309/inventory/search', {
      product_ids: ids(101),
    });
    expect(tooManyProducts.body.code).toBe(36009004);
    expect(tooManyProducts.body.message).toMatch(/at most 100/);
    const tooManySkus = await api('/product/202309/inventory/search', { sku_ids: ids(601) });
    expect(tooManySkus.body.message).toMatch(/at most 600/);
    expect((await api('/product/202309/inventory/search', { sku_ids: ids(600) })).body.code).toBe(
      0,
    );
    const none = await api('/product/202309/inventory/search', {});
    expect(none.body.message).toMatch(/product_ids or sku_ids is required/);
  });
});

describe('Update Inventory', () => {
  test('sets every warehouse of every SKU', async () => {
    const before = harness.emulator.admin.getProduct(product.id).updateTime;
    harness.clock.advance(5_000);
    const result = await updateInventory({
      skus: skus.map((sku) => ({
        id: sku.id,
        inventory: [
          { warehouse_id: la, quantity: 25 },
          { warehouse_id: nj.id, quantity: 0 },
        ],
      })),
    });
    expect(result.body.code).toBe(0);
    expect(result.body.data).toEqual({});
    expect(warehouseView(skus[0]!.id, la).quantity).toBe(25);
    expect(warehouseView(skus[1]!.id, nj.id).quantity).toBe(0);
    expect(harness.emulator.admin.getProduct(product.id).updateTime).toBe(before + 5);
  });

  test('a left-out warehouse gets 12019028 for that SKU only', async () => {
    const result = await updateInventory({
      skus: [
        { id: skus[0]!.id, inventory: [{ warehouse_id: la, quantity: 1 }] },
        {
          id: skus[1]!.id,
          inventory: [
            { warehouse_id: la, quantity: 2 },
            { warehouse_id: nj.id, quantity: 3 },
          ],
        },
      ],
    });
    expect(result.body.code).toBe(0);
    expect(result.body.data).toEqual({
      errors: [
        {
          code: 12019028,
          message: expect.stringMatching(/leaves out 1 of its warehouses/),
          detail: {
            sku_id: skus[0]!.id,
            extra_errors: [{ warehouse_id: nj.id, code: 12019028, message: expect.any(String) }],
          },
        },
      ],
    });
    expect(warehouseView(skus[0]!.id, la).quantity).toBe(10);
    expect(warehouseView(skus[1]!.id, la).quantity).toBe(2);
    expect(warehouseView(skus[1]!.id, nj.id).quantity).toBe(3);
  });

  test('warehouse_id may be left out only with one warehouse', async () => {
    const mug = harness.emulator.admin.listProducts(us.id)[0]!;
    const single = await updateInventory(
      { skus: [{ id: mug.skus[0]!.id, inventory: [{ quantity: 42 }] }] },
      mug.id,
    );
    expect(single.body.data).toEqual({});
    expect(harness.emulator.admin.getProduct(mug.id).skus[0]!.quantity).toBe(42);

    const double = await updateInventory({
      skus: [{ id: skus[0]!.id, inventory: [{ quantity: 42 }] }],
    });
    const errors = (double.body.data as { errors: { code: number }[] }).errors;
    expect(errors[0]!.code).toBe(12019028);
  });

  test.each<[unknown, string]>([
    [-1, 'negative'],
    [1.5, 'fraction'],
    ['5', 'string'],
    [1_000_000, 'over the maximum'],
  ])('quantity %s (%s) fails that SKU', async (quantity) => {
    const result = await updateInventory({
      skus: [
        {
          id: skus[0]!.id,
          inventory: [
            { warehouse_id: la, quantity },
            { warehouse_id: nj.id, quantity: 1 },
          ],
        },
      ],
    });
    const errors = (
      result.body.data as {
        errors: { code: number; detail: { extra_errors: { warehouse_id: string }[] } }[];
      }
    ).errors;
    expect(errors[0]!.code).toBe(36009004);
    expect(errors[0]!.detail.extra_errors.map((e) => e.warehouse_id)).toEqual([la]);
    expect(warehouseView(skus[0]!.id, nj.id).quantity).toBe(4);
  });

  test('a SKU of another product fails alone', async () => {
    const mug = harness.emulator.admin.listProducts(us.id)[0]!;
    const result = await updateInventory({
      skus: [{ id: mug.skus[0]!.id, inventory: [{ warehouse_id: la, quantity: 1 }] }],
    });
    expect(result.body.code).toBe(0);
    expect(result.body.data).toEqual({
      errors: [
        {
          code: 36009004,
          message: `SKU ${mug.skus[0]!.id} does not belong to product ${product.id}`,
          detail: { sku_id: mug.skus[0]!.id },
        },
      ],
    });
  });

  test('an unassigned warehouse fails the SKU', async () => {
    const result = await updateInventory({
      skus: [
        {
          id: skus[0]!.id,
          inventory: [
            { warehouse_id: la, quantity: 1 },
            { warehouse_id: nj.id, quantity: 1 },
            { warehouse_id: us.warehouseIds[1]!, quantity: 1 },
          ],
        },
      ],
    });
    const errors = (result.body.data as { errors: { detail: { extra_errors: unknown[] } }[] })
      .errors;
    expect(errors[0]!.detail.extra_errors).toEqual([
      {
        warehouse_id: us.warehouseIds[1],
        code: 36009004,
        message: expect.stringMatching(/not assigned/),
      },
    ]);
  });

  test.each(['FREEZE', 'DELETED'] as const)('a %s product fails the call', async (status) => {
    harness.emulator.admin.setProductStatus(product.id, status);
    const result = await updateInventory({
      skus: [{ id: skus[0]!.id, inventory: [{ warehouse_id: la, quantity: 1 }] }],
    });
    expect(result.body.code).toBe(36009004);
    expect(result.body.message).toMatch(new RegExp(`is ${status}`));
    expect(result.body.data).toBeNull();
  });

  test('unknown product and a malformed body fail the call', async () => {
    const unknown = await updateInventory({ skus: [] }, '1729000000000000000');
    expect(unknown.body.message).toMatch(/not found in this shop/);
    const empty = await updateInventory({ skus: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/skus is missing/);
    const twice = await updateInventory({
      skus: [
        { id: skus[0]!.id, inventory: [{ warehouse_id: la, quantity: 1 }] },
        { id: skus[0]!.id, inventory: [{ warehouse_id: la, quantity: 1 }] },
      ],
    });
    expect(twice.body.message).toMatch(/twice/);
  });
});

describe('committed stock through an order', () => {
  test('commits, releases and ships at the default warehouse', async () => {
    const { admin } = harness.emulator;
    const sku = skus[0]!;
    const order = admin.createOrder({ shopId: us.id, items: [{ skuId: sku.id, quantity: 3 }] });
    expect(order.status).toBe('UNPAID');
    expect(warehouseView(sku.id, la)).toEqual({
      warehouseId: la,
      quantity: 10,
      committed: 3,
      available: 7,
    });
    expect(warehouseView(sku.id, nj.id).committed).toBe(0);

    // The seller pushes the physical count, and the open order's units are not counted twice.
    await updateInventory({
      skus: [
        {
          id: sku.id,
          inventory: [
            { warehouse_id: la, quantity: 10 },
            { warehouse_id: nj.id, quantity: 4 },
          ],
        },
      ],
    });
    const search = await api('/product/202309/inventory/search', { sku_ids: [sku.id] });
    const found = (
      search.body.data as {
        inventory: {
          skus: { total_available_quantity: number; total_committed_quantity: number }[];
        }[];
      }
    ).inventory[0]!.skus[0]!;
    expect(found.total_available_quantity).toBe(11);
    expect(found.total_committed_quantity).toBe(3);

    admin.moveOrder(order.id, 'AWAITING_SHIPMENT');
    admin.shipOrder(order.id, [order.lineItems[0]!.id]);
    expect(order.status).toBe('PARTIALLY_SHIPPING');
    expect(warehouseView(sku.id, la)).toMatchObject({ quantity: 9, committed: 2, available: 7 });
    admin.moveOrder(order.id, 'IN_TRANSIT');
    expect(warehouseView(sku.id, la)).toMatchObject({ quantity: 7, committed: 0, available: 7 });
    admin.moveOrder(order.id, 'COMPLETED');
    expect(warehouseView(sku.id, la)).toMatchObject({ quantity: 7, committed: 0 });
  });

  test('cancel releases the unshipped units only', () => {
    const { admin } = harness.emulator;
    const sku = skus[1]!;
    const order = admin.createOrder({ shopId: us.id, items: [{ skuId: sku.id, quantity: 2 }] });
    admin.moveOrder(order.id, 'AWAITING_SHIPMENT');
    admin.shipOrder(order.id, [order.lineItems[0]!.id]);
    expect(warehouseView(sku.id, la)).toMatchObject({ quantity: 9, committed: 1 });
    admin.cancelOrder(order.id);
    expect(warehouseView(sku.id, la)).toMatchObject({ quantity: 9, committed: 0, available: 9 });

    const unpaid = admin.createOrder({ shopId: us.id, items: [{ skuId: sku.id }] });
    expect(warehouseView(sku.id, la).committed).toBe(1);
    admin.cancelOrder(unpaid.id);
    expect(warehouseView(sku.id, la).committed).toBe(0);
  });

  test('available never goes below zero', () => {
    const { admin } = harness.emulator;
    const sku = skus[0]!;
    admin.setSkuInventory(sku.id, [{ warehouseId: la, quantity: 1 }]);
    admin.createOrder({ shopId: us.id, items: [{ skuId: sku.id, quantity: 3 }] });
    expect(warehouseView(sku.id, la)).toMatchObject({ quantity: 1, committed: 3, available: 0 });
    expect(skuView(sku.id)).toMatchObject({ quantity: 5, committed: 3, available: 4 });
  });

  test('backdated orders move stock too', () => {
    const { admin } = harness.emulator;
    const sku = skus[0]!;
    const now = Math.floor(harness.clock.now() / 1000);
    admin.createOrders([
      { shopId: us.id, items: [{ skuId: sku.id }], createTime: now - 3600, status: 'COMPLETED' },
      { shopId: us.id, items: [{ skuId: sku.id }], createTime: now - 600 },
    ]);
    expect(warehouseView(sku.id, la)).toMatchObject({ quantity: 9, committed: 1, available: 8 });
  });
});

describe('Update Price', () => {
  test('sets the sale price and list price', async () => {
    harness.clock.advance(2_000);
    const result = await updatePrices({
      skus: [
        {
          id: skus[0]!.id,
          price: { amount: '17.50', currency: 'USD' },
          list_price: { amount: '25.00', currency: 'USD' },
        },
      ],
    });
    expect(result.body.code).toBe(0);
    expect(result.body.data).toEqual({});
    expect(skuView(skus[0]!.id)).toMatchObject({ price: '17.50', listPrice: '25.00' });
    expect(skuView(skus[1]!.id).price).toBe('19.00');
    const detail = await callApi(harness, {
      path: `/product/202309/products/${product.id}`,
      token: seller.accessToken,
      shopCipher: us.cipher,
    });
    const sku = (detail.body.data as { skus: Record<string, unknown>[] }).skus[0]!;
    expect(sku.price).toEqual({ currency: 'USD', sale_price: '17.50' });
    expect(sku.list_price).toEqual({ amount: '25.00', currency: 'USD' });
    // A new order uses the new price.
    const order = harness.emulator.admin.createOrder({
      shopId: us.id,
      items: [{ skuId: skus[0]!.id }],
    });
    expect(order.lineItems[0]!.originalPriceMinor).toBe(1750);
  });

  test.each([
    [{ amount: '17.505', currency: 'USD' }, /at most 2 decimals/],
    [{ amount: '0', currency: 'USD' }, /positive decimal/],
    [{ amount: '-1.00', currency: 'USD' }, /positive decimal/],
    [{ amount: 17.5, currency: 'USD' }, /decimal string/],
    [{ amount: '17.50', currency: 'GBP' }, /sells in USD/],
  ])('rejects price %o', async (price, message) => {
    const result = await updatePrices({ skus: [{ id: skus[0]!.id, price }] });
    expect(result.body.code).toBe(36009004);
    expect(result.body.message).toMatch(message);
    expect(skuView(skus[0]!.id).price).toBe('19.00');
  });

  test('one bad SKU fails the whole call', async () => {
    const result = await updatePrices({
      skus: [
        { id: skus[0]!.id, price: { amount: '1.00', currency: 'USD' } },
        { id: skus[1]!.id, price: { amount: '1.001', currency: 'USD' } },
      ],
    });
    expect(result.body.code).toBe(36009004);
    expect(skuView(skus[0]!.id).price).toBe('19.00');
  });

  test('product must be ACTIVATE', async () => {
    harness.emulator.admin.setProductStatus(product.id, 'SELLER_DEACTIVATED');
    const result = await updatePrices({
      skus: [{ id: skus[0]!.id, price: { amount: '1.00', currency: 'USD' } }],
    });
    expect(result.body.code).toBe(36009004);
    expect(result.body.message).toMatch(/SELLER_DEACTIVATED/);
  });

  test('SKU of another product is rejected', async () => {
    const mug = harness.emulator.admin.listProducts(us.id)[0]!;
    const result = await updatePrices({
      skus: [{ id: mug.skus[0]!.id, price: { amount: '1.00', currency: 'USD' } }],
    });
    expect(result.body.message).toMatch(/does not belong/);
  });

  test.each([12019045, 12052038] as const)('a price lock answers %i', async (code) => {
    const { admin } = harness.emulator;
    admin.lockSkuPrice(skus[0]!.id, { code });
    const body = { skus: [{ id: skus[0]!.id, price: { amount: '1.00', currency: 'USD' } }] };
    const locked = await updatePrices(body);
    expect(locked.body.code).toBe(code);
    expect(locked.status).toBe(200);
    admin.unlockSkuPrice(skus[0]!.id);
    expect((await updatePrices(body)).body.code).toBe(0);
    expect(skuView(skus[0]!.id).price).toBe('1.00');
  });
});

describe('Update Price rules by market', () => {
  async function shopOf(region: string, currency: string, sellerType?: 'CROSS_BORDER') {
    const { admin } = harness.emulator;
    const shop = admin.createShop({
      sellerId: seller.seller.id,
      name: `${region} shop`,
      region,
      currency,
      sellerType,
    });
    const created = admin.createProduct({
      shopId: shop.id,
      title: 'Item',
      skus: [{ sellerSku: 'ITEM-01', price: currency === 'JPY' ? '1500' : '10.00' }],
    });
    const grant = admin.getGrant({ appKey: 'demoappkey', sellerId: seller.seller.id });
    grant.shopIds.push(shop.id);
    return { shop, product: created.product, sku: created.skus[0]! };
  }

  test('JP needs sale_price and whole yen', async () => {
    const jp = await shopOf('JP', 'JPY');
    const path = `/product/202309/products/${jp.product.id}/prices/update`;
    const missing = await api(
      path,
      { skus: [{ id: jp.sku.id, price: { amount: '1400', currency: 'JPY' } }] },
      jp.shop,
    );
    expect(missing.body.message).toMatch(/sale_price is missing/);
    const decimals = await api(
      path,
      {
        skus: [{ id: jp.sku.id, price: { amount: '1400.5', currency: 'JPY', sale_price: '1540' } }],
      },
      jp.shop,
    );
    expect(decimals.body.message).toMatch(/at most 0 decimals/);
    const ok = await api(
      path,
      { skus: [{ id: jp.sku.id, price: { amount: '1400', currency: 'JPY', sale_price: '1540' } }] },
      jp.shop,
    );
    expect(ok.body.code).toBe(0);
    const view = harness.emulator.admin.getProduct(jp.product.id).skus[0]!;
    expect(view).toMatchObject({ price: '1540', taxExclusivePrice: '1400' });
  });

  test('US cross-border needs sale_price', async () => {
    const cb = await shopOf('US', 'USD', 'CROSS_BORDER');
    const path = `/product/202309/products/${cb.product.id}/prices/update`;
    const missing = await api(
      path,
      { skus: [{ id: cb.sku.id, price: { amount: '9.00', currency: 'USD' } }] },
      cb.shop,
    );
    expect(missing.body.message).toMatch(/US CROSS_BORDER shops must send it/);
    const ok = await api(
      path,
      { skus: [{ id: cb.sku.id, price: { amount: '9.00', currency: 'USD', sale_price: '9.50' } }] },
      cb.shop,
    );
    expect(ok.body.code).toBe(0);
  });
});
