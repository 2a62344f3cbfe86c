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
  // as the partners role, owner of its schema only, as the deployed service connects
  const databaseUrl = await freshDatabase('partners', { as: 'partners' });
  const orm = await partnersOrm(databaseUrl, { poolMax: 5 });
  await migrate(orm, SCHEMA, databaseUrl);
  const verify = createTokenVerifier({ issuer: env('OIDC_ISSUER'), jwksUrl: env('OIDC_JWKS_URL'), audience: env('OIDC_AUDIENCE') });
  // the test environment (deploy/local/env.mjs): the owner look-ups read the real realm as crm-partners
  const app = await buildApp({ orm, verify, logLevel: process.env.TEST_LOG_LEVEL ?? 'silent', env: process.env });
  await app.ready();
  return {
    app, orm, databaseUrl,
    reset: () => truncateAll(orm),
    async close() { await app.close(); await orm.close(); },
  };
}

/** Request helpers as a demo user. */
export function as(h: Harness, user: DemoUser) {
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    h.app.inject({ method, url, headers: { ...(await authAs(user)), ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, body: unknown, headers?: Record<string, string>) => call('POST', url, body, headers),
    put: (url: string, body: unknown, headers?: Record<string, string>) => call('PUT', url, body, headers),
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
    async group(opts: { owner?: DemoUser; name?: string; description?: string } = {}) {
      n += 1;
      const res = await as(h, opts.owner ?? 'anna.sales').post('/company-groups', {
        name: opts.name ?? `Teszt Csoport ${n} ${Math.random().toString(36).slice(2, 7)}`,
        ...(opts.description ? { description: opts.description } : {}),
      });
      if (res.statusCode !== 201) throw new Error(`given.group failed: ${res.statusCode} ${res.body}`);
      return res.json() as { id: string; name: string; version: number; ownerId: string; departmentId: string | null };
    },
    async person(opts: { owner?: DemoUser; familyName?: string; givenName?: string; emails?: string[]; position?: string } = {}) {
      n += 1;
      const res = await as(h, opts.owner ?? 'anna.sales').post('/persons', {
        familyName: opts.familyName ?? `Teszt${n}`,
        givenName: opts.givenName ?? `Elek ${Math.random().toString(36).slice(2, 7)}`,
        ...(opts.emails ? { emails: opts.emails.map((address) => ({ address })) } : {}),
        ...(opts.position ? { position: opts.position } : {}),
      });
      if (res.statusCode !== 201) throw new Error(`given.person failed: ${res.statusCode} ${res.body}`);
      return res.json() as { id: string; familyName: string; givenName: string; displayName: string; version: number; ownerId: string; departmentId: string | null };
    },
    /** An employment of a person at a company, added by the person's owner unless `by` says otherwise. */
    async employment(person: { id: string; ownerId?: string }, company: { id: string }, opts: { by?: DemoUser; role?: string; from?: string; to?: string; primary?: boolean } = {}) {
      const res = await as(h, opts.by ?? 'anna.sales').post(`/persons/${person.id}/employments`, {
        companyId: company.id,
        from: opts.from ?? '2020-01-01',
        ...(opts.role ? { role: opts.role } : {}),
        ...(opts.to ? { to: opts.to } : {}),
        ...(opts.primary === undefined ? {} : { primary: opts.primary }),
      });
      if (res.statusCode !== 201) throw new Error(`given.employment failed: ${res.statusCode} ${res.body}`);
      return res.json() as { id: string; personId: string; companyId: string; primary: boolean; current: boolean; from: string; to: string | null };
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

/** Rows of every partners table that a refused request must leave alone. */
export async function tableCounts(h: Harness) {
  const [row] = await h.orm.em.fork().execute<{ companies: number; groups: number; persons: number; employments: number; outbox: number; audit: number }[]>(
    `select (select count(*)::int from partners.company) as companies, (select count(*)::int from partners.company_group) as groups,
            (select count(*)::int from partners.person) as persons, (select count(*)::int from partners.employment) as employments,
            (select count(*)::int from partners.outbox) as outbox, (select count(*)::int from partners.audit_log) as audit`,
  );
  return row!;
}

/** The domain events recorded in the outbox, oldest first. */
export async function outboxEvents(h: Harness) {
  return h.orm.em.fork().execute<{ subject: string; envelope: { type: string; aggregate: { type: string; id: string }; data: Record<string, unknown>; scope: { ownerId: string; departmentId: string | null } } }[]>(
    'select subject, envelope from partners.outbox order by id',
  );
}
