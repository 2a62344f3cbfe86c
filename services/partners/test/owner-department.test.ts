import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenVerifier, type ServiceApp } from '@kapocs/kit';
import { authAs, env, freePort, type DemoUser } from '@kapocs/kit/testing';
import { buildApp } from '../src/app';
import { as, given, idOf, outboxEvents, startPartners, tableCounts, type Harness } from './harness';
import { csv, importSteps } from './imports.helpers';

// The department follows the owner (ARCHITECTURE.md "Identity and visibility"): a manager sees the records of
// everyone in their departments, so a record given to a rep goes to that rep's department.
let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

const NO_SUCH_USER = '01900000-0000-7000-8000-0000000000ff';
const paths = (res: { json(): { errors?: { path: string }[] } }) => (res.json().errors ?? []).map((e) => e.path);
type Owned = { id: string; ownerId: string; departmentId: string | null; version: number };

/** What `user` sees of record `id` of `kind`: in the list (with its count) and by id. */
async function seen(user: DemoUser, kind: 'companies' | 'persons' | 'company-groups', id: string) {
  const list = (await as(h, user).get(`/${kind}?limit=200&count=true`)).json() as { items: Owned[]; total: number };
  const detail = await as(h, user).get(`/${kind}/${id}`);
  return { inList: list.items.some((x) => x.id === id), total: list.total, status: detail.statusCode };
}

