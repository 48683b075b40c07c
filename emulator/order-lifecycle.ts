import type { EmulatorStore } from './store.ts';
import type {
  CancelRole,
  Clock,
  LineItemRecord,
  OrderRecord,
  OrderStatus,
  PackageRecord,
  PackageStatus,
} from './types.ts';

/** Statuses from which an order can still be cancelled. */
const CANCELLABLE: ReadonlySet<OrderStatus> = new Set([
  'UNPAID',
  'ON_HOLD',
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPING',
  'AWAITING_COLLECTION',
]);

/** Forward order of statuses; ON_HOLD is skipped for shops without it. */
const FORWARD: readonly OrderStatus[] = [
  'UNPAID',
  'ON_HOLD',
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPING',
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
  'DELIVERED',
  'COMPLETED',
];

const PACKAGE_STATUS: Partial<Record<OrderStatus, PackageStatus>> = {
  AWAITING_SHIPMENT: 'TO_FULFILL',
  PARTIALLY_SHIPPING: 'PROCESSING',
  AWAITING_COLLECTION: 'PROCESSING',
  IN_TRANSIT: 'FULFILLING',
  DELIVERED: 'COMPLETED',
  COMPLETED: 'COMPLETED',
  CANCELLED: 'CANCELLED',
};

/** Raised when an order cannot move to the requested status from its current one. */
export class InvalidTransitionError extends Error {
  constructor(order: OrderRecord, target: OrderStatus) {
    super(`order ${order.id} cannot move from ${order.status} to ${target}`);
    this.name = 'InvalidTransitionError';
  }
}

export interface LifecycleOptions {
  store: EmulatorStore;
  clock: Clock;
  onHoldWindowMs: number;
  /** Called after every status change of a live order, to emit ORDER_STATUS_CHANGE. */
  onStatusChange(order: OrderRecord): void;
  /** Moves committed stock when lines ship or are cancelled. `isLive` is false when backdated. */
  stock?: {
    ship(lines: readonly LineItemRecord[], isLive: boolean): void;
    release(lines: readonly LineItemRecord[], isLive: boolean): void;
  };
}

/** Options of one status change; `at` (Unix seconds) backdates it and suppresses the webhook. */
export interface TransitionOptions {
  at?: number;
  /** Seconds between backdated steps of moveTo, capped at now. @default 0 */
  stepSeconds?: number;
}

/** Moves orders through TikTok's status machine, stamping times from the injected clock. */
export class OrderLifecycle {
  private readonly heldOrders = new Set<OrderRecord>();

  constructor(private readonly options: LifecycleOptions) {}

  /** Moves an order forward step by step until it reaches `target`, one webhook per step. */
  moveTo(order: OrderRecord, target: OrderStatus, options: TransitionOptions = {}): void {
    if (target === 'CANCELLED') return this.cancel(order, { initiator: 'SELLER' }, options);
    const targetRank = FORWARD.indexOf(target);
    if (order.status === 'CANCELLED' || targetRank < FORWARD.indexOf(order.status)) {
      throw new InvalidTransitionError(order, target);
    }
    if (target === 'ON_HOLD' && !this.hasOnHold(order))
      throw new InvalidTransitionError(order, target);

    let at = options.at;
    while (order.status !== target) {
      this.step(order, target, at === undefined ? {} : { at });
      if (at !== undefined) at = Math.min(at + (options.stepSeconds ?? 0), this.nowSeconds());
    }
  }

  /** Pays an UNPAID order; it goes to ON_HOLD in shops that have it. */
  pay(order: OrderRecord, options: TransitionOptions = {}): void {
    if (order.status !== 'UNPAID') throw new InvalidTransitionError(order, 'AWAITING_SHIPMENT');
    this.apply(order, this.hasOnHold(order) ? 'ON_HOLD' : 'AWAITING_SHIPMENT', options);
  }

