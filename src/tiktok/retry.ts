import type { TikTokApiError } from './errors.ts';

/** Settings of the exponential backoff between attempts. */
export interface BackoffPolicy {
  /** Upper bound of the first delay in ms; it doubles with each attempt. */
  baseDelayMs: number;
  /** Upper bound of any delay in ms, `Retry-After` included. */
  maxDelayMs: number;
  /** Uniform random number in [0, 1); injected so tests are deterministic. */
  random: () => number;
}

/**
 * Returns the delay before the next attempt in ms, or null when TikTok asked for a longer wait
 * than the policy allows, in which case the caller gives up and reports `retryAfterMs`.
 *
 * The delay uses full jitter (uniform between 0 and the exponential bound) so that many clients
 * throttled at once do not retry in lockstep, and it is never shorter than `Retry-After`.
 */
export function backoffDelayMs(
  policy: BackoffPolicy,
  attempt: number,
  retryAfterMs: number | null,
): number | null {
  if (retryAfterMs !== null && retryAfterMs > policy.maxDelayMs) {
    return null;
  }
  const boundMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jitterMs = Math.floor(policy.random() * boundMs);
  return Math.max(retryAfterMs ?? 0, jitterMs);
}

/** Parses a `Retry-After` header (delay seconds or an HTTP date) into ms from `nowMs`. */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') {
    return null;
  }
  const text = header.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  const dateMs = Date.parse(text);
  return Number.isNaN(dateMs) ? null : Math.max(0, dateMs - nowMs);
}

/** Socket errors raised before any byte of the request left this machine. */
const NOT_SENT_ERROR_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** Checks whether a network failure proves that the request never reached TikTok. */
export function isNotSentNetworkError(error: TikTokApiError): boolean {
  const cause = error.cause as { code?: unknown } | undefined;
  return error.kind === 'NETWORK' && NOT_SENT_ERROR_CODES.has(String(cause?.code));
}
