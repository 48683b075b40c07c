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
const REFRESH_MS = 5_000;

interface OrderList {
  query: string;
  orders: OrderSummary[];
  nextCursor: string | null;
  /** True once "Load more" fetched a second page, so a refresh must keep the later pages. */
  extended: boolean;
}

/** Puts the fresh first page on top and keeps the later pages, with each order once. */
function mergeFirstPage(previous: OrderList, page: OrderListResponse): OrderList {
  if (!previous.extended) return { ...previous, orders: page.orders, nextCursor: page.nextCursor };
  const fresh = new Set(page.orders.map((order) => order.id));
  const rest = previous.orders.filter((order) => !fresh.has(order.id));
  return { ...previous, orders: [...page.orders, ...rest] };
}

function appendPage(previous: OrderList, page: OrderListResponse): OrderList {
  const known = new Set(previous.orders.map((order) => order.id));
  const added = page.orders.filter((order) => !known.has(order.id));
  return {
    ...previous,
    orders: [...previous.orders, ...added],
    nextCursor: page.nextCursor,
    extended: true,
  };
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

  const query = useMemo(() => {
    const params = new URLSearchParams();
    if (status) params.set('status', status);
    if (shopId) params.set('shopId', shopId);
    if (q) params.set('q', q);
    params.set('limit', String(PAGE_SIZE));
    return params.toString();
  }, [status, shopId, q]);
  const basePath = `/stores/${seg(storeId)}/orders`;

  const [list, setList] = useState<OrderList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // Orders seen so far, so that rows arriving through a refresh can be highlighted.
  const seen = useRef<Set<string> | null>(null);
  const [arrived, setArrived] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    seen.current = null;
    setArrived(new Set());

    async function refresh() {
      try {
        const page = await apiGet<OrderListResponse>(`${basePath}?${query}`, controller.signal);
        if (controller.signal.aborted) return;
        setList((previous) =>
          previous?.query === query
            ? mergeFirstPage(previous, page)
            : { query, orders: page.orders, nextCursor: page.nextCursor, extended: false },
        );
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
      timer = setTimeout(refresh, REFRESH_MS);
    }

    void refresh();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [basePath, query]);

  const current = list?.query === query ? list : null;

  const loadMore = async () => {
    if (!current?.nextCursor) return;
    setLoadingMore(true);
    try {
      const cursor = encodeURIComponent(current.nextCursor);
      const page = await apiGet<OrderListResponse>(`${basePath}?${query}&cursor=${cursor}`);
      page.orders.forEach((order) => seen.current?.add(order.id));
      setList((previous) => (previous?.query === query ? appendPage(previous, page) : previous));
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setLoadingMore(false);
    }
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
              <button
                type="button"
                className="button"
                disabled={loadingMore}
                onClick={() => void loadMore()}
              >
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
