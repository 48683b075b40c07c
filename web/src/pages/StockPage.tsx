import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type {
  Location,
  PlatformSku,
  PlatformSkuPage,
  StockChangeResult,
} from '../../../src/http/catalog-types.ts';
import { apiPut, errorMessage, seg } from '../api.ts';
import { Loading, Notice, RowNotice } from '../components/ui.tsx';
import { formatCount, formatMoney } from '../format.ts';
import { useDebounced, useResource } from '../hooks.ts';
import { useCursorList } from '../paging.ts';
import { describePriceRule, describeStockRule } from '../rules.ts';
import type { CatalogSettings } from './CatalogSettingsPage.tsx';
import { NewSkuForm, SkuEditForm, SkuRulesForm } from './SkuForms.tsx';
import { SkuImportPanel } from './SkuImportPanel.tsx';

const LOCATION_OPTIONS = 'stock-location-options';

interface ActionMessage {
  skuId: string;
  tone: 'error' | 'success';
  text: string;
}

/** Form open on one row: the inline "Set stock…" form, or the panel of "Edit…" or "Rules…". */
type RowForm = 'stock' | 'edit' | 'rules';

/**
 * Returns the codes of the store's locations, then any other location code that the rows have
 * stock levels for, in order of first appearance.
 */
function locationCodesOf(locations: Location[], skus: PlatformSku[]): string[] {
  const codes = new Set(locations.map((location) => location.code));
  for (const sku of skus) for (const level of sku.stock) codes.add(level.locationCode);
  return [...codes];
}

