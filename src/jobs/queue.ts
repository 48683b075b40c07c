import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

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
  /** `urgent` marks a sell-out, which does not wait for the coalescing window. */
  [QUEUES.stockPush]: { shopId: string; productId: string; urgent?: boolean };
  [QUEUES.pricePush]: { shopId: string; productId: string };
}

export interface SendOptions {
  /** Delay before the job may start, in ms; the coalescing window of a push. */
  startAfterMs?: number;
}

/** One job of {@link JobQueue.sendMany}. */
export interface JobRequest<Q extends QueueName> extends SendOptions {
  data: JobPayloads[Q];
  singletonKey: string;
}

/** The part of pg-boss the capabilities use: enqueue jobs, deduplicated by a key. */
export interface JobQueue {
  send<Q extends QueueName>(
    queue: Q,
    data: JobPayloads[Q],
    singletonKey: string,
    options?: SendOptions,
  ): Promise<void>;
  /** Enqueues many jobs in one statement; a key that already has a queued job is skipped. */
  sendMany<Q extends QueueName>(queue: Q, jobs: JobRequest<Q>[]): Promise<void>;
}

const startAfterText = (delayMs: number | undefined) =>
  delayMs && delayMs > 0 ? (delayMs / 1000).toFixed(3) : undefined;

export type JobHandlers = { [Q in QueueName]: (data: JobPayloads[Q]) => Promise<void> };

export function createJobQueue(boss: PgBoss): JobQueue {
  return {
    async send(queue, data, singletonKey, options = {}) {
      // A null id means a job with this key is already queued, which is the intended collapse.
      const startAfter = startAfterText(options.startAfterMs);
      await boss.send(queue, data as object, {
        singletonKey,
        ...(startAfter ? { startAfter } : {}),
      });
    },
    async sendMany(queue, jobs) {
      for (let i = 0; i < jobs.length; i += 500) {
        await boss.insert(
          jobs.slice(i, i + 500).map((job) => {
            const startAfter = startAfterText(job.startAfterMs);
            return {
              name: queue,
              data: job.data as object,
              singletonKey: job.singletonKey,
              ...(startAfter ? { startAfter } : {}),
            };
          }),
        );
      }
    },
  };
}

/**
 * Runs job handlers. `start` polls pg-boss as a long-running worker; `runUntilIdle` drains
 * every queue in this process, which tests and the CLI use to get deterministic runs.
 */
export class JobRunner {
  #loops: Promise<void>[] = [];
  #isRunning = false;
  #wake = new AbortController();

  constructor(
    private readonly boss: PgBoss,
    private readonly handlers: JobHandlers,
    private readonly logger: Logger,
  ) {}

  /**
   * Starts `concurrency` fetch loops per queue. A loop that found jobs fetches again at once and
   * sleeps for the polling interval only when its queue is empty: pg-boss's own `work()` waits
   * out the interval after every fetch, which caps a loop at two batches a second.
   */
  async start(
    options: { pollingIntervalSeconds?: number; concurrency?: number; batchSize?: number } = {},
  ): Promise<void> {
    this.#isRunning = true;
    this.#wake = new AbortController();
    // Every idle loop listens on this one signal while it sleeps.
    setMaxListeners(0, this.#wake.signal);
    const intervalMs = (options.pollingIntervalSeconds ?? 0.5) * 1000;
    for (const queue of Object.keys(this.handlers) as QueueName[]) {
      for (let i = 0; i < (options.concurrency ?? 2); i++) {
        this.#loops.push(this.#loop(queue, intervalMs, options.batchSize ?? 5));
      }
    }
  }

  async stop(): Promise<void> {
    this.#isRunning = false;
    this.#wake.abort();
    await Promise.all(this.#loops);
    this.#loops = [];
  }

  async #loop(queue: QueueName, intervalMs: number, batchSize: number): Promise<void> {
    while (this.#isRunning) {
      let jobs: PgBoss.Job<unknown>[] = [];
      try {
        jobs = await this.boss.fetch(queue, { batchSize });
      } catch (error) {
        this.logger.error({ err: error, queue }, 'fetching jobs failed');
      }
      if (jobs.length === 0) {
        await sleep(intervalMs, undefined, { signal: this.#wake.signal }).catch(() => undefined);
        continue;
      }
      await Promise.all(jobs.map((job) => this.#settle(queue, job)));
    }
  }

  /** Runs one fetched job and completes or fails it on its own, so one failure fails one job. */
  async #settle(queue: QueueName, job: PgBoss.Job<unknown>): Promise<void> {
    try {
      await this.#run(queue, job.data);
      await this.boss.complete(queue, job.id);
    } catch (error) {
      await this.boss
        .fail(queue, job.id, { message: String(error) })
        .catch((failure: unknown) =>
          this.logger.error(
            { err: failure, queue, jobId: job.id },
            'recording a job failure failed',
          ),
        );
    }
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
