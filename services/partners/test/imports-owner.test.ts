import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { createTokenVerifier, startServiceWorkers, stopServiceWorkers, type ServiceApp } from '@kapocs/kit';
import { authAs, env, freePort, type DemoUser } from '@kapocs/kit/testing';
import { buildApp } from '../src/app';
import { as, given, idOf, startPartners, tableCounts, type Harness } from './harness';
import { csv, importSteps, multipart } from './imports.helpers';

// The owner column: a CRM user's username or e-mail, looked up in the real realm (as crm-partners).
let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

const { dryRun, commit, settled } = importSteps(() => h);

type Owned = { id: string; name?: string; familyName?: string; ownerId: string; departmentId: string | null };
const companies = async (user: DemoUser) => (await as(h, user).get('/companies?limit=200&sort=name')).json().items as Owned[];

/**
 * A partners app like the harness's, whose Keycloak is a loopback port where nothing listens. Imports run as jobs
 * of any replica's workers: the harness app's stop while this app lives, so that this app's workers run the dry run.
 */
async function appWithoutDirectory(): Promise<ServiceApp> {
  await stopServiceWorkers(h.app);
  const verify = createTokenVerifier({ issuer: env('OIDC_ISSUER'), jwksUrl: env('OIDC_JWKS_URL'), audience: env('OIDC_AUDIENCE') });
  const app = await buildApp({ orm: h.orm, verify, logLevel: 'silent', env: { ...process.env, KEYCLOAK_URL: `http://127.0.0.1:${await freePort()}` } });
  app.addHook('onClose', async () => startServiceWorkers(h.app));
  return app;
}

/** An export as rows of cells by header (CSV: `;` in Hungarian, `,` in English). */
function rowsOf(body: string, delimiter: string): Record<string, string>[] {
  return parseCsv(body, { bom: true, columns: true, delimiter }) as Record<string, string>[];
}

