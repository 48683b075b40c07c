import { AdminError } from './admin-error.ts';
import type { EmulatorContext } from './context.ts';
import { nowSeconds } from './context.ts';
import { MAX_WAREHOUSE_QUANTITY, availableQuantity, stockTotals } from './inventory.ts';
import { formatMinor, parseMajor } from './money.ts';
import {
  emitAuditStatusChange,
  emitProductCreation,
  emitProductInformationChange,
  emitProductStatusChange,
} from './product-webhooks.ts';
import type { ProductWebhookSender } from './product-webhooks.ts';
import { salesWarehouses } from './warehouses.ts';
import type {
  AuditStatus,
  PriceLockCode,
  ProductRecord,
  ProductStatus,
  ProductType,
  ShopRecord,
  SkuRecord,
} from './types.ts';
import { AUDIT_STATUSES, PRODUCT_STATUSES } from './types.ts';

/** Units per warehouse of a new SKU when the admin call gives none. */
export const DEFAULT_SKU_QUANTITY = 100;

/** Stock of one SKU in one warehouse, as admin calls take it. */
export interface WarehouseQuantityInput {
  warehouseId: string;
  quantity: number;
}

export interface CreateSkuInput {
  sellerSku: string;
  /** Sale price as a decimal string in the shop's currency. */
  price: string;
  /** Variant name, e.g. "M". @default 'Default' */
  name?: string;
  /** List (strikethrough) price as a decimal string. */
  listPrice?: string;
  /** Units in each sales warehouse when `inventory` is not given. @default 100 */
  quantity?: number;
  /**
   * Warehouses assigned to the SKU and their units. Orders commit stock at the first one.
   * @default every sales warehouse of the shop, the default one first, with `quantity` units
   */
  inventory?: WarehouseQuantityInput[];
}

export interface CreateProductInput {
  shopId: string;
  title: string;
  skus: CreateSkuInput[];
  /** @default 'ACTIVATE' */
  status?: ProductStatus;
  /** @default 'APPROVED' */
  auditStatus?: AuditStatus;
  /** @default [the shop's region] */
  salesRegions?: string[];
  /** @default [] */
  productTypes?: ProductType[];
  /** A gift-with-purchase-only product. @default false */
  isNotForSale?: boolean;
  /** Unix seconds, now by default. A backdated product sends no PRODUCT_CREATION webhook. */
  createTime?: number;
}

/** Many generated products of one shop, with update times spread for window tests. */
export interface GenerateProductsInput {
  shopId: string;
  productCount: number;
  skusPerProduct: number;
  /** Titles are "<prefix> <n>". @default 'Product' */
  titlePrefix?: string;
  /** Seller SKUs are "<prefix>-<product 4 digits>-<SKU 2 digits>". @default 'GEN' */
  sellerSkuPrefix?: string;
  /** @default '10.00' */
  price?: string;
  /** Units in each sales warehouse. @default 100 */
  quantity?: number;
  /** @default 'ACTIVATE' */
  status?: ProductStatus;
  /**
   * Seconds between the create times of consecutive products. The last one is created now.
   * 0 creates all of them now, live. @default 60
   */
  stepSeconds?: number;
  /** Send PRODUCT_CREATION for products created now. @default false */
  shouldEmitWebhooks?: boolean;
}

/** One warehouse of a SKU with its stock. */
export interface SkuWarehouseView {
  warehouseId: string;
  quantity: number;
  committed: number;
  available: number;
}

/** A SKU as admin calls return it, prices as decimal strings. */
export interface SkuView {
  id: string;
  productId: string;
  sellerSku: string;
  name: string;
  currency: string;
  price: string;
  taxExclusivePrice?: string;
  listPrice?: string;
  priceLock?: { code: PriceLockCode; reason: string };
  /** Totals over the SKU's warehouses. */
  quantity: number;
  committed: number;
  available: number;
  inventory: SkuWarehouseView[];
}

