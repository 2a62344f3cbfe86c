import type { ServiceDefinition } from '@kapocs/kit';

/** Documents: document metadata and versions; bodies in MinIO. Only the platform slice so far: schema, health, OpenAPI. */
export const documents: ServiceDefinition = {
  name: 'documents',
  defaultPort: 8105,
  entities: [],
  migrations: [],
};
