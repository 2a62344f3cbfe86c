import { serviceNamed } from '@kapocs/contracts';
import { defineService } from '@kapocs/kit';
import { migrations } from './db/migrations';

/** Activities: calls, meetings, tasks, letters and e-mails; calendars; histories. Only the platform slice so far: schema, health, OpenAPI. */
export const activities = defineService({
  name: 'activities',
  defaultPort: serviceNamed('activities').port,
  entities: [],
  migrations,
});
