import { useEffect, useState } from 'react';

export type Route =
  | { page: 'connections' }
  | { page: 'grants'; grantId: string | null }
  | { page: 'orders' }
  | { page: 'order'; orderId: string }
  | { page: 'products' }
  | { page: 'stock' }
  | { page: 'locations' }
  | { page: 'catalog-settings' }
  | { page: 'api-keys' }
  | { page: 'not-found'; path: string };

/** Parses a location hash such as `#/orders/123` into a route. */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second] = parts;

  if (parts.length === 0 || (first === 'connections' && parts.length === 1)) {
    return { page: 'connections' };
  }
  if (first === 'grants' && parts.length <= 2) return { page: 'grants', grantId: second ?? null };
  if (first === 'orders' && parts.length === 1) return { page: 'orders' };
  if (first === 'orders' && second !== undefined && parts.length === 2) {
    return { page: 'order', orderId: second };
  }
  if (first === 'products' && parts.length === 1) return { page: 'products' };
  if (first === 'stock' && parts.length === 1) return { page: 'stock' };
  if (first === 'locations' && parts.length === 1) return { page: 'locations' };
  if (first === 'catalog-settings' && parts.length === 1) return { page: 'catalog-settings' };
  if (first === 'api-keys' && parts.length === 1) return { page: 'api-keys' };
  return { page: 'not-found', path };
}

export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const update = () => setHash(window.location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return parseHash(hash);
}

export function navigate(path: string): void {
  window.location.hash = path;
}

/** Builds an href for a hash path, encoding each id segment. */
export function href(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}
