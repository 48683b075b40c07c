import { describe, expect, it } from 'vitest';

import {
  computeShopPrice,
  decimalPlaces,
  formatAmount,
  minorDigits,
  regionCurrency,
} from './money.ts';

describe('money', () => {
  it('knows minor units and market currencies', () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('IDR')).toBe(0);
    expect(regionCurrency('GB')).toBe('GBP');
    expect(regionCurrency('DE')).toBe('EUR');
    expect(regionCurrency('XX')).toBeNull();
    expect(decimalPlaces('1.505')).toBe(3);
    expect(formatAmount('12.500000', 'USD')).toBe('12.50');
    expect(formatAmount('5000.000000', 'IDR')).toBe('5000');
  });

  it('converts, marks up and rounds half away from zero without floating point', () => {
    expect(
      computeShopPrice({
        amount: '19.99',
        currency: 'USD',
        rate: '0.79',
        rule: null,
        targetCurrency: 'GBP',
      }),
    ).toBe('15.79');
    // 0.1 + 0.2 style errors would give 0.30000000000000004 here.
    expect(
      computeShopPrice({
        amount: '0.10',
        currency: 'USD',
        rate: null,
        rule: { markupFixed: '0.20' },
        targetCurrency: 'USD',
      }),
    ).toBe('0.30');
    expect(
      computeShopPrice({
        amount: '10.00',
        currency: 'USD',
        rate: null,
        rule: { markupPercent: '12.5', markupFixed: '0.99' },
        targetCurrency: 'USD',
      }),
    ).toBe('12.24');
    // 2.675 is 2.67499999... as a double; exact decimals round it up.
    expect(
      computeShopPrice({
        amount: '2.675',
        currency: 'USD',
        rate: null,
        rule: null,
        targetCurrency: 'USD',
      }),
    ).toBe('2.68');
    expect(
      computeShopPrice({
        amount: '10',
        currency: 'USD',
        rate: '151.2345',
        rule: null,
        targetCurrency: 'JPY',
      }),
    ).toBe('1512');
    expect(
      computeShopPrice({
        amount: '10.00',
        currency: 'USD',
        rate: null,
        rule: { markupPercent: '-10' },
        targetCurrency: 'USD',
      }),
    ).toBe('9.00');
  });

  it('refuses a conversion without a rate', () => {
    expect(() =>
      computeShopPrice({
        amount: '1.00',
        currency: 'EUR',
        rate: null,
        rule: null,
        targetCurrency: 'GBP',
      }),
    ).toThrow(/no conversion rate from EUR to GBP/);
  });
});
