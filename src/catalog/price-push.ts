import { sql } from 'kysely';

import type { AppContext } from '../context.ts';
import { QUEUES } from '../jobs/boss.ts';
import { TikTokApiError, isPriceLocked } from '../tiktok/index.ts';
import type { TikTokShopContext } from '../tiktok/index.ts';
import { computeShopPrice, formatAmount, regionCurrency } from './money.ts';
import { parseStoredRule, priceRuleSchema } from './rules.ts';
import { pushTarget, waitForWindow, withProductLease } from './stock-push.ts';
import type { PushOutcome } from './stock-push.ts';

export interface WantedPrice {
  productId: string;
  /** Null when the platform SKU has no price, or when it cannot be converted (see `error`). */
  amount: string | null;
  currency: string;
  error: string | null;
  /** Whether TikTok, as last read or written, already shows `amount` in `currency`. */
  matchesTiktok: boolean;
}

/** The price each TikTok SKU should show: the platform price converted, marked up and rounded. */
export async function wantedPrices(
  ctx: AppContext,
  shopId: string,
  tiktokSkuIds: string[],
): Promise<Map<string, WantedPrice>> {
  const result = new Map<string, WantedPrice>();
  if (tiktokSkuIds.length === 0) return result;
  const rows = await ctx.db
    .selectFrom('tiktok_skus as t')
    .innerJoin('sku_links as k', (join) =>
      join.onRef('k.shop_id', '=', 't.shop_id').onRef('k.tiktok_sku_id', '=', 't.id'),
    )
    .innerJoin('platform_skus as p', 'p.id', 'k.platform_sku_id')
    .innerJoin('stores as s', 's.id', 'p.store_id')
    .innerJoin('connections as c', (join) =>
      join.onRef('c.shop_id', '=', 't.shop_id').on('c.status', '<>', 'disconnected'),
    )
    .select([
      't.id',
      't.product_id',
      't.currency as tiktok_currency',
      't.sale_price as tiktok_price',
      'p.price',
      'p.currency',
      'p.price_rule as sku_rule',
      's.price_rule as store_rule',
      's.currency as store_currency',
      's.id as store_id',
      'c.region',
    ])
    .where('t.shop_id', '=', shopId)
    .where('t.id', 'in', tiktokSkuIds)
    .where('k.mode', '<>', 'unlinked')
    .execute();
  if (rows.length === 0) return result;
  const rates = await ctx.db
    .selectFrom('currency_rates')
    .select(['from_currency', 'to_currency', 'rate'])
    .where('store_id', '=', rows[0]!.store_id)
    .execute();
  for (const row of rows) {
    const target = regionCurrency(row.region) ?? row.tiktok_currency ?? row.store_currency;
    const entry: WantedPrice = {
      productId: row.product_id,
      amount: null,
      currency: target,
      error: null,
      matchesTiktok: false,
    };
    if (row.price !== null) {
      const currency = row.currency ?? row.store_currency;
      const rate =
        rates.find((r) => r.from_currency === currency && r.to_currency === target)?.rate ?? null;
      const rule =
        parseStoredRule(priceRuleSchema, row.sku_rule) ??
        parseStoredRule(priceRuleSchema, row.store_rule);
      try {
        entry.amount = computeShopPrice({
          amount: formatAmount(row.price, currency),
          currency,
          rate,
          rule,
          targetCurrency: target,
        });
        if (entry.amount.startsWith('-') || /^0+(\.0+)?$/.test(entry.amount)) {
          entry.error = `the price rule brings ${formatAmount(row.price, currency)} ${currency} to ${entry.amount} ${target}; TikTok needs a positive price`;
          entry.amount = null;
        }
      } catch (error) {
        entry.error = (error as Error).message;
      }
      entry.matchesTiktok =
        entry.amount !== null &&
        row.tiktok_price !== null &&
        row.tiktok_currency === target &&
        formatAmount(row.tiktok_price, target) === entry.amount;
    }
    result.set(row.id, entry);
  }
  return result;
}

interface DirtyRow {
  tiktok_sku_id: string;
  seq: number;
  pushed: string | null;
  pushed_currency: string | null;
  locked: string | null;
}

/**
 * Sends the wanted price of every changed SKU of one product in one Update Price call. A price
 * TikTok reports as locked (a promotion) is recorded and not sent again until it changes.
 */
