import type { Migration, MigrationProvider } from 'kysely';

import * as initial from './0001-initial.ts';
import * as catalog from './0002-catalog.ts';

/** Migrations in the order they run; a name, once released, never changes. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-catalog': catalog,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
