import { useEffect, useRef, type ReactNode } from 'react';
import type {
  BackfillProgress,
  ConnectionStatus,
  PlatformOrderStatus,
} from '../../../src/http/api-types.ts';
import type { LinkState } from '../../../src/http/catalog-types.ts';
import { formatCount, formatDateTime, formatRelative } from '../format.ts';

type Tone = 'green' | 'blue' | 'amber' | 'red' | 'grey' | 'purple';

const orderTones: Record<PlatformOrderStatus, Tone> = {
  pending_payment: 'grey',
  on_hold: 'amber',
  awaiting_fulfillment: 'blue',
  partially_shipped: 'purple',
  shipped: 'purple',
  delivered: 'green',
  completed: 'green',
  cancelled: 'red',
};

export const orderStatusLabels: Record<PlatformOrderStatus, string> = {
  pending_payment: 'Pending payment',
  on_hold: 'On hold',
  awaiting_fulfillment: 'Awaiting fulfillment',
  partially_shipped: 'Partially shipped',
  shipped: 'Shipped',
  delivered: 'Delivered',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

const connectionTones: Record<ConnectionStatus, Tone> = {
  active: 'green',
  reauthorize_required: 'amber',
  disconnected: 'grey',
};

const connectionLabels: Record<ConnectionStatus, string> = {
  active: 'Active',
  reauthorize_required: 'Re-authorize required',
  disconnected: 'Disconnected',
};

const linkStateTones: Record<LinkState, Tone> = {
  auto: 'green',
  manual: 'blue',
  unlinked: 'grey',
  unmatched: 'amber',
  duplicate: 'red',
};

export const linkStateLabels: Record<LinkState, string> = {
  auto: 'Auto',
  manual: 'Manual',
  unlinked: 'Unlinked',
  unmatched: 'Unmatched',
  duplicate: 'Duplicate',
};

export function Badge({
  tone,
  children,
  testId,
}: {
  tone: Tone;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

export function OrderStatusBadge({ status }: { status: PlatformOrderStatus }) {
  return (
    <span
      className={`badge badge-${orderTones[status] ?? 'grey'}`}
      data-testid="order-status"
      data-status={status}
    >
      {orderStatusLabels[status] ?? status}
    </span>
  );
}

export function ConnectionStatusBadge({ status }: { status: ConnectionStatus }) {
  return (
    <span
      className={`badge badge-${connectionTones[status] ?? 'grey'}`}
      data-testid="connection-status"
      data-status={status}
    >
      {connectionLabels[status] ?? status}
    </span>
  );
}

export function LinkStateBadge({ state }: { state: LinkState }) {
  return (
    <span
      className={`badge badge-${linkStateTones[state] ?? 'grey'}`}
      data-testid="link-state"
      data-state={state}
    >
      {linkStateLabels[state] ?? state}
    </span>
  );
}

export function Tag({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <span className="tag" data-testid={testId}>
      {children}
    </span>
  );
}

/** Renders a time relative to now, with the exact time in a tooltip. */
export function RelativeTime({ iso, now }: { iso: string | null; now: number }) {
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}

export function Notice({
  tone,
  children,
  role,
}: {
  tone: 'info' | 'warning' | 'error' | 'success';
  children: ReactNode;
  role?: 'alert' | 'status';
}) {
  return (
    <div className={`notice notice-${tone}`} role={role ?? (tone === 'error' ? 'alert' : 'status')}>
      {children}
    </div>
  );
}

const backfillLabels: Record<BackfillProgress['status'], string> = {
  pending: 'Queued',
  running: 'Importing',
  done: 'Done',
  failed: 'Failed',
};

export function BackfillBar({ backfill }: { backfill: BackfillProgress }) {
  const { windowsDone, windowsTotal, status } = backfill;
  const percent =
    windowsTotal > 0
      ? Math.min(100, Math.round((windowsDone / windowsTotal) * 100))
      : status === 'done'
        ? 100
        : 0;
  return (
    <div className={`backfill backfill-${status}`} data-testid="backfill" data-status={status}>
      <div
        className="progress"
        role="progressbar"
        aria-label="Order history import"
        aria-valuemin={0}
        aria-valuemax={windowsTotal}
        aria-valuenow={windowsDone}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="backfill-text">
        <span className="backfill-state">{backfillLabels[status] ?? status}</span>
        <span className="muted">
          {formatCount(windowsDone)}/{formatCount(windowsTotal)} windows
        </span>
      </div>
      <div className="backfill-text muted">
        {formatCount(backfill.ordersImported)} orders imported
      </div>
    </div>
  );
}

/**
 * Renders a modal confirmation with `<dialog>`. Its confirm button is labelled "Confirm" so that a
 * page-wide search for the button that opened it (such as "Disconnect") still finds one element.
 */
export function ConfirmDialog({
  title,
  children,
  busy,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="confirm-title"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="button button-danger" onClick={onConfirm} disabled={busy}>
          {busy ? 'Working…' : 'Confirm'}
        </button>
      </div>
    </dialog>
  );
}

/** Renders the outcome of a row action on a table row of its own under that row. */
export function RowNotice({
  tone,
  columns,
  children,
}: {
  tone: 'error' | 'success';
  columns: number;
  children: ReactNode;
}) {
  return (
    <tr className="row-notice" data-testid="row-notice" data-tone={tone}>
      <td colSpan={columns}>
        <Notice tone={tone}>{children}</Notice>
      </td>
    </tr>
  );
}

export function Loading({ what }: { what: string }) {
  return <p className="muted loading">Loading {what}…</p>;
}
