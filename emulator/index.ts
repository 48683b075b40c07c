/**
 * The TikTok Shop emulator: an HTTP server that behaves like the TikTok Shop Open API, the auth
 * host and the seller authorization page, with an admin API for tests, demos and benchmarks.
 */
export { createEmulator } from './emulator.ts';
export type { Emulator, EmulatorOptions } from './emulator.ts';
export { EMULATOR_SNAPSHOT_VERSION } from './snapshot.ts';
export type { EmulatorSnapshot } from './snapshot.ts';
export { startEmulatorServer } from './server.ts';
export type { EmulatorServer, EmulatorServerOptions } from './server.ts';
export { AdminError } from './admin.ts';
export type {
  AddWarehouseInput,
  AdminOrderInput,
  CreateProductInput,
  CreateShopInput,
  CreateSkuInput,
  EmulatorAdmin,
  GenerateProductsInput,
  ProductView,
  SkuView,
  SkuWarehouseView,
  WarehouseInput,
  WarehouseQuantityInput,
} from './admin.ts';
export { DEFAULT_LOW_STOCK_THRESHOLD, MAX_WAREHOUSE_QUANTITY } from './inventory.ts';
export type { InventoryStatus } from './inventory.ts';
export { seedDemo } from './seed.ts';
export type { DemoSeed, SeedDemoOptions } from './seed.ts';
export { startSimulator } from './simulator.ts';
export type { Simulator, SimulatorOptions } from './simulator.ts';
export { computeRequestSign, computeWebhookSignature, verifyWebhookSignature } from './signing.ts';
export { RawJsonNumber, toJsonText } from './json-text.ts';
export { WEBHOOK_RETRY_DELAYS_MS, WEBHOOK_TYPES } from './webhooks.ts';
export type { WebhookAttempt, WebhookDelivery } from './webhooks.ts';
export type { ApiFaultRule, WebhookFaults } from './faults.ts';
export type * from './types.ts';
