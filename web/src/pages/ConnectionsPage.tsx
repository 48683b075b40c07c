import { useState } from 'react';
import type {
  AuthorizeUrlResponse,
  Connection,
  ConnectionListResponse,
  PendingGrantListResponse,
} from '../../../src/http/api-types.ts';
import { apiDelete, apiPost, errorMessage, seg } from '../api.ts';
import {
  BackfillBar,
  ConfirmDialog,
  ConnectionStatusBadge,
  Loading,
  Notice,
  RelativeTime,
} from '../components/ui.tsx';
import { formatCount, formatDate } from '../format.ts';
import { useNow, useResource } from '../hooks.ts';
import { href } from '../router.ts';

type Market = 'US' | 'ROW';

/** Asks the server for a TikTok authorization URL and sends the browser there. */
export async function startAuthorize(storeId: string, market: Market): Promise<void> {
  const { authorizeUrl } = await apiPost<AuthorizeUrlResponse>(
    `/stores/${seg(storeId)}/connections/authorize`,
    { market },
  );
  window.location.assign(authorizeUrl);
}

/** Picks the authorize market of a shop: US for US shops, ROW (rest of world) for every other region. */
function marketOf(connection: Connection): Market {
  return connection.region.toUpperCase() === 'US' ? 'US' : 'ROW';
}

function isBackfillActive(connection: Connection): boolean {
  const { status } = connection.backfill;
  return connection.status !== 'disconnected' && (status === 'running' || status === 'pending');
}

