import { applyRatePpm, parseMajor } from './money.ts';
import type { EmulatorStore } from './store.ts';
import type {
  AddressRecord,
  FulfillmentType,
  LineItemRecord,
  OrderRecord,
  ShippingType,
  ShopRecord,
  SkuRecord,
} from './types.ts';

/** One SKU of a new order; `quantity` units become that many line items. */
export interface OrderItemInput {
  skuId?: string;
  sellerSku?: string;
  /** @default 1 */
  quantity?: number;
  /** A free item (gift with purchase, giveaway): sold at 0, `gift_retail_price` set. */
  isGift?: boolean;
  /** Per-unit discounts as decimal strings in major units. @default "0" */
  sellerDiscount?: string;
  platformDiscount?: string;
}

/** A new order placed by a buyer; amounts are decimal strings in the shop's currency. */
export interface CreateOrderInput {
  shopId: string;
  items: OrderItemInput[];
  /** A free sample: every line is discounted to 0 by the seller. @default false */
  isSampleOrder?: boolean;
  /** @default 'SELLER' */
  shippingType?: ShippingType;
  /** @default 'FULFILLMENT_BY_SELLER' */
  fulfillmentType?: FulfillmentType;
  /** Original shipping fee before discounts. @default "5.99" (0 for sample orders) */
  shippingFee?: string;
  shippingFeeSellerDiscount?: string;
  shippingFeePlatformDiscount?: string;
  /** US retail delivery fee (e.g. Colorado). @default "0" */
  retailDeliveryFee?: string;
  /** Unix seconds; defaults to now. Orders created in the past send no webhooks. */
  createTime?: number;
  buyerMessage?: string;
  userId?: string;
  address?: Partial<AddressRecord>;
}

const DEFAULT_SHIPPING_FEE = '5.99';

const SAMPLE_ADDRESSES: Record<string, AddressRecord[]> = {
  US: [
    address(
      'Jordan',
      'Miller',
      '+1 2135550142',
      '1600 Sunset Blvd',
      'Apt 4',
      'Los Angeles',
      'California',
      '90028',
      'US',
    ),
    address(
      'Avery',
      'Chen',
      '+1 2065550199',
      '410 Pine St',
      '',
      'Seattle',
      'Washington',
      '98101',
      'US',
    ),
    address(
      'Sam',
      'Rivera',
      '+1 3055550117',
      '88 Ocean Dr',
      'Unit 12',
      'Miami',
      'Florida',
      '33139',
      'US',
    ),
  ],
  GB: [
    address(
      'Oliver',
      'Smith',
      '+44 7700900123',
      '12 Baker Street',
      '',
      'London',
      'Greater London',
      'NW1 6XE',
      'GB',
    ),
    address(
      'Amelia',
      'Jones',
      '+44 7700900456',
      '3 Deansgate',
      'Flat 2',
      'Manchester',
      'Greater Manchester',
      'M3 2BW',
      'GB',
    ),
  ],
};

function address(
  firstName: string,
  lastName: string,
  phoneNumber: string,
  addressLine1: string,
  addressLine2: string,
  city: string,
  state: string,
  postalCode: string,
  regionCode: string,
): AddressRecord {
  return {
    firstName,
    lastName,
    phoneNumber,
    addressLine1,
    addressLine2,
    city,
    state,
    postalCode,
    regionCode,
  };
}

