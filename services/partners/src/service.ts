import { customFieldRoutes, defineService } from '@kapocs/kit';
import { Company } from './companies/company.entity';
import { companiesRoutes } from './companies/companies.routes';
import { COMPANY_KINDS } from '@kapocs/contracts';
import { migrations } from './db/migrations';
import { CompanyGroup } from './company-groups/company-group.entity';
import { companyGroupsRoutes } from './company-groups/company-groups.routes';
import { Person } from './persons/person.entity';
import { personsRoutes } from './persons/persons.routes';
import { Employment } from './employments/employment.entity';
import { employmentsRoutes } from './employments/employments.routes';
import { ownersRoutes } from './owners/owners.routes';
import { externalIdsRoutes } from './external-ids/external-ids.routes';
import { duplicatesRoutes } from './duplicates/duplicates.routes';
import { mergeRoutes } from './merge/merge.routes';
import { importsConfigShape, importsRoutes } from './imports/imports.routes';
import { importWorkers } from './imports/imports.run';
import { duplicatesWorkers } from './duplicates/duplicates.worker';
import { companyExportRoutes } from './companies/companies.export';
import { personExportRoutes } from './persons/persons.export';
import { ownerDirectoryOf } from './owners/owner-directory';

/** Partners: companies, company groups, persons, employments, owners, external ids, imports. */
export const partners = defineService({
  name: 'partners',
  defaultPort: 8101,
  entities: [Company, CompanyGroup, Person, Employment],
  migrations,
  config: importsConfigShape,
  routes: (app, { orm, env, config, jobs }) => {
    // the realm's users: a new owner's department (the department follows the owner), owners by username or
    // e-mail in imports, readable owners in exports
    const directory = ownerDirectoryOf(env ?? {}, app.log);
    companiesRoutes(app, orm, directory);
    companyGroupsRoutes(app, orm, directory);
    personsRoutes(app, orm, directory);
    employmentsRoutes(app, orm);
    ownersRoutes(app, orm, directory);
    externalIdsRoutes(app, orm, directory);
    duplicatesRoutes(app, orm);
    mergeRoutes(app, orm);
    importsRoutes(app, orm, { config, jobs });
    companyExportRoutes(app, orm, directory);
    personExportRoutes(app, orm, directory);
    // company fields may differ per kind (customer, supplier, …); persons have no subtypes
    customFieldRoutes(app, orm, { company: { subtypes: COMPANY_KINDS }, person: {} });
  },
  // background jobs (off with WORKERS=off): an import's dry run, commit and undo; the duplicate refresh
  workers: ({ orm, env, config, log }) => ({
    ...importWorkers(orm, {
      directory: ownerDirectoryOf(env ?? {}, log),
      maxAttempts: config.IMPORT_JOB_ATTEMPTS, batchRows: config.IMPORT_BATCH_ROWS, batchDelayMs: config.IMPORT_TEST_BATCH_DELAY_MS,
    }),
    ...duplicatesWorkers(orm),
  }),
});
