import { useDeferredValue, useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import type { ImportResult } from '../../../src/http/catalog-types.ts';
import { ApiError, apiPost, errorMessage, seg } from '../api.ts';
import { CsvSyntaxError } from '../csv.ts';
import { Notice } from '../components/ui.tsx';
import { formatCount } from '../format.ts';
import {
  batchRows,
  IMPORT_BATCH_SIZE,
  IMPORT_COLUMNS,
  linesNamedBy,
  parseSkuCsv,
  type ImportRow,
  type ParsedSkuCsv,
} from '../sku-import.ts';

const EXAMPLE = `${IMPORT_COLUMNS.join(',')},MAIN,OVERFLOW
MUG-02,"Ceramic Mug, 16oz",16.99,USD,40,5
MUG-03,Travel Mug,21.00,,12,`;

type Parsed = { ok: true; csv: ParsedSkuCsv } | { ok: false; message: string };

/** Outcome of the last import, shown under the form. */
type Outcome =
  | { tone: 'success'; result: ImportResult; requests: number }
  | {
      tone: 'error';
      /** CSV lines of the rows that the server's message names. */
      lines: number[];
      message: string;
      /** 1-based number of the request that failed, and the count of requests. */
      request: number;
      requests: number;
      /** Totals of the requests before the one that failed, which stay applied. */
      applied: ImportResult;
      /** False for a network error or a 5xx, after which the request may or may not be applied. */
      rejected: boolean;
    };

function parse(text: string): Parsed {
  try {
    return { ok: true, csv: parseSkuCsv(text) };
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { ok: false, message: error.message };
    throw error;
  }
}

function addResults(left: ImportResult, right: ImportResult): ImportResult {
  return {
    created: left.created + right.created,
    updated: left.updated + right.updated,
    queuedPushes: left.queuedPushes + right.queuedPushes,
  };
}

function describeResult(result: ImportResult): string {
  const pushes =
    result.queuedPushes === 1
      ? 'One push to TikTok is queued.'
      : `${formatCount(result.queuedPushes)} pushes to TikTok are queued.`;
  return `${formatCount(result.created)} created, ${formatCount(result.updated)} updated. ${pushes}`;
}

/** Names the CSV lines that the server rejected, such as "line 7" or "lines 7, 9". */
function describeLines(lines: number[]): string {
  if (lines.length === 0) return 'the request';
  const list = lines.map((line) => String(line)).join(', ');
  return lines.length === 1 ? `line ${list}` : `lines ${list}`;
}

/**
 * Renders the CSV import: a text area and a file picker, a check of the CSV as it is typed, and
 * the requests that send it. Files of more than IMPORT_BATCH_SIZE rows go in several requests.
 */
export function SkuImportPanel({
  storeId,
  onImported,
  onClose,
}: {
  storeId: string;
  onImported: () => void;
  onClose: () => void;
}) {
  const [text, setText] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Parsing a large file takes a moment, so typing stays responsive while it runs.
  const checkedText = useDeferredValue(text);
  const parsed = useMemo(() => parse(checkedText), [checkedText]);
  const checking = checkedText !== text;
  const rows = parsed.ok ? parsed.csv.rows : [];
  const requests = Math.ceil(rows.length / IMPORT_BATCH_SIZE);

  const pickFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setFileError(null);
    if (!file) return;
    try {
      setText(await file.text());
      setOutcome(null);
    } catch (error) {
      setFileError(`Could not read ${file.name}: ${errorMessage(error)}`);
    }
  };

  const send = async (batches: ImportRow[][]) => {
    let applied: ImportResult = { created: 0, updated: 0, queuedPushes: 0 };
    for (const [index, batch] of batches.entries()) {
      if (batches.length > 1) {
        setProgress(`Sending request ${index + 1} of ${batches.length}…`);
      }
      try {
        const result = await apiPost<ImportResult>(`/stores/${seg(storeId)}/skus/import`, {
          items: batch.map((row) => row.item),
        });
        applied = addResults(applied, result);
      } catch (error) {
        const message = errorMessage(error);
        const rejected = error instanceof ApiError && error.status >= 400 && error.status < 500;
        setOutcome({
          tone: 'error',
          lines: rejected ? linesNamedBy(message, batch) : [],
          message,
          request: index + 1,
          requests: batches.length,
          applied,
          rejected,
        });
        return;
      }
    }
    setOutcome({ tone: 'success', result: applied, requests: batches.length });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!parsed.ok || rows.length === 0 || checking) return;
    setBusy(true);
    setOutcome(null);
    await send(batchRows(rows));
    setProgress(null);
    setBusy(false);
    onImported();
  };

  return (
    <form
      className="card panel"
      onSubmit={(event) => void submit(event)}
      aria-labelledby="import-title"
      data-testid="import-form"
    >
      <h2 id="import-title">Import SKUs from CSV</h2>
      <p className="muted">
        The first line is the header <code>{IMPORT_COLUMNS.join(',')}</code>, followed by one column
        per location code, holding the on-hand units there. A row creates its SKU or updates the one
        with that code. An empty price, currency or stock cell keeps the current value, and a new
        SKU without a currency gets the store currency.
      </p>
      <label className="field">
        <span>CSV file</span>
        <input
          type="file"
          accept=".csv,text/csv,text/plain"
          onChange={(event) => void pickFile(event)}
          data-testid="import-file"
        />
      </label>
      {fileError && <Notice tone="error">{fileError}</Notice>}
      <label className="field">
        <span>CSV text</span>
        <textarea
          className="csv-input"
          rows={8}
          spellCheck={false}
          placeholder={EXAMPLE}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setOutcome(null);
          }}
          data-testid="import-text"
        />
      </label>
      {!parsed.ok ? (
        <Notice tone="error">
          <span data-testid="import-parse-error">{parsed.message}</span>
        </Notice>
      ) : rows.length > 0 ? (
        <p className="small" data-testid="import-summary">
          {formatCount(rows.length)} {rows.length === 1 ? 'row' : 'rows'}
          {parsed.csv.locations.length > 0
            ? `, with stock columns ${parsed.csv.locations.join(', ')}`
            : ', with no stock columns'}
          .{' '}
          {requests === 1
            ? 'They are sent in one request, which applies all rows or none.'
            : `They are sent in ${formatCount(requests)} requests of up to ${formatCount(IMPORT_BATCH_SIZE)} rows, one after another. Each request applies all of its rows or none, and a rejected request stops the import but leaves the requests before it applied.`}
        </p>
      ) : (
        text.trim() !== '' && (
          <p className="small muted" data-testid="import-summary">
            The header has no rows under it yet.
          </p>
        )
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || checking || !parsed.ok || rows.length === 0}
          data-testid="import-save"
        >
          {busy
            ? 'Importing…'
            : `Import ${formatCount(rows.length)} ${rows.length === 1 ? 'row' : 'rows'}`}
        </button>
        <button type="button" className="button button-quiet" disabled={busy} onClick={onClose}>
          Close
        </button>
        {progress && <span className="muted small">{progress}</span>}
      </div>
      {outcome && <ImportOutcome outcome={outcome} />}
    </form>
  );
}

