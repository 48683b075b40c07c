import type { ReactNode } from 'react';
import type {
  ConnectionListResponse,
  OrderDetail,
  OrderLineItem,
} from '../../../src/http/api-types.ts';
import { seg } from '../api.ts';
import {
  Badge,
  Loading,
  Notice,
  OrderStatusBadge,
  orderStatusLabels,
  Tag,
} from '../components/ui.tsx';
import { addDecimals } from '../decimal.ts';
import { formatDateTime, formatMoney, humanize } from '../format.ts';
import { useResource } from '../hooks.ts';

export function OrderDetailPage({ storeId, orderId }: { storeId: string; orderId: string }) {
  // Refreshes so that a hold release or a shipment shows up while the page is open.
  const order = useResource<OrderDetail>(`/stores/${seg(storeId)}/orders/${seg(orderId)}`, 5_000);
  const connections = useResource<ConnectionListResponse>(`/stores/${seg(storeId)}/connections`);

  if (order.loading) return <Loading what="the order" />;
  if (!order.data) {
    return (
      <section>
        <BackLink />
        <Notice tone="error">Could not load the order: {order.error}</Notice>
      </section>
    );
  }

  const detail = order.data;
  const shopName =
    connections.data?.connections.find((connection) => connection.shopId === detail.shopId)
      ?.shopName ?? detail.shopId;

  return (
    <section aria-labelledby="order-title" className="order-detail">
      <BackLink />
      <div className="page-head">
        <div>
          <h1 id="order-title">
            Order <span className="mono">{detail.tiktokOrderId}</span>
          </h1>
          <div className="title-badges">
            <OrderStatusBadge status={detail.status} />
            <span className="mono small muted">{detail.tiktokStatus}</span>
            {detail.isSample && <Tag>Sample</Tag>}
            {detail.hasGift && <Tag>Gift</Tag>}
            {detail.isOnHoldOrder && <Tag>On hold</Tag>}
          </div>
        </div>
        <div className="total-box">
          <span className="muted small">Total</span>
          <span className="total-amount">{formatMoney(detail.totalAmount, detail.currency)}</span>
        </div>
      </div>

      {order.error && <Notice tone="error">Could not refresh the order: {order.error}</Notice>}
      {detail.status === 'on_hold' && (
        <div
          className="notice notice-warning hold-notice"
          role="status"
          data-testid="on-hold-notice"
        >
          <strong>On hold: fulfillment blocked until TikTok releases it.</strong>
          <span>
            TikTok keeps some orders on hold for a time after payment, while the buyer can still
            cancel. Do not ship this order yet. Its status here changes when TikTok releases it.
          </span>
        </div>
      )}
      {detail.status === 'cancelled' && (
        <Notice tone="error">
          Cancelled
          {detail.cancellationInitiator ? ` by ${detail.cancellationInitiator.toLowerCase()}` : ''}
          {detail.cancelReason ? `: ${detail.cancelReason}` : '.'}
        </Notice>
      )}

      <div className="detail-grid">
        <div className="card">
          <h2>Order</h2>
          <dl className="fields">
            <Field label="Shop">{shopName}</Field>
            <Field label="Buyer">{detail.buyerName}</Field>
            <Field label="Created">{formatDateTime(detail.createdAt)}</Field>
            <Field label="Paid">{formatDateTime(detail.paidAt)}</Field>
            <Field label="Updated">{formatDateTime(detail.updatedAt)}</Field>
            <Field label="Synced">{formatDateTime(detail.syncedAt)}</Field>
            <Field label="Shipping type">
              {detail.shippingType && humanize(detail.shippingType)}
            </Field>
            <Field label="Fulfillment type">
              {detail.fulfillmentType && humanize(detail.fulfillmentType)}
            </Field>
            <Field label="Fulfillable">{detail.isFulfillable ? 'Yes' : 'No'}</Field>
          </dl>
        </div>
        <div className="card">
          <h2>Recipient</h2>
          <dl className="fields">
            <Field label="Name">{detail.recipient.name}</Field>
            <Field label="Address">{detail.recipient.fullAddress}</Field>
            <Field label="Region">{detail.recipient.regionCode}</Field>
          </dl>
        </div>
        <PaymentCard detail={detail} />
      </div>

      <LineItemsCard detail={detail} />
      <PackagesCard detail={detail} />
      <HistoryCard detail={detail} />
    </section>
  );
}

function BackLink() {
  return (
    <a href="#/orders" className="back-link">
      ← All orders
    </a>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <div className="field-row">
      <dt>{label}</dt>
      <dd>{empty ? <span className="muted">—</span> : children}</dd>
    </div>
  );
}

function lineTax(item: OrderLineItem): string | null {
  if (item.taxes.length === 0) return null;
  return item.taxes.reduce<string | null>(
    (sum, tax) => addDecimals(sum ?? '0', tax.taxAmount),
    null,
  );
}

