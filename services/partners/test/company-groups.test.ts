import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoUser } from '@kapocs/kit/testing';
import { as, given, idOf, outboxEvents, startPartners, tableCounts, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

const paths = (res: { json(): { errors?: { path: string }[] } }) => (res.json().errors ?? []).map((e) => e.path);
const ids = (items: { id: string }[]) => items.map((x) => x.id).sort();
const NO_SUCH_GROUP = '01900000-0000-7000-8000-000000000000';

describe('company groups', () => {
  it('creates a group owned by the caller, with ETag, Location and no members yet', async () => {
    const res = await as(h, 'anna.sales').post('/company-groups', { name: 'Mátra Holding', description: 'Anyavállalat és leányai' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ name: 'Mátra Holding', description: 'Anyavállalat és leányai', ownerId: await idOf('anna.sales'), departmentId: 'north', version: 1, members: [] });
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/company-groups/${body.id}`);
    const got = await as(h, 'anna.sales').get(`/company-groups/${body.id}`);
    expect(got.headers.etag).toBe('"1"');
    expect(got.json()).toEqual(body);
  });

  it('when the body is malformed, answers 400 naming every bad field and writes nothing', async () => {
    const res = await as(h, 'anna.sales').post('/company-groups', { name: '', description: 'x'.repeat(4001), members: [] });
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(expect.arrayContaining(['name', 'description']));
    expect(JSON.stringify(res.json().errors)).toContain('members');
    expect(await tableCounts(h)).toMatchObject({ groups: 0, outbox: 0, audit: 0 });
  });

  it('patches with If-Match and audits; a stale If-Match answers 412 and a missing one 428, changing nothing', async () => {
    const g = await given(h).group({ name: 'Régi név' });
    const ok = await as(h, 'anna.sales').patch(`/company-groups/${g.id}`, { name: 'Új név' }, { 'if-match': '"1"' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'Új név', version: 2, members: [] });
    expect(ok.headers.etag).toBe('"2"');
    const before = await tableCounts(h);
    expect((await as(h, 'anna.sales').patch(`/company-groups/${g.id}`, { name: 'Harmadik' }, { 'if-match': '"1"' })).statusCode).toBe(412);
    expect((await as(h, 'anna.sales').delete(`/company-groups/${g.id}`, { 'if-match': '"1"' })).statusCode).toBe(412);
    expect((await as(h, 'anna.sales').patch(`/company-groups/${g.id}`, { name: 'Harmadik' })).statusCode).toBe(428);
    const bad = await as(h, 'anna.sales').patch(`/company-groups/${g.id}`, { name: '', kind: 'x' }, { 'if-match': '"2"' });
    expect(bad.statusCode).toBe(400);
    expect(paths(bad)).toEqual(expect.arrayContaining(['name']));
    expect(await tableCounts(h)).toEqual(before);
    const audit = (await as(h, 'anna.sales').get(`/company-groups/${g.id}/audit`)).json().items;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['updated', 'created']);
    expect(audit[0].changes).toEqual({ name: { from: 'Régi név', to: 'Új név' } });
  });

  it('records created, updated and deleted events with the scope', async () => {
    const g = await given(h).group({ owner: 'anna.sales' });
    await as(h, 'anna.sales').patch(`/company-groups/${g.id}`, { description: 'leírás' }, { 'if-match': '"1"' });
    await as(h, 'anna.sales').delete(`/company-groups/${g.id}`, { 'if-match': '"2"' });
    const rows = await outboxEvents(h);
    expect(rows.map((r) => r.subject)).toEqual(['crm.partners.company-group.created', 'crm.partners.company-group.updated', 'crm.partners.company-group.deleted']);
    for (const r of rows) expect(r.envelope).toMatchObject({ aggregate: { type: 'company-group', id: g.id }, scope: { ownerId: await idOf('anna.sales'), departmentId: 'north' } });
    expect(rows[1]!.envelope.data).toMatchObject({ description: 'leírás', changed: ['description'] });
  });

  it('replays the first answer for the same Idempotency-Key and creates once', async () => {
    const headers = { 'idempotency-key': 'create-group-0001' };
    const first = await as(h, 'anna.sales').post('/company-groups', { name: 'Egyszer' }, headers);
    const second = await as(h, 'anna.sales').post('/company-groups', { name: 'Egyszer' }, headers);
    expect(second.json()).toEqual(first.json());
    expect((await tableCounts(h)).groups).toBe(1);
  });
});

describe('group membership', () => {
  it('a company joins a group through groupId and shows among its members', async () => {
    const g = await given(h).group({ owner: 'anna.sales' });
    const created = await as(h, 'anna.sales').post('/companies', { name: 'Leány Kft.', kind: 'customer', groupId: g.id });
    expect(created.statusCode).toBe(201);
    const other = await given(h).company({ owner: 'anna.sales', name: 'Másik Kft.' });
    expect((await as(h, 'anna.sales').patch(`/companies/${other.id}`, { groupId: g.id }, { 'if-match': '"1"' })).statusCode).toBe(200);
    const members = (await as(h, 'anna.sales').get(`/company-groups/${g.id}`)).json().members;
    expect(members.map((m: { name: string }) => m.name)).toEqual(['Leány Kft.', 'Másik Kft.']);
    expect(members[0]).toMatchObject({ id: created.json().id, kind: 'customer', status: 'active', ownerId: await idOf('anna.sales') });
    const filter = encodeURIComponent(JSON.stringify({ field: 'groupId', op: 'eq', value: g.id }));
    expect((await as(h, 'anna.sales').get(`/companies?filter=${filter}&count=true`)).json().total).toBe(2);
  });

  it('when groupId names no group, a deleted one or one the caller may not see, answers 400 naming groupId and writes nothing', async () => {
    const deleted = await given(h).group({ owner: 'anna.sales' });
    await as(h, 'anna.sales').delete(`/company-groups/${deleted.id}`, { 'if-match': '"1"' });
    const belas = await given(h).group({ owner: 'bela.sales' });
    const company = await given(h).company({ owner: 'anna.sales' });
    const before = await tableCounts(h);
    for (const groupId of [NO_SUCH_GROUP, deleted.id, belas.id]) {
      const created = await as(h, 'anna.sales').post('/companies', { name: 'Csoportos Kft.', kind: 'customer', groupId });
      expect(created.statusCode, groupId).toBe(400);
      expect(paths(created)).toEqual(['groupId']);
      const patched = await as(h, 'anna.sales').patch(`/companies/${company.id}`, { groupId }, { 'if-match': '"1"' });
      expect(patched.statusCode, groupId).toBe(400);
      expect(paths(patched)).toEqual(['groupId']);
    }
    expect(await tableCounts(h)).toEqual(before);
  });

  it('a company leaves its group with groupId null, and a company already in a group keeps it through unrelated edits', async () => {
    const g = await given(h).group({ owner: 'dora.director' });
    const c = await given(h).company({ owner: 'anna.sales' });
    expect((await as(h, 'dora.director').patch(`/companies/${c.id}`, { groupId: g.id }, { 'if-match': '"1"' })).statusCode).toBe(200);
    // anna cannot see dora's group, yet may still edit her company, and take it out of the group
    expect((await as(h, 'anna.sales').patch(`/companies/${c.id}`, { name: 'Átnevezett Kft.' }, { 'if-match': '"2"' })).json()).toMatchObject({ groupId: g.id, version: 3 });
    expect((await as(h, 'anna.sales').patch(`/companies/${c.id}`, { groupId: null }, { 'if-match': '"3"' })).json()).toMatchObject({ groupId: null });
    expect((await as(h, 'dora.director').get(`/company-groups/${g.id}`)).json().members).toEqual([]);
  });

  it('members are only the companies the caller may see', async () => {
    const g = await given(h).group({ owner: 'anna.sales', name: 'Vegyes csoport' });
    const annas = await given(h).company({ owner: 'anna.sales' });
    const belas = await given(h).company({ owner: 'bela.sales' });
    await as(h, 'anna.sales').patch(`/companies/${annas.id}`, { groupId: g.id }, { 'if-match': '"1"' });
    await as(h, 'dora.director').patch(`/companies/${belas.id}`, { groupId: g.id }, { 'if-match': '"1"' });
    const expectations: Record<string, { status: number; members?: string[] }> = {
      'anna.sales': { status: 200, members: [annas.id] },
      'bela.sales': { status: 404 },
      'csilla.manager': { status: 200, members: [annas.id] },
      'dora.director': { status: 200, members: [annas.id, belas.id] },
      admin: { status: 200, members: [annas.id, belas.id] },
    };
    for (const [user, want] of Object.entries(expectations)) {
      const res = await as(h, user as DemoUser).get(`/company-groups/${g.id}`);
      expect(res.statusCode, user).toBe(want.status);
      expect((await as(h, user as DemoUser).get(`/company-groups/${g.id}/audit`)).statusCode, `${user} audit`).toBe(want.status);
      if (want.members) expect(ids(res.json().members), user).toEqual([...want.members].sort());
    }
  });

  it('a group with members cannot be deleted (409), even when the caller sees none of them; emptied, it can', async () => {
    const g = await given(h).group({ owner: 'anna.sales' });
    const belas = await given(h).company({ owner: 'bela.sales' });
    await as(h, 'dora.director').patch(`/companies/${belas.id}`, { groupId: g.id }, { 'if-match': '"1"' });
    const before = await tableCounts(h);
    const refused = await as(h, 'anna.sales').delete(`/company-groups/${g.id}`, { 'if-match': '"1"' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ type: expect.stringContaining('company-group-has-members') });
    expect(await tableCounts(h)).toEqual(before);
    await as(h, 'dora.director').patch(`/companies/${belas.id}`, { groupId: null }, { 'if-match': '"2"' });
    expect((await as(h, 'anna.sales').delete(`/company-groups/${g.id}`, { 'if-match': '"1"' })).statusCode).toBe(204);
    expect((await as(h, 'anna.sales').get(`/company-groups/${g.id}`)).statusCode).toBe(404);
  });

  it('a delete racing a company joining the group never leaves a member in a deleted group', async () => {
    for (let i = 0; i < 5; i++) {
      const g = await given(h).group();
      const c = await given(h).company();
      const [del, join] = await Promise.all([
        as(h, 'anna.sales').delete(`/company-groups/${g.id}`, { 'if-match': '"1"' }),
        as(h, 'anna.sales').patch(`/companies/${c.id}`, { groupId: g.id }, { 'if-match': '"1"' }),
      ]);
      const outcome = [del.statusCode, join.statusCode];
      expect([[204, 400], [409, 200]], `round ${i}: ${outcome}`).toContainEqual(outcome);
      const [row] = await h.orm.em.fork().execute<{ n: number }[]>(
        `select count(*)::int as n from partners.company c join partners.company_group g on g.id = c.group_id where g.deleted_at is not null and c.deleted_at is null`);
      expect(row!.n).toBe(0);
    }
  });

  it('a deleted member company does not hold the group', async () => {
    const g = await given(h).group();
    const c = await given(h).company();
    await as(h, 'anna.sales').patch(`/companies/${c.id}`, { groupId: g.id }, { 'if-match': '"1"' });
    await as(h, 'anna.sales').delete(`/companies/${c.id}`, { 'if-match': '"2"' });
    expect((await as(h, 'anna.sales').get(`/company-groups/${g.id}`)).json().members).toEqual([]);
    expect((await as(h, 'anna.sales').delete(`/company-groups/${g.id}`, { 'if-match': '"1"' })).statusCode).toBe(204);
  });
});

describe('group list and visibility', () => {
  it('reps see their own groups, managers their department, directors and admins all; lists, counts, detail and audit agree', async () => {
    const annas = await given(h).group({ owner: 'anna.sales' });
    const belas = await given(h).group({ owner: 'bela.sales' });
    const doras = await given(h).group({ owner: 'dora.director' });
    const all = [annas, belas, doras];
    const expectations: Record<string, string[]> = {
      'anna.sales': [annas.id],
      'bela.sales': [belas.id],
      'csilla.manager': [annas.id],
      'dora.director': all.map((g) => g.id),
      admin: all.map((g) => g.id),
    };
    for (const [user, visible] of Object.entries(expectations)) {
      const list = (await as(h, user as DemoUser).get('/company-groups?count=true')).json();
      expect(ids(list.items), user).toEqual([...visible].sort());
      expect(list.total, user).toBe(visible.length);
      for (const g of all) {
        expect((await as(h, user as DemoUser).get(`/company-groups/${g.id}`)).statusCode, `${user} → ${g.name}`).toBe(visible.includes(g.id) ? 200 : 404);
      }
    }
    const before = await tableCounts(h);
    expect((await as(h, 'anna.sales').patch(`/company-groups/${belas.id}`, { name: 'x' }, { 'if-match': '"1"' })).statusCode).toBe(404);
    expect((await as(h, 'csilla.manager').delete(`/company-groups/${belas.id}`, { 'if-match': '"1"' })).statusCode).toBe(404);
    expect(await tableCounts(h)).toEqual(before);
  });

  it('searches accent-insensitively, filters, sorts in Hungarian order and pages with a cursor; ownerId=me narrows to mine', async () => {
    for (const name of ['Ábel Holding', 'Zala Csoport', 'Béta Csoport', 'Kovács Cégcsoport']) await given(h).group({ owner: 'dora.director', name });
    await given(h).group({ owner: 'anna.sales', name: 'Anna csoportja' });
    const names = async (url: string) => (await as(h, 'dora.director').get(url)).json().items.map((g: { name: string }) => g.name);
    expect(await names(`/company-groups?q=${encodeURIComponent('kovacs')}`)).toEqual(['Kovács Cégcsoport']);
    expect(await names('/company-groups?ownerId=me')).toEqual(['Ábel Holding', 'Béta Csoport', 'Kovács Cégcsoport', 'Zala Csoport']);
    const filter = encodeURIComponent(JSON.stringify({ field: 'name', op: 'contains', value: 'csoport' }));
    expect(await names(`/company-groups?filter=${filter}&sort=-name`)).toEqual(['Zala Csoport', 'Kovács Cégcsoport', 'Béta Csoport', 'Anna csoportja']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/company-groups?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { items: { name: string }[]; nextCursor: string | null } = (await as(h, 'dora.director').get(url)).json();
      seen.push(...page.items.map((g) => g.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Ábel Holding', 'Anna csoportja', 'Béta Csoport', 'Kovács Cégcsoport', 'Zala Csoport']);
    const bad = await as(h, 'dora.director').get(`/company-groups?filter=${encodeURIComponent('{"field":"members","op":"eq","value":1}')}&sort=description`);
    expect(bad.statusCode).toBe(400);
    expect(paths(bad)).toEqual(['query.filter.field', 'query.sort']);
  });
});
