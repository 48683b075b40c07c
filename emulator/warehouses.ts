import { AdminError } from './admin-error.ts';
import type { EmulatorStore } from './store.ts';
import type {
  ShopRecord,
  WarehouseAddressRecord,
  WarehouseEffectStatus,
  WarehouseRecord,
  WarehouseSubType,
  WarehouseType,
} from './types.ts';

/** A new warehouse of a shop. */
export interface WarehouseInput {
  name: string;
  /** @default 'SALES_WAREHOUSE' */
  type?: WarehouseType;
  /** Whether it is the shop's default warehouse of its type. @default true for the first of its type */
  isDefault?: boolean;
  /** @default 'DOMESTIC_WAREHOUSE' for local shops, 'CB_OVERSEA_WAREHOUSE' for cross-border */
  subType?: WarehouseSubType;
  /** @default 'ENABLED' */
  effectStatus?: WarehouseEffectStatus;
  /** Fields left out come from a sample address in the shop's region. */
  address?: Partial<WarehouseAddressRecord>;
}

const SAMPLE_ADDRESSES: Record<string, WarehouseAddressRecord> = {
  US: {
    contactPerson: 'Warehouse Manager',
    phoneNumber: '+1 2135550100',
    addressLine1: '1200 E 7th St',
    addressLine2: '',
    city: 'Los Angeles',
    state: 'California',
    postalCode: '90021',
    regionCode: 'US',
  },
  GB: {
    contactPerson: 'Warehouse Manager',
    phoneNumber: '+44 1214960100',
    addressLine1: '10 Holloway Head',
    addressLine2: '',
    city: 'Birmingham',
    state: 'West Midlands',
    postalCode: 'B1 1QP',
    regionCode: 'GB',
  },
};

const WAREHOUSE_TYPES: readonly WarehouseType[] = ['SALES_WAREHOUSE', 'RETURN_WAREHOUSE'];

/** Returns the warehouses a shop gets when none are given: one sales and one return warehouse. */
export function defaultWarehouseInputs(shop: { name: string }): WarehouseInput[] {
  return [
    { name: `${shop.name} Warehouse`, type: 'SALES_WAREHOUSE' },
    { name: `${shop.name} Returns`, type: 'RETURN_WAREHOUSE' },
  ];
}

/**
 * Adds a warehouse to a shop. A default warehouse takes the default from the others of its
 * type, and the default sales warehouse is always first in `shop.warehouseIds`, because new
 * orders take their `warehouse_id` from there.
 */
export function addWarehouse(
  store: EmulatorStore,
  shop: ShopRecord,
  input: WarehouseInput,
): WarehouseRecord {
  const type = input.type ?? 'SALES_WAREHOUSE';
  if (!WAREHOUSE_TYPES.includes(type)) {
    throw new AdminError(400, `warehouse type ${String(type)} is invalid: use ${WAREHOUSE_TYPES}`);
  }
  if (!input.name) throw new AdminError(400, 'warehouse name is missing');
  const sameType = store.warehousesOfShop(shop.id).filter((w) => w.type === type);
  const isDefault = input.isDefault ?? sameType.length === 0;
  if (isDefault) for (const other of sameType) other.isDefault = false;

  const sample = SAMPLE_ADDRESSES[shop.region] ?? {
    ...SAMPLE_ADDRESSES.US!,
    regionCode: shop.region,
  };
  const warehouse: WarehouseRecord = {
    id: store.newId('warehouse'),
    shopId: shop.id,
    name: input.name,
    isDefault,
    type,
    subType:
      input.subType ??
      (shop.sellerType === 'CROSS_BORDER' ? 'CB_OVERSEA_WAREHOUSE' : 'DOMESTIC_WAREHOUSE'),
    effectStatus: input.effectStatus ?? 'ENABLED',
    entityId: store.newId('warehouseEntity'),
    address: { ...sample, ...input.address },
  };
  store.warehouses.set(warehouse.id, warehouse);
  shop.warehouseIds.push(warehouse.id);
  sortShopWarehouses(store, shop);
  return warehouse;
}

/** Returns the shop's sales warehouses, the default one first. */
export function salesWarehouses(store: EmulatorStore, shopId: string): WarehouseRecord[] {
  return store.warehousesOfShop(shopId).filter((w) => w.type === 'SALES_WAREHOUSE');
}

/** Puts the default sales warehouse first and keeps the others in creation order. */
function sortShopWarehouses(store: EmulatorStore, shop: ShopRecord): void {
  const isFirst = (id: string): boolean => {
    const warehouse = store.warehouses.get(id);
    return warehouse?.type === 'SALES_WAREHOUSE' && warehouse.isDefault;
  };
  shop.warehouseIds = [
    ...shop.warehouseIds.filter(isFirst),
    ...shop.warehouseIds.filter((id) => !isFirst(id)),
  ];
}

/** Formats a warehouse as Get Warehouse List returns it. */
export function toWarehousePayload(warehouse: WarehouseRecord): object {
  const address = warehouse.address;
  const lines = [address.addressLine1, address.addressLine2].filter((line) => line !== '');
  return {
    id: warehouse.id,
    name: warehouse.name,
    is_default: warehouse.isDefault,
    type: warehouse.type,
    sub_type: warehouse.subType,
    effect_status: warehouse.effectStatus,
    entity_id: warehouse.entityId,
    address: {
      contact_person: address.contactPerson,
      phone_number: address.phoneNumber,
      address_line1: address.addressLine1,
      address_line2: address.addressLine2,
      city: address.city,
      state: address.state,
      postal_code: address.postalCode,
      region_code: address.regionCode,
      full_address: [...lines, address.city, address.state, address.postalCode].join(', '),
    },
  };
}
