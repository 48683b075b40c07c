import { createHmac } from 'node:crypto';

import type { Clock } from './types.ts';

/** A query value before normalization; lists are joined with commas. */
export type QueryValue =
  string | number | boolean | readonly (string | number)[] | null | undefined;

/** Query parameters after normalization: every value is a non-empty string. */
export type NormalizedQuery = Record<string, string>;

/** Parameters that never enter the string to sign: the signature itself and access tokens. */
const UNSIGNED_PARAMS = new Set(['sign', 'access_token', 'x-tts-access-token']);

/**
 * Computes HMAC-SHA256 over the concatenated parts and returns lower-case hex.
 *
 * Every signer and verifier in this module goes through this one helper, because TikTok rejects
 * an upper-case digest as an invalid sign.
 */
export function hmacSha256Hex(key: string, parts: readonly (string | Uint8Array)[]): string {
  const hmac = createHmac('sha256', key);
  for (const part of parts) {
    hmac.update(part);
  }
  return hmac.digest('hex');
}

/**
 * Drops undefined, null and empty values and joins lists with commas.
 *
 * TikTok SDKs disagree on how an empty parameter is signed, so empty parameters are never sent.
 */
export function normalizeQuery(params: Record<string, QueryValue>): NormalizedQuery {
  const normalized: NormalizedQuery = {};
  for (const [key, value] of Object.entries(params)) {
    const text = queryValueToString(key, value);
    if (text !== undefined && text !== '') {
      normalized[key] = text;
    }
  }
  return normalized;
}

function queryValueToString(key: string, value: QueryValue): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`Query parameter ${key} must be a finite number, got ${value}`);
  }
  if (Array.isArray(value)) {
    return value.map(String).join(',');
  }
  return String(value);
}

/** Input of {@link signRequest}. */
export interface SignRequestInput {
  appSecret: string;
  /** The API path as TikTok receives it, without host, base-URL prefix or query string. */
  path: string;
  /** The query parameters as sent, decoded; `sign` and tokens are skipped if present. */
  query: NormalizedQuery;
  /** The exact body bytes as sent; omitted for GET. */
  body?: string | Uint8Array;
  /** The request's content type; a multipart body is never signed. Default `application/json`. */
  contentType?: string;
}

/**
 * Builds the string that TikTok signs: secret, path, sorted key-value pairs, body, secret.
 */
export function buildStringToSign(input: SignRequestInput): (string | Uint8Array)[] {
  const keys = Object.keys(input.query)
    .filter((key) => !UNSIGNED_PARAMS.has(key))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const parts: (string | Uint8Array)[] = [input.appSecret, input.path];
  for (const key of keys) {
    parts.push(key, input.query[key] ?? '');
  }
  if (input.body !== undefined && !isMultipart(input.contentType)) {
    parts.push(input.body);
  }
  parts.push(input.appSecret);
  return parts;
}

/** Computes the `sign` query parameter of a TikTok Shop Open API request. */
export function signRequest(input: SignRequestInput): string {
  return hmacSha256Hex(input.appSecret, buildStringToSign(input));
}

function isMultipart(contentType: string | undefined): boolean {
  // The header reads "multipart/form-data; boundary=...", so only the media type is compared.
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  return mediaType === 'multipart/form-data';
}

/**
 * Returns the `timestamp` query parameter: Unix seconds as a 10-digit string.
 *
 * Throws when the clock does not return Unix milliseconds, because a seconds or float value
 * would produce a timestamp that TikTok rejects.
 */
export function unixTimestamp(clock: Clock): string {
  const timestamp = String(Math.floor(clock.now() / 1000));
  if (!/^\d{10}$/.test(timestamp)) {
    throw new RangeError(
      `clock.now() must return Unix milliseconds; it gave a timestamp of ${timestamp} seconds`,
    );
  }
  return timestamp;
}
