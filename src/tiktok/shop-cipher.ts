import type { HttpMethod } from './types.ts';

/** Whether an endpoint takes the `shop_cipher` query parameter. */
export type ShopCipherRule = 'required' | 'rejected';

interface CipherRejectingEndpoint {
  pattern: RegExp;
  /** Methods the rule applies to; every method when omitted. */
  methods?: readonly HttpMethod[];
}

/**
 * Endpoints that reject `shop_cipher` with 36009004 "Unexpected identifier". They are app- or
 * seller-level rather than shop-level. Every other endpoint requires the cipher and fails with
 * 106013 without it.
 */
const CIPHER_REJECTING_ENDPOINTS: readonly CipherRejectingEndpoint[] = [
  { pattern: /^\/authorization\// },
  { pattern: /^\/seller\// },
  { pattern: /^\/product\/\d{6}\/images\/upload$/ },
  { pattern: /^\/product\/\d{6}\/files\/upload$/ },
  { pattern: /^\/product\/\d{6}\/global_products(\/|$)/ },
  { pattern: /^\/product\/\d{6}\/compliance\// },
  // Only Create Custom Brands is documented as rejecting the cipher; Get Brands is shop-scoped.
  { pattern: /^\/product\/\d{6}\/brands$/, methods: ['POST'] },
];

/**
 * Returns whether `shop_cipher` must be sent to an endpoint, given its path template.
 *
 * NOTE: fulfillment's proof-of-delivery uploads (`/fulfillment/.../images/upload`) are treated
 * as shop-scoped; no source states whether they take the cipher.
 */
export function shopCipherRule(method: HttpMethod, pathTemplate: string): ShopCipherRule {
  const isRejected = CIPHER_REJECTING_ENDPOINTS.some(
    (endpoint) =>
      endpoint.pattern.test(pathTemplate) &&
      (endpoint.methods === undefined || endpoint.methods.includes(method)),
  );
  return isRejected ? 'rejected' : 'required';
}
