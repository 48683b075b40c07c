/**
 * An integer written into JSON text as a bare number without passing through a JS number,
 * because some webhook payloads carry 18-19 digit product ids as JSON numbers.
 */
export class RawJsonNumber {
  constructor(readonly digits: string) {
    if (!/^-?\d+$/.test(digits)) throw new TypeError(`"${digits}" is not an integer`);
  }
}

/** Serializes a value like JSON.stringify, writing RawJsonNumber values as bare digits. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJsonNumber) return value.digits;
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : toJsonText(item))).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const fields: string[] = [];
    for (const [key, field] of Object.entries(value)) {
      if (field === undefined) continue;
      fields.push(`${JSON.stringify(key)}:${toJsonText(field)}`);
    }
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}
