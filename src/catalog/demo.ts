import type { AppContext } from '../context.ts';
import { createLocation, importSkus, updateCatalogSettings } from './platform.ts';

/** Platform SKUs of the demo store: most match the demo shops' seller_sku values. */
const DEMO_SKUS: readonly { sku: string; title: string; price: string; main: number }[] = [
  { sku: 'MUG-01', title: 'Ceramic Coffee Mug 12oz', price: '14.99', main: 40 },
  { sku: 'BOTTLE-01', title: 'Insulated Water Bottle', price: '24.99', main: 25 },
  { sku: 'TOTE-01', title: 'Cotton Tote Bag', price: '12.50', main: 60 },
  { sku: 'CANDLE-01', title: 'Scented Soy Candle', price: '18.00', main: 18 },
  { sku: 'STAND-01', title: 'Bamboo Phone Stand', price: '9.99', main: 33 },
  { sku: 'EARBUDS-01', title: 'Wireless Earbuds', price: '49.99', main: 12 },
  { sku: 'YOGA-01', title: 'Yoga Mat 6mm', price: '29.95', main: 20 },
  { sku: 'PILLOW-01', title: 'Linen Throw Pillow', price: '22.00', main: 15 },
  { sku: 'STRAW-04', title: 'Stainless Steel Straws (4 pack)', price: '6.99', main: 80 },
  { sku: 'CARD-01', title: 'Leather Card Holder', price: '19.99', main: 22 },
  { sku: 'CREAM-50', title: 'Hand Cream 50ml', price: '8.49', main: 45 },
  { sku: 'LAMP-01', title: 'LED Desk Lamp', price: '34.99', main: 9 },
  { sku: 'TEE-S', title: 'Organic Cotton T-Shirt, S', price: '19.00', main: 14 },
  { sku: 'TEE-M', title: 'Organic Cotton T-Shirt, M', price: '19.00', main: 21 },
  { sku: 'TEE-L', title: 'Organic Cotton T-Shirt, L', price: '19.00', main: 0 },
  // Not on TikTok: they show as unmatched platform SKUs.
  { sku: 'GIFTCARD-25', title: 'Gift Card $25', price: '25.00', main: 999 },
  { sku: 'SOCKS-01', title: 'Wool Socks', price: '11.00', main: 30 },
];

/** Locations, SKUs, stock and a USD-to-GBP rate for the demo store. */
export async function seedDemoCatalog(ctx: AppContext, storeId: string): Promise<void> {
  await createLocation(ctx, storeId, { code: 'MAIN', name: 'Main warehouse' });
  await createLocation(ctx, storeId, { code: 'OVERFLOW', name: 'Overflow storage' });
  await createLocation(ctx, storeId, {
    code: 'RETURNS',
    name: 'Returns bay',
    excludeFromTiktok: true,
  });
  await updateCatalogSettings(ctx, storeId, {
    currency: 'USD',
    currencyRates: [{ from: 'USD', to: 'GBP', rate: '0.79' }],
  });
  await importSkus(
    ctx,
    storeId,
    DEMO_SKUS.map((item, index) => ({
      sku: item.sku,
      title: item.title,
      price: item.price,
      currency: 'USD',
      stock: [
        { location: 'MAIN', onHand: item.main },
        { location: 'OVERFLOW', onHand: index % 3 === 0 ? 5 : 0 },
        { location: 'RETURNS', onHand: index % 4 === 0 ? 2 : 0 },
      ],
    })),
  );
}
