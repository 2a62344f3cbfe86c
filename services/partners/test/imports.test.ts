import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { createTokenVerifier } from '@kapocs/kit';
import { authAs, env, type DemoUser } from '@kapocs/kit/testing';
import { buildApp } from '../src/app';
import { as, counts, given, idOf, startPartners, type Harness } from './harness';
import { csv, importSteps, multipart } from './imports.helpers';

let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

/** A valid Hungarian tax number from a 7-digit base (check digit computed). */
function taxNumber(base: number, county = '41'): string {
  const d = String(base).padStart(7, '0');
  const sum = [9, 7, 3, 1, 9, 7, 3].reduce((acc, w, i) => acc + w * Number(d[i]), 0);
  return `${d}${(10 - (sum % 10)) % 10}-2-${county}`;
}

const { upload, settled, dryRun, commit, undo } = importSteps(() => h);

const companies = async (user: DemoUser) => ((await as(h, user).get('/companies?limit=200&sort=name')).json().items as { id: string; name: string; taxNumber: string | null; custom: Record<string, unknown>; version: number; ownerId: string }[]);

/** Every column of every live company and person row, as text, for an exact before/after comparison. */
async function tableSnapshot(exclude: string[] = []) {
  const em = h.orm.em.fork();
  const out: Record<string, unknown[]> = {};
  for (const table of ['company', 'person']) {
    const rows = await em.execute<Record<string, unknown>[]>(`select * from partners.${table} where deleted_at is null order by id`);
    out[table] = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !exclude.includes(k)).map(([k, v]) => [k, JSON.stringify(v)])));
  }
  return out;
}

describe('dry run', () => {
  it('reports every bad row with its row and column, counts the valid ones, and writes nothing', async () => {
    const file = csv([
      'Név,Típus,Adószám,Cégjegyzékszám,Weboldal,E-mail,Irányítószám,Település,Cím',
      `Jó Kft.,vevő,${taxNumber(1234567)},01-09-123456,https://jo.example,info@jo.example,1051,Budapest,Fő utca 1.`,
      `,barát,12345678-1-12,99-1,nem url,rossz-cim,,Szeged,`,
      `Második Jó Kft.,customer,,,,,,,`,
    ]);
    const before = await counts(h);
    const report = await dryRun('anna.sales', { name: 'cegek.csv', bytes: file });
    expect(report).toMatchObject({ status: 'validated', rows: 3, processed: 3, valid: 2 });
    const bad = report.errors.filter((e) => e.row === 2);
    expect(bad.map((e) => e.column).sort()).toEqual(['Adószám', 'Cím', 'Cégjegyzékszám', 'E-mail', 'Irányítószám', 'Név', 'Típus', 'Weboldal'].sort());
    expect(bad.every((e) => e.message.length > 0)).toBe(true);
    expect(report.errors.filter((e) => e.row !== 2)).toEqual([]);
    expect(await counts(h)).toEqual(before);
  });

  it('matches headers by key or Hungarian/English label, takes an explicit mapping, and reports unknown columns once (row 0) without failing', async () => {
    await as(h, 'admin').post('/custom-fields', { entity: 'company', key: 'region', type: 'list', options: ['Észak', 'Dél'], label: { hu: 'Régió', en: 'Region' } });
    const file = csv(['NAME;kind;Tax Number;custom.region;Cipőméret;Megjegyzés', `Alfa Kft.;prospect;${taxNumber(7654321)};eszak;42;x`, `Béta Kft.;prospect;;Dél;43;y`]);
    const report = await dryRun('anna.sales', { name: 'a.csv', bytes: file }, { mapping: JSON.stringify({ Megjegyzés: 'industry' }) });
    expect(report.valid).toBe(2);
    expect(report.errors).toEqual([{ row: 0, column: 'Cipőméret', message: expect.stringContaining('unknown column') }]);
    const done = await commit('anna.sales', report.id);
    expect(done.created).toBe(2);
    const [alfa] = (await companies('anna.sales')).filter((c) => c.name === 'Alfa Kft.');
    expect(alfa).toMatchObject({ custom: { region: 'Észak' } });
    expect((await as(h, 'anna.sales').get(`/companies/${alfa!.id}`)).json().industry).toBe('x');
  });

  it('reports likely duplicates against visible companies and within the file, never against companies the importer cannot see', async () => {
    const mine = await given(h).company({ owner: 'anna.sales', name: 'Kovács és Társa Kft.', taxNumber: taxNumber(1111111) });
    await given(h).company({ owner: 'bela.sales', name: 'Rejtett Kft.', taxNumber: taxNumber(2222222) });
    const file = csv([
      'Név,Típus,Adószám',
      `Teljesen Más Kft.,customer,${taxNumber(1111111)}`,
      'KOVACS ES TARSA KFT.,customer,',
      `Rejtett Kft.,customer,${taxNumber(2222222)}`,
      `Új Kft.,customer,${taxNumber(3333333)}`,
      `Új Kft. másolat,customer,${taxNumber(3333333)}`,
    ]);
    const report = await dryRun('anna.sales', { name: 'd.csv', bytes: file });
    expect(report.duplicates).toEqual([
      { row: 1, matchId: mine.id, reason: 'taxNumber' },
      { row: 2, matchId: mine.id, reason: 'name' },
      { row: 5, matchId: null, matchRow: 4, reason: 'taxNumber' },
    ]);
    // the default policy skips them on commit
    const done = await commit('anna.sales', report.id);
    expect(done).toMatchObject({ created: 2, skipped: 3 });
  });
});

