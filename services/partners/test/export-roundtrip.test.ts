import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { as, given, idOf, startPartners, type Harness } from './harness';
import { importSteps } from './imports.helpers';

// Exports keep every field an import reads (labels of e-mails and phones included), so that an export imported
// back into the same records changes nothing: the dry run finds no error and no duplicate, the commit updates
// nothing, and every row of every table — versions, timestamps, outbox and audit — is as it was.
let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

const { dryRun, commit } = importSteps(() => h);

/** Every column of every row of the tables an import may touch, as text. */
async function snapshot() {
  const em = h.orm.em.fork();
  const out: Record<string, unknown[]> = {};
  for (const table of ['company', 'person', 'employment', 'company_group', 'outbox', 'audit_log']) {
    const rows = await em.execute<Record<string, unknown>[]>(`select * from partners.${table} order by 1`);
    out[table] = rows.map((r) => JSON.stringify(r));
  }
  return out;
}

const FORMULA = '=HYPERLINK("http://evil.example","x")';

async function customFields(entity: 'company' | 'person') {
  for (const f of [
    { key: 'note', type: 'text', label: { hu: 'Megjegyzés', en: 'Note' } },
    { key: 'story', type: 'textarea', label: { hu: 'Történet', en: 'Story' } },
    { key: 'count', type: 'integer', label: { hu: 'Darab', en: 'Count' } },
    { key: 'since', type: 'date', label: { hu: 'Mióta', en: 'Since' } },
    { key: 'vip', type: 'boolean', label: { hu: 'VIP', en: 'VIP' } },
    { key: 'tier', type: 'list', options: ['Arany', 'Ezüst'], label: { hu: 'Szint', en: 'Tier' } },
  ]) {
    const res = await as(h, 'admin').post('/custom-fields', { entity, ...f });
    expect(res.statusCode, res.body).toBe(201);
  }
}

/** Companies with every field an import reads, labels and formula-looking text included. */
async function companies() {
  await customFields('company');
  const group = await given(h).group({ owner: 'anna.sales' });
  const full = await as(h, 'anna.sales').post('/companies', {
    name: `${FORMULA} Kft.`, legalForm: 'Kft.', kind: 'prospect', status: 'inactive', taxNumber: '12345676-2-41',
    registrationNumber: '01-09-123456', country: 'HU', industry: "'=SUM(A1)", size: 'medium', website: 'https://kovacs.example',
    emails: [{ address: 'info@kovacs.example', label: 'központ' }, { address: 'szamla@kovacs.example' }, { address: 'x@kovacs.example', label: 'a; b: "c", d' }],
    phones: [{ number: '+36 1 234 5678', label: 'iroda' }, { number: '06 (30) 123-4567' }],
    addresses: [
      { kind: 'billing', country: 'HU', postalCode: '1051', city: 'Budapest', street: 'Fő utca 1.' },
      { kind: 'site', country: 'AT', postalCode: '1010', city: 'Wien', street: 'Ring 2' },
    ],
    groupId: group.id,
    custom: { note: '+1+1', story: 'első sor\nmásodik sor', count: -5, since: '2024-02-29', vip: true, tier: 'Ezüst' },
  });
  expect(full.statusCode, full.body).toBe(201);
  const plain = await as(h, 'anna.sales').post('/companies', { name: 'Egyszerű Kft.', kind: 'customer', custom: { vip: false } });
  expect(plain.statusCode, plain.body).toBe(201);
  const foreign = await as(h, 'anna.sales').post('/companies', { name: 'Ausland GmbH', kind: 'supplier', country: 'DE', taxNumber: 'DE123456789', size: 'enterprise' });
  expect(foreign.statusCode, foreign.body).toBe(201);
  return 3;
}