/** A product as admin calls return it: a copy, with each SKU's stock worked out. */
export interface ProductView {
  id: string;
  shopId: string;
  title: string;
  status: ProductStatus;
  auditStatus: AuditStatus;
  createTime: number;
  updateTime: number;
  salesRegions: string[];
  productTypes: ProductType[];
  isNotForSale: boolean;
  skus: SkuView[];
}

/** Returns the sender that product webhooks go through. */
export function webhookSender(context: EmulatorContext): ProductWebhookSender {
  return { webhooks: context.webhooks, nowSeconds: () => nowSeconds(context) };
}

/** Creates a product with its SKUs. A live one (not backdated) sends PRODUCT_CREATION. */
export function createProduct(
  context: EmulatorContext,
  shop: ShopRecord,
  input: CreateProductInput,
  shouldEmit: boolean,
): { product: ProductRecord; skus: SkuRecord[] } {
  const { store } = context;
  if (!input.title) throw new AdminError(400, 'product title is missing');
  if (!Array.isArray(input.skus) || input.skus.length === 0) {
    throw new AdminError(400, 'a product needs at least one SKU');
  }
  const status = input.status ?? 'ACTIVATE';
  if (!PRODUCT_STATUSES.includes(status)) {
    throw new AdminError(
      400,
      `product status ${status} is invalid: use one of ${PRODUCT_STATUSES}`,
    );
  }
  const auditStatus = input.auditStatus ?? 'APPROVED';
  if (!AUDIT_STATUSES.includes(auditStatus)) {
    throw new AdminError(
      400,
      `audit status ${auditStatus} is invalid: use one of ${AUDIT_STATUSES}`,
    );
  }
  const now = nowSeconds(context);
  const createTime = input.createTime ?? now;
  if (!Number.isSafeInteger(createTime) || createTime < 0 || createTime > now) {
    throw new AdminError(400, `createTime ${createTime} is invalid: use Unix seconds up to now`);
  }
  const warehouses = salesWarehouses(store, shop.id);
  const product: ProductRecord = {
    id: store.newId('product'),
    shopId: shop.id,
    title: input.title,
    skuIds: [],
    status,
    auditStatus,
    createTime,
    updateTime: createTime,
    salesRegions: input.salesRegions ?? [shop.region],
    productTypes: input.productTypes ?? [],
    isNotForSale: input.isNotForSale ?? false,
  };
  const skus = input.skus.map((sku): SkuRecord => {
    const inventory =
      sku.inventory ??
      warehouses.map((w) => ({
        warehouseId: w.id,
        quantity: sku.quantity ?? DEFAULT_SKU_QUANTITY,
      }));
    checkInventoryInput(context, shop, inventory, `SKU ${sku.sellerSku}`);
    return {
      id: store.newId('sku'),
      productId: product.id,
      shopId: shop.id,
      sellerSku: sku.sellerSku,
      name: sku.name ?? 'Default',
      priceMinor: parseAdminPrice(sku.price, shop, sku.sellerSku),
      listPriceMinor:
        sku.listPrice === undefined
          ? undefined
          : parseAdminPrice(sku.listPrice, shop, sku.sellerSku),
      inventory: inventory.map((entry) => ({ ...entry, committed: 0 })),
    };
  });
  for (const sku of skus) store.skus.set(sku.id, sku);
  product.skuIds = skus.map((sku) => sku.id);
  store.products.set(product.id, product);
  if (shouldEmit && input.createTime === undefined) {
    emitProductCreation(webhookSender(context), product);
  }
  return { product, skus };
}