export async function pushProductPrices(
  ctx: AppContext,
  shopId: string,
  productId: string,
): Promise<PushOutcome> {
  const outcome: PushOutcome = { calls: 0, pushed: 0, failed: 0, skipped: 0 };
  if (await waitForWindow(ctx, QUEUES.pricePush, shopId, productId)) return outcome;
  await withProductLease(ctx, QUEUES.pricePush, shopId, productId, async () => {
    const dirty = (await ctx.db
      .selectFrom('sku_push_state')
      .select([
        'tiktok_sku_id',
        'price_wanted_seq as seq',
        'price_pushed as pushed',
        'price_pushed_currency as pushed_currency',
        'price_locked_amount as locked',
      ])
      .where('shop_id', '=', shopId)
      .where('product_id', '=', productId)
      .whereRef('price_wanted_seq', '>', 'price_done_seq')
      .execute()) as DirtyRow[];
    if (dirty.length === 0) return;
    const target = await pushTarget(ctx, shopId);
    if (!target) {
      await recordPriceError(
        ctx,
        shopId,
        dirty,
        'SHOP_NOT_ACTIVE',
        'Skipped: the shop is not connected or needs re-authorization.',
      );
      outcome.skipped += dirty.length;
      return;
    }
    const product = await ctx.db
      .selectFrom('tiktok_products')
      .select('status')
      .where('shop_id', '=', shopId)
      .where('id', '=', productId)
      .executeTakeFirst();
    if (product?.status !== 'ACTIVATE') {
      const status = product?.status ?? 'DELETED';
      await recordPriceError(
        ctx,
        shopId,
        dirty,
        `PRODUCT_${status}`,
        `Skipped: the TikTok product is ${status}; TikTok changes prices only of ACTIVATE products. The price is sent again once the product is ACTIVATE.`,
      );
      outcome.skipped += dirty.length;
      return;
    }
    const wanted = await wantedPrices(
      ctx,
      shopId,
      dirty.map((row) => row.tiktok_sku_id),
    );
    const toSend: DirtyRow[] = [];
    for (const row of dirty) {
      const entry = wanted.get(row.tiktok_sku_id);
      if (entry?.error) {
        await recordPriceError(
          ctx,
          shopId,
          [row],
          'PRICE_NOT_COMPUTABLE',
          `Not sent: ${entry.error}.`,
        );
        outcome.failed++;
      } else if (
        !entry?.amount ||
        (entry.matchesTiktok &&
          entry.amount === row.pushed &&
          entry.currency === row.pushed_currency) ||
        entry.amount === row.locked
      ) {
        // Like stock, a price is skipped only when both the last call and TikTok agree.
        await markPriceDone(ctx, shopId, [row]);
        outcome.skipped++;
      } else {
        toSend.push(row);
      }
    }
    if (toSend.length > 0) {
      await sendPrices(ctx, target, shopId, productId, toSend, wanted, outcome);
    }
  });
  return outcome;
}

async function sendPrices(
  ctx: AppContext,
  target: { shop: TikTokShopContext; connection: { region: string; seller_type: string | null } },
  shopId: string,
  productId: string,
  rows: DirtyRow[],
  wanted: Map<string, WantedPrice>,
  outcome: PushOutcome,
): Promise<void> {
  // JP shops and US shops shipping from China must send sale_price too (reference §5.2).
  const needsSalePrice =
    target.connection.region === 'JP' ||
    (target.connection.region === 'US' && target.connection.seller_type === 'CROSS_BORDER');
  outcome.calls++;
  try {
    await ctx.tiktok.updatePrice(
      target.shop,
      productId,
      rows.map((row) => {
        const entry = wanted.get(row.tiktok_sku_id)!;
        return {
          id: row.tiktok_sku_id,
          price: {
            amount: entry.amount!,
            currency: entry.currency,
            ...(needsSalePrice ? { salePrice: entry.amount! } : {}),
          },
        };
      }),
    );
  } catch (error) {
    if (!(error instanceof TikTokApiError)) throw error;
    if (isPriceLocked(error)) {
      if (rows.length > 1) {
        // One locked SKU fails the whole call; send each alone to find which are locked.
        for (const row of rows) {
          await sendPrices(ctx, target, shopId, productId, [row], wanted, outcome);
        }
        return;
      }
      const row = rows[0]!;
      const amount = wanted.get(row.tiktok_sku_id)!.amount!;
      await recordPriceError(
        ctx,
        shopId,
        rows,
        String(error.code),
        `TikTok locked this price (code ${error.code}), usually for a running promotion. ${amount} is not sent again; change the price after the promotion ends to send it.`,
        amount,
      );
      outcome.failed++;
      return;
    }
    if (error.retryable) throw error;
    await recordPriceError(ctx, shopId, rows, String(error.code ?? error.kind), error.message);
    outcome.failed += rows.length;
    return;
  }
  const now = new Date(ctx.clock.now());
  for (const row of rows) {
    const entry = wanted.get(row.tiktok_sku_id)!;
    await ctx.db
      .updateTable('sku_push_state')
      .set({
        price_pushed: entry.amount,
        price_pushed_currency: entry.currency,
        price_pushed_at: now,
        price_error: null,
        price_error_code: null,
        price_error_at: null,
        price_locked_amount: null,
        price_done_seq: sql<number>`GREATEST(price_done_seq, ${row.seq})`,
      })
      .where('shop_id', '=', shopId)
      .where('tiktok_sku_id', '=', row.tiktok_sku_id)
      .execute();
    await ctx.db
      .updateTable('tiktok_skus')
      .set({ sale_price: entry.amount, price: entry.amount, currency: entry.currency })
      .where('shop_id', '=', shopId)
      .where('id', '=', row.tiktok_sku_id)
      .execute();
  }
  outcome.pushed += rows.length;
  ctx.logger.info({ shopId, productId, skus: rows.length }, 'prices pushed');
}

/** Settles SKUs that need no call. */
async function markPriceDone(ctx: AppContext, shopId: string, rows: DirtyRow[]): Promise<void> {
  for (const row of rows) {
    await ctx.db
      .updateTable('sku_push_state')
      .set({ price_done_seq: sql<number>`GREATEST(price_done_seq, ${row.seq})` })
      .where('shop_id', '=', shopId)
      .where('tiktok_sku_id', '=', row.tiktok_sku_id)
      .execute();
  }
}

async function recordPriceError(
  ctx: AppContext,
  shopId: string,
  rows: DirtyRow[],
  code: string,
  message: string,
  lockedAmount?: string,
): Promise<void> {
  const now = new Date(ctx.clock.now());
  for (const row of rows) {
    await ctx.db
      .updateTable('sku_push_state')
      .set({
        price_error: message,
        price_error_code: code,
        price_error_at: now,
        ...(lockedAmount !== undefined ? { price_locked_amount: lockedAmount } : {}),
        price_done_seq: sql<number>`GREATEST(price_done_seq, ${row.seq})`,
      })
      .where('shop_id', '=', shopId)
      .where('tiktok_sku_id', '=', row.tiktok_sku_id)
      .execute();
  }
  ctx.logger.warn({ shopId, skus: rows.length, code }, 'price push failed');
}
