import { buildServiceApp, ormFor, type ServiceDeps } from '@kapocs/kit';
import { activities } from './service';

/** The activities app without listening: tests build it and call it with `inject`. */
export const buildApp = (deps: ServiceDeps) => buildServiceApp(activities, deps);
export const activitiesOrm = (clientUrl: string, opts?: { poolMax?: number }) => ormFor(activities, clientUrl, opts);
export const SCHEMA = activities.name;
