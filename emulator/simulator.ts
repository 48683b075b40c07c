import type { Emulator } from './emulator.ts';
import { createRandom } from './random.ts';
import type { OrderRecord } from './types.ts';

export interface SimulatorOptions {
  /** Real milliseconds between simulation steps. @default 5000 */
  intervalMs?: number;
  /** @default 11 */
  seed?: number;
  /** Shops to place orders in; all shops when unset. */
  shopIds?: string[];
}

export interface Simulator {
  /** Runs one step now: maybe places an order, moves a few open ones, sends due webhooks. */
  step(): Promise<void>;
  stop(): void;
}

/** Keeps placing orders and moving them through their lifecycle on a real timer. */
export function startSimulator(emulator: Emulator, options: SimulatorOptions = {}): Simulator {
  const { admin, state } = emulator;
  const random = createRandom(options.seed ?? 11);
  const open = new Set<OrderRecord>();
  let isRunning = false;

  const placeOrder = (): void => {
    const shopIds = options.shopIds ?? [...state.store.shops.keys()];
    const shopId = random.pick(shopIds);
    const skus = [...state.store.skus.values()].filter((sku) => sku.shopId === shopId);
    if (skus.length === 0) return;
    const order = admin.createOrder({
      shopId,
      items: [{ skuId: random.pick(skus).id, quantity: random.int(1, 3) }],
      isSampleOrder: random.chance(0.05),
    });
    open.add(order);
  };

  const advance = (order: OrderRecord): void => {
    if (order.status === 'UNPAID' && random.chance(0.1)) {
      admin.cancelOrder(order.id, { initiator: 'BUYER' });
    } else if (order.status === 'UNPAID') {
      admin.moveOrder(order.id, order.isOnHoldOrder ? 'ON_HOLD' : 'AWAITING_SHIPMENT');
    } else if (order.status === 'AWAITING_SHIPMENT') {
      admin.moveOrder(order.id, 'AWAITING_COLLECTION');
    } else if (order.status === 'AWAITING_COLLECTION') {
      admin.moveOrder(order.id, 'IN_TRANSIT');
    } else if (order.status === 'IN_TRANSIT') {
      admin.moveOrder(order.id, 'DELIVERED');
    } else if (order.status === 'DELIVERED') {
      admin.moveOrder(order.id, 'COMPLETED');
    }
    if (order.status === 'COMPLETED' || order.status === 'CANCELLED') open.delete(order);
  };

  const step = async (): Promise<void> => {
    if (random.chance(0.7)) placeOrder();
    // ON_HOLD orders wait for tick(), which releases them when the window has passed.
    const movable = [...open].filter((order) => order.status !== 'ON_HOLD');
    for (const order of random.shuffle(movable).slice(0, 2)) advance(order);
    emulator.tick();
    await emulator.deliverDueWebhooks();
  };

  const timer = setInterval(() => {
    if (isRunning) return;
    isRunning = true;
    step()
      .catch((error: unknown) => state.logger?.error({ err: error }, 'Simulator step failed'))
      .finally(() => {
        isRunning = false;
      });
  }, options.intervalMs ?? 5000);
  timer.unref();

  return { step, stop: () => clearInterval(timer) };
}
