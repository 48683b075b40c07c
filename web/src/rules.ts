import type { PriceRule, StockRule } from '../../src/http/catalog-types.ts';

/**
 * Form state of a stock rule or price rule. `enabled` false means null, so a SKU follows the
 * store-wide rule and the store has no rule. The fields contain the text of the inputs.
 */
export interface RuleDraft<Fields> {
  enabled: boolean;
  fields: Fields;
}

export interface StockRuleFields {
  reserveUnits: string;
  reservePercent: string;
  maxQuantity: string;
}

export interface PriceRuleFields {
  markupPercent: string;
  markupFixed: string;
}

export function stockRuleDraft(rule: StockRule | null): RuleDraft<StockRuleFields> {
  return {
    enabled: rule !== null,
    fields: {
      reserveUnits: rule?.reserveUnits === undefined ? '' : String(rule.reserveUnits),
      reservePercent: rule?.reservePercent ?? '',
      maxQuantity: rule?.maxQuantity === undefined ? '' : String(rule.maxQuantity),
    },
  };
}

export function priceRuleDraft(rule: PriceRule | null): RuleDraft<PriceRuleFields> {
  return {
    enabled: rule !== null,
    fields: {
      markupPercent: rule?.markupPercent ?? '',
      markupFixed: rule?.markupFixed ?? '',
    },
  };
}

/**
 * Builds the stock rule of a draft, leaving out empty fields. The unit inputs accept only whole
 * numbers, so the browser has checked them, and the percent stays the decimal string as typed.
 */
export function stockRuleOf(draft: RuleDraft<StockRuleFields>): StockRule | null {
  if (!draft.enabled) return null;
  const { reserveUnits, reservePercent, maxQuantity } = draft.fields;
  const rule: StockRule = {};
  if (reserveUnits.trim() !== '') rule.reserveUnits = Number(reserveUnits);
  if (reservePercent.trim() !== '') rule.reservePercent = reservePercent.trim();
  if (maxQuantity.trim() !== '') rule.maxQuantity = Number(maxQuantity);
  return rule;
}

/** Builds the price rule of a draft, leaving out empty fields. Amounts stay decimal strings. */
export function priceRuleOf(draft: RuleDraft<PriceRuleFields>): PriceRule | null {
  if (!draft.enabled) return null;
  const { markupPercent, markupFixed } = draft.fields;
  const rule: PriceRule = {};
  if (markupPercent.trim() !== '') rule.markupPercent = markupPercent.trim();
  if (markupFixed.trim() !== '') rule.markupFixed = markupFixed.trim();
  return rule;
}

/** Compares two rules field by field, since the server may return their keys in another order. */
export function sameRule<T extends object>(left: T | null, right: T | null): boolean {
  if (left === null || right === null) return left === right;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every(
    (key) => (left as Record<string, unknown>)[key] === (right as Record<string, unknown>)[key],
  );
}

/** Describes a stock rule in a few words for a table cell. */
export function describeStockRule(rule: StockRule): string {
  const parts: string[] = [];
  if (rule.reserveUnits !== undefined) parts.push(`keep ${rule.reserveUnits} back`);
  if (rule.reservePercent !== undefined) parts.push(`keep ${rule.reservePercent}% back`);
  if (rule.maxQuantity !== undefined) parts.push(`show at most ${rule.maxQuantity}`);
  return parts.length > 0 ? parts.join(', ') : 'no buffer';
}

/** Describes a price rule in a few words for a table cell. */
export function describePriceRule(rule: PriceRule): string {
  const parts: string[] = [];
  if (rule.markupPercent !== undefined) parts.push(`${rule.markupPercent}% markup`);
  if (rule.markupFixed !== undefined) parts.push(`plus ${rule.markupFixed}`);
  return parts.length > 0 ? parts.join(', ') : 'no markup';
}