/** Persons with every field an import reads, an employment among them. */
async function persons() {
  await customFields('person');
  const company = await given(h).company({ owner: 'anna.sales' });
  const full = await as(h, 'anna.sales').post('/persons', {
    familyName: '@Kovács', givenName: 'Éva', title: 'dr.', position: '-vezető',
    emails: [{ address: 'eva@kovacs.example', label: 'munka' }, { address: 'eva@otthon.example', label: 'otthoni: "magán"' }],
    phones: [{ number: '+36 30 123 4567', label: 'mobil' }, { number: '06 1 234 5678' }],
    custom: { note: FORMULA, story: 'egy\nkettő', count: 10, since: '2020-01-31', vip: false, tier: 'Arany' },
  });
  expect(full.statusCode, full.body).toBe(201);
  await given(h).employment(full.json(), company, { role: 'beszerző' });
  const plain = await as(h, 'anna.sales').post('/persons', { familyName: 'Egyszerű', givenName: 'Elek' });
  expect(plain.statusCode, plain.body).toBe(201);
  return 2;
}

describe.each([
  ['companies', 'company', companies],
  ['persons', 'person', persons],
] as const)('%s: an export imported back into the same records', (path, entity, seed) => {
  it.each([
    ['csv', 'hu'],
    ['xlsx', 'en'],
  ] as const)('as %s (%s) reports no change and changes nothing', async (format, lang) => {
    const rows = await seed();
    const exported = await as(h, 'anna.sales').get(`/${path}/export.${format}`, { 'accept-language': lang });
    expect(exported.statusCode, exported.body).toBe(200);
    const before = await snapshot();
    const report = await dryRun('anna.sales', { name: `export.${format}`, bytes: exported.rawPayload }, { entity });
    expect(report).toMatchObject({ status: 'validated', rows, valid: rows, errors: [], duplicates: [] });
    expect(report.updated ?? 0).toBe(0);
    const done = await commit('anna.sales', report.id, { onDuplicate: 'skip' });
    expect(done).toMatchObject({ status: 'committed', created: 0, updated: 0, skipped: 0 });
    const after = await snapshot();
    expect(after).toEqual(before);
  });
});

describe('formula-looking text', () => {
  it('is a string cell holding exactly the stored text in XLSX (formatted as Text, no formula); CSV neutralises it with a leading apostrophe', async () => {
    await as(h, 'anna.sales').post('/companies', { name: `${FORMULA}`, kind: 'customer', industry: '+1+1', phones: [{ number: '+36 1 234 5678' }] });
    const x = await as(h, 'anna.sales').get('/companies/export.xlsx', { 'accept-language': 'en' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const cell = (name: string) => sheet.getRow(2).getCell(header.indexOf(name) + 1);
    for (const [name, value] of [['Name', FORMULA], ['Industry', '+1+1'], ['Phone', '+36 1 234 5678']] as const) {
      expect(cell(name).type).toBe(ExcelJS.ValueType.String);
      expect(cell(name).value).toBe(value);
      expect(cell(name).formula).toBeUndefined();
      expect(cell(name).numFmt).toBe('@');
    }
    const c = await as(h, 'anna.sales').get('/companies/export.csv', { 'accept-language': 'en' });
    const [head, row] = parseCsv(c.body, { bom: true, delimiter: ',' }) as string[][];
    expect(row![head!.indexOf('Name')]).toBe(`'${FORMULA}`);
    expect(row![head!.indexOf('Industry')]).toBe("'+1+1");
  });

  it('e-mail and phone labels are in the export as "label: value" and read back by the import', async () => {
    const anna = await idOf('anna.sales');
    await as(h, 'anna.sales').post('/persons', { familyName: 'Kiss', givenName: 'Anna', emails: [{ address: 'a@x.example', label: 'munka' }, { address: 'b@x.example' }], phones: [{ number: '+36 1 111 1111', label: 'a; b' }] });
    const c = await as(h, 'anna.sales').get('/persons/export.csv', { 'accept-language': 'en' });
    const [head, row] = parseCsv(c.body, { bom: true, delimiter: ',' }) as string[][];
    expect(row![head!.indexOf('E-mail')]).toBe('munka: a@x.example; b@x.example');
    expect(row![head!.indexOf('Phone')]).toBe('"a; b": +36 1 111 1111');
    expect(row![head!.indexOf('Owner ID')]).toBe(anna);
  });
});
