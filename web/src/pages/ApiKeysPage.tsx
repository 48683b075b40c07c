import { useState, type FormEvent } from 'react';
import type { ApiKeySummary, CreatedApiKey } from '../../../src/http/api-types.ts';
import { apiDelete, apiPost, errorMessage, seg } from '../api.ts';
import { ConfirmDialog, Loading, Notice, RelativeTime } from '../components/ui.tsx';
import { formatDateTime } from '../format.ts';
import { useNow, useResource } from '../hooks.ts';

export function ApiKeysPage({ storeId }: { storeId: string }) {
  const basePath = `/stores/${seg(storeId)}/api-keys`;
  const keys = useResource<{ apiKeys: ApiKeySummary[] }>(basePath);
  const now = useNow(30_000);

  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiKeySummary | null>(null);
  const [revokeBusy, setRevokeBusy] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setCreating(true);
    setError(null);
    setCopied(false);
    try {
      const key = await apiPost<CreatedApiKey>(basePath, { name: name.trim() });
      setCreated(key);
      setName('');
      keys.reload();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setCreating(false);
    }
  };

  const copy = async (key: string) => {
    try {
      await navigator.clipboard.writeText(key);
      setCopied(true);
    } catch {
      // The clipboard needs a secure context or a permission. Without them the key stays selectable.
      setError('Could not copy to the clipboard. Select the key and copy it by hand.');
    }
  };

  const revoke = async (key: ApiKeySummary) => {
    setRevokeBusy(true);
    setError(null);
    try {
      await apiDelete(`${basePath}/${seg(key.id)}`);
      if (created?.id === key.id) setCreated(null);
      setRevoking(null);
      keys.reload();
    } catch (caught) {
      setError(errorMessage(caught));
      setRevoking(null);
    } finally {
      setRevokeBusy(false);
    }
  };

  const list = keys.data?.apiKeys ?? [];

  return (
    <section aria-labelledby="keys-title">
      <div className="page-head">
        <div>
          <h1 id="keys-title">API keys</h1>
          <p className="muted">
            Keys let your own systems call the REST API for this store. Each key is shown once, when
            you create it.
          </p>
        </div>
      </div>

      <form className="card create-key" onSubmit={create}>
        <label className="inline-field">
          <span>Name</span>
          <input
            type="text"
            required
            maxLength={100}
            placeholder="For example: warehouse sync"
            value={name}
            onChange={(event) => setName(event.target.value)}
            data-testid="api-key-name"
          />
        </label>
        <button
          type="submit"
          className="button button-primary"
          disabled={creating || name.trim() === ''}
        >
          Create API key
        </button>
      </form>

      {error && <Notice tone="error">{error}</Notice>}

      {created && (
        <div className="notice notice-success new-key" role="status" data-testid="created-api-key">
          <strong>Copy the key for “{created.name}” now. It is shown only once.</strong>
          <div className="key-line">
            <code
              className="key-value"
              onFocus={(event) => window.getSelection()?.selectAllChildren(event.currentTarget)}
              tabIndex={0}
            >
              {created.key}
            </code>
            <button
              type="button"
              className="button button-small"
              onClick={() => void copy(created.key)}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => setCreated(null)}
            >
              Done
            </button>
          </div>
        </div>
      )}

      {keys.error && <Notice tone="error">Could not load API keys: {keys.error}</Notice>}
      {keys.loading ? (
        <Loading what="API keys" />
      ) : keys.data && list.length === 0 ? (
        <div className="empty card">
          <h2>No API keys</h2>
          <p className="muted">Create one above to use the API from another system.</p>
        </div>
      ) : list.length > 0 ? (
        <div className="table-wrap card">
          <table className="table" data-testid="api-keys-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((key) => (
                <tr key={key.id} data-testid="api-key-row" data-api-key-id={key.id}>
                  <td className="strong">{key.name}</td>
                  <td className="mono">{key.prefix}…</td>
                  <td>{formatDateTime(key.createdAt)}</td>
                  <td>
                    {key.lastUsedAt ? (
                      <RelativeTime iso={key.lastUsedAt} now={now} />
                    ) : (
                      <span className="muted">Never</span>
                    )}
                  </td>
                  <td>
                    <div className="row-actions">
                      <button
                        type="button"
                        className="button button-small button-danger-quiet"
                        onClick={() => setRevoking(key)}
                      >
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {revoking && (
        <ConfirmDialog
          title={`Delete the API key “${revoking.name}”?`}
          busy={revokeBusy}
          onCancel={() => setRevoking(null)}
          onConfirm={() => void revoke(revoking)}
        >
          <p>Systems that use this key lose access right away. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
