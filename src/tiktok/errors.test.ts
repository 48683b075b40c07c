import { describe, expect, it } from 'vitest';

import { TikTokApiError, classifyTikTokError, isPriceLocked, isTikTokApiError } from './errors.ts';

describe('classifyTikTokError field-case table', () => {
  it('treats code 0 with HTTP 200 as success', () => {
    expect(classifyTikTokError(200, 0, 'Success')).toBeNull();
  });

  it('reads a missing body field as an invalid request, not a token error', () => {
    expect(classifyTikTokError(200, 36009004, 'param body.address is missing')).toEqual({
      kind: 'REQUEST_INVALID',
      retryable: false,
    });
  });

  it('reads 105005 as a missing scope', () => {
    expect(classifyTikTokError(200, 105005, 'you should apply auth pkg for this api')).toEqual({
      kind: 'SCOPE_MISSING',
      retryable: false,
    });
  });

  it('reads 106001 with HTTP 401 as a signing defect', () => {
    const message = "Invalid credentials. The 'sign' query parameter is invalid.";
    expect(classifyTikTokError(401, 106001, message)).toEqual({
      kind: 'SIGNATURE_INVALID',
      retryable: false,
    });
  });

  it('reads 105002 as an expired token', () => {
    expect(classifyTikTokError(200, 105002, 'access token is expired, please refresh it')).toEqual({
      kind: 'TOKEN_EXPIRED',
      retryable: false,
    });
  });

  it('reads any other non-zero code as a failure', () => {
    for (const code of [999999, 1, 21011999, 36009999, 105999]) {
      expect(classifyTikTokError(200, code, 'made-up failure')).toEqual({
        kind: 'FAILED',
        retryable: false,
      });
    }
  });
});

describe('classifyTikTokError by code', () => {
  const table: [number, string, string, boolean][] = [
    [36009002, 'Too many requests', 'RATE_LIMITED', true],
    [36009003, 'Internal error', 'SERVER_ERROR', true],
    [36009007, 'Request timeout', 'TIMEOUT', true],
    [105001, 'access token is invalid', 'TOKEN_INVALID', false],
    [101000, 'x-tts-access-token is invalid', 'SHOP_NOT_AUTHORIZED', false],
    [106013, 'Missing identifier', 'CIPHER_MISSING', false],
    [36009033, 'IP not allowed', 'IP_NOT_ALLOWED', false],
    [36009014, 'version is invalid', 'VERSION_RETIRED', false],
    [36009009, 'invalid path', 'REQUEST_INVALID', false],
    [36009022, 'content type must be json', 'REQUEST_INVALID', false],
    [36004004, 'Invalid auth code', 'AUTH_CODE_INVALID', false],
    [21011044, 'Order status is on hold', 'ON_HOLD', false],
    [21008106, 'This interface cannot be used in this region', 'UNSUPPORTED_REGION', false],
    [12052180, 'search results exceed 10000', 'SEARCH_LIMIT_EXCEEDED', false],
    [12019027, 'seller_skus exceed the limit', 'SKU_FILTER_LIMIT_EXCEEDED', false],
    [12019087, 'sku_ids exceed the limit', 'SKU_FILTER_LIMIT_EXCEEDED', false],
    [12019028, 'all warehouses must be provided', 'INVENTORY_WAREHOUSE_MISSING', false],
    [12019045, 'price is locked by a promotion', 'PRICE_LOCKED', false],
    [12052038, 'price is locked', 'PRICE_LOCKED', false],
  ];

  for (const [code, message, kind, retryable] of table) {
    it(`maps ${code} to ${kind}`, () => {
      expect(classifyTikTokError(200, code, message)).toEqual({ kind, retryable });
    });
  }
});

describe('classifyTikTokError for 36009004 by message', () => {
  const table: [string, string][] = [
    ['Unexpected identifier', 'CIPHER_UNEXPECTED'],
    ['shop_cipher is not required for this api', 'CIPHER_UNEXPECTED'],
    ['Invalid timestamp, the timestamp has expired', 'TIMESTAMP_INVALID'],
    ['invalid x-tts-access-token', 'TOKEN_INVALID'],
    ['Invalid app_key', 'APP_KEY_INVALID'],
    ['missing signature', 'SIGNATURE_INVALID'],
    ['invalid param error', 'REQUEST_INVALID'],
    ['invalid shop_id', 'REQUEST_INVALID'],
  ];

  for (const [message, kind] of table) {
    it(`maps "${message}" to ${kind}`, () => {
      expect(classifyTikTokError(400, 36009004, message)?.kind).toBe(kind);
    });
  }
});

describe('classifyTikTokError by HTTP status', () => {
  it('reads 429 without envelope as rate limited', () => {
    expect(classifyTikTokError(429, null, '')).toEqual({ kind: 'RATE_LIMITED', retryable: true });
  });

  it('reads 503 without envelope as a server error', () => {
    expect(classifyTikTokError(503, null, '')).toEqual({ kind: 'SERVER_ERROR', retryable: true });
  });

  it('lets an unknown code with HTTP 500 retry as a server error', () => {
    expect(classifyTikTokError(500, 999999, 'boom')?.kind).toBe('SERVER_ERROR');
  });

  it('keeps a known code ahead of the status', () => {
    expect(classifyTikTokError(500, 21011044, 'on hold')?.kind).toBe('ON_HOLD');
  });

  it('reads code 0 with HTTP 404 as a failure', () => {
    expect(classifyTikTokError(404, 0, '')?.kind).toBe('FAILED');
  });
});

describe('TikTokApiError', () => {
  it('carries its fields', () => {
    const error = new TikTokApiError({
      kind: 'SCOPE_MISSING',
      message: 'you should apply auth pkg for this api',
      code: 105005,
      requestId: 'req-1',
      httpStatus: 200,
      path: '/order/202309/orders',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TikTokApiError');
    expect(error.kind).toBe('SCOPE_MISSING');
    expect(error.code).toBe(105005);
    expect(error.requestId).toBe('req-1');
    expect(error.retryable).toBe(false);
    expect(error.outcome).toBeUndefined();
    expect(isTikTokApiError(error, 'SCOPE_MISSING')).toBe(true);
    expect(isTikTokApiError(error, 'TOKEN_EXPIRED')).toBe(false);
  });
});

describe('isPriceLocked', () => {
  it('accepts only PRICE_LOCKED errors', () => {
    const locked = new TikTokApiError({ kind: 'PRICE_LOCKED', message: 'locked', code: 12019045 });
    const other = new TikTokApiError({ kind: 'INVENTORY_WAREHOUSE_MISSING', message: 'missing' });
    expect(isPriceLocked(locked)).toBe(true);
    expect(isPriceLocked(other)).toBe(false);
    expect(isPriceLocked(new Error('locked'))).toBe(false);
    expect(isPriceLocked({ kind: 'PRICE_LOCKED' })).toBe(false);
    expect(isPriceLocked(undefined)).toBe(false);
  });
});