  /** Ships some line items (every unshipped one by default) in one package. */
  ship(order: OrderRecord, lineItemIds?: string[], options: TransitionOptions = {}): void {
    if (order.status !== 'AWAITING_SHIPMENT' && order.status !== 'PARTIALLY_SHIPPING') {
      throw new InvalidTransitionError(order, 'AWAITING_COLLECTION');
    }
    const unshipped = order.lineItems.filter((line) => !this.isShipped(order, line.packageId));
    const chosen = lineItemIds ? unshipped.filter((l) => lineItemIds.includes(l.id)) : unshipped;
    if (chosen.length === 0)
      throw new RangeError(`order ${order.id} has no such unshipped line items`);

    const isAllShipped = chosen.length === unshipped.length;
    const pending = order.packages.find((p) => p.status === 'TO_FULFILL');
    const pack = pending && isAllShipped ? pending : this.newPackage(order);
    const random = this.options.store.random;
    pack.trackingNumber = `1Z${random.token(16).toUpperCase().replace(/[-_]/g, '0')}`;
    pack.shippingProviderId = '7117' + order.deliveryOptionId.slice(4);
    pack.shippingProviderName = 'UPS';
    pack.status = 'PROCESSING';
    for (const line of chosen) line.packageId = pack.id;
    this.options.stock?.ship(chosen, options.at === undefined);

    this.apply(order, isAllShipped ? 'AWAITING_COLLECTION' : 'PARTIALLY_SHIPPING', options);
  }

  /** Cancels an order and all its line items. */
  cancel(
    order: OrderRecord,
    reason: { initiator: CancelRole; reason?: string },
    options: TransitionOptions = {},
  ): void {
    if (!CANCELLABLE.has(order.status)) throw new InvalidTransitionError(order, 'CANCELLED');
    const text = reason.reason ?? defaultCancelReason(reason.initiator);
    order.cancelReason = text;
    order.cancellationInitiator = reason.initiator;
    for (const line of order.lineItems) {
      line.cancelUser = reason.initiator;
      line.cancelReason = text;
    }
    this.options.stock?.release(order.lineItems, options.at === undefined);
    this.apply(order, 'CANCELLED', options);
  }

  /** Records a buyer's cancel request, to which the seller must respond, and bumps update_time. */
  requestBuyerCancel(order: OrderRecord): void {
    if (!CANCELLABLE.has(order.status)) throw new InvalidTransitionError(order, 'CANCELLED');
    order.isBuyerRequestCancel = true;
    order.requestCancelTime = this.nowSeconds();
    this.options.store.touchOrder(order, this.nowSeconds());
  }

  /** Tracks exactly the given orders that are ON_HOLD, after the store was restored. */
  resetHeldOrders(orders: Iterable<OrderRecord>): void {
    this.heldOrders.clear();
    for (const order of orders) if (order.status === 'ON_HOLD') this.heldOrders.add(order);
  }

  /** Releases every ON_HOLD order whose window has passed on the clock; returns how many. */
  releaseDueOnHoldOrders(): number {
    const nowMs = this.options.clock.now();
    let released = 0;
    for (const order of this.heldOrders) {
      if (order.status !== 'ON_HOLD') {
        this.heldOrders.delete(order);
      } else if ((order.onHoldUntilMs ?? 0) <= nowMs) {
        this.apply(order, 'AWAITING_SHIPMENT', {});
        released++;
      }
    }
    return released;
  }

  private step(order: OrderRecord, target: OrderStatus, options: TransitionOptions): void {
    switch (order.status) {
      case 'UNPAID':
        return this.pay(order, options);
      case 'ON_HOLD':
        return this.apply(order, 'AWAITING_SHIPMENT', options);
      case 'AWAITING_SHIPMENT':
      case 'PARTIALLY_SHIPPING':
        return this.shipForMove(order, target, options);
      case 'AWAITING_COLLECTION':
        return this.apply(order, 'IN_TRANSIT', options);
      case 'IN_TRANSIT':
        return this.apply(order, 'DELIVERED', options);
      case 'DELIVERED':
        return this.apply(order, 'COMPLETED', options);
      case 'COMPLETED':
      case 'CANCELLED':
        throw new InvalidTransitionError(order, target);
    }
  }

