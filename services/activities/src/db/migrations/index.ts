import type { MigrationObject } from '@mikro-orm/core';

/** Every migration of the schema, in order (a static list: works under tsx, Vitest and Node alike). */
export const migrations: MigrationObject[] = [];
