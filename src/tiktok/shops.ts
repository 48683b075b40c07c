import type { Transport } from './http.ts';
import { authorizedShopsDataPayloadSchema } from './payloads.ts';
import type { TokenProvider } from './types.ts';
import { invalidArgument, parseResponseData } from './validate.ts';

/** A shop covered by an authorization, from Get Authorized Shops. */
export interface AuthorizedShop {
  /** The shop id, which webhooks use to name the shop. */
  id: string;
  /** Sent as `shop_cipher` on shop-scoped calls; opaque. */
  cipher: string;
  /** The code shown in Seller Center. */
  code: string | null;
  name: string | null;
  /** Region code such as `GB` or `US`. */
  region: string | null;
  /** `LOCAL` or `CROSS_BORDER`. */
  sellerType: string | null;
}

const AUTHORIZED_SHOPS_PATH = '/authorization/202309/shops';

/** Lists the shops of an authorization; one token can cover several shops. */
export async function getAuthorizedShops(
  transport: Transport,
  tokenProvider: TokenProvider,
): Promise<AuthorizedShop[]> {
  const response = await transport.callApi({
    method: 'GET',
    path: AUTHORIZED_SHOPS_PATH,
    tokenProvider,
  });
  const data = parseResponseData(authorizedShopsDataPayloadSchema, response, AUTHORIZED_SHOPS_PATH);
  return (data.shops ?? []).map((shop) => ({
    id: shop.id,
    cipher: shop.cipher,
    code: shop.code ?? null,
    name: shop.name ?? null,
    region: shop.region ?? null,
    sellerType: shop.seller_type ?? null,
  }));
}

/**
 * Returns the shop with the given id. Webhooks name a shop by id and calls need its cipher, so
 * the cipher is looked up by id, never taken from the first shop of the list.
 */
export function findShopById(shops: readonly AuthorizedShop[], shopId: string): AuthorizedShop {
  const shop = shops.find((candidate) => candidate.id === shopId);
  if (shop === undefined) {
    throw invalidArgument(
      AUTHORIZED_SHOPS_PATH,
      `Shop ${shopId} is not among the authorized shops; re-fetch the shops or re-authorize`,
    );
  }
  return shop;
}
