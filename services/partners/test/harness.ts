import type { ServiceApp } from '@kapocs/kit';
import { requestsAs, startTestService, userIdOf, type DemoUser, type TestService } from '@kapocs/kit/testing';
import { partners } from '../src/service';

/** The partners app on a database of this worker's own (`startTestService`): what every partners test talks to. */
export type Harness = TestService<PartnersBuilders>;

/** The partners app on a database of this worker's own, as the partners role, verifying real Keycloak tokens. */
export async function startPartners(): Promise<Harness> {
  // the test environment (deploy/local/env.mjs): the owner look-ups read the real realm as crm-partners
  return startTestService(partners, { builders });
}

/** Request helpers as a demo user. */
export function as(h: { app: ServiceApp }, user: DemoUser) {
  return requestsAs(h.app, user);
}

/** Test data builders through the public API (given(h).company({ owner: 'anna.sales' })). */
export const given = (h: Harness) => h.given;

type PartnersBuilders = ReturnType<typeof builders>;

function builders(h: { app: ServiceApp }) {
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
