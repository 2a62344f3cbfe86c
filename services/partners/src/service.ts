import { customFieldRoutes, type ServiceDefinition } from '@kapocs/kit';
import { Company } from './companies/company.entity';
import { companiesRoutes } from './companies/companies.routes';
import { COMPANY_KINDS } from './companies/companies.schemas';
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
import { importsRoutes } from './imports/imports.routes';
import { companyExportRoutes } from './companies/companies.export';
import { personExportRoutes } from './persons/persons.export';
import { ownerDirectoryOf } from './owners/owner-directory';

/** Partners: companies, company groups, persons, employments, owners, external ids, imports. */
export const partners: ServiceDefinition = {
  name: 'partners',
  defaultPort: 8101,
  entities: [Company, CompanyGroup, Person, Employment],
  migrations,
  routes: (app, { orm, env }) => {
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
    importsRoutes(app, orm, { env, directory });
    companyExportRoutes(app, orm, directory);
    personExportRoutes(app, orm, directory);
    // company fields may differ per kind (customer, supplier, …); persons have no subtypes
    customFieldRoutes(app, orm, { company: { subtypes: COMPANY_KINDS }, person: {} });
  },
};