export function ConnectionsPage({ storeId }: { storeId: string }) {
  const connections = useResource<ConnectionListResponse>(
    `/stores/${seg(storeId)}/connections`,
    (data) => (data.connections.some(isBackfillActive) ? 2_000 : 10_000),
  );
  const grants = useResource<PendingGrantListResponse>('/grants', 10_000);
  const now = useNow(15_000);

  const [market, setMarket] = useState<Market>('US');
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [confirming, setConfirming] = useState<Connection | null>(null);

  const run = async (key: string, action: () => Promise<void>) => {
    setBusy(key);
    setMessage(null);
    try {
      await action();
    } catch (error) {
      setMessage({ tone: 'error', text: errorMessage(error) });
    } finally {
      setBusy(null);
    }
  };

  const connect = (target: Market) => run('authorize', () => startAuthorize(storeId, target));

  const resync = (connection: Connection) =>
    run(`resync:${connection.id}`, async () => {
      await apiPost(`/stores/${seg(storeId)}/connections/${seg(connection.id)}/resync`);
      setMessage({ tone: 'success', text: `Re-sync of ${connection.shopName} started.` });
      connections.reload();
    });

  const disconnect = (connection: Connection) =>
    run(`disconnect:${connection.id}`, async () => {
      try {
        await apiDelete(`/stores/${seg(storeId)}/connections/${seg(connection.id)}`);
      } finally {
        // Closes the dialog on failure too, because the modal would hide the error notice.
        setConfirming(null);
      }
      setMessage({ tone: 'success', text: `${connection.shopName} is disconnected.` });
      connections.reload();
    });

  const pending = grants.data?.grants ?? [];
  const list = connections.data?.connections ?? [];

  return (
    <section aria-labelledby="connections-title">
      <div className="page-head">
        <div>
          <h1 id="connections-title">Connections</h1>
          <p className="muted">
            TikTok Shop shops linked to this store. Orders are imported from each active shop.
          </p>
        </div>
        <div className="connect-box">
          <label className="inline-field">
            <span>Market</span>
            <select
              value={market}
              onChange={(event) => setMarket(event.target.value as Market)}
              data-testid="market-select"
            >
              <option value="US">United States</option>
              <option value="ROW">Rest of world</option>
            </select>
          </label>
          <button
            type="button"
            className="button button-primary"
            disabled={busy === 'authorize'}
            onClick={() => void connect(market)}
          >
            Connect TikTok Shop
          </button>
        </div>
      </div>

      {pending.length > 0 && (
        <div className="banner" role="status" data-testid="grants-banner">
          <span>
            {pending.length === 1
              ? 'A TikTok authorization is waiting for you to choose which store each shop goes to.'
              : `${pending.length} TikTok authorizations are waiting for you to choose which store each shop goes to.`}
          </span>
          <a
            className="button"
            href={pending.length === 1 ? href('grants', pending[0]!.id) : '#/grants'}
          >
            Choose stores
          </a>
        </div>
      )}

      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      {connections.error && (
        <Notice tone="error">Could not load connections: {connections.error}</Notice>
      )}

      {connections.loading ? (
        <Loading what="connections" />
      ) : connections.data && list.length === 0 ? (
        <div className="empty card">
          <h2>No shops connected yet</h2>
          <p className="muted">
            Choose a market and press <strong>Connect TikTok Shop</strong> to authorize a shop. Its
            order history is imported right after.
          </p>
        </div>
      ) : list.length > 0 ? (
        <div className="table-wrap card">
          <table className="table" data-testid="connections-table">
            <thead>
              <tr>
                <th scope="col">Shop</th>
                <th scope="col">Region</th>
                <th scope="col">Status</th>
                <th scope="col">Seller</th>
                <th scope="col">Authorization expires</th>
                <th scope="col" className="num">
                  Orders
                </th>
                <th scope="col">History import</th>
                <th scope="col">Last poll</th>
                <th scope="col">Last webhook</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((connection) => (
                <ConnectionRow
                  key={connection.id}
                  connection={connection}
                  now={now}
                  busy={busy}
                  onReauthorize={() => void connect(marketOf(connection))}
                  onResync={() => void resync(connection)}
                  onDisconnect={() => setConfirming(connection)}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {confirming && (
        <ConfirmDialog
          title={`Disconnect ${confirming.shopName}?`}
          busy={busy === `disconnect:${confirming.id}`}
          onCancel={() => setConfirming(null)}
          onConfirm={() => void disconnect(confirming)}
        >
          <p>
            The connector deletes this shop&apos;s TikTok tokens and stops importing its orders.
            Orders already imported stay in the order history. You can connect the shop again later.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function ConnectionRow({
  connection,
  now,
  busy,
  onReauthorize,
  onResync,
  onDisconnect,
}: {
  connection: Connection;
  now: number;
  busy: string | null;
  onReauthorize: () => void;
  onResync: () => void;
  onDisconnect: () => void;
}) {
  const disconnected = connection.status === 'disconnected';
  return (
    <tr
      data-testid="connection-row"
      data-connection-id={connection.id}
      data-shop-id={connection.shopId}
    >
      <td>
        <div className="strong">{connection.shopName}</div>
        {connection.shopCode && <div className="muted small mono">{connection.shopCode}</div>}
      </td>
      <td>{connection.region}</td>
      <td>
        <div className="status-cell">
          <ConnectionStatusBadge status={connection.status} />
          {connection.status === 'reauthorize_required' && (
            <>
              {connection.reauthorizeBy && (
                <span className="small warn-text">
                  Re-authorize by {formatDate(connection.reauthorizeBy)}
                </span>
              )}
              <button
                type="button"
                className="button button-small button-primary"
                disabled={busy === 'authorize'}
                onClick={onReauthorize}
              >
                Re-authorize
              </button>
            </>
          )}
          {connection.status === 'active' && connection.reauthorizeBy && (
            <span className="small warn-text">
              Re-authorize by {formatDate(connection.reauthorizeBy)}
            </span>
          )}
          {disconnected && connection.disconnectedAt && (
            <span className="small muted">since {formatDate(connection.disconnectedAt)}</span>
          )}
        </div>
      </td>
      <td>{connection.sellerName ?? <span className="muted">—</span>}</td>
      <td>{formatDate(connection.authorizationExpiresAt)}</td>
      <td className="num">{formatCount(connection.orderCount)}</td>
      <td className="backfill-cell">
        <BackfillBar backfill={connection.backfill} />
      </td>
      <td className="nowrap">
        <RelativeTime iso={connection.lastPolledAt} now={now} />
      </td>
      <td className="nowrap">
        <RelativeTime iso={connection.lastWebhookAt} now={now} />
      </td>
      <td>
        <div className="row-actions">
          {disconnected ? (
            <button
              type="button"
              className="button button-small"
              disabled={busy === 'authorize'}
              onClick={onReauthorize}
            >
              Reconnect
            </button>
          ) : (
            <>
              <button
                type="button"
                className="button button-small"
                disabled={busy === `resync:${connection.id}`}
                onClick={onResync}
              >
                Re-sync
              </button>
              <button
                type="button"
                className="button button-small button-danger-quiet"
                onClick={onDisconnect}
              >
                Disconnect
              </button>
            </>
          )}
        </div>
      </td>
    </tr>
  );
}
