import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { as, counts, given, idOf, outboxEvents, startPartners, tableCounts, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

const sap = (externalId: string) => `/external/sap/companies/${encodeURIComponent(externalId)}`;
const erpCompany = {
  name: 'Kovács és Társa Kft.', kind: 'customer', taxNumber: '12345676-2-41', registrationNumber: '01-09-123456',
  emails: [{ address: 'info@kovacs.hu', label: 'központ' }],
  addresses: [{ kind: 'headquarters', country: 'HU', postalCode: '1051', city: 'Budapest', street: 'Fő utca 1.' }],
};

describe('PUT /external/{system}/companies/{externalId}', () => {
  it('creates the company and the mapping (201), updates it (200), and the same payload again changes nothing', async () => {
    const created = await as(h, 'admin').put(sap('C-100/2024'), erpCompany);
    expect(created.statusCode, created.body).toBe(201);
    const company = created.json();
    expect(company).toMatchObject({ ...erpCompany, version: 1, ownerId: await idOf('admin'), externalIds: [{ system: 'sap', externalId: 'C-100/2024' }] });
    expect(created.headers.location).toBe(`/companies/${company.id}`);
    expect(created.headers.etag).toBe('"1"');

    // a user adds what the ERP does not know; the ERP's next update leaves it alone
    expect((await as(h, 'admin').patch(`/companies/${company.id}`, { industry: 'Építőipar' }, { 'if-match': '"1"' })).statusCode).toBe(200);
    const updated = await as(h, 'admin').put(sap('C-100/2024'), { name: 'Kovács és Társa Zrt.', phones: [{ number: '+36 1 234 5678' }] });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ id: company.id, name: 'Kovács és Társa Zrt.', industry: 'Építőipar', taxNumber: erpCompany.taxNumber, emails: erpCompany.emails, phones: [{ number: '+36 1 234 5678' }], version: 3 });

    const before = await counts(h);
    const again = await as(h, 'admin').put(sap('C-100/2024'), { name: 'Kovács és Társa Zrt.', phones: [{ number: '+36 1 234 5678' }], emails: erpCompany.emails, addresses: erpCompany.addresses });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: company.id, version: 3 });
    expect(again.headers.etag).toBe('"3"');
    expect(await counts(h)).toEqual(before);

    const got = (await as(h, 'anna.sales').get(`/companies/${company.id}`));
    expect(got.statusCode).toBe(404);
    expect((await as(h, 'dora.director').get(`/companies/${company.id}`)).json().externalIds).toEqual([{ system: 'sap', externalId: 'C-100/2024' }]);
  });

  it('records created and updated events and an audit of the link, none for an unchanged repeat', async () => {
    const first = (await as(h, 'admin').put(sap('E1'), erpCompany)).json();
    await as(h, 'admin').put(sap('E1'), { status: 'inactive' });
    await as(h, 'admin').put(sap('E1'), { status: 'inactive' });
    const events = await outboxEvents(h);
    expect(events.map((e) => e.envelope.type)).toEqual(['partners.company.created', 'partners.company.updated']);
    expect(events[1]!.envelope.data).toMatchObject({ id: first.id, status: 'inactive', changed: ['status'] });
    const audit = (await as(h, 'admin').get(`/companies/${first.id}/audit`)).json().items;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['updated', 'external-id-linked', 'created']);
    expect(audit[1].changes).toEqual({ externalIds: { from: null, to: { system: 'sap', externalId: 'E1' } } });
  });

  it('when the body is invalid, answers 400 naming every bad field, custom ones too, and writes nothing', async () => {
    await as(h, 'admin').post('/custom-fields', { entity: 'company', key: 'tier', type: 'list', options: ['Gold', 'Silver'], label: { hu: 'Szint', en: 'Tier' } });
    const res = await as(h, 'admin').put(sap('BAD'), { name: '', kind: 'friend', taxNumber: '12345678-2-41', custom: { tier: 'Bronze' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect((res.json().errors as { path: string }[]).map((e) => e.path)).toEqual(expect.arrayContaining(['name', 'kind', 'custom.tier']));
    expect(await tableCounts(h)).toMatchObject({ companies: 0, outbox: 0 });
  });

  it('a body without the required fields updates a known record but cannot create one (400 naming them); the OpenAPI documents the update rules', async () => {
    const res = await as(h, 'admin').put(sap('NEW'), { kind: 'customer' });
    expect(res.statusCode).toBe(400);
    expect((res.json().errors as { path: string }[]).map((e) => e.path)).toEqual(['name']);
    expect(await tableCounts(h)).toMatchObject({ companies: 0, outbox: 0 });
    await as(h, 'admin').put(sap('NEW'), erpCompany);
    expect((await as(h, 'admin').put(sap('NEW'), { kind: 'partner' })).json()).toMatchObject({ name: erpCompany.name, kind: 'partner' });

    const doc = (await as(h, 'admin').get('/openapi.json')).json();
    for (const entity of ['companies', 'persons']) {
      const body = doc.paths[`/external/{system}/${entity}/{externalId}`].put.requestBody.content['application/json'].schema;
      expect(body.required ?? [], entity).toEqual([]);
    }
  });

  it('takes custom fields on create and on update, checked like POST and PATCH', async () => {
    await as(h, 'admin').post('/custom-fields', { entity: 'company', key: 'tier', type: 'list', options: ['Gold', 'Silver'], label: { hu: 'Szint', en: 'Tier' } });
    await as(h, 'admin').post('/custom-fields', { entity: 'company', key: 'employees', type: 'integer', label: { hu: 'Létszám', en: 'Employees' } });
    const c = (await as(h, 'admin').put(sap('CF'), { ...erpCompany, custom: { tier: 'Gold', employees: 12 } })).json();
    expect(c.custom).toEqual({ tier: 'Gold', employees: 12 });
    const u = await as(h, 'admin').put(sap('CF'), { custom: { tier: 'Silver' } });
    expect(u.json()).toMatchObject({ version: 2, custom: { tier: 'Silver', employees: 12 } });
    expect((await as(h, 'admin').put(sap('CF'), { custom: { employees: 'many' } })).statusCode).toBe(400);
  });

  it('only admins and directors may sync: reps, managers and marketing get 403 and nothing is written', async () => {
    for (const user of ['anna.sales', 'csilla.manager', 'erik.marketing'] as const) {
      const res = await as(h, user).put(sap('X1'), erpCompany);
      expect(res.statusCode, user).toBe(403);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect((await as(h, user).post('/external/sap/companies', { items: [{ externalId: 'X1', ...erpCompany }] })).statusCode, user).toBe(403);
    }
    expect((await as(h, 'dora.director').put(sap('X1'), erpCompany)).statusCode).toBe(201);
    expect((await tableCounts(h)).companies).toBe(1);
  });

  it('refuses a malformed system name or external id with 400 naming the parameter', async () => {
    const res = await as(h, 'admin').put('/external/SAP!/companies/1', erpCompany);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['params.system']);
    const res2 = await as(h, 'admin').put(`/external/sap/companies/${encodeURIComponent(' padded ')}`, erpCompany);
    expect(res2.statusCode).toBe(400);
    expect(res2.json().errors.map((e: { path: string }) => e.path)).toEqual(['params.externalId']);
  });

  it('the same id in another system, or for a person, is another mapping', async () => {
    const a = (await as(h, 'admin').put(sap('42'), erpCompany)).json();
    const b = await as(h, 'admin').put('/external/navision/companies/42', { ...erpCompany, name: 'Másik Kft.' });
    expect(b.statusCode).toBe(201);
    expect(b.json().id).not.toBe(a.id);
  });

  it('a company deleted here comes back as a new record when the other system sends it again', async () => {
    const a = (await as(h, 'admin').put(sap('D1'), erpCompany)).json();
    expect((await as(h, 'admin').delete(`/companies/${a.id}`, { 'if-match': '"1"' })).statusCode).toBe(204);
    const again = await as(h, 'admin').put(sap('D1'), erpCompany);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).not.toBe(a.id);
    expect(again.json().externalIds).toEqual([{ system: 'sap', externalId: 'D1' }]);
  });

  it('concurrent upserts of one unknown external id create exactly one company', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => as(h, 'admin').put(sap('RACE'), erpCompany)));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((r) => r.json().id)).size).toBe(1);
    expect((await tableCounts(h)).companies).toBe(1);
  });
});

