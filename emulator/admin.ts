import { AdminError } from './admin-error.ts';
import { buildRedirectUrl } from './auth-routes.ts';
import {
  createProduct,
  editTitle,
  generatedProductInputs,
  setAuditStatus,
  setPriceLock,
  setProductStatus,
  setSkuInventory,
  toProductView,
  toSkuView,
} from './catalog.ts';
import type {
  CreateProductInput,
  GenerateProductsInput,
  ProductView,
  SkuView,
  WarehouseQuantityInput,
} from './catalog.ts';
import type { EmulatorContext } from './context.ts';
import { nowSeconds } from './context.ts';
import type { ApiFaultRule, WebhookFaults } from './faults.ts';
import { createAuthCode, deauthorizeShop, expireAccessToken } from './grants.ts';
import { RawJsonNumber } from './json-text.ts';
import { buildOrder } from './order-builder.ts';
import type { CreateOrderInput } from './order-builder.ts';
import { addWarehouse, defaultWarehouseInputs } from './warehouses.ts';
import type { WarehouseInput } from './warehouses.ts';
import type { WebhookAttempt, WebhookDelivery, WebhookDispatcher } from './webhooks.ts';
import { WEBHOOK_TYPES } from './webhooks.ts';
import type {
  AppConfig,
  AuditStatus,
  CancelRole,
  GrantRecord,
  OrderRecord,
  OrderStatus,
  PriceLockCode,
  ProductRecord,
  ProductStatus,
  SellerRecord,
  SellerType,
  ShopRecord,
  SkuRecord,
  WarehouseRecord,
} from './types.ts';

export type {
  CreateProductInput,
  CreateSkuInput,
  GenerateProductsInput,
  ProductView,
  SkuView,
  SkuWarehouseView,
  WarehouseQuantityInput,
} from './catalog.ts';
export type { WarehouseInput } from './warehouses.ts';

export { AdminError } from './admin-error.ts';

export interface CreateShopInput {
  sellerId: string;
  name: string;
  region: string;
  currency: string;
  /** Whether paid orders pass through ON_HOLD. @default false */
  hasOnHold?: boolean;
  /** @default 'LOCAL' */
  sellerType?: SellerType;
  /** Sales tax rate as a decimal string, e.g. "0.0725"; US shops only. @default "0" */
  salesTaxRate?: string;
  /**
   * Warehouses of the shop. At least one must be a sales warehouse.
   * @default one default sales warehouse and one return warehouse
   */
  warehouses?: WarehouseInput[];
}

/** A new warehouse. `assignQuantity` also gives every SKU of the shop that many units in it. */
export interface AddWarehouseInput extends WarehouseInput {
  assignQuantity?: number;
}

/** A new order, optionally moved straight to a status. */
export interface AdminOrderInput extends CreateOrderInput {
  status?: OrderStatus;
  /** Seconds between the steps of a backdated order's history. @default 3600 */
  stepSeconds?: number;
}