/** Builds the inputs of generateProducts. */
export function generatedProductInputs(
  context: EmulatorContext,
  input: GenerateProductsInput,
): CreateProductInput[] {
  const { productCount, skusPerProduct } = input;
  for (const [name, value] of [
    ['productCount', productCount],
    ['skusPerProduct', skusPerProduct],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new AdminError(400, `${name} ${value} is invalid: it must be a positive integer`);
    }
  }
  const step = input.stepSeconds ?? 60;
  if (!Number.isSafeInteger(step) || step < 0) {
    throw new AdminError(400, `stepSeconds ${step} is invalid: it must be a non-negative integer`);
  }
  const now = nowSeconds(context);
  const prefix = input.sellerSkuPrefix ?? 'GEN';
  return Array.from({ length: productCount }, (_, p) => {
    const age = (productCount - 1 - p) * step;
    return {
      shopId: input.shopId,
      title: `${input.titlePrefix ?? 'Product'} ${p + 1}`,
      status: input.status,
      createTime: age > 0 ? now - age : undefined,
      skus: Array.from({ length: skusPerProduct }, (_, s) => ({
        sellerSku: `${prefix}-${String(p + 1).padStart(4, '0')}-${String(s + 1).padStart(2, '0')}`,
        price: input.price ?? '10.00',
        name: skusPerProduct > 1 ? `Variant ${s + 1}` : undefined,
        quantity: input.quantity,
      })),
    };
  });
}

/** Sets a product's status and sends PRODUCT_STATUS_CHANGE (type 5) when it changed. */
export function setProductStatus(
  context: EmulatorContext,
  product: ProductRecord,
  status: ProductStatus,
  suspendedReason = '',
): void {
  if (!PRODUCT_STATUSES.includes(status)) {
    throw new AdminError(
      400,
      `product status ${status} is invalid: use one of ${PRODUCT_STATUSES}`,
    );
  }
  if (product.status === status) return;
  const previous = product.status;
  product.status = status;
  touchProduct(context, product);
  emitProductStatusChange(webhookSender(context), product, previous, suspendedReason);
}

/** Sets a product's audit status and sends PRODUCT_AUDIT_STATUS_CHANGE (type 37) when it changed. */
export function setAuditStatus(
  context: EmulatorContext,
  product: ProductRecord,
  status: AuditStatus,
): void {
  if (!AUDIT_STATUSES.includes(status)) {
    throw new AdminError(400, `audit status ${status} is invalid: use one of ${AUDIT_STATUSES}`);
  }
  if (product.auditStatus === status) return;
  product.auditStatus = status;
  touchProduct(context, product);
  emitAuditStatusChange(webhookSender(context), product);
}

/** Changes a product's title and sends PRODUCT_INFORMATION_CHANGE (type 15) for a live product. */
export function editTitle(context: EmulatorContext, product: ProductRecord, title: string): void {
  if (typeof title !== 'string' || title === '') {
    throw new AdminError(400, 'title is missing: pass the new product title');
  }
  if (product.title === title) return;
  product.title = title;
  touchProduct(context, product);
  emitProductInformationChange(webhookSender(context), product, ['title']);
}

/** Sets a SKU's quantities as if changed in Seller Center, assigning new warehouses. */
export function setSkuInventory(
  context: EmulatorContext,
  sku: SkuRecord,
  inventory: WarehouseQuantityInput[],
): void {
  const shop = context.store.shops.get(sku.shopId)!;
  if (!Array.isArray(inventory) || inventory.length === 0) {
    throw new AdminError(400, 'inventory is missing: pass [{warehouseId, quantity}]');
  }
  checkInventoryInput(context, shop, inventory, `SKU ${sku.id}`);
  context.stock.setQuantities(sku, inventory, true);
  touchProduct(context, context.store.products.get(sku.productId)!);
}

/** Locks or unlocks a SKU's price, as a promotion does. */
export function setPriceLock(
  context: EmulatorContext,
  sku: SkuRecord,
  lock: { code: PriceLockCode; reason: string } | undefined,
): void {
  if (lock && lock.code !== 12019045 && lock.code !== 12052038) {
    throw new AdminError(
      400,
      `price lock code ${String(lock.code)} is invalid: use 12019045 or 12052038`,
    );
  }
  sku.priceLock = lock;
  touchProduct(context, context.store.products.get(sku.productId)!);
}

