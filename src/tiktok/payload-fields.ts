import { z } from 'zod';

// Field schemas shared by the order and product payloads. They read TikTok's wire format leniently:
// null is read as absent, and ids and amounts that arrive as numbers become strings.

export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema.optional());
}

/** An 18-19 digit id; some payloads send it as a JSON number, so it is turned into a string. */
export const idSchema = z.union([z.string(), z.number().int(), z.bigint()]).transform(String);

/** Money and rates are decimal strings in major units; a stray number is turned into one. */
export const decimalSchema = z.union([z.string(), z.number()]).transform(String);

/** Unix seconds, as a number or a string of digits. */
export const unixSecondsSchema = z.union([
  z.number().int(),
  z.string().regex(/^\d+$/).transform(Number),
]);

export const flagSchema = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((value) => value === 'true'),
]);

export const numberOrStringSchema = z.union([z.number(), z.string()]);

/** A count of units, as a JSON number or a string of digits. */
export const countSchema = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
