import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import type { Principal } from '../accounts/accounts.ts';
import { requireStore } from '../accounts/accounts.ts';
import {
  getCatalogSku,
  linkByHand,
  linkReport,
  listCatalogSkus,
  pushAgain,
  unlinkByHand,
} from '../catalog/links.ts';
import { searchShopProducts } from '../catalog/mirror.ts';
import { CURRENCY_PATTERN } from '../catalog/money.ts';
import {
  createLocation,
  createSku,
  getCatalogSettings,
  getSku,
  importSkus,
  listLocations,
  listSkus,
  mapLocationToWarehouse,
  requireLocation,
  setStock,
  unmapLocation,
  updateCatalogSettings,
  updateLocation,
  updateSku,
} from '../catalog/platform.ts';
import { priceRuleSchema, stockRuleSchema } from '../catalog/rules.ts';
import { requireConnection } from '../connections/connections.ts';
import type { AppContext } from '../context.ts';
import { QUEUES } from '../jobs/boss.ts';
import { AppError } from '../shared/errors.ts';
import type { TiktokWarehouse } from './catalog-types.ts';
import { authenticate } from './auth.ts';

const storeParams = z.object({ storeId: z.string().min(1) });
const locationParams = storeParams.extend({ code: z.string().min(1).max(64) });
const mappingParams = locationParams.extend({ shopId: z.string().regex(/^\d+$/) });
const skuParams = storeParams.extend({
  sku: z
    .string()
    .min(1)
    .max(128)
    .transform((value) => value.normalize('NFC')),
});
const tiktokSkuParams = storeParams.extend({
  shopId: z.string().regex(/^\d+$/, 'must be a TikTok shop id (digits)'),
  tiktokSkuId: z.string().regex(/^\d+$/, 'must be a TikTok SKU id (digits)'),
});
const connectionParams = storeParams.extend({ connectionId: z.string().min(1) });

const code = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, dot, dash or underscore');
// SKU codes are compared in Unicode NFC, so "CAFÉ" typed either way is one SKU.
const skuCode = z
  .string()
  .min(1)
  .max(128)
  .transform((value) => value.normalize('NFC'))
  .refine(
    (value) => /^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u.test(value),
    'must not contain tabs, line breaks or other control characters, or start or end with a space',
  );
const units = z.number({ error: 'must be a number of units' });
const stockLevel = z.object({ location: code, onHand: units, reserved: units.optional() }).strict();
const price = z
  .string({ error: 'must be a decimal string such as "12.50"; numbers lose cents' })
  .max(32);
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const currency = z
  .string()
  .regex(CURRENCY_PATTERN, 'must be an ISO 4217 code in capitals, such as "USD"')
  .refine((value) => KNOWN_CURRENCIES.has(value), 'is not an ISO 4217 currency code');
/** An empty rule object means no rule. */
const emptyToNull = <T extends object>(rule: T | null | undefined) =>
  rule && Object.keys(rule).length === 0 ? null : rule;
const stockRule = stockRuleSchema.nullable().optional().transform(emptyToNull);
const priceRule = priceRuleSchema.nullable().optional().transform(emptyToNull);

const locationBody = z
  .object({
    code,
    name: z.string().min(1).max(200),
    excludeFromTiktok: z.boolean().optional(),
  })
  .strict();
const locationPatch = z
  .object({
    name: z.string().min(1).max(200).optional(),
    excludeFromTiktok: z.boolean().optional(),
  })
  .strict();
const mappingBody = z.object({ warehouseId: z.string().regex(/^\d+$/) }).strict();
const skuBody = z
  .object({
    sku: skuCode,
    title: z.string().min(1).max(500),
    price: price.nullable().optional(),
    currency: currency.optional(),
    stock: z.array(stockLevel).max(500).optional(),
    stockRule,
    priceRule,
  })
  .strict();
const skuPatch = z
  .object({
    title: z.string().min(1).max(500).optional(),
    price: price.nullable().optional(),
    currency: currency.optional(),
    stockRule,
    priceRule,
  })
  .strict();
