import { useState, type FormEvent } from 'react';
import type { ConnectionListResponse } from '../../../src/http/api-types.ts';
import type { Location, TiktokWarehouse } from '../../../src/http/catalog-types.ts';
import { apiDelete, apiPatch, apiPost, apiPut, errorMessage, seg } from '../api.ts';
import { Badge, Loading, Notice, RowNotice } from '../components/ui.tsx';
import { humanize } from '../format.ts';
import { useResource } from '../hooks.ts';

const RETURN_WAREHOUSE = 'RETURN_WAREHOUSE';

interface Shop {
  shopId: string;
  name: string;
}

interface ActionMessage {
  code: string;
  tone: 'error' | 'success';
  text: string;
}

/**
 * Change that a row shows from the moment it is sent until the locations are read again. Without
 * it, a checkbox or select would jump back to the old value while the request runs.
 */
type PendingChange = { code: string; basis: unknown } & (
  | { kind: 'exclude'; excludeFromTiktok: boolean }
  | { kind: 'map'; shopId: string; warehouseId: string }
);

/**
 * Returns the shops to map locations to: those with warehouses, then any other connected shop,
 * named after their connection.
 */
function shopsOf(warehouses: TiktokWarehouse[], connections: ConnectionListResponse | undefined) {
  const live = (connections?.connections ?? []).filter(
    (connection) => connection.status !== 'disconnected',
  );
  const names = new Map(live.map((connection) => [connection.shopId, connection.shopName]));
  const ids = new Set([...warehouses.map((warehouse) => warehouse.shopId), ...names.keys()]);
  return [...ids].map((shopId): Shop => ({ shopId, name: names.get(shopId) ?? `Shop ${shopId}` }));
}

function warehouseLabel(warehouse: TiktokWarehouse): string {
  if (warehouse.type === RETURN_WAREHOUSE) return `${warehouse.name} (return warehouse)`;
  return warehouse.isDefault ? `${warehouse.name} (default)` : warehouse.name;
}

