import { useEffect, useMemo, useRef, useState } from 'react';
import type {
  ConnectionListResponse,
  OrderListResponse,
  OrderSummary,
  PlatformOrderStatus,
} from '../../../src/http/api-types.ts';
import { apiGet, errorMessage, isAbort, seg } from '../api.ts';
import { Loading, Notice, OrderStatusBadge, orderStatusLabels, Tag } from '../components/ui.tsx';
import { formatCount, formatDateTime, formatMoney, formatShortDateTime } from '../format.ts';
import { useDebounced, useResource } from '../hooks.ts';
import { href, navigate } from '../router.ts';

const PAGE_SIZE = 50;
/** The largest `limit` that GET /stores/:storeId/orders accepts. */
const MAX_LIMIT = 200;
const REFRESH_MS = 5_000;

interface OrderList {
  /** Filter parameters the rows were read with, without `limit` or `cursor`. */
  filters: string;
  orders: OrderSummary[];
  nextCursor: string | null;
}

/**
 * Reads the first `count` orders that match `filters`, following cursors in requests of at most
 * MAX_LIMIT rows. The returned cursor continues after the last order read.
 */
async function fetchLeadingOrders(
  path: string,
  filters: string,
  count: number,
  signal: AbortSignal,
): Promise<OrderListResponse> {
  const orders: OrderSummary[] = [];
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams(filters);
    params.set('limit', String(Math.min(MAX_LIMIT, count - orders.length)));
    if (cursor) params.set('cursor', cursor);
    const page = await apiGet<OrderListResponse>(`${path}?${params}`, signal);
    // The cursor is a keyset position, so pages should not overlap. Skipping repeats keeps row keys
    // unique even if one does.
    for (const order of page.orders) {
      if (ids.has(order.id)) continue;
      ids.add(order.id);
      orders.push(order);
    }
    cursor = page.nextCursor;
  } while (cursor && orders.length < count);
  return { orders, nextCursor: cursor };
}

function appendPage(previous: OrderList, page: OrderListResponse): OrderList {
  const known = new Set(previous.orders.map((order) => order.id));
  const added = page.orders.filter((order) => !known.has(order.id));
  return { ...previous, orders: [...previous.orders, ...added], nextCursor: page.nextCursor };
}