function ImportOutcome({ outcome }: { outcome: Outcome }) {
  if (outcome.tone === 'success') {
    return (
      <Notice tone="success">
        <span
          data-testid="import-result"
          data-created={outcome.result.created}
          data-updated={outcome.result.updated}
          data-queued-pushes={outcome.result.queuedPushes}
        >
          Import done
          {outcome.requests > 1 ? ` in ${formatCount(outcome.requests)} requests` : ''}:{' '}
          {describeResult(outcome.result)}
        </span>
      </Notice>
    );
  }
  const { request, requests, applied } = outcome;
  const range = (first: number, last: number) =>
    first === last ? `Request ${first} was` : `Requests ${first} to ${last} were`;
  return (
    <Notice tone="error">
      <div data-testid="import-error" data-lines={outcome.lines.join(',')}>
        {outcome.rejected ? (
          <>
            The server rejected {describeLines(outcome.lines)}
            {requests > 1 ? ` in request ${request} of ${requests}` : ''}, so no row of{' '}
            {requests > 1 ? 'that request' : 'the CSV'} is applied:{' '}
          </>
        ) : (
          <>
            Import request {request} of {requests} failed, so its rows may or may not be applied.
            Importing the same CSV again is safe, because each row updates the SKU with its
            code:{' '}
          </>
        )}
        <span data-testid="import-error-message">{outcome.message}</span>
      </div>
      {request > 1 && (
        <div className="small" data-testid="import-applied">
          {range(1, request - 1)} applied: {describeResult(applied)}
        </div>
      )}
      {request < requests && (
        <div className="small" data-testid="import-not-sent">
          {range(request + 1, requests)} not sent.
        </div>
      )}
    </Notice>
  );
}
