import { createHmac, timingSafeEqual } from 'node:crypto';

/** Query parameters that never enter the string to sign. */
const UNSIGNED_PARAMS = new Set(['sign', 'access_token', 'x-tts-access-token']);

/** Inputs of a business API request signature. */
export interface RequestSignInput {
  appSecret: string;
  /** Request path without host, query or any reverse-proxy prefix. */
  path: string;
  /** Decoded query parameters; `sign` and token parameters are skipped. */
  query: Iterable<[string, string]>;
  /** Raw body bytes as sent; left out of the signature for multipart requests. */
  body?: Buffer | string;
  contentType?: string;
  /** Whether parameters with an empty value are left out, as some SDKs do. */
  shouldSkipEmptyParams?: boolean;
}

/**
 * Computes the `sign` query parameter: HMAC-SHA256, keyed by the app secret, over
 * secret + path + sorted `{key}{value}` pairs + raw body + secret, as lower-case hex.
 */
export function computeRequestSign(input: RequestSignInput): string {
  const pairs = [...input.query].filter(([key, value]) => {
    if (UNSIGNED_PARAMS.has(key)) return false;
    return !(input.shouldSkipEmptyParams && value === '');
  });
  // Byte order of the keys; they are ASCII, so UTF-16 code unit order is the same.
  pairs.sort(([a], [b]) => {
    if (a === b) return 0;
    return a < b ? -1 : 1;
  });

  const hmac = createHmac('sha256', input.appSecret);
  hmac.update(input.appSecret + input.path);
  for (const [key, value] of pairs) hmac.update(key + value);
  if (input.body !== undefined && !isMultipart(input.contentType)) hmac.update(input.body);
  hmac.update(input.appSecret);
  return hmac.digest('hex');
}

/** Computes the webhook `Authorization` header: HMAC-SHA256 of app_key + raw body, lower-case hex. */
export function computeWebhookSignature(
  appKey: string,
  appSecret: string,
  rawBody: Buffer | string,
): string {
  return createHmac('sha256', appSecret).update(appKey).update(rawBody).digest('hex');
}

/** Compares two hex digests in constant time; TikTok accepts only lower-case request signs. */
export function isDigestEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Checks a webhook signature as a receiver should: constant time, hex case ignored. */
export function verifyWebhookSignature(input: {
  appKey: string;
  appSecret: string;
  rawBody: Buffer | string;
  authorization: string | undefined;
}): boolean {
  if (!input.authorization) return false;
  const expected = computeWebhookSignature(input.appKey, input.appSecret, input.rawBody);
  return isDigestEqual(expected, input.authorization.trim().toLowerCase());
}

/** Returns whether the media type of a content-type header is multipart/form-data. */
export function isMultipart(contentType: string | undefined): boolean {
  return mediaType(contentType) === 'multipart/form-data';
}

/** Returns the lower-case media type of a content-type header, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}
