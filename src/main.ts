import path from 'node:path';

import type { FastifyInstance } from 'fastify';
import type PgBoss from 'pg-boss';

import { createEmulator } from '../emulator/emulator.ts';
import type { Emulator, EmulatorOptions } from '../emulator/emulator.ts';
import { seedDemo } from '../emulator/seed.ts';
import { startSimulator } from '../emulator/simulator.ts';
import type { Simulator } from '../emulator/simulator.ts';
import { EMULATOR_PATH_PREFIX, oauthRedirectUrl, webhookUrl } from './config/index.ts';
import type { Config } from './config/index.ts';
import type { AppContext } from './context.ts';
import { migrateToLatest, openDatabase, pgliteDataDir } from './db/database.ts';
import type { DatabaseHandle } from './db/database.ts';
import { createDatabaseRateLimiter } from './db/rate-limiter.ts';
import { buildServer } from './http/server.ts';
import { startBoss } from './jobs/boss.ts';
import { createJobHandlers } from './jobs/handlers.ts';
import { JobRunner, createJobQueue } from './jobs/queue.ts';
import { tick } from './jobs/scheduler.ts';
import type { TickResult } from './jobs/scheduler.ts';
import {
  EMULATOR_SAVE_INTERVAL_MS,
  EMULATOR_STATE_FILE,
  EmulatorStateFile,
} from './emulator-state.ts';
import { createMetrics, pathTemplate } from './metrics.ts';
import type { ConnectorMetrics } from './metrics.ts';
import { systemClock } from './shared/clock.ts';
import type { Clock } from './shared/clock.ts';
import { SecretBox, loadOrCreateKeyFile, parseKeyRing } from './shared/crypto.ts';
import { randomIds } from './shared/ids.ts';
import type { IdSource } from './shared/ids.ts';
import { createLogger } from './shared/logger.ts';
import type { Logger } from './shared/logger.ts';
import { createTikTokClient } from './tiktok/index.ts';

export interface ConnectorOverrides {
  clock?: Clock;
  ids?: IdSource;
  logger?: Logger;
  /** An open database (tests share one per worker); otherwise opened from the config. */
  database?: DatabaseHandle;
  /** Fetch used for TikTok calls; tests and benchmarks wrap it to count calls. */
  fetch?: typeof fetch;
  /** Emulator to mount in demo mode instead of a freshly seeded one. */
  emulator?: Emulator;
  /** Extra options of the demo emulator, such as a small product search limit in tests. */
  emulatorOptions?: Partial<
    Pick<EmulatorOptions, 'productSearchResultLimit' | 'lowStockThreshold'>
  >;
  /**
   * Whether the demo emulator gets the demo seller, shops and orders (demo mode only). The state
   * comes from `<dataDir>/emulator-state.json` when that file exists, from a fresh seed otherwise,
   * and is saved back there every 30 s and on close. When false, the emulator stays empty and
   * nothing is read or saved.
   */
  seedEmulator?: boolean;
  /** Default true: collect process metrics. */
  collectDefaultMetrics?: boolean;
}

export interface Connector {
  ctx: AppContext;
  server: FastifyInstance;
  boss: PgBoss;
  runner: JobRunner;
  metrics: ConnectorMetrics;
  emulator: Emulator | null;
  database: DatabaseHandle;
  /** Runs the scheduler once on the injected clock. */
  tick(): Promise<TickResult>;
  /** Runs queued jobs in this process until the queues are empty. */
  runJobsUntilIdle(): Promise<number>;
  /** Starts the long-running parts: HTTP listener, workers, scheduler and demo timers. */
  start(): Promise<string>;
  close(): Promise<void>;
}