describe('a record given to someone else goes to their department', () => {
  it('a director (no department) creating a company for a north rep puts it in north: the north manager sees it in list, count and detail', async () => {
    const anna = await idOf('anna.sales');
    const res = await as(h, 'dora.director').post('/companies', { name: 'Annáé Kft.', kind: 'customer', ownerId: anna });
    expect(res.statusCode, res.body).toBe(201);
    const company = res.json() as Owned;
    expect(company).toMatchObject({ ownerId: anna, departmentId: 'north' });
    expect(await seen('csilla.manager', 'companies', company.id)).toEqual({ inList: true, total: 1, status: 200 });
    const [created] = (await outboxEvents(h)).filter((e) => e.envelope.type.endsWith('company.created'));
    expect(created!.envelope.scope).toEqual({ ownerId: anna, departmentId: 'north' });
  });

  it('a director handing a north company to a south rep by PATCH moves it to south: it leaves the north manager\'s view, the director and the new owner see it, the events carry south', async () => {
    const company = await given(h).company({ owner: 'anna.sales' });
    expect(company.departmentId).toBe('north');
    const bela = await idOf('bela.sales');
    const res = await as(h, 'dora.director').patch(`/companies/${company.id}`, { ownerId: bela }, { 'if-match': `"${company.version}"` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ownerId: bela, departmentId: 'south' });
    expect(await seen('csilla.manager', 'companies', company.id)).toEqual({ inList: false, total: 0, status: 404 });
    expect((await seen('dora.director', 'companies', company.id)).status).toBe(200);
    expect(await seen('bela.sales', 'companies', company.id)).toEqual({ inList: true, total: 1, status: 200 });
    const events = (await outboxEvents(h)).filter((e) => e.envelope.aggregate.id === company.id && !e.envelope.type.endsWith('created'));
    expect(events.map((e) => [e.envelope.type.split('.').pop(), e.envelope.scope.departmentId, (e.envelope.data as { departmentId?: string }).departmentId ?? null])).toEqual([
      ['updated', 'south', 'south'],
      ['owner-changed', 'south', null],
    ]);
    expect(events[1]!.envelope.data).toMatchObject({ from: { departmentId: 'north' }, to: { ownerId: bela, departmentId: 'south' } });
  });

  it.each(['companies', 'persons'] as const)('a director\'s bulk reassign of north %s to a south rep moves them to south', async (kind) => {
    const record = kind === 'companies' ? await given(h).company({ owner: 'anna.sales' }) : await given(h).person({ owner: 'anna.sales' });
    const bela = await idOf('bela.sales');
    const res = await as(h, 'dora.director').post(`/${kind}/reassign`, { ids: [record.id], ownerId: bela });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ updated: 1 });
    expect(await seen('csilla.manager', kind, record.id)).toEqual({ inList: false, total: 0, status: 404 });
    expect((await as(h, 'dora.director').get(`/${kind}/${record.id}`)).json()).toMatchObject({ ownerId: bela, departmentId: 'south' });
    expect((await seen('bela.sales', kind, record.id)).status).toBe(200);
    const scopes = (await outboxEvents(h)).filter((e) => e.envelope.aggregate.id === record.id && /(updated|owner-changed)$/.test(e.envelope.type)).map((e) => e.envelope.scope.departmentId);
    expect(scopes).toEqual(['south', 'south']);
  });

  it('persons: a director creating one for a north rep puts it in north; a director handing it to a south rep by PATCH moves it to south', async () => {
    const anna = await idOf('anna.sales');
    const created = await as(h, 'dora.director').post('/persons', { familyName: 'Kovács', givenName: 'Éva', ownerId: anna });
    expect(created.statusCode, created.body).toBe(201);
    const person = created.json() as Owned;
    expect(person.departmentId).toBe('north');
    expect(await seen('csilla.manager', 'persons', person.id)).toEqual({ inList: true, total: 1, status: 200 });
    const res = await as(h, 'dora.director').patch(`/persons/${person.id}`, { ownerId: await idOf('bela.sales') }, { 'if-match': `"${person.version}"` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ departmentId: 'south' });
    expect((await seen('csilla.manager', 'persons', person.id)).status).toBe(404);
  });

  it('company groups: a director creating one for a north rep puts it in north; a director handing it to a south rep moves it to south', async () => {
    const created = await as(h, 'dora.director').post('/company-groups', { name: 'Annáé csoport', ownerId: await idOf('anna.sales') });
    expect(created.statusCode, created.body).toBe(201);
    const group = created.json() as Owned;
    expect(group.departmentId).toBe('north');
    expect(await seen('csilla.manager', 'company-groups', group.id)).toEqual({ inList: true, total: 1, status: 200 });
    const res = await as(h, 'dora.director').patch(`/company-groups/${group.id}`, { ownerId: await idOf('bela.sales') }, { 'if-match': `"${group.version}"` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ departmentId: 'south' });
    expect((await seen('csilla.manager', 'company-groups', group.id)).status).toBe(404);
    expect((await seen('bela.sales', 'company-groups', group.id)).status).toBe(200);
  });

  it('an explicit departmentId is the caller\'s choice and checked: a manager may not name south, and may hand the record to a south rep only by keeping it in north', async () => {
    const company = await given(h).company({ owner: 'anna.sales' });
    const bela = await idOf('bela.sales');
    const before = await tableCounts(h);
    const refused = await as(h, 'csilla.manager').patch(`/companies/${company.id}`, { ownerId: bela, departmentId: 'south' }, { 'if-match': `"${company.version}"` });
    expect(refused.statusCode).toBe(403);
    expect((await as(h, 'csilla.manager').post('/companies/reassign', { ids: [company.id], ownerId: bela, departmentId: 'south' })).statusCode).toBe(403);
    expect(await tableCounts(h)).toEqual(before);
    // an explicit department the manager may use wins over the owner's
    const kept = await as(h, 'csilla.manager').patch(`/companies/${company.id}`, { ownerId: bela, departmentId: 'north' }, { 'if-match': `"${company.version}"` });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json()).toMatchObject({ ownerId: bela, departmentId: 'north' });
    const moved = await as(h, 'csilla.manager').patch(`/companies/${company.id}`, { ownerId: await idOf('anna.sales') }, { 'if-match': `"${kept.json().version}"` });
    expect(moved.json()).toMatchObject({ departmentId: 'north' });
    const away = await as(h, 'csilla.manager').post('/companies/reassign', { ids: [company.id], ownerId: bela });
    expect(away.statusCode, away.body).toBe(403);
    expect((await as(h, 'dora.director').get(`/companies/${company.id}`)).json()).toMatchObject({ ownerId: await idOf('anna.sales'), departmentId: 'north' });
  });

  it('the caller taking a record gives it their own department (today\'s default): none for a director, north for the north manager', async () => {
    const annas = await given(h).company({ owner: 'anna.sales' });
    const dora = await idOf('dora.director');
    const taken = await as(h, 'dora.director').patch(`/companies/${annas.id}`, { ownerId: dora }, { 'if-match': `"${annas.version}"` });
    expect(taken.json()).toMatchObject({ ownerId: dora, departmentId: null });
    expect((await seen('csilla.manager', 'companies', annas.id)).status).toBe(404);
    const other = await given(h).company({ owner: 'anna.sales' });
    const res = await as(h, 'csilla.manager').patch(`/companies/${other.id}`, { ownerId: await idOf('csilla.manager') }, { 'if-match': `"${other.version}"` });
    expect(res.json()).toMatchObject({ departmentId: 'north' });
    expect((await as(h, 'dora.director').post('/companies', { name: 'Doráé Kft.', kind: 'customer' })).json()).toMatchObject({ ownerId: dora, departmentId: null });
  });
});

