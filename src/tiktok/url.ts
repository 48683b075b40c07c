import { TikTokApiError } from './errors.ts';
import type { NormalizedQuery } from './sign.ts';

/** Path parameter values must need no percent-encoding, so that the signed path is the sent one. */
const PATH_PARAM_PATTERN = /^[A-Za-z0-9._~-]+$/;

/** A base URL split into its origin and the path prefix of a reverse proxy. */
export interface BaseUrl {
  origin: string;
  /** Path prefix of a reverse proxy; sent but not signed, since the proxy strips it. */
  prefix: string;
}

/** Replaces the `{name}` placeholders of a path template with their values. */
export function fillPathTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_placeholder, name: string) => {
    const value = params[name];
    if (value === undefined || !PATH_PARAM_PATTERN.test(value)) {
      throw new TikTokApiError({
        kind: 'REQUEST_INVALID',
        message: `Path parameter ${name} of ${template} is missing or contains characters other than letters, digits and ._~-`,
        path: template,
      });
    }
    return value;
  });
}

/** Splits a base URL into origin and path prefix. */
export function parseBaseUrl(optionName: string, value: string): BaseUrl {
  const url = new URL(value);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    throw new TypeError(`${optionName} must be an http(s) URL without query or fragment`);
  }
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
}

/** Builds the request URL: origin, prefix, path and the percent-encoded query. */
export function buildUrl(base: BaseUrl, path: string, query: NormalizedQuery): string {
  // encodeURIComponent turns the + and / of page tokens into %2B and %2F, while the signature
  // covers the raw value that TikTok receives after decoding.
  const queryString = Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return `${base.origin}${base.prefix}${path}?${queryString}`;
}
