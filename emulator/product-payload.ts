import { formatMinor } from './money.ts';
import type { EmulatorStore } from './store.ts';
import type { ProductRecord, ShopRecord, SkuRecord } from './types.ts';

/** Formats a product as Search Products lists it: the summary, with every SKU. */
export function toProductSummary(
  store: EmulatorStore,
  shop: ShopRecord,
  product: ProductRecord,
): object {
  return {
    id: product.id,
    title: product.title,
    status: product.status,
    audit: { status: product.auditStatus },
    sales_regions: [...product.salesRegions],
    product_types: [...product.productTypes],
    is_not_for_sale: product.isNotForSale,
    create_time: product.createTime,
    update_time: product.updateTime,
    skus: product.skuIds.map((id) => toSkuPayload(shop, store.skus.get(id)!)),
  };
}

/** Formats a product as Get Product returns it. */
export function toProductDetail(
  store: EmulatorStore,
  shop: ShopRecord,
  product: ProductRecord,
): object {
  return {
    id: product.id,
    title: product.title,
    description: '',
    status: product.status,
    audit: { status: product.auditStatus, pre_approved_reasons: [] },
    sales_regions: [...product.salesRegions],
    product_types: [...product.productTypes],
    is_not_for_sale: product.isNotForSale,
    has_draft: false,
    create_time: product.createTime,
    update_time: product.updateTime,
    skus: product.skuIds.map((id) => {
      const sku = store.skus.get(id)!;
      return {
        ...toSkuPayload(shop, sku),
        sales_attributes: sku.name === 'Default' ? [] : [{ name: 'Variant', value_name: sku.name }],
      };
    }),
  };
}

function toSkuPayload(shop: ShopRecord, sku: SkuRecord): object {
  const money = (minor: number): string => formatMinor(minor, shop.currency);
  return {
    id: sku.id,
    seller_sku: sku.sellerSku,
    price: {
      currency: shop.currency,
      sale_price: money(sku.priceMinor),
      tax_exclusive_price:
        sku.taxExclusivePriceMinor === undefined ? undefined : money(sku.taxExclusivePriceMinor),
    },
    list_price:
      sku.listPriceMinor === undefined
        ? undefined
        : { amount: money(sku.listPriceMinor), currency: shop.currency },
    inventory: sku.inventory.map((entry) => ({
      warehouse_id: entry.warehouseId,
      quantity: entry.quantity,
    })),
  };
}