describe('import with an owner column', () => {
  it('takes a username or an e-mail (any case): the dry run reports no error, the commit gives the records to that user in the department the ownership rule gives', async () => {
    const anna = await idOf('anna.sales');
    const report = await dryRun('csilla.manager', { name: 'o.csv', bytes: csv([
      'Név;Típus;Tulajdonos',
      'Felhasználónévvel Kft.;vevő;anna.sales',
      'E-maillel Kft.;vevő;Anna.Sales@KAPOCS.test',
      'Sajátom Kft.;vevő;',
    ]) });
    expect(report).toMatchObject({ status: 'validated', rows: 3, valid: 3, errors: [] });
    const done = await commit('csilla.manager', report.id);
    expect(done).toMatchObject({ status: 'committed', created: 3, skipped: 0, failed: 0 });

    const byName = Object.fromEntries((await companies('csilla.manager')).map((c) => [c.name, c]));
    // the manager assigns; the department is the one the API gives (decideOwnership: it follows the owner, anna's north)
    const viaApi = (await as(h, 'csilla.manager').post('/companies', { name: 'API Kft.', kind: 'customer', ownerId: anna })).json() as Owned;
    expect(viaApi.departmentId).toBe('north');
    expect(byName['Felhasználónévvel Kft.']).toMatchObject({ ownerId: anna, departmentId: viaApi.departmentId });
    expect(byName['E-maillel Kft.']).toMatchObject({ ownerId: anna, departmentId: viaApi.departmentId });
    expect(byName['Sajátom Kft.']).toMatchObject({ ownerId: await idOf('csilla.manager') });
    // and they are anna's: she sees them as her own
    const mine = (await as(h, 'anna.sales').get('/companies?ownerId=me&limit=200&sort=name')).json().items as Owned[];
    expect(mine.map((c) => c.name)).toEqual(['API Kft.', 'E-maillel Kft.', 'Felhasználónévvel Kft.']);
  });

  it('a director assigning a rep: the department is what the ownership rule gives a director’s create', async () => {
    const bela = await idOf('bela.sales');
    const report = await dryRun('dora.director', { name: 'o.csv', bytes: csv(['Name,Kind,Owner e-mail', 'Béláé Kft.,customer,bela.sales@kapocs.test']) });
    expect(report).toMatchObject({ valid: 1, errors: [] });
    await commit('dora.director', report.id);
    const viaApi = (await as(h, 'dora.director').post('/companies', { name: 'API Kft.', kind: 'customer', ownerId: bela })).json() as Owned;
    const imported = (await companies('bela.sales')).find((c) => c.name === 'Béláé Kft.');
    expect(imported).toMatchObject({ ownerId: bela, departmentId: viaApi.departmentId });
  });

  it('imports persons with an owner by e-mail', async () => {
    const anna = await idOf('anna.sales');
    const { payload, contentType } = await multipart({ entity: 'person' }, { name: 'p.csv', bytes: csv([
      'Vezetéknév;Keresztnév;Tulajdonos e-mail',
      'Kovács;Éva;anna.sales@kapocs.test',
    ]) });
    const res = await h.app.inject({ method: 'POST', url: '/imports', headers: { ...(await authAs('csilla.manager')), 'content-type': contentType }, payload });
    expect(res.statusCode, res.body).toBe(202);
    const report = await settled('csilla.manager', res.json().id);
    expect(report).toMatchObject({ status: 'validated', valid: 1, errors: [] });
    expect(await commit('csilla.manager', report.id)).toMatchObject({ created: 1 });
    const persons = (await as(h, 'anna.sales').get('/persons?ownerId=me&limit=200')).json().items as Owned[];
    expect(persons.map((p) => [p.familyName, p.ownerId, p.departmentId])).toEqual([['Kovács', anna, 'north']]);
  });

  it('an update row through the owner column hands the record over', async () => {
    const company = await given(h).company({ owner: 'anna.sales', name: 'Átadandó Kft.' });
    const report = await dryRun('csilla.manager', { name: 'u.csv', bytes: csv(['ID,Owner', `${company.id},csilla.manager`]) });
    expect(report).toMatchObject({ valid: 1, errors: [] });
    expect(await commit('csilla.manager', report.id)).toMatchObject({ updated: 1 });
    expect((await as(h, 'csilla.manager').get(`/companies/${company.id}`)).json()).toMatchObject({ ownerId: await idOf('csilla.manager'), departmentId: company.departmentId });
  });

  it('an unknown user is an error of that row on the owner column, and its commit writes nothing', async () => {
    const before = await tableCounts(h);
    const report = await dryRun('csilla.manager', { name: 'x.csv', bytes: csv([
      'Név;Típus;Tulajdonos',
      'Senkié Kft.;vevő;nincs.ilyen',
      'Senkié Kettő Kft.;vevő;nincs.ilyen@kapocs.test',
    ]) });
    expect(report).toMatchObject({ status: 'validated', rows: 2, valid: 0 });
    expect(report.errors).toEqual([
      { row: 1, column: 'Tulajdonos', message: 'no CRM user has this username or e-mail' },
      { row: 2, column: 'Tulajdonos', message: 'no CRM user has this username or e-mail' },
    ]);
    expect(await commit('csilla.manager', report.id)).toMatchObject({ status: 'committed', created: 0, skipped: 2 });
    expect(await tableCounts(h)).toEqual(before);
  });

  it('owner and ownerId naming different users is an error on the owner column; naming the same one is fine', async () => {
    const anna = await idOf('anna.sales');
    const bela = await idOf('bela.sales');
    const report = await dryRun('dora.director', { name: 'x.csv', bytes: csv([
      'Name,Kind,Owner,Owner ID',
      `Ellentmondó Kft.,customer,anna.sales,${bela}`,
      `Egyező Kft.,customer,anna.sales,${anna}`,
    ]) });
    expect(report.valid).toBe(1);
    expect(report.errors).toEqual([{ row: 1, column: 'Owner', message: `is anna.sales, but the ownerId column names another user (${bela})` }]);
  });

  it('a rep may name only themselves as owner, as with ownerId', async () => {
    const report = await dryRun('anna.sales', { name: 'o.csv', bytes: csv([
      'Név;Típus;Tulajdonos',
      'Béláé lenne Kft.;vevő;bela.sales',
      'Annáé Kft.;vevő;anna.sales@kapocs.test',
    ]) });
    expect(report.valid).toBe(1);
    expect(report.errors).toEqual([{ row: 1, column: 'Tulajdonos', message: expect.stringContaining('owner') }]);
    expect(await commit('anna.sales', report.id)).toMatchObject({ created: 1, skipped: 1 });
    expect((await companies('anna.sales')).map((c) => [c.name, c.ownerId])).toEqual([['Annáé Kft.', await idOf('anna.sales')]]);
  });

  it('when the user directory cannot be reached, the dry run fails saying so and stages nothing', async () => {
    const cut = await appWithoutDirectory();
    try {
      const report = await dryRun('csilla.manager', { name: 'o.csv', bytes: csv(['Név;Típus;Tulajdonos', 'Valaki Kft.;vevő;anna.sales']) }, {}, cut);
      expect(report).toMatchObject({ status: 'failed', rows: 0, valid: 0, failure: expect.stringContaining('user directory') });
      expect(report.failure).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
      expect((await as(h, 'csilla.manager').post(`/imports/${report.id}/commit`, {})).statusCode).toBe(409);
    } finally {
      await cut.close();
    }
  });
});

