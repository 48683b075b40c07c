import { useState } from 'react';
import type {
  ClaimGrantRequest,
  ConnectionListResponse,
  MeResponse,
  PendingGrant,
  PendingGrantListResponse,
} from '../../../src/http/api-types.ts';
import { apiPost, errorMessage, seg } from '../api.ts';
import { Loading, Notice } from '../components/ui.tsx';
import { formatDateTime } from '../format.ts';
import { useResource } from '../hooks.ts';
import { navigate } from '../router.ts';

export function GrantsPage({
  me,
  storeId,
  grantId,
  onSelectStore,
}: {
  me: MeResponse;
  storeId: string;
  grantId: string | null;
  onSelectStore: (storeId: string) => void;
}) {
  const grants = useResource<PendingGrantListResponse>('/grants');
  const all = grants.data?.grants ?? [];
  const shown = grantId === null ? all : all.filter((grant) => grant.id === grantId);

  return (
    <section aria-labelledby="grants-title">
      <div className="page-head">
        <div>
          <h1 id="grants-title">Choose stores for your TikTok shops</h1>
          <p className="muted">
            TikTok authorized the shops below. Pick the store each shop belongs to, then connect
            them.
          </p>
        </div>
      </div>
      {grants.error && (
        <Notice tone="error">Could not load pending authorizations: {grants.error}</Notice>
      )}
      {grants.loading && <Loading what="pending authorizations" />}
      {grants.data && shown.length === 0 && (
        <Notice tone="info">
          {grantId === null
            ? 'No authorizations are waiting.'
            : 'This authorization was already used or has expired.'}{' '}
          <a href="#/">Back to connections</a>
        </Notice>
      )}
      {shown.map((grant) => (
        <GrantCard
          key={grant.id}
          grant={grant}
          me={me}
          storeId={storeId}
          onSelectStore={onSelectStore}
        />
      ))}
    </section>
  );
}

interface ShopChoice {
  selected: boolean;
  storeId: string;
}

function GrantCard({
  grant,
  me,
  storeId,
  onSelectStore,
}: {
  grant: PendingGrant;
  me: MeResponse;
  storeId: string;
  onSelectStore: (storeId: string) => void;
}) {
  const knownStore = (id: string | null) =>
    id !== null && me.stores.some((store) => store.id === id);
  const defaultStore = knownStore(grant.suggestedStoreId) ? grant.suggestedStoreId! : storeId;
  const [choices, setChoices] = useState<Record<string, ShopChoice>>(() =>
    Object.fromEntries(
      grant.shops.map((shop) => [shop.shopId, { selected: true, storeId: defaultStore }]),
    ),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const update = (shopId: string, change: Partial<ShopChoice>) =>
    setChoices((previous) => ({
      ...previous,
      [shopId]: { ...(previous[shopId] ?? { selected: true, storeId: defaultStore }), ...change },
    }));

  const assignments: ClaimGrantRequest['assignments'] = grant.shops.flatMap((shop) => {
    const choice = choices[shop.shopId];
    return choice?.selected ? [{ shopId: shop.shopId, storeId: choice.storeId }] : [];
  });

  const storeName = (id: string | null) => me.stores.find((store) => store.id === id)?.name ?? id;

  const claim = async () => {
    setBusy(true);
    setError(null);
    try {
      const body: ClaimGrantRequest = { assignments };
      await apiPost<ConnectionListResponse>(`/grants/${seg(grant.id)}/claim`, body);
      // Opens the store the shops went to, so the new connections are on screen.
      const targets = new Set(assignments.map((assignment) => assignment.storeId));
      const [onlyTarget] = targets;
      if (targets.size === 1 && onlyTarget !== undefined) onSelectStore(onlyTarget);
      navigate('/');
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <div className="card grant" data-testid="grant" data-grant-id={grant.id}>
      <div className="grant-head">
        <div>
          <h2>{grant.sellerName ?? 'TikTok seller'}</h2>
          <p className="muted small">
            {grant.suggestedStoreId === null
              ? 'Installed from the TikTok Shop app store. '
              : `Started from store ${storeName(grant.suggestedStoreId)}. `}
            Choose by {formatDateTime(grant.expiresAt)}.
          </p>
        </div>
      </div>
      {error && <Notice tone="error">{error}</Notice>}
      <table className="table">
        <thead>
          <tr>
            <th scope="col" className="check-col">
              <span className="visually-hidden">Connect</span>
            </th>
            <th scope="col">Shop</th>
            <th scope="col">Region</th>
            <th scope="col">Store</th>
          </tr>
        </thead>
        <tbody>
          {grant.shops.map((shop) => {
            const choice = choices[shop.shopId] ?? { selected: true, storeId: defaultStore };
            const checkboxId = `grant-${grant.id}-${shop.shopId}`;
            return (
              <tr key={shop.shopId} data-testid="grant-shop-row" data-shop-id={shop.shopId}>
                <td className="check-col">
                  <input
                    id={checkboxId}
                    type="checkbox"
                    checked={choice.selected}
                    onChange={(event) => update(shop.shopId, { selected: event.target.checked })}
                    aria-label={`Connect ${shop.shopName}`}
                  />
                </td>
                <td>
                  <label htmlFor={checkboxId} className="strong">
                    {shop.shopName}
                  </label>
                  {shop.connectedStoreId && (
                    <div className="muted small">
                      Connected to {storeName(shop.connectedStoreId)} now
                    </div>
                  )}
                </td>
                <td>{shop.region}</td>
                <td>
                  <select
                    value={choice.storeId}
                    aria-label={`Store for ${shop.shopName}`}
                    onChange={(event) => update(shop.shopId, { storeId: event.target.value })}
                  >
                    {me.stores.map((store) => (
                      <option key={store.id} value={store.id}>
                        {store.name}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="grant-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={busy || assignments.length === 0}
          onClick={() => void claim()}
        >
          Connect selected shops
        </button>
        <span className="muted small">
          {assignments.length} of {grant.shops.length} selected
        </span>
      </div>
    </div>
  );
}
