import type { ServiceDefinition } from '@kapocs/kit';

/** Sales: products, pipelines, opportunities, forecasts, projects. Only the platform slice so far: schema, health, OpenAPI. */
export const sales: ServiceDefinition = {
  name: 'sales',
  defaultPort: 8103,
  entities: [],
  migrations: [],
};
