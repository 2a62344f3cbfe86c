import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import { createService, idempotencyPlugin } from '@kapocs/kit';
import { waitFor } from '@kapocs/kit/testing';
import { as, counts, given, idOf, startPartners, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

const valid = { name: 'Kovács és Társa Kft.', kind: 'customer', taxNumber: '12345676-2-41', registrationNumber: '01-09-123456' };

describe('authentication', () => {
  it('when no token is sent, answers 401 problem+json', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/companies' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('when the token comes from another issuer or key, answers 401', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ realm_access: { roles: ['crm-admin'] } })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' }).setSubject('x').setIssuer('http://evil.example/realms/crm')
      .setAudience('crm-api').setIssuedAt().setExpirationTime('5m').sign(privateKey);
    const res = await h.app.inject({ method: 'GET', url: '/companies', headers: { authorization: `Bearer ${forged}` } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('when the token has expired, answers 401', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setSubject('x')
      .setIssuer(process.env.OIDC_ISSUER!).setAudience('crm-api').setIssuedAt(1_600_000_000).setExpirationTime(1_600_000_300).sign(privateKey);
    const res = await h.app.inject({ method: 'GET', url: '/companies', headers: { authorization: `Bearer ${expired}` } });
    expect(res.statusCode).toBe(401);
  });
});

describe('companies', () => {
  it('creates a company owned by the caller in their department, with ETag and Location', async () => {
    const res = await as(h, 'anna.sales').post('/companies', { ...valid, emails: [{ address: 'info@kovacs.hu' }] });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ name: valid.name, kind: 'customer', status: 'active', country: 'HU', ownerId: await idOf('anna.sales'), departmentId: 'north', version: 1 });
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/companies/${body.id}`);
    const got = await as(h, 'anna.sales').get(`/companies/${body.id}`);
    expect(got.json()).toEqual({ ...body, externalIds: [] });
  });

  it('when the body is malformed, answers 400 naming every bad field and writes nothing, no event', async () => {
    const res = await as(h, 'anna.sales').post('/companies', {
      name: '', kind: 'friend', taxNumber: '12345678-1-12', registrationNumber: '99-1', website: 'not a url',
      emails: [{ address: 'nope' }], unknownField: 1,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    const paths = (res.json().errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'kind', 'website', 'emails.0.address']));
    expect(await counts(h)).toEqual({ companies: 0, outbox: 0, audit: 0 });
  });

  it('when a Hungarian tax number has a wrong check digit, answers 400 naming taxNumber', async () => {
    const res = await as(h, 'anna.sales').post('/companies', { name: 'X Kft.', kind: 'customer', taxNumber: '12345678-2-41', registrationNumber: '1-2-3' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'taxNumber', message: expect.stringContaining('check digit') }),
      expect.objectContaining({ path: 'registrationNumber' }),
    ]));
    expect((await counts(h)).companies).toBe(0);
  });

  it('accepts a foreign tax number as text with its country', async () => {
    const res = await as(h, 'anna.sales').post('/companies', { name: 'Wiener GmbH', kind: 'supplier', country: 'at', taxNumber: 'ATU12345678' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ country: 'AT', taxNumber: 'ATU12345678' });
  });

  it('patches with If-Match, bumps the version, audits the changed fields', async () => {
    const c = await given(h).company({ owner: 'anna.sales' });
    const res = await as(h, 'anna.sales').patch(`/companies/${c.id}`, { name: 'Új Név Zrt.', size: 'large' }, { 'if-match': '"1"' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Új Név Zrt.', size: 'large', version: 2 });
    expect(res.headers.etag).toBe('"2"');
    const audit = (await as(h, 'anna.sales').get(`/companies/${c.id}/audit`)).json().items;
    expect(audit[0]).toMatchObject({ action: 'updated', actor: { id: await idOf('anna.sales') }, changes: { name: { from: c.name, to: 'Új Név Zrt.' }, size: { from: null, to: 'large' } } });
    expect(audit[1]).toMatchObject({ action: 'created' });
  });

  it('when If-Match is stale, answers 412 and leaves the record unchanged', async () => {
    const c = await given(h).company({ owner: 'anna.sales' });
    await as(h, 'anna.sales').patch(`/companies/${c.id}`, { name: 'Első' }, { 'if-match': '"1"' });
    const before = await counts(h);
    const res = await as(h, 'anna.sales').patch(`/companies/${c.id}`, { name: 'Második' }, { 'if-match': '"1"' });
    expect(res.statusCode).toBe(412);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    const now = (await as(h, 'anna.sales').get(`/companies/${c.id}`)).json();
    expect(now).toMatchObject({ name: 'Első', version: 2 });
    expect(await counts(h)).toEqual(before);
  });

  it('when If-Match is missing, answers 428', async () => {
    const c = await given(h).company();
    expect((await as(h, 'anna.sales').patch(`/companies/${c.id}`, { name: 'X' })).statusCode).toBe(428);
    expect((await as(h, 'anna.sales').delete(`/companies/${c.id}`)).statusCode).toBe(428);
  });

  it('deletes with If-Match; afterwards the company answers 404 and is gone from the list', async () => {
    const c = await given(h).company();
    expect((await as(h, 'anna.sales').delete(`/companies/${c.id}`, { 'if-match': '"1"' })).statusCode).toBe(204);
    expect((await as(h, 'anna.sales').get(`/companies/${c.id}`)).statusCode).toBe(404);
    expect((await as(h, 'anna.sales').get('/companies?count=true')).json().total).toBe(0);
  });

  it('records one outbox event per change, carrying the scope', async () => {
    const c = await given(h).company({ owner: 'anna.sales' });
    await as(h, 'anna.sales').patch(`/companies/${c.id}`, { status: 'inactive' }, { 'if-match': '"1"' });
    await as(h, 'anna.sales').delete(`/companies/${c.id}`, { 'if-match': '"2"' });
    const rows = await h.orm.em.fork().execute<{ subject: string; envelope: { type: string; scope: unknown; aggregate: { id: string } } }[]>(
      'select subject, envelope from partners.outbox order by id');
    expect(rows.map((r) => r.subject)).toEqual(['crm.partners.company.created', 'crm.partners.company.updated', 'crm.partners.company.deleted']);
    for (const r of rows) expect(r.envelope).toMatchObject({ aggregate: { id: c.id }, scope: { ownerId: await idOf('anna.sales'), departmentId: 'north' } });
  });

  it('a patch that changes nothing writes no version, audit or event', async () => {
    const c = await given(h).company({ name: 'Azonos Kft.' });
    const before = await counts(h);
    const res = await as(h, 'anna.sales').patch(`/companies/${c.id}`, { name: 'Azonos Kft.' }, { 'if-match': '"1"' });
    expect(res.json().version).toBe(1);
    expect(await counts(h)).toEqual(before);
  });

  it('replays the first answer for the same Idempotency-Key and creates once', async () => {
    const headers = { 'idempotency-key': 'create-company-0001' };
    const first = await as(h, 'anna.sales').post('/companies', valid, headers);
    const second = await as(h, 'anna.sales').post('/companies', valid, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect((await counts(h)).companies).toBe(1);
  });

  it('a refused request frees its Idempotency-Key for the corrected retry', async () => {
    const headers = { 'idempotency-key': 'create-company-0002' };
    expect((await as(h, 'anna.sales').post('/companies', { ...valid, taxNumber: '12345678-2-41' }, headers)).statusCode).toBe(400);
    const fixed = await as(h, 'anna.sales').post('/companies', valid, headers);
    expect(fixed.statusCode).toBe(201);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
  });

  it('the same Idempotency-Key with another body answers 422 and writes nothing', async () => {
    const headers = { 'idempotency-key': 'create-company-0003' };
    const first = await as(h, 'anna.sales').post('/companies', valid, headers);
    expect(first.statusCode).toBe(201);
    const before = await counts(h);
    const other = await as(h, 'anna.sales').post('/companies', { ...valid, name: 'Másik Kft.' }, headers);
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toMatch(/problem\+json/);
    expect(other.json()).toMatchObject({ title: 'Idempotency-Key reused' });
    expect(await counts(h)).toEqual(before);
    // the identical request still replays the first answer
    const replay = await as(h, 'anna.sales').post('/companies', valid, headers);
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(first.json().id);
  });

  it('an Idempotency-Key older than 24 hours is free again, and the cleanup job deletes expired keys', async () => {
    const headers = { 'idempotency-key': 'create-company-0004' };
    const first = await as(h, 'anna.sales').post('/companies', valid, headers);
    expect(first.statusCode).toBe(201);
    const db = h.orm.em.getConnection();
    await db.execute(`update partners.idempotency_key set created_at = now() - interval '25 hours' where key = ?`, [headers['idempotency-key']]);
    const again = await as(h, 'anna.sales').post('/companies', { ...valid, name: 'Új Kft.' }, headers);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).not.toBe(first.json().id);
    expect(again.headers['idempotent-replayed']).toBeUndefined();

    await db.execute(`update partners.idempotency_key set created_at = now() - interval '25 hours' where key = ?`, [headers['idempotency-key']]);
    // another replica's kit starting on the same database runs the cleanup once when it is ready
    const other = await createService({ name: 'partners', verify: async () => { throw new Error('unused'); }, logLevel: 'silent' });
    await other.register(idempotencyPlugin, { orm: h.orm });
    await other.ready();
    await other.close();
    await waitFor(async () => (await db.execute(`select 1 from partners.idempotency_key where key = ?`, [headers['idempotency-key']])).length === 0, { what: 'the expired key deleted' });
  });

  it('a rep may not make someone else the owner', async () => {
    const res = await as(h, 'anna.sales').post('/companies', { ...valid, ownerId: await idOf('bela.sales') });
    expect(res.statusCode).toBe(403);
    expect((await counts(h)).companies).toBe(0);
  });
});

describe('visibility', () => {
  it('reps see their own, managers their department, directors and admins everything; lists and counts agree', async () => {
    const annas = await given(h).company({ owner: 'anna.sales', name: 'Anna Cég' });
    const belas = await given(h).company({ owner: 'bela.sales', name: 'Béla Cég' });
    const expectations: Record<string, string[]> = {
      'anna.sales': [annas.id],
      'bela.sales': [belas.id],
      'csilla.manager': [annas.id],
      'dora.director': [annas.id, belas.id],
      admin: [annas.id, belas.id],
    };
    for (const [user, ids] of Object.entries(expectations)) {
      const listRes = await as(h, user as never).get("/companies?count=true");
      expect(listRes.statusCode, `${user}: ${listRes.body}`).toBe(200);
      const list = listRes.json();
      expect(list.items.map((c: { id: string }) => c.id).sort(), user).toEqual([...ids].sort());
      expect(list.total, user).toBe(ids.length);
      for (const c of [annas, belas]) {
        const res = await as(h, user as never).get(`/companies/${c.id}`);
        expect(res.statusCode, `${user} → ${c.name}`).toBe(ids.includes(c.id) ? 200 : 404);
      }
    }
  });

  it('a company one may not see answers 404 to patch, delete and audit too', async () => {
    const belas = await given(h).company({ owner: 'bela.sales' });
    expect((await as(h, 'anna.sales').patch(`/companies/${belas.id}`, { name: 'x' }, { 'if-match': '"1"' })).statusCode).toBe(404);
    expect((await as(h, 'anna.sales').delete(`/companies/${belas.id}`, { 'if-match': '"1"' })).statusCode).toBe(404);
    expect((await as(h, 'csilla.manager').get(`/companies/${belas.id}/audit`)).statusCode).toBe(404);
  });
});

describe('company list', () => {
  it('searches accent-insensitively, filters, sorts and pages with a cursor', async () => {
    const names = ['Alfa Kft.', 'Béta Zrt.', 'Gamma Bt.', 'Kovács Kft.', 'Delta Kft.', 'Ábel Bt.', 'Zala Kft.'];
    for (const name of names) await given(h).company({ owner: 'dora.director', name, kind: name === 'Gamma Bt.' ? 'supplier' : 'customer' });

    const q = (await as(h, 'dora.director').get(`/companies?q=${encodeURIComponent('kovacs')}`)).json();
    expect(q.items.map((c: { name: string }) => c.name)).toEqual(['Kovács Kft.']);

    const filter = encodeURIComponent(JSON.stringify({ and: [{ field: 'kind', op: 'eq', value: 'customer' }, { field: 'name', op: 'contains', value: 'kft' }] }));
    const f = (await as(h, 'dora.director').get(`/companies?filter=${filter}&sort=-name&count=true`)).json();
    expect(f.items.map((c: { name: string }) => c.name)).toEqual(['Zala Kft.', 'Kovács Kft.', 'Delta Kft.', 'Alfa Kft.']);
    expect(f.total).toBe(4);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/companies?limit=2&sort=name${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await as(h, 'dora.director').get(url)).json();
      seen.push(...page.items.map((c: { name: string }) => c.name));
      cursor = page.nextCursor;
    } while (cursor);
    // Hungarian order: Ábel right after Alfa's A, not after Zala
    expect(seen).toEqual(['Ábel Bt.', 'Alfa Kft.', 'Béta Zrt.', 'Delta Kft.', 'Gamma Bt.', 'Kovács Kft.', 'Zala Kft.']);
  });

  it('when the filter names an unknown field or op, answers 400 naming it', async () => {
    const filter = encodeURIComponent(JSON.stringify({ and: [{ field: 'shoeSize', op: 'eq', value: 1 }, { field: 'kind', op: 'like', value: 'x' }] }));
    const res = await as(h, 'anna.sales').get(`/companies?filter=${filter}&sort=bogus&limit=500`);
    expect(res.statusCode).toBe(400);
    const paths = (res.json().errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['query.limit']));
    const res2 = await as(h, 'anna.sales').get(`/companies?filter=${filter}&sort=bogus`);
    expect((res2.json().errors as { path: string }[]).map((e) => e.path)).toEqual(['query.filter.and.0.field', 'query.filter.and.1.op', 'query.sort']);
  });

  it('"mine" is a filter on ownerId', async () => {
    await given(h).company({ owner: 'anna.sales' });
    await given(h).company({ owner: 'dora.director' });
    const me = await idOf('dora.director');
    const filter = encodeURIComponent(JSON.stringify({ field: 'ownerId', op: 'eq', value: me }));
    const res = (await as(h, 'dora.director').get(`/companies?filter=${filter}&count=true`)).json();
    expect(res.total).toBe(1);
    expect(res.items[0].ownerId).toBe(me);
  });
});