function PaymentCard({ detail }: { detail: OrderDetail }) {
  const entries = Object.entries(detail.payment).filter(
    ([key]) => key.toLowerCase() !== 'currency',
  );
  const hasTax = entries.some(([key]) => key.toLowerCase().includes('tax'));
  // Without a tax entry in the payment breakdown, the card shows the sum of the line-item taxes.
  const itemTax = hasTax
    ? null
    : detail.lineItems.reduce<string | null>((sum, item) => {
        const tax = lineTax(item);
        return tax === null ? sum : addDecimals(sum ?? '0', tax);
      }, null);
  const isTotal = (key: string) =>
    ['total', 'totalamount', 'ordertotal', 'grandtotal'].includes(
      key.toLowerCase().replace(/[_\s-]/g, ''),
    );

  return (
    <div className="card">
      <h2>Payment</h2>
      {entries.length === 0 && itemTax === null ? (
        <p className="muted">TikTok sent no payment breakdown for this order.</p>
      ) : (
        <table className="table table-compact" data-testid="payment">
          <tbody>
            {entries.map(([key, value]) => (
              <tr key={key} className={isTotal(key) ? 'total-row' : undefined}>
                <th scope="row">{humanize(key)}</th>
                <td className="num">{formatMoney(value, detail.currency)}</td>
              </tr>
            ))}
            {itemTax !== null && (
              <tr>
                <th scope="row">Tax (sum of line items)</th>
                <td className="num">{formatMoney(itemTax, detail.currency)}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}

function LineItemsCard({ detail }: { detail: OrderDetail }) {
  return (
    <div className="card">
      <h2>
        Line items{' '}
        <span className="muted small">({detail.lineItems.length}, one row per unit)</span>
      </h2>
      <div className="table-wrap">
        <table className="table" data-testid="line-items">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Seller SKU</th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col">Gift / sample</th>
              <th scope="col">Tax</th>
              <th scope="col">Package</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {detail.lineItems.map((item) => (
              <LineItemRow key={item.id} item={item} isSample={detail.isSample} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function LineItemRow({ item, isSample }: { item: OrderLineItem; isSample: boolean }) {
  const discounted =
    item.originalPrice !== null && item.salePrice !== null && item.originalPrice !== item.salePrice;
  return (
    <tr data-testid="line-item-row" data-line-item-id={item.id}>
      <td>
        <div className="strong">{item.productName ?? 'Unnamed product'}</div>
        <div className="muted small">
          {item.skuName ?? ''}
          {item.skuId && <span className="mono"> · SKU {item.skuId}</span>}
        </div>
      </td>
      <td className="mono small">{item.sellerSku ?? '—'}</td>
      <td className="num nowrap">
        <div>{formatMoney(item.salePrice ?? item.originalPrice, item.currency)}</div>
        {discounted && (
          <div className="muted small strike">{formatMoney(item.originalPrice, item.currency)}</div>
        )}
      </td>
      <td>
        <div className="tags">
          {item.isGift && <Tag>Gift</Tag>}
          {isSample && <Tag>Sample</Tag>}
        </div>
        {item.isGift && item.giftRetailPrice && (
          <div className="muted small">
            Retail {formatMoney(item.giftRetailPrice, item.currency)}
          </div>
        )}
        {!item.isGift && !isSample && <span className="muted">—</span>}
      </td>
      <td className="small">
        {item.taxes.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          item.taxes.map((tax, index) => (
            <div key={index} className="nowrap">
              {humanize(tax.taxType)}: {formatMoney(tax.taxAmount, item.currency)}
              {tax.taxRate && <span className="muted"> ({formatRate(tax.taxRate)})</span>}
            </div>
          ))
        )}
      </td>
      <td className="small">
        {item.packageId ? (
          <span className="mono">{item.packageId}</span>
        ) : (
          <span className="muted">—</span>
        )}
        {item.packageStatus && <div className="muted">{humanize(item.packageStatus)}</div>}
      </td>
      <td className="small">
        {item.displayStatus ? humanize(item.displayStatus) : '—'}
        {item.cancelReason && (
          <div className="muted">
            Cancelled{item.cancelUser ? ` by ${item.cancelUser.toLowerCase()}` : ''}:{' '}
            {item.cancelReason}
          </div>
        )}
      </td>
    </tr>
  );
}

/**
 * Formats a tax rate as a percentage. A rate of at most 1 is read as a fraction ("0.0825" is 8.25%)
 * and a larger one as a percentage already.
 * NOTE: the API contract does not say which form `taxRate` uses, so this is a guess.
 */
function formatRate(rate: string): string {
  const value = Number(rate);
  if (!Number.isFinite(value)) return rate;
  const percent = value <= 1 ? value * 100 : value;
  return `${Number(percent.toFixed(4))}%`;
}

function PackagesCard({ detail }: { detail: OrderDetail }) {
  return (
    <div className="card">
      <h2>Packages</h2>
      {detail.packages.length === 0 ? (
        <p className="muted">No packages yet.</p>
      ) : (
        <table className="table" data-testid="packages">
          <thead>
            <tr>
              <th scope="col">Package</th>
              <th scope="col">Status</th>
              <th scope="col">Carrier</th>
              <th scope="col">Tracking number</th>
              <th scope="col" className="num">
                Line items
              </th>
            </tr>
          </thead>
          <tbody>
            {detail.packages.map((pkg) => (
              <tr key={pkg.id}>
                <td className="mono">{pkg.id}</td>
                <td>{pkg.status ? humanize(pkg.status) : '—'}</td>
                <td>{pkg.shippingProviderName ?? '—'}</td>
                <td className="mono">{pkg.trackingNumber ?? '—'}</td>
                <td className="num">{pkg.lineItemIds.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function HistoryCard({ detail }: { detail: OrderDetail }) {
  return (
    <div className="card">
      <h2>Status history</h2>
      {detail.statusHistory.length === 0 ? (
        <p className="muted">No status changes recorded.</p>
      ) : (
        <table className="table" data-testid="status-history">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Status</th>
              <th scope="col">TikTok status</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {detail.statusHistory.map((entry, index) => (
              <tr key={`${entry.at}-${index}`}>
                <td className="nowrap">{formatDateTime(entry.at)}</td>
                <td>
                  <Badge tone="grey">{orderStatusLabels[entry.status] ?? entry.status}</Badge>
                </td>
                <td className="mono small">{entry.tiktokStatus}</td>
                <td>{humanize(entry.source)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
