import { customFieldRoutes, type ServiceDefinition } from '@kapocs/kit';
import { Company } from './companies/company.entity';
import { companiesRoutes } from './companies/companies.routes';
import { COMPANY_KINDS } from './companies/companies.schemas';
import { migrations } from './db/migrations';

/** Partners: companies, company groups, persons, employments, owners, external ids, imports. */
export const partners: ServiceDefinition = {
  name: 'partners',
  defaultPort: 8101,
  entities: [Company],
  migrations,
  routes: (app, { orm }) => {
    companiesRoutes(app, orm);
    // company fields may differ per kind (customer, supplier, …); persons have no subtypes
    customFieldRoutes(app, orm, { company: { subtypes: COMPANY_KINDS }, person: {} });
  },
};
