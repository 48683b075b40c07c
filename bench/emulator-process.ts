import Fastify from 'fastify';

import { createEmulator } from '../emulator/emulator.ts';
import type { AppConfig } from '../emulator/types.ts';

/**
 * Runs the benchmark's emulator in a process of its own, so that its CPU time and event loop
 * do not count against the connector. It serves the TikTok API, auth and admin routes on
 * loopback, plus one bulk read of every order for comparing the two sides. Reading 10,000
 * orders with one admin call each would take longer than the measurement itself.
 *
 * Input (environment): BENCH_EMULATOR_APP (JSON AppConfig), BENCH_EMULATOR_PORT (0 = any).
 * Output: one JSON line `{"url": ...}` on stdout once it listens.
 */
async function main(): Promise<void> {
  const app = JSON.parse(process.env.BENCH_EMULATOR_APP ?? '{}') as AppConfig;
  const emulator = createEmulator({
    clock: { now: () => Date.now() },
    apps: [app],
    // TikTok's default quota per shop and API.
    rateLimitPerSecond: 50,
    seed: 42,
  });
  const server = Fastify({ bodyLimit: 64 * 1024 * 1024 });
  await server.register(emulator.app);
  server.get('/bench/orders', async () => ({
    orders: [...emulator.state.store.orders.values()].map((order) => [
      order.id,
      order.shopId,
      order.status,
      order.updateTime,
    ]),
  }));
  await server.listen({ port: Number(process.env.BENCH_EMULATOR_PORT ?? 0), host: '127.0.0.1' });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  // Same pump as the standalone server, at a shorter period so that delivery timing is not
  // dominated by the timer.
  let isPumping = false;
  const timer = setInterval(() => {
    if (isPumping) return;
    isPumping = true;
    emulator.tick();
    void emulator
      .deliverDueWebhooks()
      .catch((error: unknown) => console.error('webhook delivery failed', error))
      .finally(() => {
        isPumping = false;
      });
  }, 100);

  const stop = (): void => {
    clearInterval(timer);
    void emulator
      .close()
      .then(() => server.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