export function StockPage({ storeId }: { storeId: string }) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const filters = useMemo(() => (q ? new URLSearchParams({ q }).toString() : ''), [q]);
  const list = useCursorList<PlatformSku, PlatformSkuPage>(
    `/stores/${seg(storeId)}/skus`,
    filters,
    (page) => page.skus,
    (sku) => sku.id,
  );

  const [rowForm, setRowForm] = useState<{ skuId: string; form: RowForm } | null>(null);
  const [topPanel, setTopPanel] = useState<'create' | 'import' | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<ActionMessage | null>(null);

  const locations = useResource<{ locations: Location[] }>(`/stores/${seg(storeId)}/locations`);
  const settings = useResource<CatalogSettings>(`/stores/${seg(storeId)}/settings/catalog`);
  const items = list.items;
  const locationCodes = useMemo(
    () => locationCodesOf(locations.data?.locations ?? [], items ?? []),
    [locations.data, items],
  );
  const excluded = new Set(
    (locations.data?.locations ?? [])
      .filter((location) => location.excludeFromTiktok)
      .map((location) => location.code),
  );
  const columns = 4 + locationCodes.length;

  const setStock = async (sku: PlatformSku, location: string, onHand: number) => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await apiPut<StockChangeResult>(
        `/stores/${seg(storeId)}/skus/${seg(sku.sku)}/stock`,
        { levels: [{ location, onHand }] },
      );
      const pushes =
        result.queuedPushes === 1
          ? 'One stock push to TikTok is queued.'
          : `${formatCount(result.queuedPushes)} stock pushes to TikTok are queued.`;
      setMessage({
        skuId: sku.id,
        tone: 'success',
        text: `On-hand stock of ${sku.sku} at ${location} is now ${formatCount(onHand)}. ${pushes}`,
      });
      setRowForm(null);
    } catch (error) {
      setMessage({ skuId: sku.id, tone: 'error', text: errorMessage(error) });
    }
    await list.refresh();
    setBusy(false);
  };

  const openRowForm = (sku: PlatformSku, form: RowForm) => {
    setMessage(null);
    setRowForm({ skuId: sku.id, form });
  };

  /** Closes the panel of a saved form and shows its outcome under the row. */
  const showSaved = async (sku: PlatformSku, text: string) => {
    setRowForm(null);
    setMessage({ skuId: sku.id, tone: 'success', text });
    await list.refresh();
  };

  const panelOf = (sku: PlatformSku): ReactNode => {
    if (rowForm?.skuId !== sku.id) return null;
    const props = {
      storeId,
      sku,
      onSaved: (text: string) => void showSaved(sku, text),
      onCancel: () => setRowForm(null),
    };
    if (rowForm.form === 'edit') return <SkuEditForm {...props} />;
    if (rowForm.form === 'rules') return <SkuRulesForm {...props} />;
    return null;
  };

  return (
    <section aria-labelledby="stock-title">
      <div className="page-head">
        <div>
          <h1 id="stock-title">Stock</h1>
          <p className="muted">
            Platform SKUs and their stock per location. A change here is pushed to every linked
            TikTok SKU.
          </p>
        </div>
        <div className="row-actions">
          <button
            type="button"
            className="button button-primary"
            aria-expanded={topPanel === 'create'}
            onClick={() => setTopPanel(topPanel === 'create' ? null : 'create')}
            data-testid="sku-create-open"
          >
            New SKU
          </button>
          <button
            type="button"
            className="button"
            aria-expanded={topPanel === 'import'}
            onClick={() => setTopPanel(topPanel === 'import' ? null : 'import')}
            data-testid="import-open"
          >
            Import CSV
          </button>
        </div>
      </div>

      {topPanel === 'create' && (
        <NewSkuForm
          storeId={storeId}
          locations={locations.data?.locations ?? []}
          storeCurrency={settings.data?.currency ?? null}
          onCreated={() => void list.refresh()}
          onClose={() => setTopPanel(null)}
        />
      )}
      {topPanel === 'import' && (
        <SkuImportPanel
          storeId={storeId}
          onImported={() => void list.refresh()}
          onClose={() => setTopPanel(null)}
        />
      )}

      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label className="inline-field grow">
          <span>Search</span>
          <input
            type="search"
            placeholder="SKU or title"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            data-testid="stock-search"
          />
        </label>
      </form>

      {list.error && <Notice tone="error">Could not load platform SKUs: {list.error}</Notice>}
      {locations.error && <Notice tone="error">Could not load locations: {locations.error}</Notice>}

      <datalist id={LOCATION_OPTIONS}>
        {locationCodes.map((code) => (
          <option key={code} value={code} />
        ))}
      </datalist>

      {!items ? (
        !list.error && <Loading what="platform SKUs" />
      ) : items.length === 0 ? (
        <div className="empty card">
          <h2>{q ? 'No platform SKUs match this search' : 'No platform SKUs yet'}</h2>
          <p className="muted">
            {q
              ? 'Change the search text to see more SKUs.'
              : 'Platform SKUs appear here once your platform sends them to the connector, or once you create or import them on this page.'}
          </p>
        </div>
      ) : (
        <>
          <div className="table-wrap card">
            <table className="table" data-testid="stock-table">
              <thead>
                <tr>
                  <th scope="col">SKU</th>
                  <th scope="col">Title</th>
                  <th scope="col" className="num">
                    Price
                  </th>
                  {locationCodes.map((code) => (
                    <th key={code} scope="col" className="num">
                      {code}
                      {excluded.has(code) && <div className="muted small">Not sent to TikTok</div>}
                    </th>
                  ))}
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((sku) => (
                  <StockRows
                    key={sku.id}
                    sku={sku}
                    locationCodes={locationCodes}
                    columns={columns}
                    busy={busy}
                    editingStock={rowForm?.skuId === sku.id && rowForm.form === 'stock'}
                    panel={panelOf(sku)}
                    message={message?.skuId === sku.id ? message : null}
                    onOpen={(form) => openRowForm(sku, form)}
                    onCancel={() => setRowForm(null)}
                    onSubmit={(location, onHand) => void setStock(sku, location, onHand)}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <div className="list-foot">
            <span className="muted small">
              {formatCount(items.length)} {items.length === 1 ? 'platform SKU' : 'platform SKUs'}{' '}
              shown
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

/** Renders one SKU, the panel of its open form and, under them, the outcome of its last action. */
function StockRows({
  sku,
  locationCodes,
  columns,
  busy,
  editingStock,
  panel,
  message,
  onOpen,
  onCancel,
  onSubmit,
}: {
  sku: PlatformSku;
  locationCodes: string[];
  columns: number;
  busy: boolean;
  editingStock: boolean;
  panel: ReactNode;
  message: ActionMessage | null;
  onOpen: (form: RowForm) => void;
  onCancel: () => void;
  onSubmit: (location: string, onHand: number) => void;
}) {
  const levels = new Map(sku.stock.map((level) => [level.locationCode, level]));
  return (
    <>
      <tr data-testid="stock-row" data-sku={sku.sku} data-sku-id={sku.id}>
        <td className="mono strong">{sku.sku}</td>
        <td>
          <div data-testid="sku-title">{sku.title}</div>
          {sku.stockRule && (
            <div className="muted small" data-testid="sku-stock-rule-summary">
              Stock rule: {describeStockRule(sku.stockRule)}
            </div>
          )}
          {sku.priceRule && (
            <div className="muted small" data-testid="sku-price-rule-summary">
              Price rule: {describePriceRule(sku.priceRule)}
            </div>
          )}
        </td>
        <td
          className="num nowrap"
          data-testid="sku-price"
          data-price={sku.price ?? ''}
          data-currency={sku.currency ?? ''}
        >
          {sku.currency ? formatMoney(sku.price, sku.currency) : (sku.price ?? '—')}
        </td>
        {locationCodes.map((code) => {
          const level = levels.get(code);
          return (
            <td
              key={code}
              className="num"
              data-testid="stock-level"
              data-location={code}
              data-on-hand={level?.onHand ?? ''}
            >
              {level ? (
                <>
                  <div>{formatCount(level.onHand)}</div>
                  {level.reserved > 0 && (
                    <div className="muted small nowrap">{formatCount(level.reserved)} reserved</div>
                  )}
                </>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
          );
        })}
        <td>
          {editingStock ? (
            <StockForm
              sku={sku}
              defaultLocation={locationCodes[0] ?? ''}
              busy={busy}
              onSubmit={onSubmit}
              onCancel={onCancel}
            />
          ) : (
            <div className="row-actions">
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                onClick={() => onOpen('stock')}
                data-testid="stock-edit"
              >
                Set stock…
              </button>
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                onClick={() => onOpen('edit')}
                data-testid="sku-edit-open"
              >
                Edit…
              </button>
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                onClick={() => onOpen('rules')}
                data-testid="sku-rules-open"
              >
                Rules…
              </button>
            </div>
          )}
        </td>
      </tr>
      {panel && (
        <tr className="row-panel" data-testid="sku-panel" data-sku={sku.sku}>
          <td colSpan={columns}>{panel}</td>
        </tr>
      )}
      {message && (
        <RowNotice tone={message.tone} columns={columns}>
          {message.text}
        </RowNotice>
      )}
    </>
  );
}

/** Renders the inline form of "Set stock…", which sets the on-hand units at one location. */
function StockForm({
  sku,
  defaultLocation,
  busy,
  onSubmit,
  onCancel,
}: {
  sku: PlatformSku;
  defaultLocation: string;
  busy: boolean;
  onSubmit: (location: string, onHand: number) => void;
  onCancel: () => void;
}) {
  const [location, setLocation] = useState(defaultLocation);
  const current = sku.stock.find((level) => level.locationCode === location.trim());
  const [onHand, setOnHand] = useState(current ? String(current.onHand) : '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The input's pattern admits only 1 to 6 digits, so the browser has checked the value.
    onSubmit(location.trim(), Number(onHand));
  };
  return (
    <form
      className="link-form"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
      data-testid="stock-form"
    >
      <input
        type="text"
        className="input-short"
        aria-label={`Location code for ${sku.sku}`}
        placeholder="Location"
        required
        list={LOCATION_OPTIONS}
        value={location}
        onChange={(event) => setLocation(event.target.value)}
        data-testid="stock-location"
      />
      <input
        type="text"
        inputMode="numeric"
        className="input-short"
        aria-label={`On-hand units of ${sku.sku}`}
        placeholder="On hand"
        required
        autoFocus
        pattern="[0-9]{1,6}"
        title="A whole number of units from 0 to 999999"
        value={onHand}
        onChange={(event) => setOnHand(event.target.value)}
        data-testid="stock-on-hand"
      />
      <button
        type="submit"
        className="button button-small button-primary"
        disabled={busy || location.trim() === '' || onHand === ''}
        data-testid="stock-save"
      >
        {busy ? 'Saving…' : 'Save'}
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