const stockBody = z.object({ levels: z.array(stockLevel).min(1).max(500) }).strict();
const bulkStockBody = z
  .object({
    changes: z
      .array(stockLevel.extend({ sku: skuCode }))
      .min(1)
      .max(10_000),
  })
  .strict();
const importBody = z.object({ items: z.array(skuBody).min(1).max(5000) }).strict();
const settingsBody = z
  .object({
    currency: currency.optional(),
    stockRule,
    priceRule,
    currencyRates: z
      .array(
        z
          .object({
            from: currency,
            to: currency,
            rate: z
              .string()
              .regex(
                /^\d{1,12}(\.\d{1,10})?$/,
                'must be a positive decimal string with up to 12 digits before the point and 10 after',
              )
              .refine((value) => /[1-9]/.test(value), 'must be above 0'),
          })
          .strict(),
      )
      .max(200)
      .optional(),
  })
  .strict();
const linkBody = z.object({ platformSku: skuCode }).strict();
const skuListQuery = z.object({
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
});
const catalogQuery = z.object({
  shopId: z.string().regex(/^\d+$/).optional(),
  state: z.enum(['auto', 'manual', 'unlinked', 'unmatched', 'duplicate']).optional(),
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
});
const PRODUCT_STATUSES = [
  'ALL',
  'DRAFT',
  'PENDING',
  'FAILED',
  'ACTIVATE',
  'SELLER_DEACTIVATED',
  'PLATFORM_DEACTIVATED',
  'FREEZE',
  'DELETED',
] as const;
const unixSeconds = z.coerce
  .number()
  .int()
  .min(0)
  .max(99_999_999_999, 'must be Unix seconds; this value looks like milliseconds');
const productQuery = z.object({
  status: z.enum(PRODUCT_STATUSES).optional(),
  sellerSku: z.string().max(128).optional(),
  title: z.string().max(200).optional(),
  updatedFrom: unixSeconds.optional(),
  updatedTo: unixSeconds.optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  pageToken: z.string().max(2000).optional(),
  source: z.enum(['mirror', 'live']).default('mirror'),
});

const doc = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

async function store(ctx: AppContext, principal: Principal, params: unknown) {
  const { storeId } = storeParams.parse(params);
  await requireStore(ctx, principal, storeId);
  return storeId;
}

