import { sql } from 'kysely';

import type { AppContext } from '../context.ts';

/** A TikTok product as the mirror keeps it, read from Search Products or Get Product. */
export interface MirrorProduct {
  id: string;
  title: string;
  status: string;
  auditStatus: string | null;
  createTime: number | null;
  updateTime: number;
  skus: MirrorSku[];
  raw: unknown;
}

export interface MirrorSku {
  id: string;
  sellerSku: string;
  currency: string | null;
  price: string | null;
  salePrice: string | null;
  inventory: InventoryEntry[];
}

export interface InventoryEntry {
  warehouseId: string;
  quantity: number;
}

type Loose = Record<string, unknown>;

const text = (value: unknown): string | null =>
  value === undefined || value === null || value === '' ? null : String(value);
const seconds = (value: unknown): number | null => {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
};
const decimal = (value: unknown): string | null => {
  const result = text(value);
  return result !== null && /^-?\d+(\.\d+)?$/.test(result) ? result : null;
};

/** Reads the fields the connector uses from a product payload; the rest stays in `raw`. */
export function toMirrorProduct(payload: unknown): MirrorProduct {
  const product = payload as Loose;
  const skus = Array.isArray(product.skus) ? (product.skus as Loose[]) : [];
  const audit = product.audit as Loose | undefined;
  return {
    id: String(product.id),
    title: text(product.title) ?? '',
    status: text(product.status) ?? text(product.product_status) ?? 'UNKNOWN',
    auditStatus: text(audit?.status),
    createTime: seconds(product.create_time),
    updateTime: seconds(product.update_time) ?? 0,
    skus: skus.map((sku) => {
      const price = (sku.price ?? {}) as Loose;
      const inventory = Array.isArray(sku.inventory) ? (sku.inventory as Loose[]) : [];
      return {
        id: String(sku.id),
        sellerSku: text(sku.seller_sku) ?? '',
        currency: text(price.currency),
        // Search Products gives sale_price; Get Product may give tax_exclusive_price too.
        price: decimal(price.tax_exclusive_price) ?? decimal(price.sale_price),
        salePrice: decimal(price.sale_price),
        inventory: inventory
          .filter((entry) => entry.warehouse_id !== undefined && entry.warehouse_id !== null)
          .map((entry) => ({
            warehouseId: String(entry.warehouse_id),
            quantity: Number(entry.quantity ?? 0),
          })),
      };
    }),
    raw: payload,
  };
}

export function parseInventory(value: unknown): InventoryEntry[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(list)) return [];
  return (list as Loose[]).map((entry) => ({
    warehouseId: String(entry.warehouseId),
    quantity: Number(entry.quantity ?? 0),
  }));
}

/** Checks whether two inventory lists name the same warehouses with the same quantities. */
export function sameInventory(a: InventoryEntry[], b: InventoryEntry[]): boolean {
  return (
    a.length === b.length &&
    b.every((entry) =>
      a.some(
        (other) => other.warehouseId === entry.warehouseId && other.quantity === entry.quantity,
      ),
    )
  );
}

/**
 * Writes products and their SKUs into the mirror. A product's SKU list is replaced, so a SKU
 * removed on TikTok leaves the mirror too; its link and push history go with it.
 */
export async function upsertMirrorProducts(
  ctx: AppContext,
  shopId: string,
  products: MirrorProduct[],
): Promise<void> {
  if (products.length === 0) return;
  const now = new Date(ctx.clock.now());
  await ctx.db.transaction().execute(async (trx) => {
    for (const product of products) {
      await trx
        .insertInto('tiktok_products')
        .values({
          shop_id: shopId,
          id: product.id,
          title: product.title,
          status: product.status,
          audit_status: product.auditStatus,
          create_time: product.createTime,
          update_time: product.updateTime,
          raw: JSON.stringify(product.raw),
          synced_at: now,
        })
        .onConflict((conflict) =>
          conflict.columns(['shop_id', 'id']).doUpdateSet({
            title: product.title,
            status: product.status,
            audit_status: product.auditStatus,
            create_time: product.createTime,
            update_time: product.updateTime,
            raw: JSON.stringify(product.raw),
            synced_at: now,
          }),
        )
        .execute();
      const keep = product.skus.map((sku) => sku.id);
      let removed = trx
        .deleteFrom('tiktok_skus')
        .where('shop_id', '=', shopId)
        .where('product_id', '=', product.id);
      if (keep.length > 0) removed = removed.where('id', 'not in', keep);
      const gone = await removed.returning('id').execute();
      if (gone.length > 0) {
        const ids = gone.map((row) => row.id);
        await trx
          .deleteFrom('sku_links')
          .where('shop_id', '=', shopId)
          .where('tiktok_sku_id', 'in', ids)
          .execute();
        await trx
          .deleteFrom('sku_push_state')
          .where('shop_id', '=', shopId)
          .where('tiktok_sku_id', 'in', ids)
          .execute();
      }
      if (product.skus.length === 0) continue;
      await sql`
        INSERT INTO tiktok_skus (shop_id, id, product_id, seller_sku, currency, price, sale_price,
          inventory, position, synced_at)
        VALUES ${sql.join(
          product.skus.map(
            (sku, index) =>
              sql`(${shopId}, ${sku.id}, ${product.id}, ${sku.sellerSku}, ${sku.currency},
                ${sku.price}, ${sku.salePrice}, ${JSON.stringify(sku.inventory)}, ${index}, ${now})`,
          ),
        )}
        ON CONFLICT (shop_id, id) DO UPDATE SET
          product_id = EXCLUDED.product_id, seller_sku = EXCLUDED.seller_sku,
          currency = EXCLUDED.currency, price = EXCLUDED.price, sale_price = EXCLUDED.sale_price,
          inventory = EXCLUDED.inventory, position = EXCLUDED.position,
          synced_at = EXCLUDED.synced_at
      `.execute(trx);
    }
  });
}
