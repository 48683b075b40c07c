import type { Emulator } from './emulator.ts';
import type { AdminOrderInput, CreateProductInput, CreateSkuInput } from './admin.ts';
import type { OrderItemInput } from './order-builder.ts';
import { createRandom } from './random.ts';
import type { AppConfig, OrderStatus, ProductRecord, SellerRecord, ShopRecord } from './types.ts';
import type { WarehouseInput } from './warehouses.ts';

const DAY_SECONDS = 86_400;

const CATALOG: readonly { title: string; sku: string; usd: string; gbp: string }[] = [
  { title: 'Ceramic Coffee Mug 12oz', sku: 'MUG-01', usd: '14.99', gbp: '11.99' },
  { title: 'Insulated Water Bottle', sku: 'BOTTLE-01', usd: '24.99', gbp: '19.99' },
  { title: 'Cotton Tote Bag', sku: 'TOTE-01', usd: '12.50', gbp: '9.50' },
  { title: 'Scented Soy Candle', sku: 'CANDLE-01', usd: '18.00', gbp: '15.00' },
  { title: 'Bamboo Phone Stand', sku: 'STAND-01', usd: '9.99', gbp: '7.99' },
  { title: 'Wireless Earbuds', sku: 'EARBUDS-01', usd: '49.99', gbp: '39.99' },
  { title: 'Yoga Mat 6mm', sku: 'YOGA-01', usd: '29.95', gbp: '24.95' },
  { title: 'Linen Throw Pillow', sku: 'PILLOW-01', usd: '22.00', gbp: '18.00' },
  { title: 'Stainless Steel Straws (4 pack)', sku: 'STRAW-04', usd: '6.99', gbp: '5.49' },
  { title: 'Leather Card Holder', sku: 'CARD-01', usd: '19.99', gbp: '16.99' },
  { title: 'Hand Cream 50ml', sku: 'CREAM-50', usd: '8.49', gbp: '6.99' },
  { title: 'LED Desk Lamp', sku: 'LAMP-01', usd: '34.99', gbp: '29.99' },
];

/** Products beyond the single-SKU catalog: variants, a reused seller SKU, TikTok-only SKUs. */
interface ExtraProduct {
  title: string;
  skus: { sku: string; name?: string; usd: string; gbp: string }[];
  /** Only the US shop gets it. @default false */
  isUsOnly?: boolean;
  status?: CreateProductInput['status'];
  productTypes?: CreateProductInput['productTypes'];
  isNotForSale?: boolean;
}

const EXTRA_PRODUCTS: readonly ExtraProduct[] = [
  {
    title: 'Classic Cotton T-Shirt',
    skus: [
      { sku: 'TEE-S', name: 'S', usd: '19.00', gbp: '15.00' },
      { sku: 'TEE-M', name: 'M', usd: '19.00', gbp: '15.00' },
      { sku: 'TEE-L', name: 'L', usd: '21.00', gbp: '17.00' },
    ],
  },
  // The one seller SKU used twice in a shop, as TikTok allows.
  {
    title: 'Leather Card Holder (Gift Edition)',
    skus: [{ sku: 'CARD-01', usd: '24.99', gbp: '20.99' }],
    isUsOnly: true,
  },
  // SKUs that exist only on TikTok, with no match on the merchant's platform.
  {
    title: 'Mug and Coaster Bundle',
    skus: [{ sku: 'TT-BUNDLE-01', usd: '19.99', gbp: '15.99' }],
    productTypes: ['COMBINED_PRODUCT'],
  },
  {
    title: 'Gift Box',
    skus: [{ sku: 'TT-GIFTBOX-01', usd: '4.99', gbp: '3.99' }],
    isNotForSale: true,
  },
  {
    title: 'Vintage Travel Poster',
    skus: [{ sku: 'POSTER-01', usd: '15.00', gbp: '12.00' }],
    status: 'SELLER_DEACTIVATED',
  },
  {
    title: 'Ceramic Planter',
    skus: [{ sku: 'PLANTER-01', usd: '27.50', gbp: '22.50' }],
    status: 'FREEZE',
  },
];

const US_WAREHOUSES: WarehouseInput[] = [
  {
    name: 'Los Angeles DC',
    isDefault: true,
    address: { addressLine1: '1200 E 7th St', city: 'Los Angeles', state: 'California' },
  },
  {
    name: 'New Jersey DC',
    address: {
      addressLine1: '500 Port Jersey Blvd',
      city: 'Jersey City',
      state: 'New Jersey',
      postalCode: '07305',
      phoneNumber: '+1 2015550100',
    },
  },
  { name: 'US Returns Center', type: 'RETURN_WAREHOUSE' },
];

const UK_WAREHOUSES: WarehouseInput[] = [
  { name: 'Birmingham DC', isDefault: true },
  { name: 'UK Returns Centre', type: 'RETURN_WAREHOUSE' },
];