/** Locations, SKUs, stock, prices, the TikTok catalog mirror and SKU links. */
export function registerCatalogRoutes(app: FastifyInstance, ctx: AppContext): void {
  const base = '/api/v1/stores/:storeId';

  app.get(`${base}/locations`, { schema: { tags: ['catalog'] } }, async (request) => {
    const storeId = await store(ctx, await authenticate(ctx, request), request.params);
    return { locations: await listLocations(ctx, storeId) };
  });

  app.post(
    `${base}/locations`,
    { schema: { tags: ['catalog'], body: doc(locationBody) } },
    async (request, reply) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      const location = await createLocation(ctx, storeId, locationBody.parse(request.body));
      return reply.status(201).send(location);
    },
  );

  app.patch(
    `${base}/locations/:code`,
    { schema: { tags: ['catalog'], body: doc(locationPatch) } },
    async (request) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      const { code: locationCode } = locationParams.parse(request.params);
      return updateLocation(ctx, storeId, locationCode, locationPatch.parse(request.body));
    },
  );

  app.put(
    `${base}/locations/:code/warehouses/:shopId`,
    { schema: { tags: ['catalog'], body: doc(mappingBody) } },
    async (request) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      const { code: locationCode, shopId } = mappingParams.parse(request.params);
      const { warehouseId } = mappingBody.parse(request.body);
      return mapLocationToWarehouse(ctx, storeId, locationCode, shopId, warehouseId);
    },
  );

  app.delete(
    `${base}/locations/:code/warehouses/:shopId`,
    { schema: { tags: ['catalog'] } },
    async (request, reply) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      const { code: locationCode, shopId } = mappingParams.parse(request.params);
      await requireLocation(ctx, storeId, locationCode);
      await unmapLocation(ctx, storeId, locationCode, shopId);
      return reply.status(204).send();
    },
  );

  app.get(`${base}/warehouses`, { schema: { tags: ['catalog'] } }, async (request) => {
    const storeId = await store(ctx, await authenticate(ctx, request), request.params);
    const rows = await ctx.db
      .selectFrom('tiktok_warehouses as w')
      .innerJoin('connections as c', (join) =>
        join.onRef('c.shop_id', '=', 'w.shop_id').on('c.status', '<>', 'disconnected'),
      )
      .select(['w.shop_id', 'w.id', 'w.name', 'w.type', 'w.effect_status', 'w.is_default'])
      .where('c.store_id', '=', storeId)
      .orderBy('w.shop_id')
      .orderBy('w.id')
      .execute();
    const locations = await listLocations(ctx, storeId);
    return {
      warehouses: rows.map((row): TiktokWarehouse => ({
        shopId: row.shop_id,
        id: row.id,
        name: row.name,
        type: row.type,
        effectStatus: row.effect_status,
        isDefault: row.is_default,
        locationCodes: locations
          .filter((location) =>
            location.warehouses.some((w) => w.shopId === row.shop_id && w.warehouseId === row.id),
          )
          .map((location) => location.code),
      })),
    };
  });

  app.get(
    `${base}/skus`,
    { schema: { tags: ['catalog'], querystring: doc(skuListQuery) } },
    async (request) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      return listSkus(ctx, storeId, skuListQuery.parse(request.query));
    },
  );

  app.post(
    `${base}/skus`,
    { schema: { tags: ['catalog'], body: doc(skuBody) } },
    async (request, reply) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      return reply.status(201).send(await createSku(ctx, storeId, skuBody.parse(request.body)));
    },
  );

  app.post(
    `${base}/skus/import`,
    { schema: { tags: ['catalog'], body: doc(importBody) } },
    async (request) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      return importSkus(ctx, storeId, importBody.parse(request.body).items);
    },
  );

  app.get(`${base}/skus/:sku`, { schema: { tags: ['catalog'] } }, async (request) => {
    const storeId = await store(ctx, await authenticate(ctx, request), request.params);
    return getSku(ctx, storeId, skuParams.parse(request.params).sku);
  });

  app.patch(
    `${base}/skus/:sku`,
    { schema: { tags: ['catalog'], body: doc(skuPatch) } },
    async (request) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      const { sku } = skuParams.parse(request.params);
      return updateSku(ctx, storeId, sku, skuPatch.parse(request.body));
    },
  );

  app.put(
    `${base}/skus/:sku/stock`,
    { schema: { tags: ['catalog'], body: doc(stockBody) } },
    async (request) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      const { sku } = skuParams.parse(request.params);
      const { levels } = stockBody.parse(request.body);
      const codes = levels.map((level) => level.location);
      const twice = codes.find((location, index) => codes.indexOf(location) !== index);
      if (twice) {
        throw new AppError(
          'VALIDATION_FAILED',
          `levels: location ${twice} is listed twice; send one level per location.`,
          { details: { location: twice } },
        );
      }
      return setStock(
        ctx,
        storeId,
        levels.map((level) => ({ ...level, sku })),
      );
    },
  );

  app.post(
    `${base}/stock`,
    { schema: { tags: ['catalog'], body: doc(bulkStockBody) } },
    async (request) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      return setStock(ctx, storeId, bulkStockBody.parse(request.body).changes);
    },
  );

  app.get(`${base}/settings/catalog`, { schema: { tags: ['catalog'] } }, async (request) => {
    const storeId = await store(ctx, await authenticate(ctx, request), request.params);
    return getCatalogSettings(ctx, storeId);
  });

  app.put(
    `${base}/settings/catalog`,
    { schema: { tags: ['catalog'], body: doc(settingsBody) } },
    async (request) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      const body = settingsBody.parse(request.body);
      const pairs = (body.currencyRates ?? []).map((rate) => `${rate.from}>${rate.to}`);
      const twice = pairs.find((pair, index) => pairs.indexOf(pair) !== index);
      if (twice) {
        throw new AppError(
          'VALIDATION_FAILED',
          `currencyRates: the rate from ${twice.replace('>', ' to ')} is listed twice; send each pair once.`,
        );
      }
      for (const rate of body.currencyRates ?? []) {
        if (rate.from === rate.to) {
          throw new AppError(
            'VALIDATION_FAILED',
            `currencyRates: a rate from ${rate.from} to itself is meaningless; remove it.`,
          );
        }
      }
      return updateCatalogSettings(ctx, storeId, body);
    },
  );

  app.get(
    `${base}/connections/:connectionId/products`,
    { schema: { tags: ['catalog'], querystring: doc(productQuery) } },
    async (request) => {
      const principal = await authenticate(ctx, request);
      const { storeId, connectionId } = connectionParams.parse(request.params);
      const connection = await requireConnection(ctx, principal, storeId, connectionId);
      if (connection.status === 'disconnected') {
        throw new AppError('CONFLICT', 'This shop is disconnected; connect it again to search.');
      }
      return searchShopProducts(ctx, connection, productQuery.parse(request.query));
    },
  );

  app.post(
    `${base}/connections/:connectionId/catalog/sync`,
    { schema: { tags: ['catalog'] } },
    async (request, reply) => {
      const principal = await authenticate(ctx, request);
      const { storeId, connectionId } = connectionParams.parse(request.params);
      const connection = await requireConnection(ctx, principal, storeId, connectionId);
      if (connection.status !== 'active') {
        throw new AppError('CONFLICT', 'This shop is not active; re-authorize it before syncing.');
      }
      await ctx.jobs.send(
        QUEUES.catalogSync,
        { connectionId: connection.id, full: true },
        connection.id,
      );
      return reply.status(202).send({ status: 'queued' });
    },
  );

  app.get(
    `${base}/catalog/skus`,
    { schema: { tags: ['catalog'], querystring: doc(catalogQuery) } },
    async (request) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      return listCatalogSkus(ctx, storeId, catalogQuery.parse(request.query));
    },
  );

  app.get(`${base}/catalog/report`, { schema: { tags: ['catalog'] } }, async (request) => {
    const storeId = await store(ctx, await authenticate(ctx, request), request.params);
    return linkReport(ctx, storeId);
  });

  app.get(
    `${base}/catalog/skus/:shopId/:tiktokSkuId`,
    { schema: { tags: ['catalog'] } },
    async (request) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      const { shopId, tiktokSkuId } = tiktokSkuParams.parse(request.params);
      return getCatalogSku(ctx, storeId, shopId, tiktokSkuId);
    },
  );

  app.put(
    `${base}/catalog/links/:shopId/:tiktokSkuId`,
    { schema: { tags: ['catalog'], body: doc(linkBody) } },
    async (request) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      const { shopId, tiktokSkuId } = tiktokSkuParams.parse(request.params);
      const { platformSku } = linkBody.parse(request.body);
      return linkByHand(ctx, storeId, shopId, tiktokSkuId, platformSku);
    },
  );

  app.delete(
    `${base}/catalog/links/:shopId/:tiktokSkuId`,
    { schema: { tags: ['catalog'] } },
    async (request) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      const { shopId, tiktokSkuId } = tiktokSkuParams.parse(request.params);
      return unlinkByHand(ctx, storeId, shopId, tiktokSkuId);
    },
  );

  app.post(
    `${base}/catalog/skus/:shopId/:tiktokSkuId/push`,
    { schema: { tags: ['catalog'] } },
    async (request, reply) => {
      const storeId = await store(ctx, await authenticate(ctx, request), request.params);
      const { shopId, tiktokSkuId } = tiktokSkuParams.parse(request.params);
      await pushAgain(ctx, storeId, shopId, tiktokSkuId);
      return reply.status(202).send({ status: 'queued' });
    },
  );
}
