import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { MeResponse } from '../../src/http/api-types.ts';
import { ApiError, apiDelete, apiRequest, errorMessage, onUnauthorized } from './api.ts';
import { Loading, Notice } from './components/ui.tsx';
import { ApiKeysPage } from './pages/ApiKeysPage.tsx';
import { CatalogSettingsPage } from './pages/CatalogSettingsPage.tsx';
import { ConnectionsPage } from './pages/ConnectionsPage.tsx';
import { GrantsPage } from './pages/GrantsPage.tsx';
import { LocationsPage } from './pages/LocationsPage.tsx';
import { OrderDetailPage } from './pages/OrderDetailPage.tsx';
import { OrdersPage } from './pages/OrdersPage.tsx';
import { ProductsPage } from './pages/ProductsPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { StockPage } from './pages/StockPage.tsx';
import { useRoute, type Route } from './router.ts';

const STORE_KEY = 'tiktok-shop-connector.storeId';

type Session =
  | { state: 'loading' }
  | { state: 'signed-out' }
  | { state: 'error'; message: string }
  | { state: 'signed-in'; me: MeResponse };

function savedStoreId(): string | null {
  try {
    return window.localStorage.getItem(STORE_KEY);
  } catch {
    return null;
  }
}

function saveStoreId(storeId: string): void {
  try {
    window.localStorage.setItem(STORE_KEY, storeId);
  } catch {
    // Private windows may reject storage, but the picker still works for this page load.
  }
}

export function App() {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const [storeId, setStoreId] = useState<string | null>(savedStoreId);

  const loadMe = useCallback(async () => {
    try {
      const me = await apiRequest<MeResponse>('GET', '/me', { quietUnauthorized: true });
      setSession({ state: 'signed-in', me });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setSession({ state: 'signed-out' });
      else setSession({ state: 'error', message: errorMessage(error) });
    }
  }, []);

  useEffect(() => {
    void loadMe();
  }, [loadMe]);

  useEffect(() => onUnauthorized(() => setSession({ state: 'signed-out' })), []);

  const selectStore = useCallback((id: string) => {
    setStoreId(id);
    saveStoreId(id);
  }, []);

  if (session.state === 'loading') return <Loading what="your account" />;
  if (session.state === 'signed-out') return <SignInPage onSignedIn={loadMe} />;
  if (session.state === 'error') {
    return (
      <main className="page page-narrow">
        <Notice tone="error">Could not load your account: {session.message}</Notice>
        <button type="button" className="button" onClick={() => void loadMe()}>
          Retry
        </button>
      </main>
    );
  }

  const { me } = session;
  const store = me.stores.find((candidate) => candidate.id === storeId) ?? me.stores[0] ?? null;

  const signOut = async () => {
    try {
      await apiDelete('/session');
    } catch {
      // The session may already be gone, and the sign-in page is the right place either way.
    }
    setSession({ state: 'signed-out' });
  };

  return (
    <Shell me={me} storeId={store?.id ?? null} onSelectStore={selectStore} onSignOut={signOut}>
      {store ? (
        <Page me={me} storeId={store.id} onSelectStore={selectStore} />
      ) : (
        <Notice tone="info">This account has no stores yet, so there is nothing to connect.</Notice>
      )}
    </Shell>
  );
}

function Shell({
  me,
  storeId,
  onSelectStore,
  onSignOut,
  children,
}: {
  me: MeResponse;
  storeId: string | null;
  onSelectStore: (storeId: string) => void;
  onSignOut: () => void;
  children: ReactNode;
}) {
  const route = useRoute();
  let section: string = route.page;
  if (route.page === 'order') section = 'orders';
  if (route.page === 'grants') section = 'connections';
  const link = (target: string, hash: string, label: string) => (
    <a href={hash} className="nav-link" aria-current={section === target ? 'page' : undefined}>
      {label}
    </a>
  );

  return (
    <>
      <header className="header">
        <div className="header-inner">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true" />
            <span className="brand-name">{me.account.name}</span>
          </div>
          <nav className="nav" aria-label="Main">
            {link('connections', '#/', 'Connections')}
            {link('orders', '#/orders', 'Orders')}
            {link('products', '#/products', 'Products')}
            {link('stock', '#/stock', 'Stock')}
            {link('locations', '#/locations', 'Locations')}
            {link('catalog-settings', '#/catalog-settings', 'Catalog settings')}
            {link('api-keys', '#/api-keys', 'API keys')}
          </nav>
          <div className="header-right">
            {me.stores.length > 0 && (
              <label className="store-picker">
                <span>Store</span>
                <select
                  value={storeId ?? ''}
                  onChange={(event) => onSelectStore(event.target.value)}
                  data-testid="store-picker"
                >
                  {me.stores.map((store) => (
                    <option key={store.id} value={store.id}>
                      {store.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <span className="user" title={me.user.email}>
              {me.user.name || me.user.email}
            </span>
            <button type="button" className="button button-quiet" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main className="page">{children}</main>
    </>
  );
}

function Page({
  me,
  storeId,
  onSelectStore,
}: {
  me: MeResponse;
  storeId: string;
  onSelectStore: (storeId: string) => void;
}) {
  const route: Route = useRoute();
  // The key remounts the page on a store change, so no request or state of the old store leaks.
  switch (route.page) {
    case 'connections':
      return <ConnectionsPage key={storeId} storeId={storeId} />;
    case 'grants':
      return (
        <GrantsPage
          key={storeId}
          me={me}
          storeId={storeId}
          grantId={route.grantId}
          onSelectStore={onSelectStore}
        />
      );
    case 'orders':
      return <OrdersPage key={storeId} storeId={storeId} />;
    case 'order':
      return (
        <OrderDetailPage
          key={`${storeId}/${route.orderId}`}
          storeId={storeId}
          orderId={route.orderId}
        />
      );
    case 'products':
      return <ProductsPage key={storeId} storeId={storeId} />;
    case 'stock':
      return <StockPage key={storeId} storeId={storeId} />;
    case 'locations':
      return <LocationsPage key={storeId} storeId={storeId} />;
    case 'catalog-settings':
      return <CatalogSettingsPage key={storeId} storeId={storeId} />;
    case 'api-keys':
      return <ApiKeysPage key={storeId} storeId={storeId} />;
    case 'not-found':
      return (
        <Notice tone="warning">
          No page at <code>{route.path}</code>. <a href="#/">Go to connections</a>
        </Notice>
      );
  }
}
