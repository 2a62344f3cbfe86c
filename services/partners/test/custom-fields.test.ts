import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { as, counts, given, startPartners, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

const define = (body: Record<string, unknown>) => as(h, 'admin').post('/custom-fields', { entity: 'company', label: { hu: 'Mező', en: 'Field' }, ...body });

describe('custom field definitions', () => {
  it('an admin defines fields; everyone reads them in form order', async () => {
    const region = await define({ key: 'region', type: 'list', options: ['North', 'South'], label: { hu: 'Régió', en: 'Region' }, weight: 2, placement: 'main', required: true, helpText: { hu: 'Értékesítési régió', en: 'Sales region' } });
    expect(region.statusCode).toBe(201);
    expect(region.json()).toMatchObject({ entity: 'company', key: 'region', type: 'list', options: ['North', 'South'], required: true, weight: 2, version: 1 });
    await define({ key: 'employees', type: 'integer', weight: 1, placement: 'main' });
    const list = (await as(h, 'anna.sales').get('/custom-fields?entity=company')).json();
    expect(list.items.map((d: { key: string }) => d.key)).toEqual(['employees', 'region']);
  });

  it('only admins may define fields', async () => {
    const res = await as(h, 'dora.director').post('/custom-fields', { entity: 'company', key: 'x', type: 'text', label: { hu: 'X', en: 'X' } });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a bad definition naming each field: unknown entity, list without options, default of the wrong type', async () => {
    const res = await as(h, 'admin').post('/custom-fields', { entity: 'company', key: 'Bad Key', type: 'integer', label: { hu: '' }, default: 'x', options: ['a'] });
    expect(res.statusCode).toBe(400);
    expect((res.json().errors as { path: string }[]).map((e) => e.path)).toEqual(expect.arrayContaining(['key', 'label.hu', 'label.en']));
    const res2 = await define({ key: 'tier', type: 'list', default: 'Gold' });
    expect(res2.statusCode).toBe(400);
    expect(res2.json().errors.map((e: { path: string }) => e.path)).toContain('options');
    const res3 = await define({ key: 'size2', type: 'integer', default: 'big' });
    expect(res3.json().errors.map((e: { path: string }) => e.path)).toEqual(['default']);
    const res4 = await as(h, 'admin').post('/custom-fields', { entity: 'opportunity', key: 'x', type: 'text', label: { hu: 'X', en: 'X' } });
    expect(res4.statusCode).toBe(400);
  });

  it('a key is unique per entity (409)', async () => {
    await define({ key: 'region', type: 'text' });
    expect((await define({ key: 'region', type: 'text' })).statusCode).toBe(409);
  });

  it('changes with If-Match; key and type cannot change', async () => {
    const d = (await define({ key: 'region', type: 'text' })).json();
    const ok = await as(h, 'admin').patch(`/custom-fields/${d.id}`, { label: { hu: 'Körzet', en: 'District' }, required: true }, { 'if-match': '"1"' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ label: { hu: 'Körzet', en: 'District' }, required: true, version: 2 });
    expect((await as(h, 'admin').patch(`/custom-fields/${d.id}`, { type: 'integer' }, { 'if-match': '"2"' })).statusCode).toBe(400);
    expect((await as(h, 'admin').patch(`/custom-fields/${d.id}`, { weight: 3 }, { 'if-match': '"1"' })).statusCode).toBe(412);
  });
});

describe('custom values on companies', () => {
  it('applies defaults on create and validates type, option and required, naming custom.<key> beside built-in fields', async () => {
    await define({ key: 'region', type: 'list', options: ['North', 'South'], required: true });
    await define({ key: 'employees', type: 'integer' });
    await define({ key: 'vip', type: 'boolean', default: false });
    await define({ key: 'founded', type: 'date' });

    const bad = await as(h, 'anna.sales').post('/companies', { name: '', kind: 'customer', custom: { region: 'East', employees: 1.5, founded: '2024-02-30', shoeSize: 42 } });
    expect(bad.statusCode).toBe(400);
    expect((bad.json().errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['custom.employees', 'custom.founded', 'custom.region', 'custom.shoeSize', 'name']);
    const missing = await as(h, 'anna.sales').post('/companies', { name: 'Kötelező Kft.', kind: 'customer' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([expect.objectContaining({ path: 'custom.region', message: expect.stringContaining('required') })]);
    expect(await counts(h)).toEqual({ companies: 0, outbox: 0, audit: 0 });

    const ok = await as(h, 'anna.sales').post('/companies', { name: 'Jó Kft.', kind: 'customer', custom: { region: 'North', employees: 120, founded: '1991-05-01' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().custom).toEqual({ region: 'North', employees: 120, founded: '1991-05-01', vip: false });
  });

  it('a field of one kind applies to that kind only', async () => {
    await define({ key: 'resellerLevel', type: 'list', options: ['Gold', 'Silver'], subtype: 'reseller', required: true });
    expect((await as(h, 'anna.sales').post('/companies', { name: 'Vevő Kft.', kind: 'customer' })).statusCode).toBe(201);
    const reseller = await as(h, 'anna.sales').post('/companies', { name: 'Viszonteladó Kft.', kind: 'reseller' });
    expect(reseller.statusCode).toBe(400);
    expect(reseller.json().errors[0].path).toBe('custom.resellerLevel');
    const wrongKind = await as(h, 'anna.sales').post('/companies', { name: 'Vevő 2 Kft.', kind: 'customer', custom: { resellerLevel: 'Gold' } });
    expect(wrongKind.statusCode).toBe(400);
  });

  it('patch: null removes a value, required is checked on the merged record', async () => {
    await define({ key: 'note', type: 'text' });
    const c = await given(h).company();
    const set = await as(h, 'anna.sales').patch(`/companies/${c.id}`, { custom: { note: 'első' } }, { 'if-match': '"1"' });
    expect(set.json().custom).toEqual({ note: 'első' });
    await define({ key: 'region', type: 'list', options: ['North'], required: true });
    const refused = await as(h, 'anna.sales').patch(`/companies/${c.id}`, { custom: { note: null } }, { 'if-match': '"2"' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].path).toBe('custom.region');
    const fixed = await as(h, 'anna.sales').patch(`/companies/${c.id}`, { custom: { note: null, region: 'North' } }, { 'if-match': '"2"' });
    expect(fixed.json().custom).toEqual({ region: 'North' });
  });

  it('custom.<key> filters and sorts the company list', async () => {
    await define({ key: 'region', type: 'list', options: ['North', 'South'] });
    await define({ key: 'employees', type: 'integer' });
    const make = (name: string, custom: Record<string, unknown>) => as(h, 'dora.director').post('/companies', { name, kind: 'customer', custom });
    await make('A Kft.', { region: 'North', employees: 50 });
    await make('B Kft.', { region: 'South', employees: 500 });
    await make('C Kft.', { region: 'North', employees: 5 });
    await make('D Kft.', {});
    const q = (filter: unknown, sort = 'name') => as(h, 'dora.director').get(`/companies?count=true&sort=${sort}&filter=${encodeURIComponent(JSON.stringify(filter))}`);
    const north = (await q({ field: 'custom.region', op: 'eq', value: 'North' })).json();
    expect(north.items.map((c: { name: string }) => c.name)).toEqual(['A Kft.', 'C Kft.']);
    expect(north.total).toBe(2);
    const big = (await q({ field: 'custom.employees', op: 'gte', value: 50 }, '-custom.employees')).json();
    expect(big.items.map((c: { name: string }) => c.name)).toEqual(['B Kft.', 'A Kft.']);
    const none = (await q({ field: 'custom.region', op: 'isNull' })).json();
    expect(none.items.map((c: { name: string }) => c.name)).toEqual(['D Kft.']);
    const bad = await q({ field: 'custom.region', op: 'eq', value: 'West' });
    expect(bad.statusCode).toBe(400);
    expect((await q({ field: 'custom.nope', op: 'eq', value: 1 })).statusCode).toBe(400);
  });
});
