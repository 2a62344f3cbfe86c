import type { ServiceDefinition } from '@kapocs/kit';

/** Activities: calls, meetings, tasks, letters and e-mails; calendars; histories. Only the platform slice so far: schema, health, OpenAPI. */
export const activities: ServiceDefinition = {
  name: 'activities',
  defaultPort: 8102,
  entities: [],
  migrations: [],
};
