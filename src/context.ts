import type { Kysely } from 'kysely';

import type { Config } from './config/index.ts';
import type { Database } from './db/schema.ts';
import type { JobQueue } from './jobs/queue.ts';
import type { Clock } from './shared/clock.ts';
import type { SecretBox } from './shared/crypto.ts';
import type { IdSource } from './shared/ids.ts';
import type { Logger } from './shared/logger.ts';
import type { TikTokClient } from './tiktok/index.ts';

/** Dependencies shared by every capability; built once in the composition root (main.ts). */
export interface AppContext {
  config: Config;
  db: Kysely<Database>;
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  secrets: SecretBox;
  jobs: JobQueue;
  tiktok: TikTokClient;
}
