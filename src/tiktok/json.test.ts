import { describe, expect, it } from 'vitest';

import { parseJsonLossless } from './json.ts';

describe('parseJsonLossless', () => {
  it('keeps 19-digit integers as exact strings', () => {
    const parsed = parseJsonLossless('{"product_id":1729582718312380123,"n":7495000000000000001}');
    expect(parsed).toEqual({ product_id: '1729582718312380123', n: '7495000000000000001' });
  });

  it('keeps safe integers as numbers', () => {
    expect(parseJsonLossless('{"code":0,"t":1700000000,"big":9007199254740991}')).toEqual({
      code: 0,
      t: 1700000000,
      big: 9007199254740991,
    });
  });

  it('returns 9007199254740993 as a string', () => {
    expect(parseJsonLossless('[9007199254740993]')).toEqual(['9007199254740993']);
  });

  it('leaves decimal strings untouched', () => {
    expect(parseJsonLossless('{"amount":"121.10","rate":"0.030"}')).toEqual({
      amount: '121.10',
      rate: '0.030',
    });
  });

  it('keeps decimals that would lose digits as strings', () => {
    expect(parseJsonLossless('[0.5, 12345678901234567.89]')).toEqual([0.5, '12345678901234567.89']);
  });

  it('throws on invalid JSON', () => {
    expect(() => parseJsonLossless('{"a":')).toThrow(SyntaxError);
  });
});
