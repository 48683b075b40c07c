import { fillLegacyCatalog } from './catalog-restore.ts';
import type { EmulatorContext } from './context.ts';
import type { ApiFaultRule, WebhookFaults } from './faults.ts';
import type { StoreSnapshot } from './store.ts';
import type { WebhookQueueSnapshot } from './webhooks.ts';

/** Format version of EmulatorSnapshot, the only one that restore accepts. */
export const EMULATOR_SNAPSHOT_VERSION = 1;

/**
 * The state of one emulator as plain JSON data: records, indexes' contents, used ids, the PRNG
 * state, injected faults and unsettled webhooks. Ids stay strings, because they exceed 2^53.
 * Snapshots taken before warehouses, product status and stock existed restore too, with the
 * defaults that fillLegacyCatalog sets.
 * The rate limiter's counts and the webhook attempt history are not kept.
 */
export interface EmulatorSnapshot extends StoreSnapshot {
  version: typeof EMULATOR_SNAPSHOT_VERSION;
  faults: { apiRules: ApiFaultRule[]; webhook: WebhookFaults };
  webhooks: WebhookQueueSnapshot;
}

/** Copies the state of an emulator, so that later changes to the emulator do not reach the copy. */
export function takeSnapshot(context: EmulatorContext): EmulatorSnapshot {
  return {
    version: EMULATOR_SNAPSHOT_VERSION,
    ...context.store.snapshot(),
    faults: structuredClone({
      apiRules: context.faults.apiRules,
      webhook: context.faults.webhook,
    }),
    webhooks: context.webhooks.snapshot(),
  };
}

/** Replaces the state of an emulator with a copy of a snapshot's. */
export function restoreSnapshot(context: EmulatorContext, snapshot: EmulatorSnapshot): void {
  const version: unknown = snapshot.version;
  if (version !== EMULATOR_SNAPSHOT_VERSION) {
    throw new RangeError(
      `emulator snapshot version ${String(version)} is not supported: expected ${EMULATOR_SNAPSHOT_VERSION}`,
    );
  }
  context.store.restore(snapshot);
  fillLegacyCatalog(context);
  context.lifecycle.resetHeldOrders(context.store.orders.values());
  context.faults.clear();
  for (const rule of snapshot.faults.apiRules) context.faults.addApiFault(rule);
  context.faults.setWebhookFaults(snapshot.faults.webhook);
  context.webhooks.restore(snapshot.webhooks);
}