describe('an owner who is not a CRM user', () => {
  it('is refused with 400 naming ownerId on create, PATCH and bulk reassign, and nothing is written (no outbox row)', async () => {
    const company = await given(h).company({ owner: 'anna.sales' });
    const person = await given(h).person({ owner: 'anna.sales' });
    const group = await given(h).group({ owner: 'anna.sales' });
    const before = await tableCounts(h);
    const answers = [
      await as(h, 'dora.director').post('/companies', { name: 'Senkié Kft.', kind: 'customer', ownerId: NO_SUCH_USER }),
      await as(h, 'csilla.manager').patch(`/companies/${company.id}`, { ownerId: NO_SUCH_USER }, { 'if-match': `"${company.version}"` }),
      await as(h, 'csilla.manager').post('/companies/reassign', { ids: [company.id], ownerId: NO_SUCH_USER }),
      await as(h, 'dora.director').post('/persons', { familyName: 'Senki', givenName: 'Sem', ownerId: NO_SUCH_USER }),
      await as(h, 'csilla.manager').patch(`/persons/${person.id}`, { ownerId: NO_SUCH_USER }, { 'if-match': `"${person.version}"` }),
      await as(h, 'csilla.manager').post('/persons/reassign', { ids: [person.id], ownerId: NO_SUCH_USER }),
      await as(h, 'dora.director').post('/company-groups', { name: 'Senkié csoport', ownerId: NO_SUCH_USER }),
      await as(h, 'csilla.manager').patch(`/company-groups/${group.id}`, { ownerId: NO_SUCH_USER }, { 'if-match': `"${group.version}"` }),
    ];
    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(paths(res)).toEqual(['ownerId']);
    }
    expect(await tableCounts(h)).toEqual(before);

    // a record whose owner is no (longer a) CRM user can still be edited while the owner stays
    await h.orm.em.fork().execute(`update partners.company set owner_id = ? where id = ?`, [NO_SUCH_USER, company.id]);
    const kept = await as(h, 'dora.director').patch(`/companies/${company.id}`, { name: 'Régi Zrt.', ownerId: NO_SUCH_USER }, { 'if-match': `"${company.version}"` });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json()).toMatchObject({ name: 'Régi Zrt.', ownerId: NO_SUCH_USER, departmentId: 'north' });
  });
});

describe('the user directory unreachable', () => {
  let app: ServiceApp;
  beforeAll(async () => {
    const verify = createTokenVerifier({ issuer: env('OIDC_ISSUER'), jwksUrl: env('OIDC_JWKS_URL'), audience: env('OIDC_AUDIENCE') });
    app = await buildApp({ orm: h.orm, verify, logLevel: 'silent', env: { ...process.env, KEYCLOAK_URL: `http://127.0.0.1:${await freePort()}` } });
  });
  afterAll(async () => { await app?.close(); });

  it('an owner change answers 503 and writes nothing; writes that keep the owner do not need the directory', async () => {
    const company = await given(h).company({ owner: 'anna.sales' });
    const call = async (user: DemoUser, method: 'POST' | 'PATCH', url: string, payload: object, headers: Record<string, string> = {}) =>
      app.inject({ method, url, headers: { ...(await authAs(user)), ...headers }, payload });
    const before = await tableCounts(h);
    const bela = await idOf('bela.sales');
    for (const res of [
      await call('csilla.manager', 'PATCH', `/companies/${company.id}`, { ownerId: bela }, { 'if-match': `"${company.version}"` }),
      await call('csilla.manager', 'POST', '/companies/reassign', { ids: [company.id], ownerId: bela }),
      await call('dora.director', 'POST', '/companies', { name: 'Béláé Kft.', kind: 'customer', ownerId: bela }),
    ]) {
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect(await tableCounts(h)).toEqual(before);
    const kept = await call('csilla.manager', 'PATCH', `/companies/${company.id}`, { name: 'Átnevezett Kft.', ownerId: company.ownerId }, { 'if-match': `"${company.version}"` });
    expect(kept.statusCode, kept.body).toBe(200);
    expect((await call('anna.sales', 'POST', '/companies', { name: 'Sajátom Kft.', kind: 'customer' })).statusCode).toBe(201);
  });
});

describe('imports', () => {
  const { dryRun, commit } = importSteps(() => h);

  it('a director importing for a north rep (owner column): the dry run is valid and the commit puts the records in north', async () => {
    const anna = await idOf('anna.sales');
    const report = await dryRun('dora.director', { name: 'd.csv', bytes: csv(['Name,Kind,Owner', 'Annáé Import Kft.,customer,anna.sales']) });
    expect(report).toMatchObject({ status: 'validated', valid: 1, errors: [] });
    expect(await commit('dora.director', report.id)).toMatchObject({ created: 1 });
    const list = (await as(h, 'csilla.manager').get('/companies?limit=200')).json().items as (Owned & { name: string })[];
    expect(list.find((c) => c.name === 'Annáé Import Kft.')).toMatchObject({ ownerId: anna, departmentId: 'north' });
  });

  it('an ownerId column naming no CRM user is an error of that row in the dry run', async () => {
    const report = await dryRun('dora.director', { name: 'u.csv', bytes: csv(['Name,Kind,Owner ID', `Senkié Kft.,customer,${NO_SUCH_USER}`]) });
    expect(report).toMatchObject({ status: 'validated', valid: 0 });
    expect(report.errors).toEqual([{ row: 1, column: 'Owner ID', message: 'must be a CRM user: no CRM user has this id' }]);
  });
});