export function LocationsPage({ storeId }: { storeId: string }) {
  const base = `/stores/${seg(storeId)}`;
  const locations = useResource<{ locations: Location[] }>(`${base}/locations`);
  const warehouses = useResource<{ warehouses: TiktokWarehouse[] }>(`${base}/warehouses`);
  const connections = useResource<ConnectionListResponse>(`${base}/connections`);

  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<ActionMessage | null>(null);
  const [pending, setPending] = useState<PendingChange | null>(null);
  // A pending change applies to the list it was made on, so the re-read list replaces it.
  const shownPending = pending && pending.basis === locations.data ? pending : null;

  const warehouseList = warehouses.data?.warehouses ?? [];
  const shops = shopsOf(warehouseList, connections.data);
  const locationList = locations.data?.locations ?? [];
  const columns = 3 + shops.length;

  /** Runs a row action, shows its outcome under the row and re-reads locations and warehouses. */
  const run = async (location: Location, change: PendingChange, action: () => Promise<string>) => {
    setBusy(location.code);
    setMessage(null);
    setPending(change);
    try {
      const text = await action();
      setMessage({ code: location.code, tone: 'success', text });
    } catch (error) {
      setPending(null);
      setMessage({ code: location.code, tone: 'error', text: errorMessage(error) });
    }
    locations.reload();
    warehouses.reload();
    setBusy(null);
  };

  const setExcluded = (location: Location, excludeFromTiktok: boolean) =>
    run(
      location,
      { code: location.code, basis: locations.data, kind: 'exclude', excludeFromTiktok },
      async () => {
        await apiPatch(`${base}/locations/${seg(location.code)}`, { excludeFromTiktok });
        return excludeFromTiktok
          ? `Stock at ${location.code} is no longer sent to TikTok.`
          : `Stock at ${location.code} is sent to TikTok again.`;
      },
    );

  const map = (location: Location, shop: Shop, warehouseId: string) =>
    run(
      location,
      { code: location.code, basis: locations.data, kind: 'map', shopId: shop.shopId, warehouseId },
      async () => {
        const path = `${base}/locations/${seg(location.code)}/warehouses/${seg(shop.shopId)}`;
        if (warehouseId === '') {
          await apiDelete(path);
          return `${location.code} no longer feeds a warehouse of ${shop.name}.`;
        }
        const updated = await apiPut<Location>(path, { warehouseId });
        const mapping = updated.warehouses.find((candidate) => candidate.shopId === shop.shopId);
        return `${location.code} now feeds ${mapping?.warehouseName ?? `warehouse ${warehouseId}`} of ${shop.name}.`;
      },
    );

  return (
    <section aria-labelledby="locations-title">
      <div className="page-head">
        <div>
          <h1 id="locations-title">Locations</h1>
          <p className="muted">
            Places that hold your stock, and the TikTok warehouse each one feeds in every connected
            shop. TikTok gets the sellable units of all locations mapped to a warehouse.
          </p>
        </div>
      </div>

      <NewLocationForm base={base} onCreated={() => locations.reload()} />

      {locations.error && <Notice tone="error">Could not load locations: {locations.error}</Notice>}
      {warehouses.error && (
        <Notice tone="error">Could not load TikTok warehouses: {warehouses.error}</Notice>
      )}

      {!locations.data ? (
        !locations.error && <Loading what="locations" />
      ) : locationList.length === 0 ? (
        <div className="empty card">
          <h2>No locations yet</h2>
          <p className="muted">Create one above to record stock per place.</p>
        </div>
      ) : (
        <div className="table-wrap card">
          <table className="table" data-testid="locations-table">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Name</th>
                <th scope="col">Stock to TikTok</th>
                {shops.map((shop) => (
                  <th key={shop.shopId} scope="col">
                    Warehouse in {shop.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {locationList.map((location) => (
                <LocationRows
                  key={location.id}
                  location={location}
                  shops={shops}
                  warehouses={warehouseList}
                  columns={columns}
                  busy={busy !== null}
                  pending={shownPending?.code === location.code ? shownPending : null}
                  message={message?.code === location.code ? message : null}
                  onExclude={(exclude) => void setExcluded(location, exclude)}
                  onMap={(shop, warehouseId) => void map(location, shop, warehouseId)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {warehouses.data && (
        <WarehouseTable warehouses={warehouseList} shops={shops} locations={locationList} />
      )}
    </section>
  );
}

function NewLocationForm({ base, onCreated }: { base: string; onCreated: () => void }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [exclude, setExclude] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const created = await apiPost<Location>(`${base}/locations`, {
        code: code.trim(),
        name: name.trim(),
        excludeFromTiktok: exclude,
      });
      setMessage({
        tone: 'success',
        text: created.excludeFromTiktok
          ? `Location ${created.code} is created. Its stock is not sent to TikTok.`
          : `Location ${created.code} is created. Map it to a TikTok warehouse below, or its stock reaches no shop.`,
      });
      setCode('');
      setName('');
      setExclude(false);
      onCreated();
    } catch (error) {
      setMessage({ tone: 'error', text: errorMessage(error) });
    }
    setBusy(false);
  };

  return (
    <form
      className="card panel"
      onSubmit={(event) => void submit(event)}
      aria-labelledby="new-location-title"
      data-testid="location-create-form"
    >
      <h2 id="new-location-title">New location</h2>
      <div className="form-row">
        <label className="field">
          <span>Code</span>
          <input
            type="text"
            required
            maxLength={64}
            placeholder="e.g. EAST-1"
            title="Letters, digits, dots, dashes or underscores"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            data-testid="location-create-code"
          />
        </label>
        <label className="field grow">
          <span>Name</span>
          <input
            type="text"
            required
            maxLength={200}
            value={name}
            onChange={(event) => setName(event.target.value)}
            data-testid="location-create-name"
          />
        </label>
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={exclude}
            onChange={(event) => setExclude(event.target.checked)}
            data-testid="location-create-exclude"
          />
          <span>Keep its stock out of TikTok</span>
        </label>
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy || code.trim() === '' || name.trim() === ''}
            data-testid="location-create-save"
          >
            {busy ? 'Creating…' : 'Create location'}
          </button>
        </div>
      </div>
      {message && (
        <Notice tone={message.tone}>
          <span data-testid="location-create-message" data-tone={message.tone}>
            {message.text}
          </span>
        </Notice>
      )}
    </form>
  );
}

/** Renders one location, its warehouse per shop and, under it, the outcome of its last action. */
function LocationRows({
  location,
  shops,
  warehouses,
  columns,
  busy,
  pending,
  message,
  onExclude,
  onMap,
}: {
  location: Location;
  shops: Shop[];
  warehouses: TiktokWarehouse[];
  columns: number;
  busy: boolean;
  pending: PendingChange | null;
  message: ActionMessage | null;
  onExclude: (exclude: boolean) => void;
  onMap: (shop: Shop, warehouseId: string) => void;
}) {
  const excluded =
    pending?.kind === 'exclude' ? pending.excludeFromTiktok : location.excludeFromTiktok;
  return (
    <>
      <tr
        data-testid="location-row"
        data-code={location.code}
        data-exclude-from-tiktok={String(location.excludeFromTiktok)}
      >
        <td className="mono strong">{location.code}</td>
        <td>{location.name}</td>
        <td>
          <label className="checkbox-field">
            <input
              type="checkbox"
              checked={!excluded}
              disabled={busy}
              onChange={(event) => onExclude(!event.target.checked)}
              data-testid="location-send"
            />
            <span>{excluded ? 'Not sent' : 'Sent'}</span>
          </label>
        </td>
        {shops.map((shop) => {
          const mapped = location.warehouses.find((mapping) => mapping.shopId === shop.shopId);
          const choices = warehouses.filter((warehouse) => warehouse.shopId === shop.shopId);
          const known = choices.some((warehouse) => warehouse.id === mapped?.warehouseId);
          const chosen =
            pending?.kind === 'map' && pending.shopId === shop.shopId
              ? pending.warehouseId
              : (mapped?.warehouseId ?? '');
          return (
            <td key={shop.shopId}>
              <select
                aria-label={`Warehouse of ${location.code} in ${shop.name}`}
                value={chosen}
                disabled={busy}
                onChange={(event) => onMap(shop, event.target.value)}
                data-testid="location-warehouse"
                data-shop-id={shop.shopId}
              >
                <option value="">Not mapped</option>
                {mapped && !known && (
                  <option value={mapped.warehouseId}>
                    {mapped.warehouseName ?? `Warehouse ${mapped.warehouseId}`}
                  </option>
                )}
                {choices.map((warehouse) => (
                  <option
                    key={warehouse.id}
                    value={warehouse.id}
                    // TikTok sells only from sales warehouses, so the server rejects a return one.
                    disabled={warehouse.type === RETURN_WAREHOUSE}
                  >
                    {warehouseLabel(warehouse)}
                  </option>
                ))}
              </select>
            </td>
          );
        })}
      </tr>
      {message && (
        <RowNotice tone={message.tone} columns={columns}>
          {message.text}
        </RowNotice>
      )}
    </>
  );
}

/** Lists the TikTok warehouses of the connected shops and the locations that feed each one. */
function WarehouseTable({
  warehouses,
  shops,
  locations,
}: {
  warehouses: TiktokWarehouse[];
  shops: Shop[];
  locations: Location[];
}) {
  const names = new Map(shops.map((shop) => [shop.shopId, shop.name]));
  const excluded = new Set(
    locations.filter((location) => location.excludeFromTiktok).map((location) => location.code),
  );
  return (
    <>
      <h2 className="section-title">TikTok warehouses</h2>
      {warehouses.length === 0 ? (
        <div className="empty card">
          <p className="muted">
            No warehouses yet. They appear once a connected shop&apos;s warehouses are read from
            TikTok.
          </p>
        </div>
      ) : (
        <div className="table-wrap card">
          <table className="table" data-testid="warehouses-table">
            <thead>
              <tr>
                <th scope="col">Shop</th>
                <th scope="col">Warehouse</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Fed by</th>
              </tr>
            </thead>
            <tbody>
              {warehouses.map((warehouse) => (
                <tr
                  key={`${warehouse.shopId}/${warehouse.id}`}
                  data-testid="warehouse-row"
                  data-shop-id={warehouse.shopId}
                  data-warehouse-id={warehouse.id}
                  data-location-codes={warehouse.locationCodes.join(',')}
                >
                  <td className="nowrap">{names.get(warehouse.shopId) ?? warehouse.shopId}</td>
                  <td>
                    <div className="strong">{warehouse.name}</div>
                    <div className="muted small mono">{warehouse.id}</div>
                  </td>
                  <td>
                    <div className="status-cell">
                      <span>{warehouse.type ? humanize(warehouse.type) : '—'}</span>
                      {warehouse.isDefault && <Badge tone="blue">Default</Badge>}
                    </div>
                  </td>
                  <td>{warehouse.effectStatus ? humanize(warehouse.effectStatus) : '—'}</td>
                  <td>
                    {warehouse.locationCodes.length === 0 ? (
                      <span className="muted">No location</span>
                    ) : (
                      warehouse.locationCodes.map((code, index) => (
                        <span key={code}>
                          {index > 0 && ', '}
                          <code>{code}</code>
                          {excluded.has(code) && <span className="muted small"> (not sent)</span>}
                        </span>
                      ))
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