/** The emulator's control surface for tests, demos and benchmarks; no TikTok signing. */
export interface EmulatorAdmin {
  registerApp(app: AppConfig): void;
  setWebhookUrl(appKey: string, url: string | undefined): void;
  createSeller(input: { name: string; baseRegion: string }): SellerRecord;
  createShop(input: CreateShopInput): ShopRecord;
  /** Lists a shop's warehouses, the default sales warehouse first. */
  listWarehouses(shopId: string): WarehouseRecord[];
  addWarehouse(shopId: string, input: AddWarehouseInput): WarehouseRecord;
  /** Creates a product, which sends PRODUCT_CREATION (type 16) unless backdated. */
  createProduct(input: CreateProductInput): { product: ProductRecord; skus: SkuRecord[] };
  /** Creates many products fast. `shouldEmitWebhooks` defaults to false for bulk loads. */
  createProducts(
    inputs: CreateProductInput[],
    options?: { shouldEmitWebhooks?: boolean },
  ): ProductRecord[];
  /** Creates N products of M SKUs each, with create times `stepSeconds` apart up to now. */
  generateProducts(input: GenerateProductsInput): ProductRecord[];
  /** Returns a product with each SKU's price and its quantity, committed and available stock. */
  getProduct(productId: string): ProductView;
  listProducts(shopId: string): ProductView[];
  /** Sets the status and sends PRODUCT_STATUS_CHANGE (type 5) when it changed. */
  setProductStatus(
    productId: string,
    status: ProductStatus,
    options?: { suspendedReason?: string },
  ): ProductView;
  /** Sets the audit status and sends PRODUCT_AUDIT_STATUS_CHANGE (type 37) when it changed. */
  setProductAuditStatus(productId: string, status: AuditStatus): ProductView;
  /** Changes the title and sends PRODUCT_INFORMATION_CHANGE (type 15) for an ACTIVATE product. */
  editProductTitle(productId: string, title: string): ProductView;
  /**
   * Sets a SKU's in-stock quantity per warehouse as a Seller Center edit would. A warehouse the
   * SKU lacks is assigned to it. Sends type 27 when the inventory status changes.
   */
  setSkuInventory(skuId: string, inventory: WarehouseQuantityInput[]): SkuView;
  /** Locks the SKU's price (a promotion by default), so that Update Price gets `code`. */
  lockSkuPrice(skuId: string, options?: { code?: PriceLockCode; reason?: string }): SkuView;
  unlockSkuPrice(skuId: string): SkuView;
  createOrder(input: AdminOrderInput): OrderRecord;
  /** Creates many orders fast; `shouldEmitWebhooks` defaults to false for bulk loads. */
  createOrders(
    inputs: AdminOrderInput[],
    options?: { shouldEmitWebhooks?: boolean },
  ): OrderRecord[];
  getOrder(orderId: string): OrderRecord;
  moveOrder(orderId: string, status: OrderStatus): OrderRecord;
  shipOrder(orderId: string, lineItemIds?: string[]): OrderRecord;
  cancelOrder(orderId: string, input?: { initiator?: CancelRole; reason?: string }): OrderRecord;
  requestBuyerCancel(orderId: string): OrderRecord;
  /** Releases due ON_HOLD orders; returns how many moved. */
  tick(): number;
  setAuthorizingSeller(sellerId: string): void;
  /** Simulates an install from the App Store: returns the redirect URL, which has no state. */
  simulateAppStoreInstall(input: { appKey: string; sellerId: string; shopIds?: string[] }): {
    code: string;
    redirectUrl: string;
  };
  getGrant(input: { appKey: string; sellerId: string }): GrantRecord;
  expireAccessToken(input: { appKey: string; sellerId: string }): void;
  /** Removes the shop from the app's grant and sends SELLER_DEAUTHORIZATION (type 6). */
  deauthorizeShop(input: { appKey: string; shopId: string }): WebhookDelivery[];
  /** Sends UPCOMING_AUTHORIZATION_EXPIRATION (type 7) for the shop's grant. */
  notifyAuthorizationExpiring(input: { appKey: string; shopId: string }): WebhookDelivery[];
  /**
   * Sends PRODUCT_STATUS_CHANGE (type 5) with the given webhook `status` text, without changing
   * the product. setProductStatus changes it and sends the webhook itself.
   */
  notifyProductStatusChange(input: { productId: string; status: string }): WebhookDelivery[];
  addApiFault(rule: ApiFaultRule): void;
  setWebhookFaults(faults: WebhookFaults): void;
  /** Releases webhooks held by the reorder fault, shuffled. */
  flushHeldWebhooks(): void;
  clearFaults(): void;
  listWebhookDeliveries(): WebhookDelivery[];
  listWebhookAttempts(): WebhookAttempt[];
}

