import { z } from 'zod';

import {
  countSchema,
  decimalSchema,
  flagSchema,
  idSchema,
  optional,
  unixSecondsSchema,
} from './payload-fields.ts';

// Schemas of the product, inventory and warehouse responses (Search Products 202502, Get Product,
// Inventory Search, Update Inventory and Update Price 202309, Get Warehouse List 202309). Field
// names stay snake_case as on the wire, every field except the id of Get Product is optional, and
// unknown fields are kept.

/** Product statuses that Search Products filters on. Get Product may also return `SCHEDULED`. */
export const PRODUCT_STATUSES = [
  'DRAFT',
  'PENDING',
  'FAILED',
  'ACTIVATE',
  'SELLER_DEACTIVATED',
  'PLATFORM_DEACTIVATED',
  'FREEZE',
  'DELETED',
] as const;

/** One of {@link PRODUCT_STATUSES}. */
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/** A list of strings, where a single string is read as a list of one. */
const stringListSchema = z.preprocess(
  (value) => (typeof value === 'string' ? [value] : value),
  z.array(z.string()),
);

/** The price of a SKU, with every amount as a decimal string in major units of `currency`. */
export const skuPricePayloadSchema = z.looseObject({
  currency: optional(z.string()),
  sale_price: optional(decimalSchema),
  tax_exclusive_price: optional(decimalSchema),
  unit_price: optional(decimalSchema),
});

/** The stock of a SKU in one warehouse. */
export const skuInventoryPayloadSchema = z.looseObject({
  warehouse_id: optional(idSchema),
  /** In-stock units that can ship now. */
  quantity: optional(countSchema),
  backorder_quantity: optional(countSchema),
  handling_time: optional(z.unknown()),
});

/** A SKU of a product, with one `inventory` entry per warehouse. */
export const skuPayloadSchema = z.looseObject({
  id: optional(idSchema),
  seller_sku: optional(z.string()),
  price: optional(skuPricePayloadSchema),
  inventory: optional(z.array(skuInventoryPayloadSchema)),
});

/** A product as returned by Search Products (a summary) and Get Product (in full). */
export const productPayloadSchema = z.looseObject({
  id: optional(idSchema),
  title: optional(z.string()),
  status: optional(z.string()),
  product_status: optional(z.string()),
  audit: optional(z.looseObject({ status: optional(z.string()) })),
  create_time: optional(unixSecondsSchema),
  update_time: optional(unixSecondsSchema),
  sales_regions: optional(stringListSchema),
  /** True for a product that can only be given away with a purchase. */
  is_not_for_sale: optional(flagSchema),
  has_draft: optional(flagSchema),
  /** `COMBINED_PRODUCT` marks a virtual bundle. */
  product_types: optional(stringListSchema),
  listing_quality_tier: optional(z.string()),
  skus: optional(z.array(skuPayloadSchema)),
});

export type ProductPayload = z.infer<typeof productPayloadSchema>;
export type SkuPayload = z.infer<typeof skuPayloadSchema>;
export type SkuPricePayload = z.infer<typeof skuPricePayloadSchema>;
export type SkuInventoryPayload = z.infer<typeof skuInventoryPayloadSchema>;

/** The `data` of Search Products. */
export const searchProductsDataPayloadSchema = z.looseObject({
  products: optional(z.array(productPayloadSchema)),
  total_count: optional(z.number().int()),
  next_page_token: optional(z.string()),
});

/** The `data` of Get Product: the product itself, which must carry its id. */
export const productDetailDataPayloadSchema = productPayloadSchema.extend({ id: idSchema });

/** The stock of a SKU in one warehouse, as Inventory Search reports it. */
export const warehouseInventoryPayloadSchema = z.looseObject({
  warehouse_id: optional(idSchema),
  /** Units that buyers can still order. */
  available_quantity: optional(countSchema),
  /** Units held by open orders. */
  committed_quantity: optional(countSchema),
});

/** One SKU of Inventory Search. */
export const inventorySkuPayloadSchema = z.looseObject({
  id: optional(idSchema),
  seller_sku: optional(z.string()),
  total_available_quantity: optional(countSchema),
  total_committed_quantity: optional(countSchema),
  warehouse_inventory: optional(z.array(warehouseInventoryPayloadSchema)),
});

/** One product of Inventory Search with the SKUs that matched. */
export const productInventoryPayloadSchema = z.looseObject({
  product_id: optional(idSchema),
  skus: optional(z.array(inventorySkuPayloadSchema)),
});

/** The `data` of Inventory Search. */
export const inventorySearchDataPayloadSchema = z.looseObject({
  inventory: optional(z.array(productInventoryPayloadSchema)),
});

export type ProductInventoryPayload = z.infer<typeof productInventoryPayloadSchema>;
export type InventorySkuPayload = z.infer<typeof inventorySkuPayloadSchema>;
export type WarehouseInventoryPayload = z.infer<typeof warehouseInventoryPayloadSchema>;

const extraErrorPayloadSchema = z.looseObject({
  code: optional(countSchema),
  message: optional(z.string()),
  warehouse_id: optional(idSchema),
});

/** Fields that name the failed item, which TikTok puts under `detail`. */
const itemErrorDetailPayloadSchema = z.looseObject({
  sku_id: optional(idSchema),
  extra_errors: optional(z.array(extraErrorPayloadSchema)),
});

/** One entry of `data.errors[]`: an item that failed inside a successful envelope. */
export const itemErrorPayloadSchema = itemErrorDetailPayloadSchema.extend({
  code: optional(countSchema),
  message: optional(z.string()),
  detail: optional(itemErrorDetailPayloadSchema),
});

/** The `data` of Update Inventory and Update Price. */
export const skuUpdateDataPayloadSchema = z.looseObject({
  errors: optional(z.array(itemErrorPayloadSchema)),
});

export type ItemErrorPayload = z.infer<typeof itemErrorPayloadSchema>;

/** A warehouse of Get Warehouse List. */
export const warehousePayloadSchema = z.looseObject({
  id: optional(idSchema),
  name: optional(z.string()),
  is_default: optional(flagSchema),
  /** `SALES_WAREHOUSE` or `RETURN_WAREHOUSE`. One address may appear as both, with two ids. */
  type: optional(z.string()),
  /** `DOMESTIC_WAREHOUSE`, `CB_OVERSEA_WAREHOUSE` or `CB_DIRECT_SHIPPING_WAREHOUSE`. */
  sub_type: optional(z.string()),
  /** `ENABLED`, `DISABLED` or `RESTRICTED` (holiday or order-limit mode). */
  effect_status: optional(z.string()),
  entity_id: optional(idSchema),
  address: optional(z.looseObject({})),
});

/** The `data` of Get Warehouse List. */
export const warehousesDataPayloadSchema = z.looseObject({
  warehouses: optional(z.array(warehousePayloadSchema)),
});

export type WarehousePayload = z.infer<typeof warehousePayloadSchema>;
