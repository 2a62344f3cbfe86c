import type { ServiceDefinition } from '@kapocs/kit';

/** Marketing: segments, campaigns, telemarketing, events and public registration. Only the platform slice so far: schema, health, OpenAPI. */
export const marketing: ServiceDefinition = {
  name: 'marketing',
  defaultPort: 8104,
  entities: [],
  migrations: [],
};
