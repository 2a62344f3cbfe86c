import type { ServiceApp } from '@kapocs/kit';
import { requestsAs, startTestService, type DemoUser, type TestService } from '@kapocs/kit/testing';
import { activities } from '../src/service';

/** The activities app on a database of this worker's own (`startTestService`): what every activities test talks to. */
export type Harness = TestService<ActivitiesBuilders>;

export const startActivities = (): Promise<Harness> => startTestService(activities, { builders });

/** Request helpers as a demo user. */
export const as = (h: { app: ServiceApp }, user: DemoUser) => requestsAs(h.app, user);

type ActivitiesBuilders = ReturnType<typeof builders>;

/** Test data builders through the public API, one per record the tests need (`h.given.call({ owner: 'anna.sales' })`). */
function builders(_h: { app: ServiceApp }) {
  return {};
}