  /** Ships during moveTo: the first half of the lines for PARTIALLY_SHIPPING, else the rest. */
  private shipForMove(order: OrderRecord, target: OrderStatus, options: TransitionOptions): void {
    if (target !== 'PARTIALLY_SHIPPING') return this.ship(order, undefined, options);
    if (order.lineItems.length < 2) throw new InvalidTransitionError(order, target);
    const half = order.lineItems.slice(0, Math.floor(order.lineItems.length / 2));
    this.ship(
      order,
      half.map((line) => line.id),
      options,
    );
  }

  private apply(order: OrderRecord, status: OrderStatus, options: TransitionOptions): void {
    const at = options.at ?? this.nowSeconds();
    order.status = status;
    this.stampTimes(order, status, at);
    for (const pack of order.packages) {
      const packageStatus = PACKAGE_STATUS[status];
      if (packageStatus && !(status === 'PARTIALLY_SHIPPING' && pack.status === 'TO_FULFILL')) {
        pack.status = packageStatus;
      }
    }
    this.options.store.touchOrder(order, at);
    if (options.at === undefined) this.options.onStatusChange(order);
  }

  private stampTimes(order: OrderRecord, status: OrderStatus, at: number): void {
    switch (status) {
      case 'ON_HOLD':
        order.paidTime = at;
        order.onHoldUntilMs = at * 1000 + this.options.onHoldWindowMs;
        this.heldOrders.add(order);
        break;
      case 'AWAITING_SHIPMENT':
        order.paidTime ??= at;
        this.heldOrders.delete(order);
        this.addUnshippedPackage(order);
        break;
      case 'PARTIALLY_SHIPPING':
      case 'AWAITING_COLLECTION':
        order.rtsTime ??= at;
        break;
      case 'IN_TRANSIT':
        order.collectionTime = at;
        break;
      case 'DELIVERED':
        order.deliveryTime = at;
        break;
      case 'COMPLETED':
        order.completedTime = at;
        break;
      case 'CANCELLED':
        order.cancelTime = at;
        this.heldOrders.delete(order);
        break;
      case 'UNPAID':
        break;
    }
  }

  /**
   * Gives the order its package before shipping, except for local US and UK sellers, whose
   * package id TikTok returns only once the package ships.
   */
  private addUnshippedPackage(order: OrderRecord): void {
    const shop = this.options.store.shops.get(order.shopId)!;
    const isLocalUsOrUk =
      shop.sellerType === 'LOCAL' && (shop.region === 'US' || shop.region === 'GB');
    if (isLocalUsOrUk || order.packages.length > 0) return;
    const pack = this.newPackage(order);
    for (const line of order.lineItems) line.packageId = pack.id;
  }

  private newPackage(order: OrderRecord): PackageRecord {
    const pack: PackageRecord = {
      id: this.options.store.newId('package'),
      status: 'TO_FULFILL',
      trackingNumber: '',
      shippingProviderId: '',
      shippingProviderName: '',
    };
    order.packages.push(pack);
    return pack;
  }

  private isShipped(order: OrderRecord, packageId: string | undefined): boolean {
    const pack = order.packages.find((p) => p.id === packageId);
    return pack !== undefined && pack.status !== 'TO_FULFILL';
  }

  private hasOnHold(order: OrderRecord): boolean {
    return order.isOnHoldOrder;
  }

  private nowSeconds(): number {
    return Math.floor(this.options.clock.now() / 1000);
  }
}

function defaultCancelReason(initiator: CancelRole): string {
  switch (initiator) {
    case 'BUYER':
      return 'No longer needed';
    case 'SELLER':
      return 'Out of stock';
    case 'SYSTEM':
      return 'Package delivery failed';
  }
}
