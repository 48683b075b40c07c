import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Logger } from 'pino';

import { createEmulator } from './emulator.ts';
import type { Emulator, EmulatorOptions } from './emulator.ts';
import { seedDemo } from './seed.ts';
import { startSimulator } from './simulator.ts';
import type { AppConfig } from './types.ts';

export interface EmulatorServerOptions extends Partial<EmulatorOptions> {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Real ms between runs of tick() and deliverDueWebhooks(); 0 turns the timer off. @default 500 */
  tickIntervalMs?: number;
}

export interface EmulatorServer {
  emulator: Emulator;
  server: FastifyInstance;
  /** Base URL, e.g. http://127.0.0.1:41234, serving both the API host and the auth host. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts a standalone emulator on its own port, with a real timer driving ON_HOLD and webhooks. */
export async function startEmulatorServer(
  options: EmulatorServerOptions = {},
): Promise<EmulatorServer> {
  const emulator = createEmulator({ clock: { now: () => Date.now() }, apps: [], ...options });
  // The emulator logs through its own logger; Fastify's per-request lines would flood it.
  const server: FastifyInstance = Fastify();
  await server.register(emulator.app);
  await server.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);

  let isPumping = false;
  const pump = async (): Promise<void> => {
    if (isPumping) return;
    isPumping = true;
    try {
      emulator.tick();
      await emulator.deliverDueWebhooks();
    } finally {
      isPumping = false;
    }
  };
  const intervalMs = options.tickIntervalMs ?? 500;
  const timer = intervalMs > 0 ? setInterval(() => void pump(), intervalMs) : undefined;
  timer?.unref();

  return {
    emulator,
    server,
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    close: async () => {
      if (timer) clearInterval(timer);
      await emulator.close();
      await server.close();
    },
  };
}

/** The JSON seed file of the standalone server. */
interface SeedFile {
  apps?: AppConfig[];
  /** Create the demo seller, shops, products and orders. @default true */
  demo?: boolean;
  /** Real ms between simulator steps; off when unset. */
  simulatorIntervalMs?: number;
  onHoldWindowMs?: number;
  rateLimitPerSecond?: number;
  seed?: number;
}

const DEFAULT_APP: AppConfig = {
  appKey: 'demoappkey',
  appSecret: 'demosecret123',
  serviceId: '7000000000000000001',
  redirectUrl: 'http://127.0.0.1:3000/tiktok/callback',
};

/**
 * Runs the emulator from the command line: `tsx emulator/server.ts [seed.json]`. PORT (default
 * 8787) and HOST set the address, and EMULATOR_SEED names the seed file when no argument does.
 */
async function main(): Promise<void> {
  const logger: Logger = pino({ name: 'tiktok-emulator' });
  const seedPath = process.argv[2] ?? process.env.EMULATOR_SEED;
  const seed: SeedFile = seedPath ? (JSON.parse(readFileSync(seedPath, 'utf8')) as SeedFile) : {};
  const apps = seed.apps ?? [DEFAULT_APP];
  const running = await startEmulatorServer({
    port: Number(process.env.PORT ?? 8787),
    host: process.env.HOST ?? '127.0.0.1',
    apps,
    logger,
    onHoldWindowMs: seed.onHoldWindowMs,
    rateLimitPerSecond: seed.rateLimitPerSecond,
    seed: seed.seed,
  });
  if (seed.demo ?? true) seedDemo(running.emulator);
  const simulator =
    seed.simulatorIntervalMs !== undefined
      ? startSimulator(running.emulator, { intervalMs: seed.simulatorIntervalMs })
      : undefined;
  const authorizeUrl = `${running.url}/open/authorize?service_id=${apps[0]?.serviceId ?? ''}`;
  logger.info(
    { url: running.url, authorizeUrl, appCount: apps.length },
    'TikTok Shop emulator started',
  );

  const stop = (): void => {
    simulator?.stop();
    void running.close().then(() => logger.info('TikTok Shop emulator stopped'));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
