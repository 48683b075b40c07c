import { useMemo, useState, type FormEvent } from 'react';
import type { ConnectionListResponse } from '../../../src/http/api-types.ts';
import type {
  CatalogSku,
  CatalogSkuPage,
  LinkReport,
  LinkState,
} from '../../../src/http/catalog-types.ts';
import { apiDelete, apiPost, apiPut, errorMessage, seg } from '../api.ts';
import {
  Badge,
  LinkStateBadge,
  linkStateLabels,
  Loading,
  Notice,
  RowNotice,
  Tag,
} from '../components/ui.tsx';
import { formatCount, formatDateTime, formatMoney, formatShortDateTime } from '../format.ts';
import { useDebounced, useResource } from '../hooks.ts';
import { useCursorList } from '../paging.ts';

const REFRESH_MS = 10_000;
/** Column count of the SKU table, which row notices span. */
const COLUMNS = 10;
const PLATFORM_SKU_OPTIONS = 'platform-sku-options';

interface ActionMessage {
  /** Row the action ran on, as returned by skuKey. */
  rowKey: string;
  tone: 'error' | 'success';
  text: string;
}

function skuKey(sku: CatalogSku): string {
  return `${sku.shopId}/${sku.tiktokSkuId}`;
}

function isLinked(sku: CatalogSku): boolean {
  return sku.link.state === 'auto' || sku.link.state === 'manual';
}

/** Formats an amount with its currency, or the bare amount when the currency is unknown. */
function formatPrice(amount: string | null, currency: string | null): string {
  if (currency) return formatMoney(amount, currency);
  return amount ?? '—';
}