describe('templates', () => {
  it('show the owner column with the downloading user’s username as the example, and no owner id', async () => {
    const hu = await as(h, 'bela.sales').get('/imports/templates/company.csv');
    const [row] = rowsOf(hu.body, ';');
    expect(row!['Tulajdonos']).toBe('bela.sales');
    expect(Object.keys(row!)).not.toContain('Felelős azonosító');

    const en = await as(h, 'csilla.manager').get('/imports/templates/person.xlsx', { 'accept-language': 'en' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(en.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toContain('Owner');
    expect(header).not.toContain('Owner ID');
    expect((sheet.getRow(2).values as unknown[])[header.indexOf('Owner') + 1]).toBe('csilla.manager');
  });
});

describe('exports', () => {
  it('carry the owner’s username beside the owner id, for companies and persons', async () => {
    await given(h).company({ owner: 'anna.sales', name: 'Annáé Kft.' });
    await given(h).company({ owner: 'bela.sales', name: 'Béláé Kft.' });
    await given(h).person({ owner: 'bela.sales', familyName: 'Béla', givenName: 'Ügyfele' });
    const anna = await idOf('anna.sales');
    const bela = await idOf('bela.sales');

    const res = await as(h, 'dora.director').get('/companies/export.csv', { 'accept-language': 'en' });
    expect(res.statusCode).toBe(200);
    const header = Object.keys(rowsOf(res.body, ',')[0]!);
    expect(header.indexOf('Owner')).toBe(header.indexOf('Owner ID') + 1);
    expect(rowsOf(res.body, ',').map((r) => [r['Name'], r['Owner ID'], r['Owner']])).toEqual([['Annáé Kft.', anna, 'anna.sales'], ['Béláé Kft.', bela, 'bela.sales']]);

    const persons = await as(h, 'bela.sales').get('/persons/export.csv');
    expect(rowsOf(persons.body, ';').map((r) => [r['Vezetéknév'], r['Felelős azonosító'], r['Tulajdonos']])).toEqual([['Béla', bela, 'bela.sales']]);

    // it re-imports as it is: owner and owner id agree
    const report = await dryRun('dora.director', { name: 'export.csv', bytes: res.body });
    expect(report).toMatchObject({ rows: 2, valid: 2, errors: [] });
  });

  it('when the user directory cannot be reached, still answer, with the owner column empty', async () => {
    await given(h).company({ owner: 'anna.sales', name: 'Annáé Kft.' });
    await given(h).person({ owner: 'anna.sales', familyName: 'Anna', givenName: 'Ügyfele' });
    const cut = await appWithoutDirectory();
    try {
      const companiesCsv = await cut.inject({ method: 'GET', url: '/companies/export.csv', headers: await authAs('anna.sales') });
      expect(companiesCsv.statusCode).toBe(200);
      expect(rowsOf(companiesCsv.body, ';').map((r) => [r['Név'], r['Felelős azonosító'], r['Tulajdonos']])).toEqual([['Annáé Kft.', await idOf('anna.sales'), '']]);
      const personsXlsx = await cut.inject({ method: 'GET', url: '/persons/export.xlsx', headers: await authAs('anna.sales') });
      expect(personsXlsx.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(personsXlsx.rawPayload as unknown as ArrayBuffer);
      const header = (wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1);
      const values = (wb.worksheets[0]!.getRow(2).values as unknown[]).slice(1);
      expect(values[header.indexOf('Felelős azonosító')]).toBe(await idOf('anna.sales'));
      expect(values[header.indexOf('Tulajdonos')] ?? null).toBeNull();
    } finally {
      await cut.close();
    }
  });
});
