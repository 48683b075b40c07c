import { useState, type FormEvent, type ReactNode } from 'react';
import type { PriceRule, StockRule } from '../../../src/http/catalog-types.ts';
import { apiPut, errorMessage, seg } from '../api.ts';
import { PriceRuleFieldset, StockRuleFieldset } from '../components/RuleFields.tsx';
import { Loading, Notice } from '../components/ui.tsx';
import { useResource } from '../hooks.ts';
import { priceRuleDraft, priceRuleOf, sameRule, stockRuleDraft, stockRuleOf } from '../rules.ts';

export interface CurrencyRate {
  from: string;
  to: string;
  /** Units of `to` per unit of `from`, as a decimal string. */
  rate: string;
}

/** Body of `GET /settings/catalog` and of the response to `PUT /settings/catalog`. */
export interface CatalogSettings {
  currency: string;
  stockRule: StockRule | null;
  priceRule: PriceRule | null;
  currencyRates: CurrencyRate[];
}

/** Outcome of one settings form, shown at the bottom of that form. */
interface FormMessage {
  tone: 'error' | 'success';
  text: string;
}

/**
 * Returns `save`, which sends one part of the settings, with its busy state and outcome message.
 * Each form sends only its own field, because the server queues pushes of every SKU for a rule or
 * rates in the request, changed or not.
 */
function useSettingsSave(storeId: string) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const save = async (
    body: Partial<CatalogSettings>,
    success: string,
  ): Promise<CatalogSettings | null> => {
    setBusy(true);
    setMessage(null);
    try {
      const saved = await apiPut<CatalogSettings>(`/stores/${seg(storeId)}/settings/catalog`, body);
      setMessage({ tone: 'success', text: success });
      return saved;
    } catch (error) {
      setMessage({ tone: 'error', text: errorMessage(error) });
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { busy, message, save };
}

function SettingsForm({
  title,
  description,
  testId,
  busy,
  canSave,
  message,
  onSubmit,
  children,
}: {
  title: string;
  description: string;
  testId: string;
  busy: boolean;
  canSave: boolean;
  message: FormMessage | null;
  onSubmit: () => void;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form className="card panel" onSubmit={submit} data-testid={testId}>
      <h2>{title}</h2>
      <p className="muted">{description}</p>
      {children}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || !canSave}
          data-testid={`${testId}-save`}
        >
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
      {message && (
        <Notice tone={message.tone}>
          <span data-testid={`${testId}-message`} data-tone={message.tone}>
            {message.text}
          </span>
        </Notice>
      )}
    </form>
  );
}

function CurrencyForm({ storeId, initial }: { storeId: string; initial: string }) {
  const { busy, message, save } = useSettingsSave(storeId);
  const [saved, setSaved] = useState(initial);
  const [currency, setCurrency] = useState(initial);
  const submit = async () => {
    const result = await save({ currency: currency.trim() }, 'The store currency is saved.');
    if (result) {
      setSaved(result.currency);
      setCurrency(result.currency);
    }
  };
  return (
    <SettingsForm
      title="Store currency"
      description="Currency of SKUs that are created or imported without one."
      testId="settings-currency"
      busy={busy}
      canSave={currency.trim() !== '' && currency.trim() !== saved}
      message={message}
      onSubmit={() => void submit()}
    >
      <label className="field">
        <span>Currency</span>
        <input
          type="text"
          className="input-code"
          maxLength={3}
          required
          value={currency}
          onChange={(event) => setCurrency(event.target.value.toUpperCase())}
          data-testid="settings-currency-input"
        />
      </label>
    </SettingsForm>
  );
}

function StockRuleForm({ storeId, initial }: { storeId: string; initial: StockRule | null }) {
  const { busy, message, save } = useSettingsSave(storeId);
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState(() => stockRuleDraft(initial));
  const rule = stockRuleOf(draft);
  const submit = async () => {
    const result = await save(
      { stockRule: rule },
      rule === null
        ? 'The store-wide stock rule is cleared.'
        : 'The store-wide stock rule is saved.',
    );
    if (result) {
      setSaved(result.stockRule);
      setDraft(stockRuleDraft(result.stockRule));
    }
  };
  return (
    <SettingsForm
      title="Stock rule"
      description="Applies to every SKU that has no stock rule of its own. Saving it queues a stock push of every linked TikTok SKU."
      testId="settings-stock-rule"
      busy={busy}
      canSave={!sameRule(rule, saved)}
      message={message}
      onSubmit={() => void submit()}
    >
      <StockRuleFieldset
        legend="Store-wide stock rule"
        labels={{ off: 'No store-wide stock rule', on: 'Apply a stock rule' }}
        draft={draft}
        onChange={setDraft}
        testId="store-stock-rule"
      />
    </SettingsForm>
  );
}

