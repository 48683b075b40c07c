import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureDemoAccount } from '../../src/accounts/accounts.ts';
import type { CreatedAccount } from '../../src/accounts/accounts.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { Config } from '../../src/config/index.ts';
import { createConnector } from '../../src/main.ts';
import type { Connector, ConnectorOverrides } from '../../src/main.ts';
import { FakeClock } from '../../src/shared/clock.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { resetDatabase, workerDatabase } from './database.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface TestConnector {
  connector: Connector;
  config: Config;
  clock: FakeClock;
  baseUrl: string;
  demo: CreatedAccount;
  /** Counts of TikTok calls by path template, taken from the connector's fetch. */
  calls: Map<string, number>;
  /** Runs before each TikTok call with its `METHOD /path`; tests use it to act mid-sync. */
  beforeTikTokCall?: ((key: string) => Promise<void> | void) | undefined;
  close(): Promise<void>;
}

/**
 * Starts the connector in demo mode on the worker's database (emptied first), on a loopback
 * port, with the emulator mounted on the same port and sharing one fake clock.
 */
export async function startTestConnector(
  env: Record<string, string> = {},
  overrides: Pick<ConnectorOverrides, 'emulatorOptions'> = {},
): Promise<TestConnector> {
  const database = await workerDatabase();
  await resetDatabase(database);
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tts-test-'));
  const config = loadConfig({
    PORT: String(port),
    TTS_DATA_DIR: dataDir,
    TTS_DEMO_SIMULATOR: 'off',
    TTS_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const clock = new FakeClock(Date.UTC(2026, 10, 20, 12, 0, 0));
  const calls = new Map<string, number>();
  // Assigned below; the fetch only runs after the connector is built.
  // eslint-disable-next-line prefer-const
  let test: TestConnector;
  const countingFetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const key = `${init?.method ?? 'GET'} ${url.pathname.replace(/^\/tiktok-emulator/, '')}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    await test.beforeTikTokCall?.(key);
    return fetch(input, init);
  };
  const connector = await createConnector(config, {
    clock,
    database,
    fetch: countingFetch,
    logger: createLogger({ level: config.logLevel }),
    collectDefaultMetrics: false,
    ...overrides,
  });
  await connector.server.listen({ host: '127.0.0.1', port });
  const demo = await ensureDemoAccount(connector.ctx);
  test = {
    connector,
    config,
    clock,
    baseUrl: `http://127.0.0.1:${port}`,
    demo,
    calls,
    close: () => connector.close(),
  };
  return test;
}
