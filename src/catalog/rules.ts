import { z } from 'zod';

import { decimalPlaces } from './money.ts';

const decimalText = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number written as a string, e.g. "12.50"');

/** A buffer between the stock on the shelf and what TikTok shows. */
export const stockRuleSchema = z
  .object({
    /** Units held back from TikTok. */
    reserveUnits: z.number().int().min(0).max(1_000_000).optional(),
    /** Percent of the sellable units held back, rounded up to whole units. */
    reservePercent: z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'must be a decimal string between "0" and "100"')
      .refine((value) => Number(value) <= 100, 'must not be above "100"')
      .optional(),
    /** TikTok never shows more than this many units. */
    maxQuantity: z.number().int().min(0).max(99_999_999).optional(),
  })
  .strict();

export type StockRule = z.infer<typeof stockRuleSchema>;

export const priceRuleSchema = z
  .object({
    markupPercent: decimalText
      .refine((value) => Number(value) > -100, 'must be above "-100"')
      .optional(),
    /** Added after the percentage, in the shop's currency. */
    markupFixed: decimalText
      .refine((value) => decimalPlaces(value) <= 6, 'must have at most 6 decimals')
      .optional(),
  })
  .strict();

export type PriceRule = z.infer<typeof priceRuleSchema>;

export function parseStoredRule<T>(schema: z.ZodType<T>, value: unknown): T | null {
  if (value === null || value === undefined) return null;
  const parsed = schema.safeParse(typeof value === 'string' ? JSON.parse(value) : value);
  return parsed.success ? parsed.data : null;
}

/** Computes how many of `sellable` units TikTok may show under a rule; never negative. */
export function applyStockRule(sellable: number, rule: StockRule | null): number {
  let shown = Math.max(0, sellable);
  if (rule?.reserveUnits) shown -= rule.reserveUnits;
  if (rule?.reservePercent) {
    // Whole hundredths of a percent keep the rounding exact for values like "12.5".
    const basisPoints = Math.round(Number(rule.reservePercent) * 100);
    shown -= Math.ceil((Math.max(0, sellable) * basisPoints) / 10_000);
  }
  if (rule?.maxQuantity !== undefined) shown = Math.min(shown, rule.maxQuantity);
  return Math.max(0, shown);
}

/**
 * Splits what TikTok may show across warehouses: each warehouse keeps its own sellable units, and
 * the units a rule holds back come off the fullest warehouses first.
 */
export function distributeAcrossWarehouses(
  sellableByWarehouse: ReadonlyMap<string, number>,
  rule: StockRule | null,
): Map<string, number> {
  const result = new Map<string, number>();
  let total = 0;
  for (const [warehouseId, units] of sellableByWarehouse) {
    const sellable = Math.max(0, units);
    result.set(warehouseId, sellable);
    total += sellable;
  }
  let toRemove = total - applyStockRule(total, rule);
  while (toRemove > 0) {
    let fullest: string | null = null;
    for (const [warehouseId, units] of result) {
      if (units > 0 && (fullest === null || units > result.get(fullest)!)) fullest = warehouseId;
    }
    if (fullest === null) break;
    const units = result.get(fullest)!;
    const second = Math.max(0, ...[...result.values()].filter((value) => value < units));
    const take = Math.min(toRemove, Math.max(1, units - second));
    result.set(fullest, units - take);
    toRemove -= take;
  }
  return result;
}
