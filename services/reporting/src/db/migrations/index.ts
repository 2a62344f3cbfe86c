import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000200_company_projection } from './Migration20261126000200_company_projection';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261126000200_company_projection', class: Migration20261126000200_company_projection },
];
