/**
 * Adds two decimal strings exactly, so that tax sums do not pick up binary floating-point error.
 * Returns the left operand unchanged when the right one is not a plain decimal number.
 */
export function addDecimals(left: string, right: string): string {
  const pattern = /^(-?)(\d*)(?:\.(\d*))?$/;
  const a = pattern.exec(left.trim());
  const b = pattern.exec(right.trim());
  if (!a || !b) return left;

  const scale = Math.max(a[3]?.length ?? 0, b[3]?.length ?? 0);
  const toUnits = (match: RegExpExecArray) => {
    const digits = `${match[2] || '0'}${(match[3] ?? '').padEnd(scale, '0')}`;
    return match[1] === '-' ? -BigInt(digits) : BigInt(digits);
  };

  const sum = toUnits(a) + toUnits(b);
  const negative = sum < 0n;
  const digits = (negative ? -sum : sum).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}
