import { DEFAULT_SKU_QUANTITY } from './catalog.ts';
import type { EmulatorContext } from './context.ts';
import { nowSeconds } from './context.ts';
import { addWarehouse, salesWarehouses } from './warehouses.ts';
import type { ProductRecord, SkuRecord, WarehouseRecord } from './types.ts';

/**
 * Fills in the catalog fields that snapshots from before products had status and stock lack,
 * after a restore, then recounts committed stock from the orders:
 * - a shop's warehouse ids without records become sales warehouses, the first the default,
 *   and a shop with none gets one;
 * - a product gets status ACTIVATE, audit APPROVED, its shop's region and update and create
 *   times of now;
 * - a SKU without inventory gets 100 units in every sales warehouse of its shop.
 */
export function fillLegacyCatalog(context: EmulatorContext): void {
  const { store } = context;
  for (const shop of store.shops.values()) {
    const ids = Array.isArray(shop.warehouseIds) ? shop.warehouseIds : [];
    shop.warehouseIds = ids.filter((id) => store.warehouses.has(id));
    ids.forEach((id, i) => {
      if (store.warehouses.has(id)) return;
      const warehouse: WarehouseRecord = {
        ...legacyWarehouse(shop.name, i),
        id,
        shopId: shop.id,
        isDefault: i === 0,
        entityId: store.newId('warehouseEntity'),
      };
      store.warehouses.set(id, warehouse);
      if (i === 0) shop.warehouseIds.unshift(id);
      else shop.warehouseIds.push(id);
    });
    if (salesWarehouses(store, shop.id).length === 0) {
      addWarehouse(store, shop, { name: `${shop.name} Warehouse`, isDefault: true });
    }
  }

  const now = nowSeconds(context);
  for (const product of store.products.values()) {
    const shop = store.shops.get(product.shopId);
    const legacy = product as Partial<ProductRecord> & ProductRecord;
    legacy.status ??= 'ACTIVATE';
    legacy.auditStatus ??= 'APPROVED';
    legacy.createTime ??= now;
    legacy.updateTime ??= legacy.createTime;
    legacy.salesRegions ??= shop ? [shop.region] : [];
    legacy.productTypes ??= [];
    legacy.isNotForSale ??= false;
  }
  for (const sku of store.skus.values()) {
    const legacy = sku as Partial<SkuRecord> & SkuRecord;
    if (Array.isArray(legacy.inventory)) continue;
    legacy.inventory = salesWarehouses(store, sku.shopId).map((warehouse) => ({
      warehouseId: warehouse.id,
      quantity: DEFAULT_SKU_QUANTITY,
      committed: 0,
    }));
  }
  context.stock.rebuildCommitted(store.orders.values());
}

function legacyWarehouse(
  shopName: string,
  index: number,
): Omit<WarehouseRecord, 'id' | 'shopId' | 'isDefault' | 'entityId'> {
  return {
    name: index === 0 ? `${shopName} Warehouse` : `${shopName} Warehouse ${index + 1}`,
    type: 'SALES_WAREHOUSE',
    subType: 'DOMESTIC_WAREHOUSE',
    effectStatus: 'ENABLED',
    address: {
      contactPerson: 'Warehouse Manager',
      phoneNumber: '',
      addressLine1: '',
      addressLine2: '',
      city: '',
      state: '',
      postalCode: '',
      regionCode: '',
    },
  };
}
