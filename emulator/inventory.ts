import type { EmulatorStore } from './store.ts';
import type { LineItemRecord, OrderRecord, SkuInventoryRecord, SkuRecord } from './types.ts';

/**
 * Largest quantity one warehouse of one SKU accepts.
 * NOTE: a guess, because TikTok does not document its own limit.
 */
export const MAX_WAREHOUSE_QUANTITY = 999_999;

/** A SKU's available stock at or below this (and above 0) is LOW_STOCK. @see lowStockThreshold */
export const DEFAULT_LOW_STOCK_THRESHOLD = 5;

export type InventoryStatus = 'SUFFICIENT_STOCK' | 'LOW_STOCK' | 'OUT_OF_STOCK';

/** Stock totals of one SKU over its warehouses. */
export interface StockTotals {
  quantity: number;
  committed: number;
  available: number;
}

/** Returns the units buyers can still order from one warehouse: in stock less committed. */
export function availableQuantity(entry: SkuInventoryRecord): number {
  return Math.max(0, entry.quantity - entry.committed);
}

/** Sums a SKU's stock over its warehouses. Available is summed per warehouse, each at least 0. */
export function stockTotals(sku: SkuRecord): StockTotals {
  const totals = { quantity: 0, committed: 0, available: 0 };
  for (const entry of sku.inventory) {
    totals.quantity += entry.quantity;
    totals.committed += entry.committed;
    totals.available += availableQuantity(entry);
  }
  return totals;
}

/** Classifies available stock: 0 is OUT_OF_STOCK, 1 up to the threshold is LOW_STOCK. */
export function inventoryStatus(available: number, lowStockThreshold: number): InventoryStatus {
  if (available <= 0) return 'OUT_OF_STOCK';
  return available <= lowStockThreshold ? 'LOW_STOCK' : 'SUFFICIENT_STOCK';
}

export interface StockLedgerOptions {
  store: EmulatorStore;
  lowStockThreshold: number;
  /** Called when a live change moves a SKU's available stock into another status. */
  onInventoryStatusChange(sku: SkuRecord, status: InventoryStatus): void;
}

/**
 * Keeps committed stock in step with orders. An order commits one unit per line item at the
 * SKU's first warehouse, a cancel releases the unit, and shipping takes it out of both
 * `quantity` and `committed`. So `quantity` stays the physical count the seller pushes.
 */
export class StockLedger {
  constructor(private readonly options: StockLedgerOptions) {}

  get lowStockThreshold(): number {
    return this.options.lowStockThreshold;
  }

  /** Commits one unit per line item of a new order. */
  commitOrder(order: OrderRecord, isLive: boolean): void {
    this.track(order.lineItems, isLive, () => {
      for (const line of order.lineItems) {
        const entry = this.options.store.skus.get(line.skuId)?.inventory[0];
        if (!entry) continue;
        entry.committed++;
        line.stockWarehouseId = entry.warehouseId;
        line.stockState = 'committed';
      }
    });
  }

  /** Releases the committed units of cancelled line items. Shipped units stay shipped. */
  release(lines: readonly LineItemRecord[], isLive: boolean): void {
    this.track(lines, isLive, () => {
      for (const line of lines) {
        if (line.stockState !== 'committed') continue;
        const entry = this.entryOf(line);
        if (entry) entry.committed = Math.max(0, entry.committed - 1);
        line.stockState = 'released';
      }
    });
  }

  /** Takes shipped units out of stock: `quantity` and `committed` both go down by one. */
  ship(lines: readonly LineItemRecord[], isLive: boolean): void {
    this.track(lines, isLive, () => {
      for (const line of lines) {
        if (line.stockState !== 'committed') continue;
        const entry = this.entryOf(line);
        if (entry) {
          entry.quantity = Math.max(0, entry.quantity - 1);
          entry.committed = Math.max(0, entry.committed - 1);
        }
        line.stockState = 'shipped';
      }
    });
  }

  /**
   * Sets the in-stock quantity of some warehouses of one SKU. A warehouse the SKU does not have
   * yet is assigned to it, at the end of its list.
   */
  setQuantities(
    sku: SkuRecord,
    changes: readonly { warehouseId: string; quantity: number }[],
    isLive: boolean,
  ): void {
    this.trackSkus([sku], isLive, () => {
      for (const change of changes) {
        const entry = sku.inventory.find((item) => item.warehouseId === change.warehouseId);
        if (entry) entry.quantity = change.quantity;
        else sku.inventory.push({ ...change, committed: 0 });
      }
    });
  }

  /**
   * Recounts every committed unit from the orders, after a restore. Line items of a snapshot
   * taken before stock existed get their state here: unshipped units of open orders commit
   * stock at their SKU's first warehouse, and the other units count as shipped or released.
   */
  rebuildCommitted(orders: Iterable<OrderRecord>): void {
    const { store } = this.options;
    for (const sku of store.skus.values()) for (const entry of sku.inventory) entry.committed = 0;
    for (const order of orders) {
      for (const line of order.lineItems) {
        if (line.stockState === undefined) this.assignLegacyState(order, line);
        if (line.stockState !== 'committed') continue;
        const entry = this.entryOf(line);
        if (entry) entry.committed++;
      }
    }
  }

  private assignLegacyState(order: OrderRecord, line: LineItemRecord): void {
    const entry = this.options.store.skus.get(line.skuId)?.inventory[0];
    if (!entry) return;
    const pack = order.packages.find((p) => p.id === line.packageId);
    const isShipped = pack !== undefined && pack.status !== 'TO_FULFILL';
    line.stockWarehouseId = entry.warehouseId;
    if (isShipped) line.stockState = 'shipped';
    else if (order.status === 'CANCELLED') line.stockState = 'released';
    else line.stockState = 'committed';
  }

  private entryOf(line: LineItemRecord): SkuInventoryRecord | undefined {
    const sku = this.options.store.skus.get(line.skuId);
    return sku?.inventory.find((entry) => entry.warehouseId === line.stockWarehouseId);
  }

  private track(lines: readonly LineItemRecord[], isLive: boolean, change: () => void): void {
    const skus = new Set<SkuRecord>();
    for (const line of lines) {
      const sku = this.options.store.skus.get(line.skuId);
      if (sku) skus.add(sku);
    }
    this.trackSkus([...skus], isLive, change);
  }

  /** Runs a change and reports every SKU whose inventory status it moved, when live. */
  private trackSkus(skus: readonly SkuRecord[], isLive: boolean, change: () => void): void {
    if (!isLive) return change();
    const threshold = this.options.lowStockThreshold;
    const before = skus.map((sku) => inventoryStatus(stockTotals(sku).available, threshold));
    change();
    skus.forEach((sku, i) => {
      const after = inventoryStatus(stockTotals(sku).available, threshold);
      if (after !== before[i]) this.options.onInventoryStatusChange(sku, after);
    });
  }
}
