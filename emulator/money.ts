/** Digits after the decimal point per currency; TikTok sends amounts as major-unit strings. */
const MINOR_DIGITS: Record<string, number> = { JPY: 0, IDR: 0, VND: 0, KRW: 0 };

/** Returns the number of minor-unit digits of a currency (2 unless listed as 0). */
export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

/** Formats integer minor units as a decimal string in major units, e.g. 2499 USD → "24.99". */
export function formatMinor(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount ${minor} is not an integer`);
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  if (digits === 0) return sign + text;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** Parses a decimal string in major units into integer minor units without floats. */
export function parseMajor(amount: string, currency: string): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new RangeError(`amount "${amount}" is not a decimal number`);
  const digits = minorDigits(currency);
  const fraction = (match[3] ?? '').padEnd(digits, '0');
  if (fraction.length > digits) {
    throw new RangeError(`amount "${amount}" has more than ${digits} decimals for ${currency}`);
  }
  const minor = Number(match[2]! + fraction);
  return match[1] === '-' ? -minor : minor;
}

/** Applies a rate in parts per million to an amount, rounding half up to whole minor units. */
export function applyRatePpm(minor: number, ratePpm: number): number {
  return Math.floor((minor * ratePpm + 500_000) / 1_000_000);
}

/** Formats a rate in parts per million as a decimal string, e.g. 72500 → "0.0725". */
export function formatRatePpm(ratePpm: number): string {
  const text = String(ratePpm).padStart(7, '0');
  const fraction = text.slice(-6).replace(/0+$/, '');
  return fraction ? `${text.slice(0, -6)}.${fraction}` : text.slice(0, -6);
}
