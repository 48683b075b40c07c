import type { Migration, MigrationProvider } from 'kysely';

import * as initial from './0001-initial.ts';

/** Migrations in the order they run; a name, once released, never changes. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