function PriceRuleForm({ storeId, initial }: { storeId: string; initial: PriceRule | null }) {
  const { busy, message, save } = useSettingsSave(storeId);
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState(() => priceRuleDraft(initial));
  const rule = priceRuleOf(draft);
  const submit = async () => {
    const result = await save(
      { priceRule: rule },
      rule === null
        ? 'The store-wide price rule is cleared.'
        : 'The store-wide price rule is saved.',
    );
    if (result) {
      setSaved(result.priceRule);
      setDraft(priceRuleDraft(result.priceRule));
    }
  };
  return (
    <SettingsForm
      title="Price rule"
      description="Applies to every SKU that has no price rule of its own. Saving it queues a price push of every linked TikTok SKU."
      testId="settings-price-rule"
      busy={busy}
      canSave={!sameRule(rule, saved)}
      message={message}
      onSubmit={() => void submit()}
    >
      <PriceRuleFieldset
        legend="Store-wide price rule"
        labels={{ off: 'No store-wide price rule', on: 'Apply a price rule' }}
        draft={draft}
        onChange={setDraft}
        testId="store-price-rule"
      />
    </SettingsForm>
  );
}

/** A row of the rates form, with a key that stays with the row when rows above it are removed. */
interface RateRow extends CurrencyRate {
  key: number;
}

function CurrencyRatesForm({ storeId, initial }: { storeId: string; initial: CurrencyRate[] }) {
  const { busy, message, save } = useSettingsSave(storeId);
  const [saved, setSaved] = useState(initial);
  const [nextKey, setNextKey] = useState(initial.length);
  const [rows, setRows] = useState<RateRow[]>(() =>
    initial.map((rate, index) => ({ ...rate, key: index })),
  );

  const update = (key: number, change: Partial<CurrencyRate>) =>
    setRows(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  const add = () => {
    setRows([...rows, { key: nextKey, from: '', to: '', rate: '' }]);
    setNextKey(nextKey + 1);
  };
  // Rates stay the decimal strings typed, so no digit is lost to floating point.
  const currencyRates = rows.map(({ from, to, rate }) => ({
    from: from.trim(),
    to: to.trim(),
    rate: rate.trim(),
  }));
  const changed =
    currencyRates.length !== saved.length ||
    currencyRates.some(
      (rate, index) =>
        rate.from !== saved[index]!.from ||
        rate.to !== saved[index]!.to ||
        rate.rate !== saved[index]!.rate,
    );
  const submit = async () => {
    const result = await save({ currencyRates }, 'The currency rates are saved.');
    if (result) {
      setSaved(result.currencyRates);
      setRows(result.currencyRates.map((rate, index) => ({ ...rate, key: nextKey + index })));
      setNextKey(nextKey + result.currencyRates.length);
    }
  };

  return (
    <SettingsForm
      title="Currency rates"
      description="Rates convert a SKU price to the currency of a shop that sells in another one. A rate is the units of the To currency per unit of the From currency. Saving replaces every rate and queues a price push of every linked TikTok SKU."
      testId="settings-rates"
      busy={busy}
      canSave={changed}
      message={message}
      onSubmit={() => void submit()}
    >
      {rows.length === 0 ? (
        <p className="muted small">No currency rates.</p>
      ) : (
        <table className="table table-compact rates" data-testid="rates-table">
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Rate</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={row.key} data-testid="rate-row">
                <td>
                  <input
                    type="text"
                    className="input-code"
                    maxLength={3}
                    required
                    aria-label={`From currency of rate ${index + 1}`}
                    value={row.from}
                    onChange={(event) =>
                      update(row.key, { from: event.target.value.toUpperCase() })
                    }
                    data-testid="rate-from"
                  />
                </td>
                <td>
                  <input
                    type="text"
                    className="input-code"
                    maxLength={3}
                    required
                    aria-label={`To currency of rate ${index + 1}`}
                    value={row.to}
                    onChange={(event) => update(row.key, { to: event.target.value.toUpperCase() })}
                    data-testid="rate-to"
                  />
                </td>
                <td>
                  <input
                    type="text"
                    className="input-short"
                    inputMode="decimal"
                    required
                    placeholder="e.g. 0.79"
                    aria-label={`Rate ${index + 1}`}
                    value={row.rate}
                    onChange={(event) => update(row.key, { rate: event.target.value })}
                    data-testid="rate-value"
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="button button-small button-quiet button-danger-quiet"
                    onClick={() => setRows(rows.filter((other) => other.key !== row.key))}
                    data-testid="rate-remove"
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="form-actions">
        <button type="button" className="button button-small" onClick={add} data-testid="rate-add">
          Add rate
        </button>
      </div>
    </SettingsForm>
  );
}

export function CatalogSettingsPage({ storeId }: { storeId: string }) {
  const settings = useResource<CatalogSettings>(`/stores/${seg(storeId)}/settings/catalog`);
  const data = settings.data;
  return (
    <section aria-labelledby="settings-title">
      <div className="page-head">
        <div>
          <h1 id="settings-title">Catalog settings</h1>
          <p className="muted">
            Store-wide defaults for stock and prices sent to TikTok. Each part saves on its own.
          </p>
        </div>
      </div>
      {settings.error && (
        <Notice tone="error">Could not load the catalog settings: {settings.error}</Notice>
      )}
      {!data ? (
        !settings.error && <Loading what="catalog settings" />
      ) : (
        <div className="settings-grid">
          <CurrencyForm storeId={storeId} initial={data.currency} />
          <CurrencyRatesForm storeId={storeId} initial={data.currencyRates} />
          <StockRuleForm storeId={storeId} initial={data.stockRule} />
          <PriceRuleForm storeId={storeId} initial={data.priceRule} />
        </div>
      )}
    </section>
  );
}
