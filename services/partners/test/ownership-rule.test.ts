import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenVerifier, type ServiceApp } from '@kapocs/kit';
import { authAs, env, freePort, type DemoUser } from '@kapocs/kit/testing';
import { buildApp } from '../src/app';
import { as, given, idOf, startPartners, tableCounts, type Harness } from './harness';
import { csv, importSteps } from './imports.helpers';

// One ownership rule whichever field expresses a move (ownerId or departmentId): a write that changes a record's
// owner or department must leave it in a department the caller may use — a manager one of theirs — and a named
// department must exist in the directory (Keycloak groups under /departments).
let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

type Res = { statusCode: number; body: string; headers: Record<string, unknown>; json(): { errors?: { path: string }[]; detail?: string } };
const paths = (res: Res) => (res.json().errors ?? []).map((e) => e.path);
const ifMatch = (r: { version: number }) => ({ 'if-match': `"${r.version}"` });

function expectProblem(res: Res, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/problem\+json/);
}

describe('a manager moves records only within her departments, by ownerId as by departmentId', () => {
  it('handing north records to a south rep is 403 on create, PATCH and bulk reassign of companies, persons and groups, as naming south is; nothing is written', async () => {
    const company = await given(h).company({ owner: 'anna.sales' });
    const person = await given(h).person({ owner: 'anna.sales' });
    const group = await given(h).group({ owner: 'anna.sales' });
    const bela = await idOf('bela.sales');
    const before = await tableCounts(h);
    const csilla = as(h, 'csilla.manager');
    const byOwner = [
      await csilla.post('/companies', { name: 'Béláé Kft.', kind: 'customer', ownerId: bela }),
      await csilla.patch(`/companies/${company.id}`, { ownerId: bela }, ifMatch(company)),
      await csilla.post('/companies/reassign', { ids: [company.id], ownerId: bela }),
      await csilla.post('/persons', { familyName: 'Béláé', givenName: 'Ember', ownerId: bela }),
      await csilla.patch(`/persons/${person.id}`, { ownerId: bela }, ifMatch(person)),
      await csilla.post('/persons/reassign', { ids: [person.id], ownerId: bela }),
      await csilla.post('/company-groups', { name: 'Béláé csoport', ownerId: bela }),
      await csilla.patch(`/company-groups/${group.id}`, { ownerId: bela }, ifMatch(group)),
    ];
    const byDepartment = [
      await csilla.post('/companies', { name: 'Déli Kft.', kind: 'customer', departmentId: 'south' }),
      await csilla.patch(`/companies/${company.id}`, { departmentId: 'south' }, ifMatch(company)),
      await csilla.post('/companies/reassign', { ids: [company.id], ownerId: await idOf('anna.sales'), departmentId: 'south' }),
      await csilla.post('/persons', { familyName: 'Déli', givenName: 'Ember', departmentId: 'south' }),
      await csilla.patch(`/persons/${person.id}`, { departmentId: 'south' }, ifMatch(person)),
      await csilla.post('/company-groups', { name: 'Déli csoport', departmentId: 'south' }),
      await csilla.patch(`/company-groups/${group.id}`, { departmentId: 'south' }, ifMatch(group)),
    ];
    for (const res of [...byOwner, ...byDepartment]) expectProblem(res, 403);
    expect(byOwner[1]!.json().detail).toMatch(/only within their departments/);
    expect(await tableCounts(h)).toEqual(before);
    for (const [kind, r] of [['companies', company], ['persons', person], ['company-groups', group]] as const) {
      expect((await as(h, 'dora.director').get(`/${kind}/${r.id}`)).json()).toMatchObject({ ownerId: r.ownerId, departmentId: 'north', version: r.version });
    }
  });

  it('within her departments it works: to a north rep, to herself, to a south rep kept in north by naming it', async () => {
    const anna = await idOf('anna.sales');
    const bela = await idOf('bela.sales');
    const created = await as(h, 'csilla.manager').post('/companies', { name: 'Annáé Kft.', kind: 'customer', ownerId: anna });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ ownerId: anna, departmentId: 'north' });
    const kept = await as(h, 'csilla.manager').post('/persons/reassign', { ids: [(await given(h).person({ owner: 'anna.sales' })).id], ownerId: bela, departmentId: 'north' });
    expect(kept.json()).toMatchObject({ updated: 1 });
    const group = await given(h).group({ owner: 'anna.sales' });
    const taken = await as(h, 'csilla.manager').patch(`/company-groups/${group.id}`, { ownerId: await idOf('csilla.manager') }, ifMatch(group));
    expect(taken.json()).toMatchObject({ departmentId: 'north' });
  });

  it('directors and admins may move records anywhere (the department follows the owner)', async () => {
    const company = await given(h).company({ owner: 'anna.sales' });
    const res = await as(h, 'admin').post('/companies/reassign', { ids: [company.id], ownerId: await idOf('bela.sales') });
    expect(res.json()).toMatchObject({ updated: 1 });
    expect((await as(h, 'admin').get(`/companies/${company.id}`)).json()).toMatchObject({ departmentId: 'south' });
    const named = await as(h, 'dora.director').patch(`/companies/${company.id}`, { departmentId: 'north' }, ifMatch({ version: company.version + 1 }));
    expect(named.json()).toMatchObject({ departmentId: 'north' });
  });

  it('reps still only own records themselves', async () => {
    const before = await tableCounts(h);
    expectProblem(await as(h, 'anna.sales').post('/companies', { name: 'Béláé Kft.', kind: 'customer', ownerId: await idOf('bela.sales') }), 403);
    expectProblem(await as(h, 'anna.sales').post('/companies', { name: 'Déli Kft.', kind: 'customer', departmentId: 'south' }), 403);
    expect(await tableCounts(h)).toEqual(before);
  });

  it('imports: a manager\'s row handing a record to a south rep is an error of the owner column, and the commit writes nothing of it', async () => {
    const { dryRun, commit } = importSteps(() => h);
    const annas = await given(h).company({ owner: 'anna.sales', name: 'Annáé Kft.' });
    const report = await dryRun('csilla.manager', { name: 'm.csv', bytes: csv([
      'ID,Name,Kind,Owner',
      `,Béláé Import Kft.,customer,bela.sales`,
      `${annas.id},Annáé Kft.,customer,bela.sales`,
      `,Annáé Import Kft.,customer,anna.sales`,
    ]) });
    expect(report).toMatchObject({ status: 'validated', valid: 1 });
    expect(report.errors).toEqual([
      { row: 1, column: 'Owner', message: expect.stringMatching(/only within their departments/) },
      { row: 2, column: 'Owner', message: expect.stringMatching(/only within their departments/) },
    ]);
    expect(await commit('csilla.manager', report.id)).toMatchObject({ created: 1, updated: 0 });
    const names = ((await as(h, 'dora.director').get('/companies?limit=200&sort=name')).json().items as { name: string; departmentId: string; version: number }[]);
    expect(names.map((c) => [c.name, c.departmentId, c.version])).toEqual([['Annáé Import Kft.', 'north', 1], ['Annáé Kft.', 'north', 1]]);
  });
});