export function ProductsPage({ storeId }: { storeId: string }) {
  const [shopId, setShopId] = useState('');
  const [state, setState] = useState<LinkState | ''>('');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);

  const connections = useResource<ConnectionListResponse>(
    `/stores/${seg(storeId)}/connections`,
    30_000,
  );
  const report = useResource<LinkReport>(`/stores/${seg(storeId)}/catalog/report`, 30_000);

  const filters = useMemo(() => {
    const params = new URLSearchParams();
    if (shopId) params.set('shopId', shopId);
    if (state) params.set('state', state);
    if (q) params.set('q', q);
    return params.toString();
  }, [shopId, state, q]);
  const list = useCursorList<CatalogSku, CatalogSkuPage>(
    `/stores/${seg(storeId)}/catalog/skus`,
    filters,
    (page) => page.skus,
    skuKey,
    REFRESH_MS,
  );

  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<ActionMessage | null>(null);
  // Key of the row whose link form is open.
  const [linking, setLinking] = useState<string | null>(null);

  /** Runs a row action, shows its outcome under the row and re-reads the list and the report. */
  const run = async (sku: CatalogSku, action: () => Promise<string>) => {
    const rowKey = skuKey(sku);
    setBusy(rowKey);
    setMessage(null);
    try {
      const text = await action();
      setMessage({ rowKey, tone: 'success', text });
    } catch (error) {
      setMessage({ rowKey, tone: 'error', text: errorMessage(error) });
    }
    // Re-reads after a failure too, because the row may have changed on the server meanwhile.
    report.reload();
    await list.refresh();
    setBusy(null);
  };

  const linkPath = (sku: CatalogSku) =>
    `/stores/${seg(storeId)}/catalog/links/${seg(sku.shopId)}/${seg(sku.tiktokSkuId)}`;

  const link = (sku: CatalogSku, platformSku: string) =>
    run(sku, async () => {
      await apiPut(linkPath(sku), { platformSku });
      setLinking(null);
      return `TikTok SKU ${sku.tiktokSkuId} is now linked to ${platformSku}.`;
    });

  const unlink = (sku: CatalogSku) =>
    run(sku, async () => {
      await apiDelete(linkPath(sku));
      return `TikTok SKU ${sku.tiktokSkuId} is no longer linked.`;
    });

  const push = (sku: CatalogSku) =>
    run(sku, async () => {
      await apiPost(
        `/stores/${seg(storeId)}/catalog/skus/${seg(sku.shopId)}/${seg(sku.tiktokSkuId)}/push`,
      );
      return `A new push of stock and price for TikTok SKU ${sku.tiktokSkuId} is queued.`;
    });

  const filterByState = (target: LinkState) => setState(state === target ? '' : target);

  const items = list.items;
  const filtered = Boolean(shopId || state || q);
  // An action can move its row out of the current filter, so its message then shows above the table.
  const messageRowShown =
    message !== null && (items ?? []).some((sku) => skuKey(sku) === message.rowKey);

  return (
    <section aria-labelledby="products-title">
      <div className="page-head">
        <div>
          <h1 id="products-title">Products</h1>
          <p className="muted">
            TikTok SKUs of the connected shops, the platform SKU each one is linked to, and the
            stock and price last sent to TikTok. This list refreshes every 10 seconds.
          </p>
        </div>
      </div>

      {report.error && <Notice tone="error">Could not load the link report: {report.error}</Notice>}
      {report.data && (
        <LinkSummary report={report.data} state={state} onFilterByState={filterByState} />
      )}

      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label className="inline-field">
          <span>Shop</span>
          <select
            value={shopId}
            onChange={(event) => setShopId(event.target.value)}
            data-testid="shop-filter"
          >
            <option value="">All shops</option>
            {(connections.data?.connections ?? []).map((connection) => (
              <option key={connection.id} value={connection.shopId}>
                {connection.shopName}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>Link</span>
          <select
            value={state}
            onChange={(event) => setState(event.target.value as LinkState | '')}
            data-testid="link-state-filter"
          >
            <option value="">All link states</option>
            {Object.entries(linkStateLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field grow">
          <span>Search</span>
          <input
            type="search"
            placeholder="Product title, seller SKU or TikTok SKU id"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            data-testid="catalog-search"
          />
        </label>
      </form>

      {list.error && <Notice tone="error">Could not load TikTok SKUs: {list.error}</Notice>}
      {message && !messageRowShown && <Notice tone={message.tone}>{message.text}</Notice>}

      <datalist id={PLATFORM_SKU_OPTIONS}>
        {(report.data?.unmatchedPlatform ?? []).map((sku) => (
          <option key={sku.id} value={sku.sku}>
            {sku.title}
          </option>
        ))}
      </datalist>

      {!items ? (
        !list.error && <Loading what="TikTok SKUs" />
      ) : items.length === 0 ? (
        <div className="empty card">
          <h2>{filtered ? 'No TikTok SKUs match these filters' : 'No TikTok SKUs yet'}</h2>
          <p className="muted">
            {filtered
              ? 'Change the shop, link state or search text to see more SKUs.'
              : 'SKUs appear here once the products of a connected shop are imported.'}
          </p>
        </div>
      ) : (
        <>
          <div className="table-wrap card">
            <table className="table" data-testid="catalog-table">
              <thead>
                <tr>
                  <th scope="col">Shop</th>
                  <th scope="col">Product</th>
                  <th scope="col">Seller SKU</th>
                  <th scope="col">Link</th>
                  <th scope="col" className="num">
                    TikTok price
                  </th>
                  <th scope="col" className="num">
                    TikTok quantity
                  </th>
                  <th scope="col" className="num">
                    Stock pushed
                  </th>
                  <th scope="col" className="num">
                    Price pushed
                  </th>
                  <th scope="col">Last error</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((sku) => {
                  const rowKey = skuKey(sku);
                  return (
                    <CatalogRows
                      key={rowKey}
                      sku={sku}
                      busy={busy !== null}
                      linkOpen={linking === rowKey}
                      message={message?.rowKey === rowKey ? message : null}
                      onOpenLink={() => {
                        setMessage(null);
                        setLinking(rowKey);
                      }}
                      onCloseLink={() => setLinking(null)}
                      onLink={(platformSku) => void link(sku, platformSku)}
                      onUnlink={() => void unlink(sku)}
                      onPush={() => void push(sku)}
                    />
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="list-foot">
            <span className="muted small">
              {formatCount(items.length)} {items.length === 1 ? 'TikTok SKU' : 'TikTok SKUs'} shown
            </span>
            {list.nextCursor && (
              <button
                type="button"
                className="button"
                disabled={list.loadingMore}
                onClick={list.loadMore}
              >
                {list.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}

/** Shows the counts of the link report. Counts that match one link state filter the table. */
function LinkSummary({
  report,
  state,
  onFilterByState,
}: {
  report: LinkReport;
  state: LinkState | '';
  onFilterByState: (state: LinkState) => void;
}) {
  const [showPlatform, setShowPlatform] = useState(false);
  const duplicateTiktokSkus = report.duplicates.reduce(
    (total, duplicate) => total + duplicate.tiktokSkuIds.length,
    0,
  );
  return (
    <div className="card" data-testid="link-report">
      <div className="summary">
        <div className="stat" data-testid="report-linked">
          <span className="stat-value">{formatCount(report.linked)}</span>
          <span className="stat-label">Linked TikTok SKUs</span>
        </div>
        <button
          type="button"
          className="stat stat-button"
          aria-pressed={state === 'unmatched'}
          onClick={() => onFilterByState('unmatched')}
          data-testid="report-unmatched-tiktok"
        >
          <span className="stat-value">{formatCount(report.unmatchedTiktok.length)}</span>
          <span className="stat-label">Unmatched TikTok SKUs</span>
        </button>
        <button
          type="button"
          className="stat stat-button"
          aria-expanded={showPlatform}
          onClick={() => setShowPlatform(!showPlatform)}
          data-testid="report-unmatched-platform"
        >
          <span className="stat-value">{formatCount(report.unmatchedPlatform.length)}</span>
          <span className="stat-label">Platform SKUs without a TikTok SKU</span>
        </button>
        <button
          type="button"
          className="stat stat-button"
          aria-pressed={state === 'duplicate'}
          onClick={() => onFilterByState('duplicate')}
          data-testid="report-duplicates"
        >
          <span className="stat-value">{formatCount(report.duplicates.length)}</span>
          <span className="stat-label">
            Duplicate seller SKUs ({formatCount(duplicateTiktokSkus)} TikTok SKUs)
          </span>
        </button>
      </div>
      {showPlatform && (
        <p className="small" data-testid="unmatched-platform-list">
          {report.unmatchedPlatform.length === 0 ? (
            <span className="muted">Every platform SKU is linked to a TikTok SKU.</span>
          ) : (
            report.unmatchedPlatform.map((sku, index) => (
              <span key={sku.id} title={sku.title}>
                {index > 0 && ', '}
                <code>{sku.sku}</code>
              </span>
            ))
          )}
        </p>
      )}
    </div>
  );
}

/** Renders one TikTok SKU and, under it, the outcome of the last action on it. */
function CatalogRows({
  sku,
  busy,
  linkOpen,
  message,
  onOpenLink,
  onCloseLink,
  onLink,
  onUnlink,
  onPush,
}: {
  sku: CatalogSku;
  busy: boolean;
  linkOpen: boolean;
  message: ActionMessage | null;
  onOpenLink: () => void;
  onCloseLink: () => void;
  onLink: (platformSku: string) => void;
  onUnlink: () => void;
  onPush: () => void;
}) {
  const linked = isLinked(sku);
  const { stock, price } = sku;
  const priceChanged =
    price.wanted !== null &&
    (price.pushed === null || Number(price.wanted) !== Number(price.pushed));
  return (
    <>
      <tr
        data-testid="catalog-row"
        data-shop-id={sku.shopId}
        data-product-id={sku.productId}
        data-tiktok-sku-id={sku.tiktokSkuId}
        data-seller-sku={sku.sellerSku}
        data-link-state={sku.link.state}
      >
        <td className="nowrap">{sku.shopName}</td>
        <td>
          <div className="strong">{sku.productTitle}</div>
          <div className="muted small mono">{sku.productStatus}</div>
        </td>
        <td className="mono">{sku.sellerSku || <span className="muted">None</span>}</td>
        <td>
          <div className="status-cell">
            <LinkStateBadge state={sku.link.state} />
            {sku.link.platformSku && (
              <span className="mono small" data-testid="linked-sku">
                {sku.link.platformSku}
              </span>
            )}
          </div>
        </td>
        <td className="num nowrap" data-testid="tiktok-price">
          {formatPrice(sku.tiktok.price, sku.tiktok.currency)}
        </td>
        <td className="num" data-testid="tiktok-quantity">
          {formatCount(sku.tiktok.quantity)}
        </td>
        <td className="num">
          <PushedValue
            testId="pushed-stock"
            value={stock.pushed}
            text={stock.pushed === null ? null : formatCount(stock.pushed)}
            at={stock.pushedAt}
            pending={stock.pending}
            next={
              stock.wanted !== null && stock.wanted !== stock.pushed
                ? formatCount(stock.wanted)
                : null
            }
          />
        </td>
        <td className="num">
          <PushedValue
            testId="pushed-price"
            value={price.pushed}
            text={price.pushed === null ? null : formatPrice(price.pushed, price.currency)}
            at={price.pushedAt}
            pending={price.pending}
            next={priceChanged ? formatPrice(price.wanted, price.currency) : null}
          />
        </td>
        <td>
          <PushErrors sku={sku} />
        </td>
        <td>
          {linkOpen ? (
            <LinkForm sku={sku} busy={busy} onSubmit={onLink} onCancel={onCloseLink} />
          ) : (
            <div className="row-actions">
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                onClick={onOpenLink}
                data-testid="link-open"
              >
                Link…
              </button>
              {linked && (
                <button
                  type="button"
                  className="button button-small"
                  disabled={busy}
                  onClick={onPush}
                  data-testid="push-again"
                >
                  Push again
                </button>
              )}
              {linked && (
                <button
                  type="button"
                  className="button button-small button-danger-quiet"
                  disabled={busy}
                  onClick={onUnlink}
                  data-testid="unlink"
                >
                  Unlink
                </button>
              )}
            </div>
          )}
        </td>
      </tr>
      {message && (
        <RowNotice tone={message.tone} columns={COLUMNS}>
          {message.text}
        </RowNotice>
      )}
    </>
  );
}

/** Renders a value last sent to TikTok, when it was sent, and the value the next push would send. */
function PushedValue({
  testId,
  value,
  text,
  at,
  pending,
  next,
}: {
  testId: string;
  /** Raw value for the `data-value` attribute, which tests read. */
  value: number | string | null;
  text: string | null;
  at: string | null;
  pending: boolean;
  next: string | null;
}) {
  return (
    <div className="pushed">
      <span data-testid={testId} data-value={value ?? ''}>
        {text ?? <span className="muted">Not pushed</span>}
      </span>
      {at && (
        <span className="muted small nowrap" title={formatDateTime(at)}>
          {formatShortDateTime(at)}
        </span>
      )}
      {next !== null && <span className="muted small nowrap">Next: {next}</span>}
      {pending && <Tag testId={`${testId}-pending`}>Pending</Tag>}
    </div>
  );
}

function PushErrors({ sku }: { sku: CatalogSku }) {
  const { stock, price } = sku;
  if (!stock.error && !price.error && !price.locked) return <span className="muted">—</span>;
  return (
    <div className="status-cell">
      {price.locked && (
        <Badge tone="amber" testId="price-locked">
          Price locked
        </Badge>
      )}
      {stock.error && (
        <span className="small error-text" data-testid="stock-error">
          Stock: {stock.error}
          {stock.errorCode && <> (TikTok code {stock.errorCode})</>}
        </span>
      )}
      {price.error && (
        <span className="small error-text" data-testid="price-error">
          Price: {price.error}
          {price.errorCode && <> (TikTok code {price.errorCode})</>}
        </span>
      )}
    </div>
  );
}

/** Renders the inline form of "Link…", which takes the code of the platform SKU to link to. */
function LinkForm({
  sku,
  busy,
  onSubmit,
  onCancel,
}: {
  sku: CatalogSku;
  busy: boolean;
  onSubmit: (platformSku: string) => void;
  onCancel: () => void;
}) {
  const [code, setCode] = useState(sku.link.platformSku ?? sku.sellerSku);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const platformSku = code.trim();
    if (platformSku) onSubmit(platformSku);
  };
  return (
    <form
      className="link-form"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
      data-testid="link-form"
    >
      <input
        type="text"
        aria-label={`Platform SKU for TikTok SKU ${sku.tiktokSkuId}`}
        placeholder="Platform SKU"
        required
        autoFocus
        list={PLATFORM_SKU_OPTIONS}
        value={code}
        onChange={(event) => setCode(event.target.value)}
        data-testid="link-input"
      />
      <button
        type="submit"
        className="button button-small button-primary"
        disabled={busy || code.trim() === ''}
        data-testid="link-save"
      >
        {busy ? 'Saving…' : 'Save link'}
      </button>
      <button
        type="button"
        className="button button-small button-quiet"
        disabled={busy}
        onClick={onCancel}
      >
        Cancel
      </button>
    </form>
  );
}