describe('POST /external/{system}/companies (bulk)', () => {
  const items = [
    { externalId: 'B1', name: 'Első Kft.', kind: 'customer' },
    { externalId: 'B2', name: 'Második Kft.', kind: 'friend', emails: [{ address: 'not an address' }] },
    { externalId: 'B3', name: 'Harmadik Bt.', kind: 'supplier', emails: [{ address: 'x@harmadik.hu', label: 'iroda' }] },
  ];

  it('writes the valid items and reports the invalid one with its field errors', async () => {
    const res = await as(h, 'admin').post('/external/sap/companies', { items });
    expect(res.statusCode, res.body).toBe(200);
    const { results } = res.json();
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ externalId: 'B1', status: 'created', id: expect.any(String) });
    expect(results[1]).toMatchObject({ externalId: 'B2', status: 'invalid' });
    expect(results[1].errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['kind', 'emails.0.address']));
    expect(results[1].id).toBeUndefined();
    expect(results[2]).toMatchObject({ externalId: 'B3', status: 'created' });
    expect((await tableCounts(h)).companies).toBe(2);
    const b3 = (await as(h, 'admin').get(`/companies/${results[2].id}`)).json();
    expect(b3).toMatchObject({ name: 'Harmadik Bt.', externalIds: [{ system: 'sap', externalId: 'B3' }] });
  });

  it('repeating the same batch changes nothing and publishes no event', async () => {
    await as(h, 'admin').post('/external/sap/companies', { items });
    const before = await tableCounts(h);
    const res = await as(h, 'admin').post('/external/sap/companies', { items });
    expect(res.json().results.map((r: { status: string }) => r.status)).toEqual(['unchanged', 'invalid', 'unchanged']);
    expect(await tableCounts(h)).toEqual(before);
  });

  it('updates known items and reports which changed', async () => {
    const first = (await as(h, 'admin').post('/external/sap/companies', { items: [items[0], items[2]] })).json().results;
    const res = await as(h, 'admin').post('/external/sap/companies', { items: [{ externalId: 'B1', name: 'Első Zrt.' }, { externalId: 'B3', name: 'Harmadik Bt.' }, { externalId: 'B4', name: 'Negyedik', kind: 'partner' }] });
    expect(res.json().results).toEqual([
      { externalId: 'B1', status: 'updated', id: first[0].id },
      { externalId: 'B3', status: 'unchanged', id: first[1].id },
      { externalId: 'B4', status: 'created', id: expect.any(String) },
    ]);
    expect((await as(h, 'admin').get(`/companies/${first[0].id}`)).json()).toMatchObject({ name: 'Első Zrt.', version: 2 });
  });

  it('refuses the same external id twice in one batch, and items that are not objects, without stopping the rest', async () => {
    const res = await as(h, 'admin').post('/external/sap/companies', { items: [
      { externalId: 'D', name: 'A', kind: 'customer' }, { externalId: 'D', name: 'B', kind: 'customer' }, 'nonsense', { name: 'no id', kind: 'customer' }, { externalId: 'OK', name: 'Rendben Kft.', kind: 'customer' },
    ] });
    const results = res.json().results;
    expect(results.map((r: { status: string }) => r.status)).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'created']);
    expect(results[0].errors).toEqual([{ path: 'externalId', message: 'appears more than once in this batch' }]);
    expect(results[3].errors.map((e: { path: string }) => e.path)).toEqual(['externalId']);
    expect((await tableCounts(h)).companies).toBe(1);
  });

  it('refuses more than 1000 items with 413 and writes nothing', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ externalId: `M${i}`, name: `Tömeg ${i} Kft.`, kind: 'customer' }));
    const res = await as(h, 'admin').post('/external/sap/companies', { items: many });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(await tableCounts(h)).toMatchObject({ companies: 0, outbox: 0 });
  });

  it('takes exactly 1000 items, each answered in order', async () => {
    // items without an external id are answered before any database work, which keeps the boundary test fast
    const many = Array.from({ length: 1000 }, (_, i) => (i === 999 ? { externalId: 'LAST', name: 'Utolsó Kft.', kind: 'customer' } : { name: `N${i}` }));
    const res = await as(h, 'admin').post('/external/sap/companies', { items: many });
    expect(res.statusCode).toBe(200);
    const results = res.json().results;
    expect(results).toHaveLength(1000);
    expect(results[998]).toMatchObject({ externalId: null, status: 'invalid' });
    expect(results[999]).toMatchObject({ externalId: 'LAST', status: 'created' });
  });
});

