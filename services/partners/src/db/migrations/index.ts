import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000100_companies } from './Migration20261126000100_companies';

/** Every migration of the schema, in order (a static list: works under tsx, Vitest and Node alike). */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261126000100_companies', class: Migration20261126000100_companies },
];
