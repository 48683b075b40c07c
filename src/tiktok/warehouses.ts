import type { Transport } from './http.ts';
import type { TikTokShopContext } from './orders.ts';
import { warehousesDataPayloadSchema } from './product-payloads.ts';
import type { WarehousePayload } from './product-payloads.ts';
import { parseResponseData } from './validate.ts';

const WAREHOUSES_PATH = '/logistics/202309/warehouses';

/**
 * Lists the shop's sales and return warehouses (Get Warehouse List, version 202309). Their ids
 * are the `warehouse_id` values of inventory and orders.
 */
export async function getWarehouses(
  transport: Transport,
  shop: TikTokShopContext,
): Promise<WarehousePayload[]> {
  const response = await transport.callApi({
    method: 'GET',
    path: WAREHOUSES_PATH,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    tokenProvider: shop.tokenProvider,
  });
  const data = parseResponseData(warehousesDataPayloadSchema, response, WAREHOUSES_PATH);
  return data.warehouses ?? [];
}
