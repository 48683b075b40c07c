import { useState, type FormEvent } from 'react';
import type { Location, PlatformSku } from '../../../src/http/catalog-types.ts';
import { apiPatch, apiPost, errorMessage, seg } from '../api.ts';
import { Notice } from '../components/ui.tsx';
import { PriceRuleFieldset, StockRuleFieldset } from '../components/RuleFields.tsx';
import { priceRuleDraft, priceRuleOf, sameRule, stockRuleDraft, stockRuleOf } from '../rules.ts';

/** Body of `PATCH /skus/:sku`. Fields left out keep their value, and null clears a rule. */
interface SkuPatch {
  title?: string;
  price?: string | null;
  currency?: string;
  stockRule?: PlatformSku['stockRule'];
  priceRule?: PlatformSku['priceRule'];
}

/** Returns a hint for a location whose stock the server would reject or not send to TikTok. */
function locationHint(location: Location): string | null {
  if (location.excludeFromTiktok) return 'Not sent to TikTok';
  if (location.warehouses.length === 0) return 'Feeds no TikTok warehouse';
  return null;
}

/** Renders the form that creates a platform SKU, with optional on-hand stock per location. */
export function NewSkuForm({
  storeId,
  locations,
  storeCurrency,
  onCreated,
  onClose,
}: {
  storeId: string;
  locations: Location[];
  storeCurrency: string | null;
  onCreated: (sku: PlatformSku) => void;
  onClose: () => void;
}) {
  const [sku, setSku] = useState('');
  const [title, setTitle] = useState('');
  const [price, setPrice] = useState('');
  const [currency, setCurrency] = useState('');
  const [stock, setStock] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setCreated(null);

    const body: {
      sku: string;
      title: string;
      price?: string;
      currency?: string;
      stock?: { location: string; onHand: number }[];
    } = { sku: sku.trim(), title: title.trim() };
    if (price.trim() !== '') body.price = price.trim();
    if (currency.trim() !== '') body.currency = currency.trim();
    // The unit inputs accept only whole numbers of at least 0, so the browser has checked them.
    const levels = Object.entries(stock)
      .filter(([, units]) => units !== '')
      .map(([location, units]) => ({ location, onHand: Number(units) }));
    if (levels.length > 0) body.stock = levels;

    try {
      const result = await apiPost<PlatformSku>(`/stores/${seg(storeId)}/skus`, body);
      setCreated(result.sku);
      setSku('');
      setTitle('');
      setPrice('');
      setStock({});
      onCreated(result);
    } catch (caught) {
      setError(errorMessage(caught));
    }
    setBusy(false);
  };

  return (
    <form
      className="card panel"
      onSubmit={(event) => void submit(event)}
      aria-labelledby="new-sku-title"
      data-testid="sku-create-form"
    >
      <h2 id="new-sku-title">New SKU</h2>
      <div className="form-row">
        <label className="field">
          <span>SKU</span>
          <input
            type="text"
            required
            maxLength={128}
            autoFocus
            value={sku}
            onChange={(event) => setSku(event.target.value)}
            data-testid="sku-create-sku"
          />
        </label>
        <label className="field grow">
          <span>Title</span>
          <input
            type="text"
            required
            maxLength={500}
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            data-testid="sku-create-title"
          />
        </label>
        <label className="field">
          <span>Price</span>
          <input
            type="text"
            className="input-short"
            inputMode="decimal"
            placeholder="e.g. 12.50"
            value={price}
            onChange={(event) => setPrice(event.target.value)}
            data-testid="sku-create-price"
          />
        </label>
        <label className="field">
          <span>Currency</span>
          <input
            type="text"
            className="input-code"
            maxLength={3}
            placeholder={storeCurrency ?? 'USD'}
            title="Leave empty for the store currency"
            value={currency}
            onChange={(event) => setCurrency(event.target.value.toUpperCase())}
            data-testid="sku-create-currency"
          />
        </label>
      </div>
      {locations.length > 0 && (
        <fieldset className="rule">
          <legend>On-hand units per location (optional)</legend>
          <div className="form-row form-row-top">
            {locations.map((location) => {
              const hint = locationHint(location);
              return (
                <label key={location.code} className="field">
                  <span className="mono">{location.code}</span>
                  <input
                    type="number"
                    className="input-short"
                    min={0}
                    step={1}
                    value={stock[location.code] ?? ''}
                    onChange={(event) =>
                      setStock({ ...stock, [location.code]: event.target.value })
                    }
                    data-testid="sku-create-stock"
                    data-location={location.code}
                  />
                  {hint && <span className="muted small">{hint}</span>}
                </label>
              );
            })}
          </div>
        </fieldset>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || sku.trim() === '' || title.trim() === ''}
          data-testid="sku-create-save"
        >
          {busy ? 'Creating…' : 'Create SKU'}
        </button>
        <button type="button" className="button button-quiet" disabled={busy} onClick={onClose}>
          Close
        </button>
      </div>
      {error && (
        <Notice tone="error">
          <span data-testid="sku-create-error">{error}</span>
        </Notice>
      )}
      {created && (
        <Notice tone="success">
          <span data-testid="sku-create-result">SKU {created} is created.</span>
        </Notice>
      )}
    </form>
  );
}