/** Target statuses of seeded orders by age: old orders are done, recent ones still open. */
const HISTORY: readonly { maxAgeDays: number; statuses: OrderStatus[] }[] = [
  { maxAgeDays: 1, statuses: ['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT', 'AWAITING_SHIPMENT'] },
  {
    maxAgeDays: 7,
    statuses: ['AWAITING_SHIPMENT', 'AWAITING_COLLECTION', 'IN_TRANSIT', 'CANCELLED'],
  },
  { maxAgeDays: 30, statuses: ['IN_TRANSIT', 'DELIVERED', 'DELIVERED', 'CANCELLED'] },
  { maxAgeDays: 90, statuses: ['COMPLETED', 'COMPLETED', 'COMPLETED', 'CANCELLED'] },
];

export interface SeedDemoOptions {
  /** Registered (or replaced) before seeding, so the demo can authorize it. */
  app?: AppConfig;
  /** Orders created per shop across the last 90 days. @default 30 */
  ordersPerShop?: number;
  /** Seed of the order mix. @default 7 */
  seed?: number;
}

export interface DemoSeed {
  seller: SellerRecord;
  shops: { us: ShopRecord; uk: ShopRecord };
  products: ProductRecord[];
}

/** Creates the demo seller: a US shop (USD, ON_HOLD, sales tax), a UK shop (GBP), products, orders. */
export function seedDemo(emulator: Emulator, options: SeedDemoOptions = {}): DemoSeed {
  const { admin } = emulator;
  if (options.app) admin.registerApp(options.app);
  const seller = admin.createSeller({ name: 'Demo Seller', baseRegion: 'US' });
  const us = admin.createShop({
    sellerId: seller.id,
    name: 'Demo Shop US',
    region: 'US',
    currency: 'USD',
    hasOnHold: true,
    salesTaxRate: '0.0725',
    warehouses: US_WAREHOUSES,
  });
  const uk = admin.createShop({
    sellerId: seller.id,
    name: 'Demo Shop UK',
    region: 'GB',
    currency: 'GBP',
    warehouses: UK_WAREHOUSES,
  });

  const random = createRandom(options.seed ?? 7);
  const now = Math.floor(emulator.state.clock.now() / 1000);
  const products = [us, uk].flatMap((shop) => {
    const inputs = catalogInputs(emulator, shop, now);
    return admin.createProducts(inputs);
  });
  const inputs: AdminOrderInput[] = [];
  for (const shop of [us, uk]) {
    for (let i = 0; i < (options.ordersPerShop ?? 30); i++) {
      const ageSeconds = random.int(600, 90 * DAY_SECONDS);
      const band = HISTORY.find((h) => ageSeconds <= h.maxAgeDays * DAY_SECONDS)!;
      const items: OrderItemInput[] = Array.from({ length: random.int(1, 3) }, () => ({
        sellerSku: random.pick(CATALOG).sku,
        quantity: random.int(1, 3),
      }));
      if (random.chance(0.1)) items.push({ sellerSku: 'STRAW-04', isGift: true });
      const status = random.pick(band.statuses);
      inputs.push({
        shopId: shop.id,
        items,
        isSampleOrder: random.chance(0.05),
        createTime: now - ageSeconds,
        status: status === 'ON_HOLD' && !shop.hasOnHold ? 'AWAITING_SHIPMENT' : status,
        stepSeconds: Math.min(3600 * 6, Math.floor(ageSeconds / 8)),
      });
    }
  }
  admin.createOrders(inputs);
  return { seller, shops: { us, uk }, products };
}

/**
 * Builds the demo products of one shop, created over the last 120 days so that update-time
 * windows have something to split. Every SKU gets stock in every sales warehouse: the
 * default warehouse has more, and the T-shirt's L size runs low.
 */
function catalogInputs(emulator: Emulator, shop: ShopRecord, now: number): CreateProductInput[] {
  const isUs = shop.currency === 'USD';
  const warehouses = emulator.admin
    .listWarehouses(shop.id)
    .filter((warehouse) => warehouse.type === 'SALES_WAREHOUSE');
  let index = 0;
  const sku = (sellerSku: string, price: string, name?: string): CreateSkuInput => {
    index++;
    const isLow = sellerSku === 'TEE-L';
    return {
      sellerSku,
      price,
      name,
      inventory: warehouses.map((warehouse, i) => {
        let quantity = i === 0 ? 60 + ((index * 17) % 90) : 10 + ((index * 7) % 40);
        if (isLow) quantity = i === 0 ? 3 : 0;
        return { warehouseId: warehouse.id, quantity };
      }),
    };
  };
  const inputs: CreateProductInput[] = CATALOG.map((item) => ({
    shopId: shop.id,
    title: item.title,
    skus: [sku(item.sku, isUs ? item.usd : item.gbp)],
  }));
  for (const extra of EXTRA_PRODUCTS) {
    if (extra.isUsOnly && !isUs) continue;
    inputs.push({
      shopId: shop.id,
      title: extra.title,
      status: extra.status,
      productTypes: extra.productTypes,
      isNotForSale: extra.isNotForSale,
      skus: extra.skus.map((item) => sku(item.sku, isUs ? item.usd : item.gbp, item.name)),
    });
  }
  return inputs.map((input, i) => ({
    ...input,
    createTime: now - (120 - i * 5) * DAY_SECONDS,
  }));
}
