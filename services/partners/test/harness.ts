import type { MikroORM } from '@mikro-orm/postgresql';
import { createTokenVerifier, migrate, type ServiceApp } from '@kapocs/kit';
import { authAs, env, freshDatabase, truncateAll, userIdOf, type DemoUser } from '@kapocs/kit/testing';
import { buildApp } from '../src/app';
import { partnersOrm, SCHEMA } from '../src/app';

export interface Harness {
  app: ServiceApp;
  orm: MikroORM;
  databaseUrl: string;
  close(): Promise<void>;
  reset(): Promise<void>;
}

/** The partners app on a database of this worker's own, verifying real Keycloak tokens. */
export async function startPartners(): Promise<Harness> {
  const databaseUrl = await freshDatabase('partners');
  const orm = await partnersOrm(databaseUrl, { poolMax: 5 });
  await migrate(orm, SCHEMA, databaseUrl);
  const verify = createTokenVerifier({ issuer: env('OIDC_ISSUER'), jwksUrl: env('OIDC_JWKS_URL'), audience: env('OIDC_AUDIENCE') });
  const app = await buildApp({ orm, verify, logLevel: 'silent' });
  await app.ready();
  return {
    app, orm, databaseUrl,
    reset: () => truncateAll(orm),
    async close() { await app.close(); await orm.close(); },
  };
}

/** Request helpers as a demo user. */
export function as(h: Harness, user: DemoUser) {
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    h.app.inject({ method, url, headers: { ...(await authAs(user)), ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, body: unknown, headers?: Record<string, string>) => call('POST', url, body, headers),
    patch: (url: string, body: unknown, headers?: Record<string, string>) => call('PATCH', url, body, headers),
    delete: (url: string, headers?: Record<string, string>) => call('DELETE', url, undefined, headers),
  };
}

/** Test data builders through the public API (given.company({ owner: 'anna.sales' })). */
export function given(h: Harness) {
  let n = 0;
  return {
    async company(opts: { owner?: DemoUser; name?: string; kind?: string; taxNumber?: string } = {}) {
      n += 1;
      const res = await as(h, opts.owner ?? 'anna.sales').post('/companies', {
        name: opts.name ?? `Teszt Kft. ${n} ${Math.random().toString(36).slice(2, 7)}`,
        kind: opts.kind ?? 'customer',
        ...(opts.taxNumber ? { taxNumber: opts.taxNumber } : {}),
      });
      if (res.statusCode !== 201) throw new Error(`given.company failed: ${res.statusCode} ${res.body}`);
      return res.json() as { id: string; name: string; version: number; ownerId: string; departmentId: string | null };
    },
  };
}

export const idOf = (user: DemoUser) => userIdOf(user);

/** Rows in the outbox / companies tables, to prove that a refused request wrote nothing. */
export async function counts(h: Harness) {
  const [row] = await h.orm.em.fork().execute<{ companies: number; outbox: number; audit: number }[]>(
    `select (select count(*)::int from partners.company) as companies, (select count(*)::int from partners.outbox) as outbox, (select count(*)::int from partners.audit_log where entity_type <> 'custom-field') as audit`,
  );
  return row!;
}