describe('departments must exist in the directory', () => {
  it('a department that does not exist is 400 naming departmentId on create, PATCH, reassign and ERP upserts; nothing is written', async () => {
    const company = await given(h).company({ owner: 'anna.sales' });
    const person = await given(h).person({ owner: 'anna.sales' });
    const group = await given(h).group({ owner: 'anna.sales' });
    const before = await tableCounts(h);
    const dora = as(h, 'dora.director');
    for (const res of [
      await dora.post('/companies', { name: 'Atlantiszi Kft.', kind: 'customer', departmentId: 'atlantis' }),
      await dora.patch(`/companies/${company.id}`, { departmentId: 'atlantis' }, ifMatch(company)),
      await dora.post('/companies/reassign', { ids: [company.id], ownerId: company.ownerId, departmentId: 'atlantis' }),
      await dora.post('/persons', { familyName: 'Atlantiszi', givenName: 'Ember', departmentId: 'atlantis' }),
      await dora.patch(`/persons/${person.id}`, { departmentId: 'atlantis' }, ifMatch(person)),
      await dora.post('/persons/reassign', { ids: [person.id], ownerId: person.ownerId, departmentId: 'atlantis' }),
      await dora.post('/company-groups', { name: 'Atlantiszi csoport', departmentId: 'atlantis' }),
      await dora.patch(`/company-groups/${group.id}`, { departmentId: 'atlantis' }, ifMatch(group)),
      await dora.put('/external/sap/companies/ATL-1', { name: 'Atlantiszi Kft.', kind: 'customer', departmentId: 'atlantis' }),
    ]) {
      expectProblem(res, 400);
      expect(paths(res)).toEqual(['departmentId']);
    }
    const bulk = await dora.post('/external/sap/companies', { items: [{ externalId: 'ATL-2', name: 'Atlantiszi Kft.', kind: 'customer', departmentId: 'atlantis' }] });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect(bulk.json().results).toEqual([expect.objectContaining({ externalId: 'ATL-2', status: 'invalid', errors: [expect.objectContaining({ path: 'departmentId' })] })]);
    expect(await tableCounts(h)).toEqual(before);
    // an existing department, and none, are fine
    expect((await dora.post('/companies', { name: 'Déli Kft.', kind: 'customer', departmentId: 'south' })).json()).toMatchObject({ departmentId: 'south' });
    expect((await dora.post('/companies', { name: 'Senkié Kft.', kind: 'customer', departmentId: null })).json()).toMatchObject({ departmentId: null });
  });

  describe('with the user directory unreachable', () => {
    let app: ServiceApp;
    beforeAll(async () => {
      const verify = createTokenVerifier({ issuer: env('OIDC_ISSUER'), jwksUrl: env('OIDC_JWKS_URL'), audience: env('OIDC_AUDIENCE') });
      app = await buildApp({ orm: h.orm, verify, logLevel: 'silent', env: { ...process.env, KEYCLOAK_URL: `http://127.0.0.1:${await freePort()}` } });
    });
    afterAll(async () => { await app?.close(); });

    it('naming another department is 503 and writes nothing; keeping the department or using one\'s own does not need the directory', async () => {
      const company = await given(h).company({ owner: 'anna.sales' });
      const call = async (user: DemoUser, method: 'POST' | 'PATCH', url: string, payload: object, headers: Record<string, string> = {}) =>
        app.inject({ method, url, headers: { ...(await authAs(user)), ...headers }, payload });
      const before = await tableCounts(h);
      for (const res of [
        await call('dora.director', 'POST', '/companies', { name: 'Déli Kft.', kind: 'customer', departmentId: 'south' }),
        await call('dora.director', 'PATCH', `/companies/${company.id}`, { departmentId: 'south' }, ifMatch(company)),
      ]) {
        expectProblem(res as unknown as Res, 503);
        expect(res.headers['retry-after']).toBeDefined();
      }
      expect(await tableCounts(h)).toEqual(before);
      const kept = await call('dora.director', 'PATCH', `/companies/${company.id}`, { name: 'Átnevezett Kft.', departmentId: 'north' }, ifMatch(company));
      expect(kept.statusCode, kept.body).toBe(200);
      expect((await call('csilla.manager', 'POST', '/companies', { name: 'Északi Kft.', kind: 'customer', departmentId: 'north' })).statusCode).toBe(201);
    });
  });
});
