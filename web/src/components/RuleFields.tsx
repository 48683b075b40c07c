import type { ReactNode } from 'react';
import type { PriceRuleFields, RuleDraft, StockRuleFields } from '../rules.ts';

/** Labels of the two choices of a rule: none (null) or one with the fields below. */
export interface RuleChoiceLabels {
  off: string;
  on: string;
}

function RuleFieldset<Fields>({
  legend,
  labels,
  draft,
  onChange,
  testId,
  children,
}: {
  legend: string;
  labels: RuleChoiceLabels;
  draft: RuleDraft<Fields>;
  onChange: (draft: RuleDraft<Fields>) => void;
  testId: string;
  children: ReactNode;
}) {
  return (
    <fieldset className="rule" data-testid={testId}>
      <legend>{legend}</legend>
      <select
        aria-label={legend}
        value={draft.enabled ? 'on' : 'off'}
        onChange={(event) => onChange({ ...draft, enabled: event.target.value === 'on' })}
        data-testid={`${testId}-mode`}
      >
        <option value="off">{labels.off}</option>
        <option value="on">{labels.on}</option>
      </select>
      {draft.enabled && <div className="form-row">{children}</div>}
    </fieldset>
  );
}

/** Renders the inputs of a stock rule: units and percent held back, and a cap on units shown. */
export function StockRuleFieldset({
  legend,
  labels,
  draft,
  onChange,
  testId,
}: {
  legend: string;
  labels: RuleChoiceLabels;
  draft: RuleDraft<StockRuleFields>;
  onChange: (draft: RuleDraft<StockRuleFields>) => void;
  testId: string;
}) {
  const set = (key: keyof StockRuleFields, value: string) =>
    onChange({ ...draft, fields: { ...draft.fields, [key]: value } });
  return (
    <RuleFieldset legend={legend} labels={labels} draft={draft} onChange={onChange} testId={testId}>
      <label className="field">
        <span>Units kept back</span>
        <input
          type="number"
          className="input-short"
          min={0}
          max={1_000_000}
          step={1}
          value={draft.fields.reserveUnits}
          onChange={(event) => set('reserveUnits', event.target.value)}
          data-testid={`${testId}-reserve-units`}
        />
      </label>
      <label className="field">
        <span>Percent kept back</span>
        <input
          type="text"
          className="input-short"
          inputMode="decimal"
          placeholder="e.g. 10"
          value={draft.fields.reservePercent}
          onChange={(event) => set('reservePercent', event.target.value)}
          data-testid={`${testId}-reserve-percent`}
        />
      </label>
      <label className="field">
        <span>Max units shown</span>
        <input
          type="number"
          className="input-short"
          min={0}
          max={99_999_999}
          step={1}
          value={draft.fields.maxQuantity}
          onChange={(event) => set('maxQuantity', event.target.value)}
          data-testid={`${testId}-max-quantity`}
        />
      </label>
      <p className="muted small field-help">
        Leave a field empty to skip it. The percent applies to the sellable units and rounds up to
        whole units.
      </p>
    </RuleFieldset>
  );
}

/** Renders the inputs of a price rule: a percentage markup, then a fixed amount added. */
export function PriceRuleFieldset({
  legend,
  labels,
  draft,
  onChange,
  testId,
}: {
  legend: string;
  labels: RuleChoiceLabels;
  draft: RuleDraft<PriceRuleFields>;
  onChange: (draft: RuleDraft<PriceRuleFields>) => void;
  testId: string;
}) {
  const set = (key: keyof PriceRuleFields, value: string) =>
    onChange({ ...draft, fields: { ...draft.fields, [key]: value } });
  return (
    <RuleFieldset legend={legend} labels={labels} draft={draft} onChange={onChange} testId={testId}>
      <label className="field">
        <span>Markup percent</span>
        <input
          type="text"
          className="input-short"
          inputMode="decimal"
          placeholder="e.g. 10 or -5.5"
          value={draft.fields.markupPercent}
          onChange={(event) => set('markupPercent', event.target.value)}
          data-testid={`${testId}-markup-percent`}
        />
      </label>
      <label className="field">
        <span>Fixed markup</span>
        <input
          type="text"
          className="input-short"
          inputMode="decimal"
          placeholder="e.g. 1.00"
          value={draft.fields.markupFixed}
          onChange={(event) => set('markupFixed', event.target.value)}
          data-testid={`${testId}-markup-fixed`}
        />
      </label>
      <p className="muted small field-help">
        The percentage applies to the price converted to the shop&apos;s currency. The fixed markup
        is added after it, in the shop&apos;s currency. Leave a field empty to skip it.
      </p>
    </RuleFieldset>
  );
}