export function OrdersPage({ storeId }: { storeId: string }) {
  const [status, setStatus] = useState<PlatformOrderStatus | ''>('');
  const [shopId, setShopId] = useState('');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);

  const connections = useResource<ConnectionListResponse>(
    `/stores/${seg(storeId)}/connections`,
    30_000,
  );
  const shopNames = useMemo(
    () => new Map((connections.data?.connections ?? []).map((c) => [c.shopId, c.shopName])),
    [connections.data],
  );

  const filters = useMemo(() => {
    const params = new URLSearchParams();
    if (status) params.set('status', status);
    if (shopId) params.set('shopId', shopId);
    if (q) params.set('q', q);
    return params.toString();
  }, [status, shopId, q]);
  const basePath = `/stores/${seg(storeId)}/orders`;

  const [list, setList] = useState<OrderList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // Orders seen so far, so that rows arriving through a refresh can be highlighted.
  const seen = useRef<Set<string> | null>(null);
  const [arrived, setArrived] = useState<ReadonlySet<string>>(new Set());

  // The list as last stored. Queued tasks read it here because the `list` in their closure can be
  // stale.
  const latestList = useRef<OrderList | null>(null);
  // Refreshes and "Load more" run one at a time. Otherwise a refresh could drop a page that was
  // appended while it ran, or a page could be appended at a cursor that a refresh replaced.
  const taskQueue = useRef<Promise<void>>(Promise.resolve());
  // Signal for the current store and filters. The effect aborts it when either changes, which also
  // cancels a queued "Load more".
  const filterSignal = useRef<AbortSignal | null>(null);

  const storeList = (next: OrderList) => {
    latestList.current = next;
    setList(next);
  };

  /** Runs `task` after every task queued before it has settled. Tasks handle their own errors. */
  const enqueue = (task: () => Promise<void>): Promise<void> => {
    const run = taskQueue.current.then(task);
    taskQueue.current = run.catch(() => undefined);
    return run;
  };

  useEffect(() => {
    const controller = new AbortController();
    filterSignal.current = controller.signal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    seen.current = null;
    setArrived(new Set());

    async function refresh() {
      if (controller.signal.aborted) return;
      try {
        // Re-reads every loaded row, so status changes show on pages fetched by "Load more" too.
        // New orders at the top push as many rows off the end, and "Load more" brings them back.
        const previous = latestList.current?.filters === filters ? latestList.current : null;
        const count = Math.max(PAGE_SIZE, previous?.orders.length ?? 0);
        const page = await fetchLeadingOrders(basePath, filters, count, controller.signal);
        if (controller.signal.aborted) return;
        storeList({ filters, orders: page.orders, nextCursor: page.nextCursor });
        if (seen.current === null) {
          seen.current = new Set(page.orders.map((order) => order.id));
        } else {
          const known = seen.current;
          const fresh = page.orders
            .filter((order) => !known.has(order.id))
            .map((order) => order.id);
          fresh.forEach((id) => known.add(id));
          if (fresh.length > 0) setArrived(new Set(fresh));
        }
        setError(null);
      } catch (caught) {
        if (controller.signal.aborted || isAbort(caught)) return;
        setError(errorMessage(caught));
      }
      timer = setTimeout(() => void enqueue(refresh), REFRESH_MS);
    }

    void enqueue(refresh);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [basePath, filters]);

  const current = list?.filters === filters ? list : null;

  const loadMore = () => {
    const signal = filterSignal.current;
    setLoadingMore(true);
    void enqueue(async () => {
      // Reads the list when the task starts, because a refresh queued earlier may replace it.
      const previous = latestList.current;
      if (!signal || signal.aborted) return;
      if (previous?.filters !== filters || !previous.nextCursor) return;
      try {
        const params = new URLSearchParams(filters);
        params.set('limit', String(PAGE_SIZE));
        params.set('cursor', previous.nextCursor);
        const page = await apiGet<OrderListResponse>(`${basePath}?${params}`, signal);
        page.orders.forEach((order) => seen.current?.add(order.id));
        storeList(appendPage(previous, page));
        setError(null);
      } catch (caught) {
        if (signal.aborted || isAbort(caught)) return;
        setError(errorMessage(caught));
      }
    }).finally(() => setLoadingMore(false));
  };

  const filtered = Boolean(status || shopId || q);

  return (
    <section aria-labelledby="orders-title">
      <div className="page-head">
        <div>
          <h1 id="orders-title">Orders</h1>
          <p className="muted">Imported from TikTok Shop. This list refreshes every 5 seconds.</p>
        </div>
      </div>

      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label className="inline-field">
          <span>Status</span>
          <select
            value={status}
            onChange={(event) => setStatus(event.target.value as PlatformOrderStatus | '')}
            data-testid="status-filter"
          >
            <option value="">All statuses</option>
            {Object.entries(orderStatusLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
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
        <label className="inline-field grow">
          <span>Search</span>
          <input
            type="search"
            placeholder="Order id, buyer or product"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            data-testid="order-search"
          />
        </label>
      </form>

      {error && <Notice tone="error">Could not load orders: {error}</Notice>}

      {!current ? (
        !error && <Loading what="orders" />
      ) : current.orders.length === 0 ? (
        <div className="empty card">
          <h2>{filtered ? 'No orders match these filters' : 'No orders yet'}</h2>
          <p className="muted">
            {filtered
              ? 'Change the status, shop or search text to see more orders.'
              : 'Orders appear here as soon as a connected shop receives them.'}
          </p>
        </div>
      ) : (
        <>
          <div className="table-wrap card">
            <table className="table" data-testid="orders-table">
              <thead>
                <tr>
                  <th scope="col">TikTok order id</th>
                  <th scope="col">Shop</th>
                  <th scope="col">Status</th>
                  <th scope="col">TikTok status</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col">Tags</th>
                  <th scope="col" className="num">
                    Items
                  </th>
                  <th scope="col">Created</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {current.orders.map((order) => (
                  <OrderRow
                    key={order.id}
                    order={order}
                    shopName={shopNames.get(order.shopId) ?? order.shopId}
                    isNew={arrived.has(order.id)}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <div className="list-foot">
            <span className="muted small">
              {formatCount(current.orders.length)}{' '}
              {current.orders.length === 1 ? 'order' : 'orders'} shown
            </span>
            {current.nextCursor && (
              <button type="button" className="button" disabled={loadingMore} onClick={loadMore}>
                {loadingMore ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}

function OrderRow({
  order,
  shopName,
  isNew,
}: {
  order: OrderSummary;
  shopName: string;
  isNew: boolean;
}) {
  const link = href('orders', order.id);
  return (
    <tr
      data-testid="order-row"
      data-order-id={order.id}
      data-tiktok-order-id={order.tiktokOrderId}
      className={isNew ? 'clickable row-new' : 'clickable'}
      onClick={(event) => {
        // Lets the row act as a link while keeping real links and text selection working.
        if ((event.target as HTMLElement).closest('a') || window.getSelection()?.toString()) return;
        navigate(link.slice(1));
      }}
    >
      <td>
        <a className="mono" href={link}>
          {order.tiktokOrderId}
        </a>
      </td>
      <td className="nowrap">{shopName}</td>
      <td>
        <OrderStatusBadge status={order.status} />
      </td>
      <td className="mono small">{order.tiktokStatus}</td>
      <td className="num nowrap">{formatMoney(order.totalAmount, order.currency)}</td>
      <td>
        <div className="tags">
          {order.isSample && <Tag>Sample</Tag>}
          {order.hasGift && <Tag>Gift</Tag>}
          {order.isOnHoldOrder && <Tag>On hold</Tag>}
        </div>
      </td>
      <td className="num">{formatCount(order.lineItemCount)}</td>
      <td className="nowrap" title={formatDateTime(order.createdAt)}>
        {formatShortDateTime(order.createdAt)}
      </td>
      <td className="nowrap" title={formatDateTime(order.updatedAt)}>
        {formatShortDateTime(order.updatedAt)}
      </td>
    </tr>
  );
}