describe('persons by external id', () => {
  const erpPerson = { familyName: 'Kovács', givenName: 'János', emails: [{ address: 'janos@kovacs.hu' }], position: 'ügyvezető' };

  it('PUT creates, updates and leaves an identical repeat alone', async () => {
    const created = await as(h, 'admin').put('/external/sap/persons/P1', erpPerson);
    expect(created.statusCode, created.body).toBe(201);
    const p = created.json();
    expect(p).toMatchObject({ ...erpPerson, version: 1, externalIds: [{ system: 'sap', externalId: 'P1' }] });
    expect(created.headers.location).toBe(`/persons/${p.id}`);
    const updated = await as(h, 'admin').put('/external/sap/persons/P1', { position: 'igazgató' });
    expect(updated.json()).toMatchObject({ id: p.id, position: 'igazgató', familyName: 'Kovács', version: 2 });
    const before = await tableCounts(h);
    expect((await as(h, 'admin').put('/external/sap/persons/P1', { position: 'igazgató' })).json().version).toBe(2);
    expect(await tableCounts(h)).toEqual(before);
  });

  it('bulk upserts persons item by item', async () => {
    const res = await as(h, 'dora.director').post('/external/sap/persons', { items: [{ externalId: 'P1', ...erpPerson }, { externalId: 'P2', familyName: '', givenName: 'X' }] });
    expect(res.json().results.map((r: { status: string }) => r.status)).toEqual(['created', 'invalid']);
    expect(res.json().results[1].errors.map((e: { path: string }) => e.path)).toEqual(['familyName']);
  });

  it('a rep may not sync persons either', async () => {
    expect((await as(h, 'bela.sales').put('/external/sap/persons/P1', erpPerson)).statusCode).toBe(403);
  });
});

describe('external ids on a company', () => {
  it('a company made in the portal has none', async () => {
    const c = await given(h).company();
    expect((await as(h, 'anna.sales').get(`/companies/${c.id}`)).json().externalIds).toEqual([]);
  });
});