/** Builds an UNPAID order with one line item per unit and all amounts in minor units. */
export function buildOrder(
  store: EmulatorStore,
  shop: ShopRecord,
  input: CreateOrderInput,
  now: number,
): OrderRecord {
  if (input.items.length === 0) throw new RangeError('an order needs at least one item');
  const isSample = input.isSampleOrder ?? false;
  const lineItems = input.items.flatMap((item) => buildLineItems(store, shop, item, isSample));
  const money = (value: string | undefined, fallback: string): number =>
    parseMajor(value ?? fallback, shop.currency);

  const shippingFee = money(input.shippingFee, isSample ? '0' : DEFAULT_SHIPPING_FEE);
  const sellerShippingDiscount = money(input.shippingFeeSellerDiscount, '0');
  const platformShippingDiscount = money(input.shippingFeePlatformDiscount, '0');
  const createTime = input.createTime ?? now;
  const random = store.random;
  const addresses = SAMPLE_ADDRESSES[shop.region] ?? SAMPLE_ADDRESSES.US!;

  return {
    id: store.newId('order'),
    shopId: shop.id,
    status: 'UNPAID',
    currency: shop.currency,
    createTime,
    updateTime: createTime,
    isOnHoldOrder: shop.hasOnHold,
    isSampleOrder: isSample,
    isBuyerRequestCancel: false,
    userId: input.userId ?? store.newId('user'),
    buyerEmail: `v${random.token(10).toLowerCase().replace(/[-_]/g, 'x')}@scs2.tiktok.com`,
    buyerMessage: input.buyerMessage ?? '',
    shippingType: input.shippingType ?? 'SELLER',
    fulfillmentType: input.fulfillmentType ?? 'FULFILLMENT_BY_SELLER',
    deliveryOptionId: deliveryOptionId(shop),
    deliveryOptionName: 'Standard shipping',
    warehouseId: shop.warehouseIds[0] ?? '',
    originalShippingFeeMinor: shippingFee,
    shippingFeeSellerDiscountMinor: sellerShippingDiscount,
    shippingFeePlatformDiscountMinor: platformShippingDiscount,
    shippingFeeTaxMinor: applyRatePpm(
      shippingFee - sellerShippingDiscount - platformShippingDiscount,
      shop.salesTaxRatePpm,
    ),
    retailDeliveryFeeMinor: money(input.retailDeliveryFee, '0'),
    salesTaxRatePpm: shop.salesTaxRatePpm,
    lineItems,
    packages: [],
    address: { ...random.pick(addresses), ...input.address },
  };
}

/** Returns the shop's delivery option id, derived from its first warehouse so it is stable. */
function deliveryOptionId(shop: ShopRecord): string {
  return '7129' + (shop.warehouseIds[0] ?? shop.id).slice(4);
}

function findSku(store: EmulatorStore, shop: ShopRecord, item: OrderItemInput): SkuRecord {
  if (item.skuId) {
    const sku = store.skus.get(item.skuId);
    if (sku && sku.shopId === shop.id) return sku;
    throw new RangeError(`SKU ${item.skuId} not found in shop ${shop.id}`);
  }
  for (const sku of store.skus.values()) {
    if (sku.shopId === shop.id && sku.sellerSku === item.sellerSku) return sku;
  }
  throw new RangeError(`seller SKU "${item.sellerSku}" not found in shop ${shop.id}`);
}

function buildLineItems(
  store: EmulatorStore,
  shop: ShopRecord,
  item: OrderItemInput,
  isSample: boolean,
): LineItemRecord[] {
  const sku = findSku(store, shop, item);
  const product = store.products.get(sku.productId)!;
  const quantity = item.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1) {
    throw new RangeError(`quantity ${quantity} of SKU ${sku.id} must be a positive integer`);
  }

  const isFree = isSample || (item.isGift ?? false);
  const platformDiscount = isFree ? 0 : parseMajor(item.platformDiscount ?? '0', shop.currency);
  const sellerDiscount = isFree
    ? sku.priceMinor
    : parseMajor(item.sellerDiscount ?? '0', shop.currency);
  if (sellerDiscount + platformDiscount > sku.priceMinor) {
    throw new RangeError(`discounts on SKU ${sku.id} exceed its price`);
  }
  const salePrice = sku.priceMinor - sellerDiscount - platformDiscount;

  return Array.from({ length: quantity }, () => ({
    id: store.newId('lineItem'),
    skuId: sku.id,
    productId: product.id,
    productName: product.title,
    skuName: sku.name,
    sellerSku: sku.sellerSku,
    originalPriceMinor: sku.priceMinor,
    sellerDiscountMinor: sellerDiscount,
    platformDiscountMinor: platformDiscount,
    taxMinor: applyRatePpm(salePrice, shop.salesTaxRatePpm),
    isGift: item.isGift ?? false,
  }));
}
