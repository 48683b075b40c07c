import { SortedOrderList, compareIds, sortTime } from './order-index.ts';
import type { Random } from './random.ts';
import type {
  AppConfig,
  AuthCodeRecord,
  GrantRecord,
  OrderRecord,
  ProductRecord,
  SellerRecord,
  ShopRecord,
  SkuRecord,
  WarehouseRecord,
} from './types.ts';

/** Leading digits per id kind, so that ids look like TikTok's and kinds never collide. */
const ID_PREFIXES = {
  seller: '7494',
  shop: '7495',
  product: '1729',
  sku: '1730',
  order: '576',
  lineItem: '577',
  package: '1152',
  notification: '7327',
  user: '7493',
  warehouse: '7068',
  warehouseEntity: '7069',
  deliveryOption: '7129',
  shippingProvider: '7117',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/** The records of an EmulatorStore as plain JSON data, with ids as strings. */
export interface StoreSnapshot {
  apps: AppConfig[];
  sellers: SellerRecord[];
  shops: ShopRecord[];
  /** Missing in snapshots taken before warehouses existed, and restore then derives them. */
  warehouses?: WarehouseRecord[];
  products: ProductRecord[];
  skus: SkuRecord[];
  orders: OrderRecord[];
  grants: GrantRecord[];
  authCodes: AuthCodeRecord[];
  /** Null when no seller was chosen, because JSON has no undefined. */
  authorizingSellerId: string | null;
  /** Every id handed out so far, so that new ids never reuse one. */
  usedIds: string[];
  /** State of the PRNG behind ids and tokens. */
  randomState: number;
}

/** Orders of one shop, indexed for Search Orders. */
export interface ShopOrderIndex {
  byCreateTime: SortedOrderList;
  byUpdateTime: SortedOrderList;
}

/** All state of one emulator instance: registered apps, sellers, catalog, orders and grants. */
export class EmulatorStore {
  readonly apps = new Map<string, AppConfig>();
  readonly sellers = new Map<string, SellerRecord>();
  readonly shops = new Map<string, ShopRecord>();
  readonly shopsByCipher = new Map<string, ShopRecord>();
  readonly warehouses = new Map<string, WarehouseRecord>();
  readonly products = new Map<string, ProductRecord>();
  readonly skus = new Map<string, SkuRecord>();
  readonly orders = new Map<string, OrderRecord>();
  readonly orderIndexes = new Map<string, ShopOrderIndex>();
  readonly grants = new Map<string, GrantRecord>();
  readonly grantsByAccessToken = new Map<string, GrantRecord>();
  readonly grantsByRefreshToken = new Map<string, GrantRecord>();
  readonly authCodes = new Map<string, AuthCodeRecord>();
  /** Seller whose session the authorization page shows; the first seller unless set. */
  authorizingSellerId: string | undefined;
  private readonly usedIds = new Set<string>();

  constructor(readonly random: Random) {}

  /** Creates a new unique 18-19 digit id of the given kind. */
  newId(kind: IdKind): string {
    const prefix = ID_PREFIXES[kind];
    const length = prefix.length === 3 ? 18 : 19;
    for (;;) {
      const id = prefix + this.random.digits(length - prefix.length);
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }

  findAppByServiceId(serviceId: string): AppConfig | undefined {
    for (const app of this.apps.values()) if (app.serviceId === serviceId) return app;
    return undefined;
  }

  /** Returns the grant of a seller for an app, if the seller has authorized it. */
  findGrant(appKey: string, sellerId: string): GrantRecord | undefined {
    for (const grant of this.grants.values()) {
      if (grant.appKey === appKey && grant.sellerId === sellerId) return grant;
    }
    return undefined;
  }

  /** Returns the live grants that cover a shop, one per app. */
  grantsForShop(shopId: string): GrantRecord[] {
    return [...this.grants.values()].filter((g) => !g.isRevoked && g.shopIds.includes(shopId));
  }

  orderIndex(shopId: string): ShopOrderIndex {
    let index = this.orderIndexes.get(shopId);
    if (!index) {
      index = {
        byCreateTime: new SortedOrderList('create_time'),
        byUpdateTime: new SortedOrderList('update_time'),
      };
      this.orderIndexes.set(shopId, index);
    }
    return index;
  }

  addOrder(order: OrderRecord): void {
    this.orders.set(order.id, order);
    const index = this.orderIndex(order.shopId);
    index.byCreateTime.insert(order);
    index.byUpdateTime.insert(order);
  }

  /** Copies every record, so that later changes to the store do not reach the snapshot. */
  snapshot(): StoreSnapshot {
    return structuredClone({
      apps: [...this.apps.values()],
      sellers: [...this.sellers.values()],
      shops: [...this.shops.values()],
      warehouses: [...this.warehouses.values()],
      products: [...this.products.values()],
      skus: [...this.skus.values()],
      orders: [...this.orders.values()],
      grants: [...this.grants.values()],
      authCodes: [...this.authCodes.values()],
      authorizingSellerId: this.authorizingSellerId ?? null,
      usedIds: [...this.usedIds],
      randomState: this.random.getState(),
    });
  }

  /** Replaces all records with copies of a snapshot's and rebuilds every index from them. */
  restore(snapshot: StoreSnapshot): void {
    const data = structuredClone(snapshot);
    for (const map of [
      this.apps,
      this.sellers,
      this.shops,
      this.shopsByCipher,
      this.warehouses,
      this.products,
      this.skus,
      this.orders,
      this.orderIndexes,
      this.grants,
      this.grantsByAccessToken,
      this.grantsByRefreshToken,
      this.authCodes,
    ]) {
      map.clear();
    }
    this.usedIds.clear();

    for (const app of data.apps) this.apps.set(app.appKey, app);
    for (const seller of data.sellers) this.sellers.set(seller.id, seller);
    for (const shop of data.shops) {
      this.shops.set(shop.id, shop);
      this.shopsByCipher.set(shop.cipher, shop);
    }
    for (const warehouse of data.warehouses ?? []) this.warehouses.set(warehouse.id, warehouse);
    for (const product of data.products) this.products.set(product.id, product);
    for (const sku of data.skus) this.skus.set(sku.id, sku);
    for (const grant of data.grants) {
      this.grants.set(grant.id, grant);
      this.grantsByAccessToken.set(grant.accessToken, grant);
      this.grantsByRefreshToken.set(grant.refreshToken, grant);
    }
    for (const code of data.authCodes) this.authCodes.set(code.code, code);
    this.authorizingSellerId = data.authorizingSellerId ?? undefined;
    for (const id of data.usedIds) this.usedIds.add(id);
    this.random.setState(data.randomState);

    for (const order of data.orders) {
      this.orders.set(order.id, order);
      const index = this.orderIndex(order.shopId);
      index.byCreateTime.items.push(order);
      index.byUpdateTime.items.push(order);
    }
    // One sort per list instead of one sorted insert per order, which would be quadratic.
    for (const index of this.orderIndexes.values()) {
      for (const list of [index.byCreateTime, index.byUpdateTime]) {
        list.items.sort(
          (a, b) => sortTime(a, list.field) - sortTime(b, list.field) || compareIds(a.id, b.id),
        );
      }
    }
  }

  /** Returns the products of one shop, in creation order. */
  productsOfShop(shopId: string): ProductRecord[] {
    return [...this.products.values()].filter((product) => product.shopId === shopId);
  }

  /** Returns the warehouses of one shop in the shop's order, the default sales warehouse first. */
  warehousesOfShop(shopId: string): WarehouseRecord[] {
    const shop = this.shops.get(shopId);
    if (!shop) return [];
    return shop.warehouseIds
      .map((id) => this.warehouses.get(id))
      .filter((warehouse): warehouse is WarehouseRecord => warehouse !== undefined);
  }

  /** Sets an order's update_time and moves it in the update-time index. */
  touchOrder(order: OrderRecord, updateTime: number): void {
    if (order.updateTime === updateTime) return;
    const index = this.orderIndex(order.shopId);
    index.byUpdateTime.remove(order, order.updateTime);
    order.updateTime = updateTime;
    index.byUpdateTime.insert(order);
  }
}