/** Sends a SKU patch and returns the updated SKU. */
function patchSku(storeId: string, sku: PlatformSku, patch: SkuPatch): Promise<PlatformSku> {
  return apiPatch<PlatformSku>(`/stores/${seg(storeId)}/skus/${seg(sku.sku)}`, patch);
}

/** Renders the form of "Edit…", which changes the title, price and currency of a SKU. */
export function SkuEditForm({
  storeId,
  sku,
  onSaved,
  onCancel,
}: {
  storeId: string;
  sku: PlatformSku;
  onSaved: (text: string) => void;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(sku.title);
  const [price, setPrice] = useState(sku.price ?? '');
  const [currency, setCurrency] = useState(sku.currency ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Only changed fields are sent, because a price or currency in the patch queues price pushes.
  const patch: SkuPatch = {};
  if (title.trim() !== sku.title) patch.title = title.trim();
  if (price.trim() !== (sku.price ?? '')) patch.price = price.trim() === '' ? null : price.trim();
  if (currency.trim() !== '' && currency.trim() !== sku.currency) patch.currency = currency.trim();
  const changed = Object.keys(patch).length > 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const updated = await patchSku(storeId, sku, patch);
      const priceText =
        updated.price === null ? 'no price' : `${updated.price} ${updated.currency}`;
      onSaved(`SKU ${updated.sku} is saved: “${updated.title}”, ${priceText}.`);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <form
      className="panel"
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
      data-testid="sku-edit-form"
    >
      <div className="form-row">
        <label className="field grow">
          <span>Title</span>
          <input
            type="text"
            required
            maxLength={500}
            autoFocus
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            data-testid="sku-edit-title"
          />
        </label>
        <label className="field">
          <span>Price</span>
          <input
            type="text"
            className="input-short"
            inputMode="decimal"
            placeholder="No price"
            value={price}
            onChange={(event) => setPrice(event.target.value)}
            data-testid="sku-edit-price"
          />
        </label>
        <label className="field">
          <span>Currency</span>
          <input
            type="text"
            className="input-code"
            maxLength={3}
            value={currency}
            onChange={(event) => setCurrency(event.target.value.toUpperCase())}
            data-testid="sku-edit-currency"
          />
        </label>
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy || !changed || title.trim() === ''}
            data-testid="sku-edit-save"
          >
            {busy ? 'Saving…' : 'Save'}
          </button>
          <button type="button" className="button button-quiet" disabled={busy} onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
      {error && (
        <Notice tone="error">
          <span data-testid="sku-edit-error">{error}</span>
        </Notice>
      )}
    </form>
  );
}

/** Renders the form of "Rules…", which sets or clears the stock rule and price rule of a SKU. */
export function SkuRulesForm({
  storeId,
  sku,
  onSaved,
  onCancel,
}: {
  storeId: string;
  sku: PlatformSku;
  onSaved: (text: string) => void;
  onCancel: () => void;
}) {
  const [stockDraft, setStockDraft] = useState(() => stockRuleDraft(sku.stockRule));
  const [priceDraft, setPriceDraft] = useState(() => priceRuleDraft(sku.priceRule));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Only changed rules are sent, because each rule in the patch queues pushes of that SKU.
  const patch: SkuPatch = {};
  const stockRule = stockRuleOf(stockDraft);
  const priceRule = priceRuleOf(priceDraft);
  if (!sameRule(stockRule, sku.stockRule)) patch.stockRule = stockRule;
  if (!sameRule(priceRule, sku.priceRule)) patch.priceRule = priceRule;
  const changed = Object.keys(patch).length > 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const updated = await patchSku(storeId, sku, patch);
      onSaved(`The rules of SKU ${updated.sku} are saved.`);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <form
      className="panel"
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
      data-testid="sku-rules-form"
    >
      <div className="rule-columns">
        <StockRuleFieldset
          legend="Stock rule"
          labels={{ off: 'Use the store-wide stock rule', on: 'Use a stock rule for this SKU' }}
          draft={stockDraft}
          onChange={setStockDraft}
          testId="sku-stock-rule"
        />
        <PriceRuleFieldset
          legend="Price rule"
          labels={{ off: 'Use the store-wide price rule', on: 'Use a price rule for this SKU' }}
          draft={priceDraft}
          onChange={setPriceDraft}
          testId="sku-price-rule"
        />
      </div>
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || !changed}
          data-testid="sku-rules-save"
        >
          {busy ? 'Saving…' : 'Save rules'}
        </button>
        <button type="button" className="button button-quiet" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && (
        <Notice tone="error">
          <span data-testid="sku-rules-error">{error}</span>
        </Notice>
      )}
    </form>
  );
}