/** Sets a product's update_time to now on the injected clock. */
export function touchProduct(context: EmulatorContext, product: ProductRecord): void {
  product.updateTime = Math.max(product.updateTime, nowSeconds(context));
}

/** Copies a product with each SKU's price and stock per warehouse. */
export function toProductView(context: EmulatorContext, product: ProductRecord): ProductView {
  const { store } = context;
  return {
    id: product.id,
    shopId: product.shopId,
    title: product.title,
    status: product.status,
    auditStatus: product.auditStatus,
    createTime: product.createTime,
    updateTime: product.updateTime,
    salesRegions: [...product.salesRegions],
    productTypes: [...product.productTypes],
    isNotForSale: product.isNotForSale,
    skus: product.skuIds.map((id) =>
      toSkuView(store.shops.get(product.shopId)!, store.skus.get(id)!),
    ),
  };
}

/** Copies a SKU with its price as decimal strings and its stock per warehouse. */
export function toSkuView(shop: ShopRecord, sku: SkuRecord): SkuView {
  const money = (minor: number | undefined): string | undefined =>
    minor === undefined ? undefined : formatMinor(minor, shop.currency);
  return {
    id: sku.id,
    productId: sku.productId,
    sellerSku: sku.sellerSku,
    name: sku.name,
    currency: shop.currency,
    price: formatMinor(sku.priceMinor, shop.currency),
    taxExclusivePrice: money(sku.taxExclusivePriceMinor),
    listPrice: money(sku.listPriceMinor),
    priceLock: sku.priceLock ? { ...sku.priceLock } : undefined,
    ...stockTotals(sku),
    inventory: sku.inventory.map((entry) => ({
      warehouseId: entry.warehouseId,
      quantity: entry.quantity,
      committed: entry.committed,
      available: availableQuantity(entry),
    })),
  };
}

function parseAdminPrice(price: string, shop: ShopRecord, sellerSku: string): number {
  try {
    const minor = parseMajor(String(price), shop.currency);
    if (minor < 0) throw new RangeError(`amount "${price}" is negative`);
    return minor;
  } catch (error) {
    throw new AdminError(400, `price of SKU ${sellerSku} is invalid: ${(error as Error).message}`);
  }
}

/** Checks that every warehouse is a sales warehouse of the shop, once, with a valid quantity. */
function checkInventoryInput(
  context: EmulatorContext,
  shop: ShopRecord,
  inventory: WarehouseQuantityInput[],
  owner: string,
): void {
  if (!Array.isArray(inventory) || inventory.length === 0) {
    throw new AdminError(
      400,
      `${owner} needs at least one warehouse: the shop has no sales warehouse`,
    );
  }
  const seen = new Set<string>();
  for (const entry of inventory) {
    const warehouse = context.store.warehouses.get(entry.warehouseId);
    if (!warehouse || warehouse.shopId !== shop.id || warehouse.type !== 'SALES_WAREHOUSE') {
      throw new AdminError(
        400,
        `warehouse ${entry.warehouseId} of ${owner} is invalid: use a sales warehouse of shop ${shop.id}`,
      );
    }
    if (seen.has(entry.warehouseId)) {
      throw new AdminError(400, `warehouse ${entry.warehouseId} appears twice for ${owner}`);
    }
    seen.add(entry.warehouseId);
    const quantity = entry.quantity;
    if (!Number.isSafeInteger(quantity) || quantity < 0 || quantity > MAX_WAREHOUSE_QUANTITY) {
      throw new AdminError(
        400,
        `quantity ${quantity} of ${owner} is invalid: use an integer from 0 to ${MAX_WAREHOUSE_QUANTITY}`,
      );
    }
  }
}