/** Composition root: builds every part from the configuration, without starting anything. */
export async function createConnector(
  config: Config,
  overrides: ConnectorOverrides = {},
): Promise<Connector> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const database =
    overrides.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      pgliteDir: pgliteDataDir(config.dataDir),
    }));
  const ownsDatabase = overrides.database === undefined;
  await migrateToLatest(database.db, database.schema);

  const keys = config.encryptionKeys
    ? parseKeyRing(config.encryptionKeys)
    : loadOrCreateKeyFile(path.join(config.dataDir, 'encryption.key'));
  const metrics = createMetrics({ collectDefaults: overrides.collectDefaultMetrics ?? true });
  const baseFetch = overrides.fetch ?? globalThis.fetch;
  const countingFetch: typeof fetch = async (input, init) => {
    const response = await baseFetch(input, init);
    metrics.tiktokRequests.inc({
      path: pathTemplate(String(input)),
      status: String(response.status),
    });
    return response;
  };

  const boss = await startBoss({ handle: database, logger, supervise: config.role !== 'api' });
  const ctx: AppContext = {
    config,
    db: database.db,
    clock,
    ids: overrides.ids ?? randomIds,
    logger,
    secrets: new SecretBox(keys),
    jobs: createJobQueue(boss),
    tiktok: createTikTokClient({
      appKey: config.tiktok.appKey,
      appSecret: config.tiktok.appSecret,
      apiBaseUrl: config.tiktok.apiBaseUrl,
      authBaseUrl: config.tiktok.authBaseUrl,
      clock,
      fetch: countingFetch,
      logger: logger.child({ component: 'tiktok' }),
      rateLimiter: createDatabaseRateLimiter({
        db: database.db,
        clock,
        ratePerSecond: config.sync.rateLimitPerSecond,
        burst: 5,
      }),
    }),
  };

  let emulator: Emulator | null = overrides.emulator ?? null;
  /** Set when this connector saves the emulator's state, so that a restart keeps the tokens. */
  let emulatorState: EmulatorStateFile | null = null;
  if (config.mode === 'demo' && !emulator) {
    const demoApp = {
      appKey: config.tiktok.appKey,
      appSecret: config.tiktok.appSecret,
      serviceId: config.tiktok.serviceId,
      redirectUrl: oauthRedirectUrl(config),
      webhookUrl: webhookUrl(config),
    };
    emulator = createEmulator({
      clock,
      apps: [demoApp],
      onHoldWindowMs: config.demo.onHoldWindowMs,
      logger: logger.child({ component: 'emulator' }),
      ...overrides.emulatorOptions,
    });
    if (overrides.seedEmulator ?? true) {
      emulatorState = new EmulatorStateFile(path.join(config.dataDir, EMULATOR_STATE_FILE));
      const saved = emulatorState.read();
      if (saved) {
        try {
          emulator.restore(saved);
        } catch (error) {
          throw new Error(
            `${emulatorState.file} cannot be restored (${(error as Error).message}). Delete it to start the demo emulator from a fresh seed`,
            { cause: error },
          );
        }
        // The snapshot has the previous run's app, whose URLs may name another host or port.
        emulator.admin.registerApp(demoApp);
        logger.info({ file: emulatorState.file }, 'emulator state restored');
      } else {
        seedDemo(emulator);
      }
    }
  }

  const server = await buildServer(ctx, {
    metrics: metrics.registry,
    mounts:
      config.mode === 'demo' && emulator
        ? [{ prefix: EMULATOR_PATH_PREFIX, plugin: emulator.app }]
        : [],
    onWebhookAnswered: (durationMs, status) =>
      metrics.webhookAnswers.observe({ status: String(status) }, durationMs / 1000),
  });
  const runner = new JobRunner(boss, createJobHandlers(ctx), logger.child({ component: 'jobs' }));

  const timers: NodeJS.Timeout[] = [];
  let simulator: Simulator | null = null;
  let isTicking = false;
  let isStarted = false;
  const saveEmulatorState = async () => {
    if (!emulatorState || !emulator) return;
    try {
      await emulatorState.write(emulator.snapshot());
    } catch (error) {
      logger.error({ err: error, file: emulatorState.file }, 'saving the emulator state failed');
    }
  };
  const runTick = async () => {
    if (isTicking) return;
    isTicking = true;
    try {
      await tick(ctx);
    } catch (error) {
      logger.error({ err: error }, 'scheduler tick failed');
    } finally {
      isTicking = false;
    }
  };

  return {
    ctx,
    server,
    boss,
    runner,
    metrics,
    emulator,
    database,
    tick: () => tick(ctx),
    runJobsUntilIdle: () => runner.runUntilIdle(),
    async start() {
      const address =
        config.role === 'worker'
          ? ''
          : await server.listen({ host: config.host, port: config.port });
      if (config.role !== 'api') {
        await runner.start();
        timers.push(setInterval(() => void runTick(), 1000));
      }
      if (emulator) {
        const demo = emulator;
        timers.push(
          setInterval(() => {
            demo.tick();
            void demo
              .deliverDueWebhooks()
              .catch((error: unknown) =>
                logger.warn({ err: error }, 'emulator webhook delivery failed'),
              );
          }, 1000),
        );
        if (config.demo.simulator) simulator = startSimulator(demo, { intervalMs: 4000 });
        if (emulatorState) {
          // NOTE: a stop without SIGINT or SIGTERM loses up to 30 s of emulator state. A token
          // refresh in that time leaves the connector with tokens that the restored emulator lacks.
          timers.push(setInterval(() => void saveEmulatorState(), EMULATOR_SAVE_INTERVAL_MS));
        }
      }
      isStarted = true;
      logger.info(
        { address, mode: config.mode, role: config.role, database: database.kind },
        'connector started',
      );
      return address;
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      simulator?.stop();
      await runner.stop();
      await server.close();
      await emulator?.close();
      // A connector that never started (the sign-in-link command) changed nothing worth saving,
      // and saving its copy could overwrite newer state from a connector that is running.
      if (isStarted) await saveEmulatorState();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      if (ownsDatabase) await database.close();
      logger.info('connector stopped');
    },
  };
}
