import type { AppContext } from '../context.ts';
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
