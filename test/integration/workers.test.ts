import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openDatabase } from '../../src/db/database.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createConnector } from '../../src/main.ts';
import type { Connector } from '../../src/main.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startTestConnector } from '../support/connector.ts';
import type { TestConnector } from '../support/connector.ts';
import { TEST_DB_BACKEND, workerDatabase } from '../support/database.ts';
import { connectDemoShops, signIn, storedOrders } from '../support/flows.ts';

let test: TestConnector;
let second: Connector;
let secondDatabase: DatabaseHandle | null = null;

beforeEach(async () => {
  test = await startTestConnector();
  // On PostgreSQL the second connector gets its own pool, as another process would. PGlite is
  // one session, so there both connectors share it.
  const shared = await workerDatabase();
  secondDatabase =
    TEST_DB_BACKEND === 'postgres'
      ? await openDatabase({
          databaseUrl: process.env.TEST_DATABASE_URL!,
          pgliteDir: null,
          schema: shared.schema ?? undefined,
        })
      : null;
  second = await createConnector(test.config, {
    clock: test.clock,
    database: secondDatabase ?? shared,
    emulator: test.connector.emulator!,
    logger: createLogger({ level: 'silent' }),
    collectDefaultMetrics: false,
  });
});

afterEach(async () => {
  await second.close();
  await secondDatabase?.close();
  await test.close();
});

describe('several workers on one database', () => {
  it('share the jobs without duplicates', async () => {
    const browser = await signIn(test);
    // Claim without settling, then let both connectors race for the queued work.
    const { connections } = await connectDemoShops(test, browser, { settle: false });
    for (let round = 0; round < 5; round++) {
      const ticks = await Promise.all([test.connector.tick(), second.tick()]);
      if (round === 0) expect(ticks[0].polls + ticks[1].polls).toBe(connections.length);
      const ran = await Promise.all([test.connector.runJobsUntilIdle(), second.runJobsUntilIdle()]);
      if (ran[0] + ran[1] === 0) break;
    }

    const stored = await storedOrders(test);
    const emulatorOrders = [...test.connector.emulator!.state.store.orders.values()];
    expect(stored.size).toBe(emulatorOrders.length);
    for (const order of emulatorOrders) {
      expect(stored.get(order.id)?.tiktok_update_time).toBe(order.updateTime);
    }

    const history = await test.connector.ctx.db
      .selectFrom('order_status_history')
      .select(['order_id', 'tiktok_status'])
      .execute();
    const entries = history.map((entry) => `${entry.order_id}:${entry.tiktok_status}`);
    expect(new Set(history.map((entry) => entry.order_id)).size).toBe(emulatorOrders.length);
    expect(new Set(entries).size).toBe(entries.length);
  });
});
