import type { EmulatorContext } from './context.ts';
import { nowSeconds } from './context.ts';
import { invalidParam } from './errors.ts';
import { toOrderPayload } from './order-payload.ts';
import { parseOrderSearch, searchOrders } from './order-search.ts';
import { PRODUCT_ENDPOINTS } from './product-endpoints.ts';
import type { ApiCaller, ShopCipherRule } from './request-checks.ts';
import type { OrderRecord, ShopRecord } from './types.ts';

export const MAX_ORDER_DETAIL_IDS = 50;

/** One emulated business endpoint. */
export interface ApiEndpoint {
  method: 'GET' | 'POST';
  /** The path, where a `{name}` segment matches any one segment, e.g. `{product_id}`. */
  path: string;
  shopCipher: ShopCipherRule;
  /** Returns the `data` of the envelope; raises TikTokApiError on a bad request. */
  handle(context: EmulatorContext, call: ApiCall): object;
}

/** A call that passed every check, with its parsed query and body. */
export interface ApiCall extends ApiCaller {
  query: URLSearchParams;
  /** Values of the path's `{name}` segments. */
  pathParams: Record<string, string>;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
}

export const API_ENDPOINTS: readonly ApiEndpoint[] = [
  {
    method: 'GET',
    path: '/authorization/202309/shops',
    shopCipher: 'refused',
    handle: (context, call) => ({
      shops: call.grant.shopIds.map((id) => authorizedShopPayload(context.store.shops.get(id)!)),
    }),
  },
  {
    method: 'GET',
    path: '/seller/202309/shops',
    shopCipher: 'refused',
    handle: (context, call) => ({
      shops: call.grant.shopIds.map((id) => {
        const shop = context.store.shops.get(id)!;
        return { id: shop.id, region: shop.region };
      }),
    }),
  },
  {
    method: 'POST',
    path: '/order/202309/orders/search',
    shopCipher: 'required',
    handle: (context, call) => {
      const request = parseOrderSearch(call.query, call.body);
      const now = nowSeconds(context);
      const shop = call.shop!;
      const result = searchOrders(context.store, shop.id, request, now);
      return {
        orders: result.orders.map((order) => toOrderPayload(order, shop, now)),
        total_count: result.totalCount,
        next_page_token: result.nextPageToken,
      };
    },
  },
  { method: 'GET', path: '/order/202309/orders', shopCipher: 'required', handle: getOrderDetail },
  { method: 'GET', path: '/order/202507/orders', shopCipher: 'required', handle: getOrderDetail },
  ...PRODUCT_ENDPOINTS,
];

function authorizedShopPayload(shop: ShopRecord): object {
  return {
    id: shop.id,
    cipher: shop.cipher,
    code: shop.code,
    name: shop.name,
    region: shop.region,
    seller_type: shop.sellerType,
  };
}

/** Get Order Detail: at most 50 comma-joined ids; ids of other shops are left out. */
function getOrderDetail(context: EmulatorContext, call: ApiCall): object {
  const idsText = call.query.get('ids');
  if (!idsText) throw invalidParam('ids is missing: pass up to 50 order ids joined by commas');
  const ids = idsText.split(',').map((id) => id.trim());
  if (ids.length > MAX_ORDER_DETAIL_IDS) {
    throw invalidParam(`ids has ${ids.length} entries: at most 50 order ids are allowed per call`);
  }
  const invalid = ids.find((id) => !/^\d{1,20}$/.test(id));
  if (invalid !== undefined)
    throw invalidParam(`ids contains "${invalid}", which is not an order id`);

  const shop = call.shop!;
  const now = nowSeconds(context);
  const orders = ids
    .map((id) => context.store.orders.get(id))
    .filter((order): order is OrderRecord => order?.shopId === shop.id);
  return { orders: orders.map((order) => toOrderPayload(order, shop, now)) };
}