/** Creates the admin functions over one emulator's context. */
export function createAdmin(context: EmulatorContext): EmulatorAdmin {
  const { store, lifecycle, webhooks, faults } = context;

  const findOrder = (orderId: string): OrderRecord => {
    const order = store.orders.get(orderId);
    if (!order) throw new AdminError(404, `order ${orderId} not found`);
    return order;
  };
  const findShop = (shopId: string): ShopRecord => {
    const shop = store.shops.get(shopId);
    if (!shop) throw new AdminError(404, `shop ${shopId} not found`);
    return shop;
  };
  const findApp = (appKey: string): AppConfig => {
    const app = store.apps.get(appKey);
    if (!app) throw new AdminError(404, `app ${appKey} not found`);
    return app;
  };
  const findProduct = (productId: string): ProductRecord => {
    const product = store.products.get(productId);
    if (!product) throw new AdminError(404, `product ${productId} not found`);
    return product;
  };
  const findSku = (skuId: string): SkuRecord => {
    const sku = store.skus.get(skuId);
    if (!sku) throw new AdminError(404, `SKU ${skuId} not found`);
    return sku;
  };
  const productView = (product: ProductRecord): ProductView => toProductView(context, product);
  const skuView = (sku: SkuRecord): SkuView => toSkuView(store.shops.get(sku.shopId)!, sku);
  const createProducts = (inputs: CreateProductInput[], shouldEmit: boolean): ProductRecord[] =>
    inputs.map(
      (input) => createProduct(context, findShop(input.shopId), input, shouldEmit).product,
    );
  const findGrantForShop = (appKey: string, shopId: string): GrantRecord => {
    const grant = store.grantsForShop(shopId).find((g) => g.appKey === appKey);
    if (!grant) throw new AdminError(404, `app ${appKey} has no grant on shop ${shopId}`);
    return grant;
  };

  const createOrder = (input: AdminOrderInput, shouldEmit: boolean): OrderRecord => {
    const shop = findShop(input.shopId);
    const order = buildOrder(store, shop, input, nowSeconds(context));
    store.addOrder(order);
    context.stock.commitOrder(order, input.createTime === undefined);
    const isLive = input.createTime === undefined && shouldEmit;
    if (isLive) emitOrderStatus(webhooks, order);
    if (input.status && input.status !== 'UNPAID') {
      const options = isLive
        ? {}
        : { at: order.createTime, stepSeconds: input.stepSeconds ?? 3600 };
      lifecycle.moveTo(order, input.status, options);
    }
    return order;
  };

  return {
    registerApp: (app) => void store.apps.set(app.appKey, { ...app }),
    setWebhookUrl: (appKey, url) => {
      findApp(appKey).webhookUrl = url;
    },
    createSeller: (input) => {
      const seller = {
        id: store.newId('seller'),
        name: input.name,
        baseRegion: input.baseRegion,
        shopIds: [],
      };
      store.sellers.set(seller.id, seller);
      return seller;
    },
    createShop: (input) => createShop(context, input),
    listWarehouses: (shopId) => store.warehousesOfShop(findShop(shopId).id),
    addWarehouse: (shopId, input) => addShopWarehouse(context, findShop(shopId), input),
    createProduct: (input) => createProduct(context, findShop(input.shopId), input, true),
    createProducts: (inputs, options) =>
      createProducts(inputs, options?.shouldEmitWebhooks ?? false),
    generateProducts: (input) =>
      createProducts(generatedProductInputs(context, input), input.shouldEmitWebhooks ?? false),
    getProduct: (productId) => productView(findProduct(productId)),
    listProducts: (shopId) => store.productsOfShop(findShop(shopId).id).map(productView),
    setProductStatus: (productId, status, options) => {
      const product = findProduct(productId);
      setProductStatus(context, product, status, options?.suspendedReason);
      return productView(product);
    },
    setProductAuditStatus: (productId, status) => {
      const product = findProduct(productId);
      setAuditStatus(context, product, status);
      return productView(product);
    },
    editProductTitle: (productId, title) => {
      const product = findProduct(productId);
      editTitle(context, product, title);
      return productView(product);
    },
    setSkuInventory: (skuId, inventory) => {
      const sku = findSku(skuId);
      setSkuInventory(context, sku, inventory);
      return skuView(sku);
    },
    lockSkuPrice: (skuId, options = {}) => {
      const sku = findSku(skuId);
      setPriceLock(context, sku, {
        code: options.code ?? 12019045,
        reason: options.reason ?? 'The price is locked by an ongoing promotion',
      });
      return skuView(sku);
    },
    unlockSkuPrice: (skuId) => {
      const sku = findSku(skuId);
      setPriceLock(context, sku, undefined);
      return skuView(sku);
    },
    createOrder: (input) => createOrder(input, true),
    createOrders: (inputs, options) =>
      inputs.map((input) => createOrder(input, options?.shouldEmitWebhooks ?? false)),
    getOrder: findOrder,
    moveOrder: (orderId, status) => {
      const order = findOrder(orderId);
      lifecycle.moveTo(order, status);
      return order;
    },
    shipOrder: (orderId, lineItemIds) => {
      const order = findOrder(orderId);
      lifecycle.ship(order, lineItemIds);
      return order;
    },
    cancelOrder: (orderId, input = {}) => {
      const order = findOrder(orderId);
      lifecycle.cancel(order, { initiator: input.initiator ?? 'BUYER', reason: input.reason });
      return order;
    },
    requestBuyerCancel: (orderId) => {
      const order = findOrder(orderId);
      lifecycle.requestBuyerCancel(order);
      return order;
    },
    tick: () => lifecycle.releaseDueOnHoldOrders(),
    setAuthorizingSeller: (sellerId) => {
      if (!store.sellers.has(sellerId)) throw new AdminError(404, `seller ${sellerId} not found`);
      store.authorizingSellerId = sellerId;
    },
    simulateAppStoreInstall: (input) => {
      const app = findApp(input.appKey);
      const seller = store.sellers.get(input.sellerId);
      if (!seller) throw new AdminError(404, `seller ${input.sellerId} not found`);
      const code = createAuthCode(context, app, seller.id, input.shopIds ?? seller.shopIds);
      return { code, redirectUrl: buildRedirectUrl(app, { code }) };
    },
    getGrant: (input) => {
      const grant = store.findGrant(input.appKey, input.sellerId);
      if (!grant)
        throw new AdminError(
          404,
          `seller ${input.sellerId} has not authorized app ${input.appKey}`,
        );
      return grant;
    },
    expireAccessToken: (input) => {
      const grant = store.findGrant(input.appKey, input.sellerId);
      if (!grant)
        throw new AdminError(
          404,
          `seller ${input.sellerId} has not authorized app ${input.appKey}`,
        );
      expireAccessToken(context, grant);
    },
    deauthorizeShop: (input) => {
      const grant = findGrantForShop(input.appKey, input.shopId);
      deauthorizeShop(grant, input.shopId);
      return webhooks.emitToApp(input.appKey, WEBHOOK_TYPES.SELLER_DEAUTHORIZATION, input.shopId, {
        message: `Shop_id ${input.shopId} is deauthorized from your APP by merchant.`,
      });
    },
    notifyAuthorizationExpiring: (input) => {
      const grant = findGrantForShop(input.appKey, input.shopId);
      const days = Math.max(
        0,
        Math.ceil((grant.refreshTokenExpiresAtMs - context.clock.now()) / 86_400_000),
      );
      return webhooks.emitToApp(
        input.appKey,
        WEBHOOK_TYPES.UPCOMING_AUTHORIZATION_EXPIRATION,
        input.shopId,
        {
          message: `Shop_id ${input.shopId} authorization is expiring in ${days} days. Please direct the merchant to re-authorize.`,
          expiration_time: String(Math.floor(grant.refreshTokenExpiresAtMs / 1000)),
        },
      );
    },
    notifyProductStatusChange: (input) => {
      const product = store.products.get(input.productId);
      if (!product) throw new AdminError(404, `product ${input.productId} not found`);
      return webhooks.emitForShop(WEBHOOK_TYPES.PRODUCT_STATUS_CHANGE, product.shopId, {
        product_id: new RawJsonNumber(product.id),
        status: input.status,
        suspended_reason: '',
        update_time: nowSeconds(context),
      });
    },
    addApiFault: (rule) => faults.addApiFault(rule),
    setWebhookFaults: (settings) => faults.setWebhookFaults(settings),
    flushHeldWebhooks: () => webhooks.flushHeld(),
    clearFaults: () => faults.clear(),
    listWebhookDeliveries: () => [...webhooks.deliveries],
    listWebhookAttempts: () => [...webhooks.attempts],
  };
}

