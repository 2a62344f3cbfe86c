import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoUser } from '@kapocs/kit/testing';
import { as, given, idOf, outboxEvents, startPartners, tableCounts, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

const valid = {
  familyName: 'Kovács', givenName: 'János', title: 'dr.', position: 'beszerzési vezető',
  emails: [{ address: 'janos.kovacs@example.hu', label: 'munkahelyi' }], phones: [{ number: '+36 30 123 4567' }],
};
const ids = (items: { id: string }[]) => items.map((x) => x.id).sort();

describe('persons', () => {
  it('creates a person owned by the caller in their department, named in Hungarian order, with ETag and Location', async () => {
    const res = await as(h, 'anna.sales').post('/persons', valid);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      ...valid, displayName: 'Kovács János', ownerId: await idOf('anna.sales'), departmentId: 'north', employments: [], custom: {}, version: 1,
    });
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/persons/${body.id}`);
    const got = await as(h, 'anna.sales').get(`/persons/${body.id}`);
    expect(got.headers.etag).toBe('"1"');
    expect(got.json()).toEqual(body);
  });

  it('when the body is malformed, answers 400 naming every bad field and writes nothing, no event', async () => {
    const res = await as(h, 'anna.sales').post('/persons', {
      familyName: '', givenName: 'x'.repeat(101), title: 'y'.repeat(51), emails: [{ address: 'nope' }], phones: [{ number: 'call me' }], shoeSize: 44,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    const paths = (res.json().errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['familyName', 'givenName', 'title', 'emails.0.address', 'phones.0.number']));
    expect(JSON.stringify(res.json().errors)).toContain('shoeSize');
    expect(await tableCounts(h)).toMatchObject({ persons: 0, outbox: 0, audit: 0 });
  });

  it('when a required name is missing, answers 400 naming it', async () => {
    const res = await as(h, 'anna.sales').post('/persons', { givenName: 'János' });
    expect(res.statusCode).toBe(400);
    expect((res.json().errors as { path: string }[]).map((e) => e.path)).toEqual(['familyName']);
    expect((await tableCounts(h)).persons).toBe(0);
  });

  it('checks custom values against the person custom fields, in the same 400 as the other fields', async () => {
    const def = await as(h, 'admin').post('/custom-fields', { entity: 'person', key: 'birthday', type: 'date', label: { hu: 'Születésnap', en: 'Birthday' } });
    expect(def.statusCode).toBe(201);
    const before = await tableCounts(h);
    const bad = await as(h, 'anna.sales').post('/persons', { familyName: '', givenName: 'János', custom: { birthday: 'tegnap', shoe: 44 } });
    expect(bad.statusCode).toBe(400);
    expect((bad.json().errors as { path: string }[]).map((e) => e.path)).toEqual(expect.arrayContaining(['familyName', 'custom.birthday', 'custom.shoe']));
    expect(await tableCounts(h)).toEqual(before);
    const ok = await as(h, 'anna.sales').post('/persons', { familyName: 'Kovács', givenName: 'János', custom: { birthday: '1980-05-01' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().custom).toEqual({ birthday: '1980-05-01' });
  });

  it('patches with If-Match, bumps the version, audits the changed fields', async () => {
    const p = await given(h).person({ owner: 'anna.sales', familyName: 'Nagy', givenName: 'Anna' });
    const res = await as(h, 'anna.sales').patch(`/persons/${p.id}`, { familyName: 'Kiss', position: 'ügyvezető' }, { 'if-match': '"1"' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ familyName: 'Kiss', displayName: 'Kiss Anna', position: 'ügyvezető', version: 2 });
    expect(res.headers.etag).toBe('"2"');
    const audit = (await as(h, 'anna.sales').get(`/persons/${p.id}/audit`)).json().items;
    expect(audit[0]).toMatchObject({ action: 'updated', actor: { id: await idOf('anna.sales') }, changes: { familyName: { from: 'Nagy', to: 'Kiss' }, position: { from: null, to: 'ügyvezető' } } });
    expect(audit[1]).toMatchObject({ action: 'created' });
  });

  it('when If-Match is stale, answers 412 and leaves the person unchanged; without If-Match 428', async () => {
    const p = await given(h).person();
    await as(h, 'anna.sales').patch(`/persons/${p.id}`, { position: 'Első' }, { 'if-match': '"1"' });
    const before = await tableCounts(h);
    const res = await as(h, 'anna.sales').patch(`/persons/${p.id}`, { position: 'Második' }, { 'if-match': '"1"' });
    expect(res.statusCode).toBe(412);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect((await as(h, 'anna.sales').delete(`/persons/${p.id}`, { 'if-match': '"1"' })).statusCode).toBe(412);
    expect((await as(h, 'anna.sales').patch(`/persons/${p.id}`, { position: 'X' })).statusCode).toBe(428);
    expect((await as(h, 'anna.sales').delete(`/persons/${p.id}`)).statusCode).toBe(428);
    expect((await as(h, 'anna.sales').get(`/persons/${p.id}`)).json()).toMatchObject({ position: 'Első', version: 2 });
    expect(await tableCounts(h)).toEqual(before);
  });

  it('when a patch is malformed, answers 400 naming the fields and changes nothing', async () => {
    const p = await given(h).person();
    const before = await tableCounts(h);
    const res = await as(h, 'anna.sales').patch(`/persons/${p.id}`, { givenName: '', emails: [{ address: 'x@' }], displayName: 'Hacked' }, { 'if-match': '"1"' });
    expect(res.statusCode).toBe(400);
    const paths = (res.json().errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['givenName', 'emails.0.address']));
    expect(await tableCounts(h)).toEqual(before);
  });

  it('deletes softly with If-Match; afterwards the person answers 404 and is gone from the list', async () => {
    const p = await given(h).person();
    expect((await as(h, 'anna.sales').delete(`/persons/${p.id}`, { 'if-match': '"1"' })).statusCode).toBe(204);
    expect((await as(h, 'anna.sales').get(`/persons/${p.id}`)).statusCode).toBe(404);
    expect((await as(h, 'anna.sales').get('/persons?count=true')).json()).toMatchObject({ items: [], total: 0 });
    expect((await tableCounts(h)).persons).toBe(1);
  });

  it('records one outbox event per change, carrying the scope', async () => {
    const p = await given(h).person({ owner: 'anna.sales', emails: ['a@example.hu'] });
    await as(h, 'anna.sales').patch(`/persons/${p.id}`, { position: 'igazgató' }, { 'if-match': '"1"' });
    await as(h, 'anna.sales').delete(`/persons/${p.id}`, { 'if-match': '"2"' });
    const rows = await outboxEvents(h);
    expect(rows.map((r) => r.subject)).toEqual(['crm.partners.person.created', 'crm.partners.person.updated', 'crm.partners.person.deleted']);
    for (const r of rows) expect(r.envelope).toMatchObject({ aggregate: { type: 'person', id: p.id }, scope: { ownerId: await idOf('anna.sales'), departmentId: 'north' } });
    expect(rows[0]!.envelope.data).toMatchObject({ displayName: p.displayName, emails: ['a@example.hu'] });
    expect(rows[1]!.envelope.data).toMatchObject({ position: 'igazgató', version: 2, changed: ['position'] });
  });

  it('a patch that changes nothing writes no version, audit or event', async () => {
    const p = await given(h).person({ familyName: 'Azonos' });
    const before = await tableCounts(h);
    const res = await as(h, 'anna.sales').patch(`/persons/${p.id}`, { familyName: 'Azonos' }, { 'if-match': '"1"' });
    expect(res.json().version).toBe(1);
    expect(await tableCounts(h)).toEqual(before);
  });

  it('replays the first answer for the same Idempotency-Key and creates once', async () => {
    const headers = { 'idempotency-key': 'create-person-0001' };
    const first = await as(h, 'anna.sales').post('/persons', valid, headers);
    const second = await as(h, 'anna.sales').post('/persons', valid, headers);
    expect(first.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect((await tableCounts(h)).persons).toBe(1);
  });
});

describe('person owners', () => {
  it('a rep may not make someone else the owner, on create or on patch', async () => {
    const res = await as(h, 'anna.sales').post('/persons', { ...valid, ownerId: await idOf('bela.sales') });
    expect(res.statusCode).toBe(403);
    const p = await given(h).person({ owner: 'anna.sales' });
    const before = await tableCounts(h);
    expect((await as(h, 'anna.sales').patch(`/persons/${p.id}`, { ownerId: await idOf('bela.sales') }, { 'if-match': '"1"' })).statusCode).toBe(403);
    expect((await as(h, 'anna.sales').patch(`/persons/${p.id}`, { departmentId: 'south' }, { 'if-match': '"1"' })).statusCode).toBe(403);
    expect(await tableCounts(h)).toEqual(before);
  });

  it('a manager assigns an owner within their department, and not outside it', async () => {
    const anna = await idOf('anna.sales');
    const res = await as(h, 'csilla.manager').post('/persons', { ...valid, ownerId: anna });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ ownerId: anna, departmentId: 'north' });
    expect((await as(h, 'anna.sales').get(`/persons/${res.json().id}`)).statusCode).toBe(200);
    expect((await as(h, 'csilla.manager').post('/persons', { ...valid, departmentId: 'south' })).statusCode).toBe(403);
  });

  it('changing the owner by PATCH records person.updated and person.owner-changed with from and to', async () => {
    const p = await given(h).person({ owner: 'anna.sales' });
    const res = await as(h, 'dora.director').patch(`/persons/${p.id}`, { ownerId: await idOf('bela.sales'), departmentId: 'south' }, { 'if-match': '"1"' });
    expect(res.statusCode).toBe(200);
    const rows = (await outboxEvents(h)).slice(1);
    expect(rows.map((r) => r.envelope.type)).toEqual(['partners.person.updated', 'partners.person.owner-changed']);
    expect(rows[1]!.envelope).toMatchObject({
      data: { id: p.id, from: { ownerId: await idOf('anna.sales'), departmentId: 'north' }, to: { ownerId: await idOf('bela.sales'), departmentId: 'south' }, version: 2 },
      scope: { ownerId: await idOf('bela.sales'), departmentId: 'south' },
    });
    expect((await as(h, 'anna.sales').get(`/persons/${p.id}`)).statusCode).toBe(404);
    expect((await as(h, 'bela.sales').get(`/persons/${p.id}`)).statusCode).toBe(200);
  });
});

describe('person visibility', () => {
  it('reps see their own, managers their department, directors and admins everything: lists, counts, detail and audit agree', async () => {
    const annas = await given(h).person({ owner: 'anna.sales', familyName: 'Anna-féle' });
    const belas = await given(h).person({ owner: 'bela.sales', familyName: 'Béla-féle' });
    const csillas = await given(h).person({ owner: 'csilla.manager', familyName: 'Csilla-féle' });
    const doras = await given(h).person({ owner: 'dora.director', familyName: 'Dóra-féle' });
    const all = [annas, belas, csillas, doras];
    const expectations: Record<DemoUser, string[]> = {
      'anna.sales': [annas.id],
      'bela.sales': [belas.id],
      'csilla.manager': [annas.id, csillas.id],
      'dora.director': all.map((p) => p.id),
      admin: all.map((p) => p.id),
      'erik.marketing': [],
    };
    for (const [user, visible] of Object.entries(expectations) as [DemoUser, string[]][]) {
      const list = await as(h, user).get('/persons?count=true');
      expect(list.statusCode, `${user}: ${list.body}`).toBe(200);
      expect(ids(list.json().items), user).toEqual([...visible].sort());
      expect(list.json().total, user).toBe(visible.length);
      for (const p of all) {
        const want = visible.includes(p.id) ? 200 : 404;
        expect((await as(h, user).get(`/persons/${p.id}`)).statusCode, `${user} → ${p.familyName}`).toBe(want);
        expect((await as(h, user).get(`/persons/${p.id}/audit`)).statusCode, `${user} → audit of ${p.familyName}`).toBe(want);
      }
    }
  });

  it('a person one may not see answers 404 to patch and delete, and nothing changes', async () => {
    const belas = await given(h).person({ owner: 'bela.sales' });
    const before = await tableCounts(h);
    expect((await as(h, 'anna.sales').patch(`/persons/${belas.id}`, { position: 'x' }, { 'if-match': '"1"' })).statusCode).toBe(404);
    expect((await as(h, 'csilla.manager').delete(`/persons/${belas.id}`, { 'if-match': '"1"' })).statusCode).toBe(404);
    expect(await tableCounts(h)).toEqual(before);
  });
});

describe('person list', () => {
  it('searches family and given names accent-insensitively in either order, and e-mail addresses', async () => {
    const kovacs = await given(h).person({ owner: 'dora.director', familyName: 'Kovács', givenName: 'János' });
    const szabo = await given(h).person({ owner: 'dora.director', familyName: 'Szabó', givenName: 'Éva', emails: ['eva.szabo@pelda.hu'] });
    await given(h).person({ owner: 'dora.director', familyName: 'Tóth', givenName: 'Béla' });
    const q = async (text: string) => ids((await as(h, 'dora.director').get(`/persons?q=${encodeURIComponent(text)}`)).json().items);
    expect(await q('kovacs')).toEqual([kovacs.id]);
    expect(await q('JANOS')).toEqual([kovacs.id]);
    expect(await q('János Kovács')).toEqual([kovacs.id]);
    expect(await q('kovacs janos')).toEqual([kovacs.id]);
    expect(await q('eva')).toEqual([szabo.id]);
    expect(await q('eva.szabo@pelda')).toEqual([szabo.id]);
    expect(await q('100%_')).toEqual([]);
  });

  it('filters, sorts by family name, given name or creation, and pages with a cursor', async () => {
    const names = [['Nagy', 'Zoltán'], ['Kiss', 'Anna'], ['Nagy', 'Ádám'], ['Almási', 'Péter'], ['Zsoldos', 'Béla']] as const;
    for (const [familyName, givenName] of names) await given(h).person({ owner: 'dora.director', familyName, givenName, position: familyName === 'Nagy' ? 'vezető' : 'munkatárs' });

    const byName = (await as(h, 'dora.director').get('/persons')).json().items.map((p: { displayName: string }) => p.displayName);
    expect(byName).toEqual(['Almási Péter', 'Kiss Anna', 'Nagy Ádám', 'Nagy Zoltán', 'Zsoldos Béla']);

    const filter = encodeURIComponent(JSON.stringify({ and: [{ field: 'position', op: 'eq', value: 'vezető' }, { field: 'familyName', op: 'startsWith', value: 'na' }] }));
    const f = (await as(h, 'dora.director').get(`/persons?filter=${filter}&sort=-givenName&count=true`)).json();
    expect(f.items.map((p: { displayName: string }) => p.displayName)).toEqual(['Nagy Zoltán', 'Nagy Ádám']);
    expect(f.total).toBe(2);

    const newest = (await as(h, 'dora.director').get('/persons?sort=-createdAt&limit=1')).json();
    expect(newest.items[0].displayName).toBe('Zsoldos Béla');

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/persons?limit=2&sort=givenName${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await as(h, 'dora.director').get(url)).json();
      seen.push(...page.items.map((p: { givenName: string }) => p.givenName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('when the filter or sort names an unknown field or op, answers 400 naming it', async () => {
    const filter = encodeURIComponent(JSON.stringify({ and: [{ field: 'shoeSize', op: 'eq', value: 1 }, { field: 'familyName', op: 'like', value: 'x' }] }));
    const res = await as(h, 'anna.sales').get(`/persons?filter=${filter}&sort=position`);
    expect(res.statusCode).toBe(400);
    expect((res.json().errors as { path: string }[]).map((e) => e.path)).toEqual(['query.filter.and.0.field', 'query.filter.and.1.op', 'query.sort']);
    expect((await as(h, 'anna.sales').get('/persons?limit=500')).json().errors[0].path).toBe('query.limit');
  });

  it('"mine" is ownerId=me, or the same as a filter on ownerId', async () => {
    await given(h).person({ owner: 'anna.sales' });
    const mine = await given(h).person({ owner: 'csilla.manager' });
    const me = await idOf('csilla.manager');
    const short = (await as(h, 'csilla.manager').get('/persons?ownerId=me&count=true')).json();
    expect(short.total).toBe(1);
    expect(short.items[0].id).toBe(mine.id);
    const filter = encodeURIComponent(JSON.stringify({ field: 'ownerId', op: 'eq', value: me }));
    expect(ids((await as(h, 'csilla.manager').get(`/persons?filter=${filter}`)).json().items)).toEqual([mine.id]);
    expect((await as(h, 'csilla.manager').get('/persons?count=true')).json().total).toBe(2);
  });
});