describe('files', () => {
  const names = ['Kovács Kft.', 'Őrség Zrt.', 'Űrhajó Bt.'];
  const rows = (sep: string) => [`Név${sep}Típus${sep}Település${sep}Irányítószám${sep}Cím`, ...names.map((n) => `${n}${sep}vevő${sep}Győr${sep}9021${sep}Árpád út 1.`)];

  it.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(rows(',')))])],
    ['UTF-8 without BOM', Buffer.from(csv(rows(',')))],
    ['Windows-1250 with ;', iconv.encode(csv(rows(';')), 'win1250')],
  ])('CSV in %s imports Hungarian accents correctly', async (_label, bytes) => {
    const report = await dryRun('anna.sales', { name: 'cegek.csv', bytes });
    expect(report).toMatchObject({ status: 'validated', rows: 3, valid: 3, errors: [] });
    await commit('anna.sales', report.id);
    const list = await companies('anna.sales');
    expect(list.map((c) => c.name).sort()).toEqual([...names].sort());
    const detail = (await as(h, 'anna.sales').get(`/companies/${list[0]!.id}`)).json();
    expect(detail.addresses[0]).toMatchObject({ city: 'Győr', street: 'Árpád út 1.' });
  });

  it('XLSX (first worksheet) imports, with numbers, dates and booleans of custom fields', async () => {
    await as(h, 'admin').post('/custom-fields', { entity: 'company', key: 'employees', type: 'integer', label: { hu: 'Létszám', en: 'Employees' } });
    await as(h, 'admin').post('/custom-fields', { entity: 'company', key: 'founded', type: 'date', label: { hu: 'Alapítva', en: 'Founded' } });
    await as(h, 'admin').post('/custom-fields', { entity: 'company', key: 'vip', type: 'boolean', label: { hu: 'Kiemelt', en: 'VIP' } });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Cégek');
    ws.addRow(['Név', 'Típus', 'Adószám', 'Létszám', 'Alapítva', 'Kiemelt']);
    ws.addRow(['Őrség Zrt.', 'szállító', taxNumber(4444444), 120, new Date(Date.UTC(1991, 4, 1)), 'igen']);
    ws.addRow(['Űrhajó Bt.', 'supplier', null, 'sok', '1991.13.01.', 'talán']);
    wb.addWorksheet('Más').addRow(['ez nem számít']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const report = await dryRun('anna.sales', { name: 'cegek.bin', bytes });
    expect(report).toMatchObject({ status: 'validated', rows: 2, valid: 1 });
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([[2, 'Létszám'], [2, 'Alapítva'], [2, 'Kiemelt']]);
    await commit('anna.sales', report.id);
    const [c] = await companies('anna.sales');
    expect(c).toMatchObject({ name: 'Őrség Zrt.', custom: { employees: 120, founded: '1991-05-01', vip: true } });
  });

  it('over the size limit answers 413 and keeps nothing', async () => {
    const small = await buildApp({ orm: h.orm, verify: createTokenVerifier({ issuer: env('OIDC_ISSUER'), jwksUrl: env('OIDC_JWKS_URL'), audience: env('OIDC_AUDIENCE') }), logLevel: 'silent', env: { ...process.env, IMPORT_MAX_BYTES: '2000' } });
    try {
      const res = await upload('anna.sales', { name: 'big.csv', bytes: csv(['Név,Típus', ...Array.from({ length: 200 }, (_, i) => `Cég ${i},customer`)]) }, {}, small);
      expect(res.statusCode).toBe(413);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      const [jobs] = await h.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from partners.import_job');
      expect(jobs!.n).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('a PNG or a zip without xl/ named x.csv answers 415, whatever the name and content type', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR'), Buffer.alloc(64, 7)]);
    const name = Buffer.from('hello.txt');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(name.length, 26);
    const zip = Buffer.concat([header, name, Buffer.from('hello, world\n'), Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);
    for (const bytes of [png, zip]) {
      const res = await upload('anna.sales', { name: 'x.csv', bytes, type: 'text/csv' });
      expect(res.statusCode).toBe(415);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });
});

describe('commit and undo', () => {
  it('creates the valid rows through the use case, with audit entries and events, and skips the bad ones; a second commit answers 409', async () => {
    const report = await dryRun('anna.sales', { name: 'c.csv', bytes: csv(['Név,Típus', 'Egy Kft.,customer', 'Kettő Kft.,prospect', 'Rossz Kft.,barát']) });
    expect(report.valid).toBe(2);
    const done = await commit('anna.sales', report.id);
    expect(done).toMatchObject({ status: 'committed', created: 2, updated: 0, skipped: 1 });
    const list = await companies('anna.sales');
    expect(list.map((c) => c.name)).toEqual(['Egy Kft.', 'Kettő Kft.']);
    expect(list.every((c) => c.ownerId)).toBe(true);
    expect(list[0]!.ownerId).toBe(await idOf('anna.sales'));
    const em = h.orm.em.fork();
    const events = await em.execute<{ subject: string; aggregate_id: string }[]>(`select subject, envelope->'aggregate'->>'id' as aggregate_id from partners.outbox order by id`);
    expect(events.map((e) => e.subject)).toEqual(['crm.partners.company.created', 'crm.partners.company.created']);
    expect(events.map((e) => e.aggregate_id).sort()).toEqual(list.map((c) => c.id).sort());
    const audit = await as(h, 'anna.sales').get(`/companies/${list[0]!.id}/audit`);
    expect(audit.json().items).toEqual([expect.objectContaining({ action: 'created', actor: expect.objectContaining({ id: await idOf('anna.sales') }) })]);
    expect((await as(h, 'anna.sales').post(`/imports/${report.id}/commit`, {})).statusCode).toBe(409);
  });

  it('a rep cannot make someone else the owner; a manager can, through an ownerId column', async () => {
    const bela = await idOf('bela.sales');
    const rep = await dryRun('anna.sales', { name: 'o.csv', bytes: csv(['Név,Típus,Felelős azonosító', `Átadott Kft.,customer,${bela}`]) });
    expect(rep.errors).toEqual([{ row: 1, column: 'Felelős azonosító', message: expect.stringContaining('owner') }]);
    const anna = await idOf('anna.sales');
    const mgr = await dryRun('csilla.manager', { name: 'o.csv', bytes: csv(['Név,Típus,ownerId', `Annáé Kft.,customer,${anna}`]) });
    expect(mgr.valid).toBe(1);
    await commit('csilla.manager', mgr.id);
    expect((await companies('anna.sales')).map((c) => [c.name, c.ownerId])).toEqual([['Annáé Kft.', anna]]);
  });

  it('undo removes what was created and restores what was updated: the tables hold what they held before', async () => {
    const a = await given(h).company({ owner: 'anna.sales', name: 'Frissített Kft.', taxNumber: taxNumber(5555555) });
    const b = await given(h).company({ owner: 'anna.sales', name: 'Duplikált Kft.', taxNumber: taxNumber(6666666) });
    const snapshot = await tableSnapshot();
    const report = await dryRun('anna.sales', { name: 'u.csv', bytes: csv([
      'ID,Név,Típus,Iparág,Adószám,Település,Irányítószám,Cím',
      `${a.id},Frissített és Átnevezett Kft.,,Vegyipar,,Pécs,7621,Király u. 2.`,
      `,Új Cég Kft.,customer,,${taxNumber(7777777)},,,`,
      `,Duplikált Kft. (ERP),customer,Gépipar,${taxNumber(6666666)},,,`,
    ]) });
    expect(report).toMatchObject({ valid: 3, duplicates: [{ row: 3, matchId: b.id, reason: 'taxNumber' }] });
    const done = await commit('anna.sales', report.id, { onDuplicate: 'update' });
    expect(done).toMatchObject({ status: 'committed', created: 1, updated: 2 });
    const updated = (await as(h, 'anna.sales').get(`/companies/${a.id}`)).json();
    expect(updated).toMatchObject({ name: 'Frissített és Átnevezett Kft.', kind: 'customer', industry: 'Vegyipar', addresses: [expect.objectContaining({ city: 'Pécs' })], version: 2 });
    expect((await as(h, 'anna.sales').get(`/companies/${b.id}`)).json()).toMatchObject({ name: 'Duplikált Kft. (ERP)', industry: 'Gépipar' });

    const undone = await undo('anna.sales', report.id);
    expect(undone).toMatchObject({ status: 'undone', conflicts: [] });
    // every business column is as before; version and updatedAt move on (read models apply only newer versions)
    expect(await tableSnapshot(['version', 'updated_at'])).toEqual(await (async () => {
      const s = snapshot;
      for (const t of Object.keys(s)) s[t] = s[t]!.map((r) => Object.fromEntries(Object.entries(r as Record<string, unknown>).filter(([k]) => k !== 'version' && k !== 'updated_at')));
      return s;
    })());
    const events = await h.orm.em.fork().execute<{ type: string }[]>(`select envelope->>'type' as type from partners.outbox order by id`);
    expect(events.map((e) => e.type).slice(-3).sort()).toEqual(['partners.company.deleted', 'partners.company.updated', 'partners.company.updated']);
    expect((await as(h, 'anna.sales').post(`/imports/${report.id}/undo`, {})).statusCode).toBe(409);
  });

  it('undo of an import that only created leaves the tables exactly as before, every column', async () => {
    await given(h).company({ owner: 'anna.sales', name: 'Régi Kft.' });
    const snapshot = await tableSnapshot();
    const report = await dryRun('anna.sales', { name: 'n.csv', bytes: csv(['Név,Típus', 'Új 1 Kft.,customer', 'Új 2 Kft.,customer']) });
    await commit('anna.sales', report.id);
    expect((await companies('anna.sales')).length).toBe(3);
    await undo('anna.sales', report.id);
    expect(await tableSnapshot()).toEqual(snapshot);
  });

  it('a record changed since the import is listed as a conflict and left as it is', async () => {
    const report = await dryRun('anna.sales', { name: 'k.csv', bytes: csv(['Név,Típus', 'Marad Kft.,customer', 'Megy Kft.,customer']) });
    await commit('anna.sales', report.id);
    const [marad, megy] = await companies('anna.sales');
    expect(marad!.name).toBe('Marad Kft.');
    const edited = await as(h, 'anna.sales').patch(`/companies/${marad!.id}`, { industry: 'Kézzel javítva' }, { 'if-match': `"${marad!.version}"` });
    expect(edited.statusCode).toBe(200);
    const undone = await undo('anna.sales', report.id);
    expect(undone.conflicts).toEqual([{ row: 1, id: marad!.id, reason: expect.stringContaining('changed since the import') }]);
    const left = await companies('anna.sales');
    expect(left.map((c) => c.name)).toEqual(['Marad Kft.']);
    expect((await as(h, 'anna.sales').get(`/companies/${marad!.id}`)).json()).toMatchObject({ industry: 'Kézzel javítva', version: 2 });
    expect(megy!.name).toBe('Megy Kft.');
  });
});

describe('access', () => {
  it("another user's import answers 404; an admin sees it", async () => {
    const report = await dryRun('anna.sales', { name: 'a.csv', bytes: csv(['Név,Típus', 'Anna Kft.,customer']) });
    for (const path of [`/imports/${report.id}`]) expect((await as(h, 'bela.sales').get(path)).statusCode).toBe(404);
    expect((await as(h, 'bela.sales').post(`/imports/${report.id}/commit`, {})).statusCode).toBe(404);
    expect((await as(h, 'dora.director').get(`/imports/${report.id}`)).statusCode).toBe(404);
    expect((await as(h, 'admin').get(`/imports/${report.id}`)).statusCode).toBe(200);
    expect((await counts(h)).companies).toBe(0);
  });
});

describe('templates', () => {
  it('have the built-in columns and the current custom fields, labelled in the caller\'s language, and an example row that passes the dry run', async () => {
    await as(h, 'admin').post('/custom-fields', { entity: 'company', key: 'region', type: 'list', options: ['Észak', 'Dél'], label: { hu: 'Régió', en: 'Region' } });
    const hu = await as(h, 'anna.sales').get('/imports/templates/company.csv');
    expect(hu.statusCode).toBe(200);
    expect(hu.headers['content-type']).toMatch(/text\/csv/);
    const [huHeader, example] = hu.body.replace(/^\ufeff/, '').split('\r\n');
    expect(huHeader!.split(';')).toEqual(expect.arrayContaining(['Név', 'Adószám', 'Régió']));
    expect(example).toContain('Kovács és Társa Kft.');
    const en = await as(h, 'anna.sales').get('/imports/templates/company.xlsx', { 'accept-language': 'en-GB,en;q=0.9' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(en.rawPayload as unknown as ArrayBuffer);
    const header = (wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['Name', 'Tax number', 'Region']));
    // the template itself imports cleanly
    const report = await dryRun('anna.sales', { name: 't.xlsx', bytes: en.rawPayload });
    expect(report).toMatchObject({ rows: 1, valid: 1, errors: [] });
  });
});

describe('export', () => {
  it('neutralises cells beginning with = + - @ in CSV; XLSX has them as string cells, exactly as stored', async () => {
    await as(h, 'admin').post('/custom-fields', { entity: 'company', key: 'note', type: 'text', label: { hu: 'Megjegyzés', en: 'Note' } });
    const evil = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)'];
    for (const [i, note] of evil.entries()) {
      expect((await as(h, 'anna.sales').post('/companies', { name: `${note} Kft.`, kind: 'customer', custom: { note }, industry: i % 2 ? note : undefined })).statusCode).toBe(201);
    }
    const res = await as(h, 'anna.sales').get('/companies/export.csv', { 'accept-language': 'en' });
    expect(res.statusCode).toBe(200);
    const cells = (parseCsv(res.body, { bom: true, from_line: 2 }) as string[][]).flat();
    expect(cells.filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
    expect(cells).toEqual(expect.arrayContaining(["'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1+1", "'-2+3", "'@SUM(A1)"]));

    const x = await as(h, 'anna.sales').get('/companies/export.xlsx');
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const values: unknown[] = [];
    wb.worksheets[0]!.eachRow((row, n) => { if (n > 1) values.push(...(row.values as unknown[]).slice(1)); });
    expect(values.filter((v) => typeof v === 'object' && v !== null)).toEqual([]);
    expect(values.filter((v) => typeof v === 'string' && v.startsWith("'"))).toEqual([]);
    expect(values).toEqual(expect.arrayContaining([...evil, '+1+1 Kft.']));
  });

  it('contains only the records the caller may see, with the list filter applied, and re-imports as updates', async () => {
    await given(h).company({ owner: 'anna.sales', name: 'Anna Egy Kft.', kind: 'customer' });
    await given(h).company({ owner: 'anna.sales', name: 'Anna Kettő Kft.', kind: 'prospect' });
    await given(h).company({ owner: 'bela.sales', name: 'Béla Kft.', kind: 'customer' });
    const names = async (user: DemoUser, query = '') => {
      const res = await as(h, user).get(`/companies/export.csv${query}`);
      expect(res.statusCode).toBe(200);
      return res.body.replace(/^\ufeff/, '').split('\r\n').slice(1).filter(Boolean).map((l) => l.split(';')[1]);
    };
    expect(await names('anna.sales')).toEqual(['Anna Egy Kft.', 'Anna Kettő Kft.']);
    expect(await names('bela.sales')).toEqual(['Béla Kft.']);
    expect(await names('dora.director')).toEqual(['Anna Egy Kft.', 'Anna Kettő Kft.', 'Béla Kft.']);
    expect(await names('anna.sales', `?filter=${encodeURIComponent(JSON.stringify({ field: 'kind', op: 'eq', value: 'prospect' }))}`)).toEqual(['Anna Kettő Kft.']);
    expect((await as(h, 'anna.sales').get('/companies/export.csv?filter=%7B%22field%22%3A%22nope%22%7D')).statusCode).toBe(400);

    const exported = (await as(h, 'anna.sales').get('/companies/export.csv')).body;
    const report = await dryRun('anna.sales', { name: 'export.csv', bytes: exported });
    expect(report).toMatchObject({ rows: 2, valid: 2, errors: [] });
    const done = await commit('anna.sales', report.id);
    expect(done).toMatchObject({ created: 0, updated: 0 });
  });
});

describe('persons', () => {
  it('imports persons with their employer, reports e-mail and name + company duplicates, and undoes them', async () => {
    const company = await given(h).company({ owner: 'anna.sales', name: 'Munkahely Kft.', taxNumber: taxNumber(8888888) });
    const known = await given(h).person({ owner: 'anna.sales', familyName: 'Létező', givenName: 'Lajos', emails: ['lajos@munkahely.example'] });
    const snapshot = await tableSnapshot();
    const { payload, contentType } = await multipart({ entity: 'person' }, { name: 'p.csv', bytes: csv([
      'Vezetéknév;Keresztnév;E-mail;Cég adószáma;Munkakör;Beosztás',
      `Kovács;Éva;eva@munkahely.example;${taxNumber(8888888)};beszerző;vezető`,
      `Másik;Lajos;LAJOS@munkahely.example;;;`,
      `Kovacs;Eva;;${taxNumber(8888888)};;`,
      `;Névtelen;nem-email;${taxNumber(9999999)};;`,
    ]) });
    const res = await h.app.inject({ method: 'POST', url: '/imports', headers: { ...(await authAs('anna.sales')), 'content-type': contentType }, payload });
    expect(res.statusCode).toBe(202);
    const report = await settled('anna.sales', res.json().id);
    expect(report).toMatchObject({ status: 'validated', rows: 4, valid: 3 });
    expect(report.errors.map((e) => [e.row, e.column]).sort()).toEqual([[4, 'Cég adószáma'], [4, 'E-mail'], [4, 'Vezetéknév']]);
    expect(report.duplicates).toEqual([
      { row: 2, matchId: known.id, reason: 'email' },
      { row: 3, matchId: null, matchRow: 1, reason: 'nameAndCompany' },
    ]);
    const done = await commit('anna.sales', report.id);
    expect(done).toMatchObject({ created: 1, skipped: 3 });
    const persons = (await as(h, 'anna.sales').get('/persons?limit=200')).json().items as { familyName: string; employments: { companyId: string; role: string | null }[] }[];
    expect(persons.find((p) => p.familyName === 'Kovács')).toMatchObject({ employments: [expect.objectContaining({ companyId: company.id, role: 'beszerző' })] });
    const exported = await as(h, 'bela.sales').get('/persons/export.csv');
    expect(exported.statusCode).toBe(200);
    expect(exported.body.replace(/^\ufeff/, '').split('\r\n').filter(Boolean)).toHaveLength(1);
    expect((await as(h, 'anna.sales').get('/persons/export.csv')).body).toContain('Kovács;Éva');
    await undo('anna.sales', report.id);
    expect(await tableSnapshot()).toEqual(snapshot);
  });
});