/** Sends ORDER_STATUS_CHANGE; the webhook spells the cancelled status CANCEL, as its doc does. */
export function emitOrderStatus(webhooks: WebhookDispatcher, order: OrderRecord): void {
  webhooks.emitForShop(WEBHOOK_TYPES.ORDER_STATUS_CHANGE, order.shopId, {
    order_id: order.id,
    order_status: order.status === 'CANCELLED' ? 'CANCEL' : order.status,
    is_on_hold_order: order.isOnHoldOrder,
    update_time: order.updateTime,
  });
}

function createShop(context: EmulatorContext, input: CreateShopInput): ShopRecord {
  const { store, random } = context;
  const seller = store.sellers.get(input.sellerId);
  if (!seller) throw new AdminError(404, `seller ${input.sellerId} not found`);
  const rateText = input.salesTaxRate ?? '0';
  if (!/^0(\.\d{1,6})?$/.test(rateText)) {
    throw new AdminError(
      400,
      `salesTaxRate "${rateText}" is invalid: use a decimal below 1, e.g. "0.0725"`,
    );
  }
  const shop: ShopRecord = {
    id: store.newId('shop'),
    sellerId: seller.id,
    cipher: `${input.region === 'US' ? 'TTP' : 'ROW'}_${random.token(30)}`,
    code: `${input.region}LC${random.digits(6)}`,
    name: input.name,
    region: input.region,
    currency: input.currency,
    sellerType: input.sellerType ?? 'LOCAL',
    hasOnHold: input.hasOnHold ?? false,
    salesTaxRatePpm: Number((rateText.split('.')[1] ?? '').padEnd(6, '0')),
    warehouseIds: [],
  };
  const warehouses = input.warehouses ?? defaultWarehouseInputs(shop);
  if (!warehouses.some((w) => (w.type ?? 'SALES_WAREHOUSE') === 'SALES_WAREHOUSE')) {
    throw new AdminError(400, `shop ${input.name} needs at least one sales warehouse`);
  }
  store.shops.set(shop.id, shop);
  store.shopsByCipher.set(shop.cipher, shop);
  seller.shopIds.push(shop.id);
  for (const warehouse of warehouses) addWarehouse(store, shop, warehouse);
  return shop;
}

function addShopWarehouse(
  context: EmulatorContext,
  shop: ShopRecord,
  input: AddWarehouseInput,
): WarehouseRecord {
  const { assignQuantity, ...fields } = input;
  const isAssigned = assignQuantity !== undefined;
  if (isAssigned && (fields.type ?? 'SALES_WAREHOUSE') !== 'SALES_WAREHOUSE') {
    throw new AdminError(400, 'assignQuantity applies to sales warehouses only');
  }
  const warehouse = addWarehouse(context.store, shop, fields);
  if (isAssigned) {
    for (const product of context.store.productsOfShop(shop.id)) {
      for (const skuId of product.skuIds) {
        const sku = context.store.skus.get(skuId)!;
        setSkuInventory(context, sku, [{ warehouseId: warehouse.id, quantity: assignQuantity }]);
      }
    }
  }
  return warehouse;
}
