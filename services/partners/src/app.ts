import { buildServiceApp, ormFor, type ServiceDeps } from '@kapocs/kit';
import { partners } from './service';

/** The partners app without listening: tests build it and call it with `inject`. */
export const buildApp = (deps: ServiceDeps) => buildServiceApp(partners, deps);
export const partnersOrm = (clientUrl: string, opts?: { poolMax?: number }) => ormFor(partners, clientUrl, opts);
export const SCHEMA = partners.name;
