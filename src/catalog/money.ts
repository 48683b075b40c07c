// Exact decimal arithmetic for prices. Amounts travel as decimal strings (TikTok's form) and are
// computed as BigInt numbers of a fixed scale, so no binary floating point touches money.

/** Digits after the decimal point of each currency's minor unit; two unless listed. */
const MINOR_DIGITS: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  IDR: 0,
  VND: 0,
  CLP: 0,
  HUF: 0,
};

/** Currency of each TikTok Shop market (reference §9.12). */
const REGION_CURRENCY: Record<string, string> = {
  US: 'USD',
  GB: 'GBP',
  UK: 'GBP',
  DE: 'EUR',
  FR: 'EUR',
  IT: 'EUR',
  ES: 'EUR',
  IE: 'EUR',
  JP: 'JPY',
  MX: 'MXN',
  BR: 'BRL',
  ID: 'IDR',
  MY: 'MYR',
  PH: 'PHP',
  SG: 'SGD',
  TH: 'THB',
  VN: 'VND',
};

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

export function regionCurrency(region: string): string | null {
  return REGION_CURRENCY[region.toUpperCase()] ?? null;
}

export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;
/** Scale of intermediate results: enough for a rate with 10 decimals times a 6-decimal price. */
const SCALE = 18;
const SCALE_FACTOR = 10n ** BigInt(SCALE);

/** A decimal as an integer count of 10^-18 units. */
export type Fixed = bigint;

export function isDecimal(text: string): boolean {
  return DECIMAL_PATTERN.test(text);
}

/** Number of digits after the point, ignoring none: "1.50" has 2. */
export function decimalPlaces(text: string): number {
  return DECIMAL_PATTERN.exec(text)?.[3]?.length ?? 0;
}

export function toFixed(text: string): Fixed {
  const match = DECIMAL_PATTERN.exec(text.trim());
  if (!match) throw new RangeError(`"${text}" is not a decimal number`);
  const fraction = (match[3] ?? '').slice(0, SCALE).padEnd(SCALE, '0');
  const value = BigInt(match[2]!) * SCALE_FACTOR + BigInt(fraction);
  return match[1] === '-' ? -value : value;
}

export function multiply(a: Fixed, b: Fixed): Fixed {
  return roundDiv(a * b, SCALE_FACTOR);
}

/** Rounds a / b half away from zero. */
function roundDiv(a: bigint, b: bigint): bigint {
  const negative = a < 0n !== b < 0n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  const quotient = (absA * 2n + absB) / (absB * 2n);
  return negative ? -quotient : quotient;
}

/** Formats with exactly `digits` decimals, rounding half away from zero. */
export function formatFixed(value: Fixed, digits: number): string {
  const step = 10n ** BigInt(SCALE - digits);
  const units = roundDiv(value, step);
  const negative = units < 0n;
  const text = (negative ? -units : units).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Normalizes a stored numeric ("12.500000") to the currency's minor unit ("12.50"). */
export function formatAmount(text: string, currency: string): string {
  return formatFixed(toFixed(text), minorDigits(currency));
}

export interface PriceRule {
  /** Percent added to the converted price, e.g. "10" or "-5.5". */
  markupPercent?: string | undefined;
  /** Amount in the shop's currency added after the percentage. */
  markupFixed?: string | undefined;
}

export interface PriceInput {
  amount: string;
  currency: string;
  /** Shop currency per unit of `currency`; required when the two differ. */
  rate: string | null;
  rule: PriceRule | null;
  targetCurrency: string;
}

/** Converts, marks up and rounds a platform price to what TikTok should show. */
export function computeShopPrice(input: PriceInput): string {
  let value = toFixed(input.amount);
  if (input.currency !== input.targetCurrency) {
    if (input.rate === null) {
      throw new RangeError(
        `no conversion rate from ${input.currency} to ${input.targetCurrency} is configured`,
      );
    }
    value = multiply(value, toFixed(input.rate));
  }
  if (input.rule?.markupPercent) {
    const factor = SCALE_FACTOR + roundDiv(toFixed(input.rule.markupPercent), 100n);
    value = multiply(value, factor);
  }
  if (input.rule?.markupFixed) value += toFixed(input.rule.markupFixed);
  return formatFixed(value, minorDigits(input.targetCurrency));
}
