import { createObjectStore, defineService, objectStoreConfigShape } from '@kapocs/kit';

/**
 * Documents: document metadata and versions; bodies in MinIO (S3). Only the platform slice so far: schema, health,
 * OpenAPI, and the object storage as a readiness check (reported in /readyz, never unready: metadata goes on
 * without it; uploads and downloads answer 503 while it is down).
 */
export const documents = defineService({
  name: 'documents',
  defaultPort: 8105,
  entities: [],
  migrations: [],
  config: objectStoreConfigShape,
  degradable: (config) => {
    const store = createObjectStore(config);
    return { objectStorage: () => store.ping() };
  },
});
