import type PgBoss from 'pg-boss';

import type { Logger } from '../shared/logger.ts';
import type { QUEUES } from './boss.ts';
import type { QueueName } from './boss.ts';

export interface JobPayloads {
  [QUEUES.backfill]: { connectionId: string };
  [QUEUES.poll]: { connectionId: string };
  [QUEUES.webhookBatch]: { shopId: string };
  [QUEUES.tokenRefresh]: { grantId: string };
  /** `full` walks the whole catalog; otherwise only products updated since the watermark. */
  [QUEUES.catalogSync]: { connectionId: string; full: boolean };
  [QUEUES.stockPush]: { shopId: string; productId: string };
  [QUEUES.pricePush]: { shopId: string; productId: string };
}

export interface SendOptions {
  /** Delay before the job may start, in ms; the coalescing window of a push. */
  startAfterMs?: number;
}

/** The part of pg-boss the capabilities use: enqueue one job, deduplicated by a key. */
export interface JobQueue {
  send<Q extends QueueName>(
    queue: Q,
    data: JobPayloads[Q],
    singletonKey: string,
    options?: SendOptions,
  ): Promise<void>;
}

export type JobHandlers = { [Q in QueueName]: (data: JobPayloads[Q]) => Promise<void> };

export function createJobQueue(boss: PgBoss): JobQueue {
  return {
    async send(queue, data, singletonKey, options = {}) {
      // A null id means a job with this key is already queued, which is the intended collapse.
      const delayMs = options.startAfterMs ?? 0;
      await boss.send(queue, data as object, {
        singletonKey,
        ...(delayMs > 0 ? { startAfter: (delayMs / 1000).toFixed(3) } : {}),
      });
    },
  };
}

/**
 * Runs job handlers. `start` polls pg-boss as a long-running worker; `runUntilIdle` drains
 * every queue in this process, which tests and the CLI use to get deterministic runs.
 */
export class JobRunner {
  #workerIds: string[] = [];

  constructor(
    private readonly boss: PgBoss,
    private readonly handlers: JobHandlers,
    private readonly logger: Logger,
  ) {}

  async start(
    options: { pollingIntervalSeconds?: number; concurrency?: number } = {},
  ): Promise<void> {
    for (const queue of Object.keys(this.handlers) as QueueName[]) {
      for (let i = 0; i < (options.concurrency ?? 2); i++) {
        const id = await this.boss.work(
          queue,
          { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5, batchSize: 1 },
          async (jobs) => {
            for (const job of jobs) await this.#run(queue, job.data);
          },
        );
        this.#workerIds.push(id);
      }
    }
  }

  async stop(): Promise<void> {
    for (const id of this.#workerIds) await this.boss.offWork({ id } as never);
    this.#workerIds = [];
  }

  /** Fetches and runs jobs until every queue is empty; returns how many jobs ran. */
  async runUntilIdle(maxJobs = 100_000): Promise<number> {
    let ran = 0;
    for (;;) {
      let ranThisRound = 0;
      for (const queue of Object.keys(this.handlers) as QueueName[]) {
        const jobs = await this.boss.fetch(queue, { batchSize: 10 });
        for (const job of jobs) {
          try {
            await this.#run(queue, job.data);
            await this.boss.complete(queue, job.id);
          } catch (error) {
            await this.boss.fail(queue, job.id, { message: String(error) });
          }
          ranThisRound++;
        }
      }
      ran += ranThisRound;
      if (ranThisRound === 0 || ran >= maxJobs) return ran;
    }
  }

  async #run(queue: QueueName, data: unknown): Promise<void> {
    const handler = this.handlers[queue] as (data: unknown) => Promise<void>;
    try {
      await handler(data);
    } catch (error) {
      this.logger.error({ err: error, queue, data }, 'job failed');
      throw error;
    }
  }
}
