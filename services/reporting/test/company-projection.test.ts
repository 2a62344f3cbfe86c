import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { MikroORM } from '@mikro-orm/postgresql';
import { PartnersEvents, type CompanyCreated, type EventEnvelope } from '@kapocs/contracts';
import { buildServiceApp, connectNats, createTokenVerifier, ensureStreams, migrate, ormFor, startConsumer, type Nats, type RunningConsumer, type ServiceApp } from '@kapocs/kit';
import { authAs, env, freshDatabase, startNatsServer, truncateAll, userIdOf, waitFor } from '@kapocs/kit/testing';
import { reporting } from '../src/service';
import { companyProjection } from '../src/companies/company-projection.consumer';

let orm: MikroORM;
let nats: Nats;
let app: ServiceApp;
let consumer: RunningConsumer;
let ownNats: Awaited<ReturnType<typeof startNatsServer>>;
const durable = `reporting-projections-test-${uuidv7().slice(-12)}`;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

beforeAll(async () => {
  const url = await freshDatabase('reporting', { as: 'reporting' });
  orm = await ormFor(reporting, url, { poolMax: 4 });
  await migrate(orm, 'reporting', url);
  // a NATS server of this test's own: on the shared stream, companies other test files create in the same
  // run would land in this projection too
  ownNats = await startNatsServer();
  nats = await connectNats(ownNats.url, 'reporting-test');
  await ensureStreams(nats.jsm, 'partners');
  // the service's own handlers, on a durable of this test's own that starts at new messages
  consumer = await startConsumer({ orm, nats, stream: companyProjection.stream, durable, handlers: companyProjection.handlers, deliverPolicy: 'new', log: silent });
  const verify = createTokenVerifier({ issuer: env('OIDC_ISSUER'), jwksUrl: env('OIDC_JWKS_URL'), audience: env('OIDC_AUDIENCE') });
  app = await buildServiceApp(reporting, { orm, verify, logLevel: 'silent' });
});
afterAll(async () => {
  await consumer?.stop();
  await nats.jsm.consumers.delete('PARTNERS', durable).catch(() => undefined);
  await app?.close();
  await nats?.nc.drain();
  await orm?.close();
  await ownNats?.stop();
});
beforeEach(async () => { await truncateAll(orm); });

async function companyCreated(owner: string, departmentId: string): Promise<CompanyCreated> {
  const id = uuidv7();
  return {
    id: uuidv7(), type: PartnersEvents.companyCreated, version: 1, occurredAt: new Date().toISOString(),
    actor: { sub: owner, name: 'Test' }, aggregate: { type: 'company', id },
    data: { id, name: 'Esemény Kft.', kind: 'customer', status: 'active', taxNumber: null, registrationNumber: null, country: 'HU', city: 'Pécs', ownerId: owner, departmentId, version: 1 },
    scope: { ownerId: owner, departmentId },
  };
}

const publish = (e: EventEnvelope, msgID: string) => nats.js.publish(`crm.${e.type}`, JSON.stringify(e), { msgID });
const handled = async () => (await nats.jsm.consumers.info('PARTNERS', durable));

it('a company.created event delivered twice is counted once', async () => {
  const anna = await userIdOf('anna.sales');
  const event = await companyCreated(anna, 'north');
  await publish(event, `${event.id}-first`);
  await publish(event, `${event.id}-again`);
  await waitFor(async () => { const i = await handled(); return i.num_pending === 0 && i.num_ack_pending === 0; }, { what: 'both deliveries handled' });

  const dashboard = (await app.inject({ method: 'GET', url: '/dashboard', headers: await authAs('dora.director') })).json();
  expect(dashboard.companies).toEqual({ total: 1, byDepartment: [{ departmentId: 'north', companies: 1 }] });
  const mine = (await app.inject({ method: 'GET', url: '/dashboard', headers: await authAs('anna.sales') })).json();
  expect(mine.companies.total).toBe(1);
  const bela = (await app.inject({ method: 'GET', url: '/dashboard', headers: await authAs('bela.sales') })).json();
  expect(bela.companies.total).toBe(0);
});

it('a manager sees the counts of their own departments only', async () => {
  for (const d of ['north', 'south', 'south']) {
    const e = await companyCreated(uuidv7(), d);
    await publish(e, e.id);
  }
  await waitFor(async () => {
    const [row] = await orm.em.fork().execute<{ n: number }[]>(`select count(*)::int n from reporting.company_projection`);
    return row!.n === 3;
  }, { what: 'three projections' });
  const csilla = (await app.inject({ method: 'GET', url: '/dashboard', headers: await authAs('csilla.manager') })).json();
  expect(csilla.companies).toEqual({ total: 1, byDepartment: [{ departmentId: 'north', companies: 1 }] });
  const dora = (await app.inject({ method: 'GET', url: '/dashboard', headers: await authAs('dora.director') })).json();
  expect(dora.companies.total).toBe(3);
});
