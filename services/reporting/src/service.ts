import type { ServiceDefinition } from '@kapocs/kit';
import { companyProjection } from './companies/company-projection.consumer';
import { dashboardRoutes } from './dashboard/dashboard.routes';
import { migrations } from './db/migrations';

/** Reporting: read models built from events (dashboard, contact monitor, targets, search). */
export const reporting: ServiceDefinition = {
  name: 'reporting',
  defaultPort: 8106,
  entities: [],
  migrations,
  routes: (app, { orm }) => dashboardRoutes(app, orm),
  consumers: [companyProjection],
};
