import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126002100_imports } from './Migration20261126002100_imports';
import { Migration20261126000100_companies } from './Migration20261126000100_companies';
import { Migration20261126000200_company_name_order } from './Migration20261126000200_company_name_order';
import { Migration20261126001000_company_groups } from './Migration20261126001000_company_groups';
import { Migration20261126001100_persons } from './Migration20261126001100_persons';
import { Migration20261126003100_external_ids } from './Migration20261126003100_external_ids';
import { Migration20261126003200_company_duplicates } from './Migration20261126003200_company_duplicates';
import { Migration20261126003300_merge } from './Migration20261126003300_merge';
import { Migration20261126003400_person_duplicates } from './Migration20261126003400_person_duplicates';
import { Migration20261126003500_deferred_duplicates } from './Migration20261126003500_deferred_duplicates';
import { Migration20261126003600_duplicates_knn } from './Migration20261126003600_duplicates_knn';
import { Migration20261126003700_duplicate_dismissals } from './Migration20261126003700_duplicate_dismissals';
import { Migration20261126003800_import_jobs_on_queue } from './Migration20261126003800_import_jobs_on_queue';

/** Every migration of the schema, in order (a static list: works under tsx, Vitest and Node alike). */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261126000100_companies', class: Migration20261126000100_companies },
  { name: 'Migration20261126000200_company_name_order', class: Migration20261126000200_company_name_order },
  { name: 'Migration20261126001000_company_groups', class: Migration20261126001000_company_groups },
  { name: 'Migration20261126001100_persons', class: Migration20261126001100_persons },
  { name: 'Migration20261126003100_external_ids', class: Migration20261126003100_external_ids },
  { name: 'Migration20261126003200_company_duplicates', class: Migration20261126003200_company_duplicates },
  { name: 'Migration20261126003300_merge', class: Migration20261126003300_merge },
  { name: 'Migration20261126003400_person_duplicates', class: Migration20261126003400_person_duplicates },
  { name: 'Migration20261126003500_deferred_duplicates', class: Migration20261126003500_deferred_duplicates },
  { name: 'Migration20261126003600_duplicates_knn', class: Migration20261126003600_duplicates_knn },
  { name: 'Migration20261126003700_duplicate_dismissals', class: Migration20261126003700_duplicate_dismissals },
  { name: 'Migration20261126002100_imports', class: Migration20261126002100_imports },
  { name: 'Migration20261126003800_import_jobs_on_queue', class: Migration20261126003800_import_jobs_on_queue },
];
