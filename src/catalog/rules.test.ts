import { describe, expect, it } from 'vitest';

import { applyStockRule, distributeAcrossWarehouses, stockRuleSchema } from './rules.ts';

describe('stock rules', () => {
  it('holds back fixed and percentage reserves, caps, and never goes below zero', () => {
    expect(applyStockRule(10, null)).toBe(10);
    expect(applyStockRule(10, { reserveUnits: 3 })).toBe(7);
    expect(applyStockRule(2, { reserveUnits: 3 })).toBe(0);
    expect(applyStockRule(10, { reservePercent: '15' })).toBe(8);
    expect(applyStockRule(10, { reservePercent: '12.5' })).toBe(8);
    expect(applyStockRule(100, { maxQuantity: 25 })).toBe(25);
    expect(applyStockRule(100, { reserveUnits: 10, reservePercent: '10', maxQuantity: 50 })).toBe(
      50,
    );
    expect(applyStockRule(-4, null)).toBe(0);
  });

  it('takes held-back units from the fullest warehouses first', () => {
    const result = distributeAcrossWarehouses(
      new Map([
        ['A', 10],
        ['B', 4],
        ['C', 0],
      ]),
      { reserveUnits: 7 },
    );
    expect(Object.fromEntries(result)).toEqual({ A: 3, B: 4, C: 0 });
    expect([
      ...distributeAcrossWarehouses(new Map([['A', 3]]), { reserveUnits: 9 }).values(),
    ]).toEqual([0]);
    expect([...distributeAcrossWarehouses(new Map([['A', 3]]), null).values()]).toEqual([3]);
  });

  it('rejects rules that make no sense', () => {
    expect(stockRuleSchema.safeParse({ reservePercent: '120' }).success).toBe(false);
    expect(stockRuleSchema.safeParse({ reserveUnits: -1 }).success).toBe(false);
    expect(stockRuleSchema.safeParse({ reserveUnits: 1, extra: true }).success).toBe(false);
  });
});
