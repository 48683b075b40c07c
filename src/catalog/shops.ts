import type { AppContext } from '../context.ts';
import { AppError } from '../shared/errors.ts';
import { regionCurrency } from './money.ts';

/** Currencies of the store's connected shops, from each shop's market. */
export async function shopCurrencies(ctx: AppContext, storeId: string): Promise<string[]> {
  const shops = await ctx.db
    .selectFrom('connections')
    .select('region')
    .where('store_id', '=', storeId)
    .where('status', '<>', 'disconnected')
    .execute();
  return shops
    .map((shop) => regionCurrency(shop.region))
    .filter((currency): currency is string => currency !== null);
}

/** Loads the live connection of a shop in the store, or fails with 404. */
export async function requireStoreShop(ctx: AppContext, storeId: string, shopId: string) {
  const connection = await ctx.db
    .selectFrom('connections')
    .select(['id', 'shop_id', 'shop_name', 'region'])
    .where('store_id', '=', storeId)
    .where('shop_id', '=', shopId)
    .where('status', '<>', 'disconnected')
    .executeTakeFirst();
  if (!connection) {
    throw new AppError('NOT_FOUND', `Shop ${shopId} is not connected to this store.`, {
      details: { shopId },
    });
  }
  return connection;
}
