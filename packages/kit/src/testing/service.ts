import type { MikroORM } from '@mikro-orm/postgresql';
import { createTokenVerifier, type TokenVerifier } from '../auth';
import { buildServiceApp, ormFor, type ServiceDefinition } from '../bootstrap';
import { migrate } from '../db';
import type { ServiceApp } from '../service';
import { authAs, env, freshDatabase, truncateAll, type DemoUser } from './index';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Requests to an app as a demo user, with a real token from Keycloak: `as(app, 'anna.sales').post('/companies', body)`. */
export function requestsAs(app: ServiceApp, user: DemoUser) {
  const call = async (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method, url, headers: { ...(await authAs(user)), ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, body: unknown, headers?: Record<string, string>) => call('POST', url, body, headers),
    put: (url: string, body: unknown, headers?: Record<string, string>) => call('PUT', url, body, headers),
    patch: (url: string, body: unknown, headers?: Record<string, string>) => call('PATCH', url, body, headers),
    delete: (url: string, headers?: Record<string, string>) => call('DELETE', url, undefined, headers),
  };
}

export type Requests = ReturnType<typeof requestsAs>;

/** A service's app on a database of this worker's own: what a service's behaviour tests talk to. */
export interface TestService<Given = Record<string, never>> {
  app: ServiceApp;
  orm: MikroORM;
  /** The worker's database, as the role the app connects as. */
  databaseUrl: string;
  /** Requests as a demo user (real tokens). */
  as(user: DemoUser): Requests;
  /** The service's test data builders (`startTestService`'s `builders`), e.g. `given.company({ owner: 'anna.sales' })`. */
  given: Given;
  /** Empties every table of the service's schema (not its migrations). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface TestServiceOptions<Given> {
  /** Builds the service's test data builders on the running service, usually through its public routes. */
  builders?: (service: Omit<TestService, 'given'>) => Given;
  /** The database role the app connects as: the service's own (its name) by default, as deployed; null: the administrator. */
  role?: string | null;
  /** The database's name part (`kapocs_t_<database>_<worker>`): the service's name by default. */
  database?: string;
  poolMax?: number;
  /** The environment the app reads its keys from (default: the test process's, from deploy/local/env.mjs). */
  env?: Record<string, string | undefined>;
  /** Token verifier (default: the realm's JWKS, as the service verifies in production). */
  verify?: TokenVerifier;
}

/**
 * A service's app, not listening, on a fresh database of this Vitest worker's own (`freshDatabase`) with its
 * migrations applied, connected as the service's own role, verifying real Keycloak tokens; tests `inject` into it
 * through `as(user)` and build their data with `given`. Logs are silent unless TEST_LOG_LEVEL says otherwise.
 *
 * ```ts
 * let h: TestService;
 * beforeAll(async () => { h = await startTestService(activities); });
 * afterAll(() => h.close());
 * ```
 */
export async function startTestService<Given = Record<string, never>>(def: ServiceDefinition, opts: TestServiceOptions<Given> = {}): Promise<TestService<Given>> {
  const role = opts.role === undefined ? def.name : opts.role;
  const databaseUrl = await freshDatabase(opts.database ?? def.name, role ? { as: role } : {});
  const orm = await ormFor(def, databaseUrl, { poolMax: opts.poolMax ?? 5 });
  try {
    await migrate(orm, def.name, databaseUrl);
    const verify = opts.verify ?? createTokenVerifier({ issuer: env('OIDC_ISSUER'), jwksUrl: env('OIDC_JWKS_URL'), audience: env('OIDC_AUDIENCE') });
    const app = await buildServiceApp(def, { orm, verify, logLevel: process.env.TEST_LOG_LEVEL ?? 'silent', env: opts.env ?? process.env });
    await app.ready();
    const service: Omit<TestService, 'given'> = {
      app,
      orm,
      databaseUrl,
      as: (user) => requestsAs(app, user),
      reset: () => truncateAll(orm),
      async close() {
        await app.close();
        await orm.close();
      },
    };
    return { ...service, given: (opts.builders?.(service) ?? {}) as Given };
  } catch (err) {
    await orm.close();
    throw err;
  }
}
