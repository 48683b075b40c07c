import PgBoss from 'pg-boss';

import type { DatabaseHandle } from '../db/database.ts';
import type { Logger } from '../shared/logger.ts';

/** Queue names, one per kind of background work. */
export const QUEUES = {
  backfill: 'connection-backfill',
  poll: 'connection-poll',
  webhookBatch: 'webhook-batch',
  tokenRefresh: 'token-refresh',
  catalogSync: 'catalog-sync',
  stockPush: 'stock-push',
  pricePush: 'price-push',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * `stately` keeps at most one queued and one running job per singleton key (a connection or a
 * shop), so a burst of triggers for one shop collapses into one job while another shop's work
 * runs beside it.
 */
const QUEUE_POLICIES: Record<QueueName, PgBoss.QueuePolicy> = {
  [QUEUES.backfill]: 'stately',
  [QUEUES.poll]: 'stately',
  [QUEUES.webhookBatch]: 'stately',
  [QUEUES.tokenRefresh]: 'stately',
  [QUEUES.catalogSync]: 'stately',
  [QUEUES.stockPush]: 'stately',
  [QUEUES.pricePush]: 'stately',
};

export interface StartBossOptions {
  handle: DatabaseHandle;
  logger: Logger;
  /** Whether this process runs pg-boss maintenance (archiving, expiry). */
  supervise: boolean;
}

export async function startBoss({ handle, logger, supervise }: StartBossOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    db: handle.bossDb as PgBoss.Db,
    schema: handle.bossSchema,
    supervise,
    schedule: false,
    migrate: true,
  });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  await boss.start();
  for (const [name, policy] of Object.entries(QUEUE_POLICIES)) {
    await boss.createQueue(name, {
      name,
      policy,
      retryLimit: 5,
      retryDelay: 5,
      retryBackoff: true,
      expireInSeconds: 15 * 60,
    });
  }
  return boss;
}
