import { isInteger, isSafeNumber, parse } from 'lossless-json';

/**
 * Parses JSON without losing digits.
 *
 * TikTok sends some 18-19 digit ids as JSON numbers, which `JSON.parse` would round. Safe
 * integers and decimals that convert without loss become numbers. Every other number comes out
 * as a string of its exact digits, and JSON strings stay strings.
 */
export function parseJsonLossless(text: string): unknown {
  return parse(text, null, parseNumberLossless);
}

function parseNumberLossless(digits: string): number | string {
  if (isInteger(digits)) {
    return Number.isSafeInteger(Number(digits)) ? Number(digits) : digits;
  }
  return isSafeNumber(digits) ? Number(digits) : digits;
}
