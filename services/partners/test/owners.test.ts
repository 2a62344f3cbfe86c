import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoUser } from '@kapocs/kit/testing';
import { as, given, idOf, outboxEvents, startPartners, tableCounts, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

const paths = (res: { json(): { errors?: { path: string }[] } }) => (res.json().errors ?? []).map((e) => e.path);
const NO_SUCH_ID = '01900000-0000-7000-8000-000000000000';

type Kind = 'companies' | 'persons';
const make = (kind: Kind, owner: DemoUser) => (kind === 'companies' ? given(h).company({ owner }) : given(h).person({ owner }));

describe.each(['companies', 'persons'] as Kind[])('bulk reassign of %s', (kind) => {
  const aggregate = kind === 'companies' ? 'company' : 'person';

  it('a rep may not reassign (403), not even their own records, and nothing is written', async () => {
    const mine = await make(kind, 'anna.sales');
    const before = await tableCounts(h);
    const res = await as(h, 'anna.sales').post(`/${kind}/reassign`, { ids: [mine.id], ownerId: await idOf('bela.sales') });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect((await as(h, 'erik.marketing').post(`/${kind}/reassign`, { ids: [mine.id], ownerId: await idOf('bela.sales') })).statusCode).toBe(403);
    expect(await tableCounts(h)).toEqual(before);
  });

  it('a manager reassigns within their department; a south record or an unknown id comes back in notFound untouched', async () => {
    const a1 = await make(kind, 'anna.sales');
    const a2 = await make(kind, 'anna.sales');
    const south = await make(kind, 'bela.sales');
    const csilla = await idOf('csilla.manager');
    const res = await as(h, 'csilla.manager').post(`/${kind}/reassign`, { ids: [a1.id, south.id, a2.id, NO_SUCH_ID, a1.id], ownerId: csilla });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ updated: 2, unchanged: [], notFound: [south.id, NO_SUCH_ID] });
    for (const r of [a1, a2]) {
      expect((await as(h, 'csilla.manager').get(`/${kind}/${r.id}`)).json()).toMatchObject({ ownerId: csilla, departmentId: 'north', version: 2 });
      expect((await as(h, 'anna.sales').get(`/${kind}/${r.id}`)).statusCode).toBe(404);
    }
    expect((await as(h, 'bela.sales').get(`/${kind}/${south.id}`)).json()).toMatchObject({ ownerId: await idOf('bela.sales'), version: 1 });
  });

  it('each reassigned record gets its audit entry, its updated event and its owner-changed event with from and to', async () => {
    const r = await make(kind, 'anna.sales');
    const anna = await idOf('anna.sales');
    const bela = await idOf('bela.sales');
    const res = await as(h, 'dora.director').post(`/${kind}/reassign`, { ids: [r.id], ownerId: bela, departmentId: 'south' });
    expect(res.json()).toMatchObject({ updated: 1 });
    const events = (await outboxEvents(h)).slice(1);
    expect(events.map((e) => e.subject)).toEqual([`crm.partners.${aggregate}.updated`, `crm.partners.${aggregate}.owner-changed`]);
    expect(events[0]!.envelope).toMatchObject({ data: { id: r.id, ownerId: bela, departmentId: 'south', version: 2, changed: ['ownerId', 'departmentId'] }, scope: { ownerId: bela, departmentId: 'south' } });
    expect(events[1]!.envelope).toMatchObject({
      aggregate: { type: aggregate, id: r.id },
      data: { id: r.id, from: { ownerId: anna, departmentId: 'north' }, to: { ownerId: bela, departmentId: 'south' }, version: 2 },
      scope: { ownerId: bela, departmentId: 'south' },
      actor: { sub: await idOf('dora.director') },
    });
    const audit = (await as(h, 'bela.sales').get(`/${kind}/${r.id}/audit`)).json().items;
    expect(audit[0]).toMatchObject({ action: 'reassigned', actor: { id: await idOf('dora.director') }, changes: { ownerId: { from: anna, to: bela }, departmentId: { from: 'north', to: 'south' } } });
    // the new owner and their department see it; the old owner and her manager no longer do
    expect((await as(h, 'bela.sales').get(`/${kind}?count=true`)).json().total).toBe(1);
    expect((await as(h, 'csilla.manager').get(`/${kind}?count=true`)).json().total).toBe(0);
  });

  it('a manager may not move records into another department (403), and nothing is written', async () => {
    const r = await make(kind, 'anna.sales');
    const before = await tableCounts(h);
    const res = await as(h, 'csilla.manager').post(`/${kind}/reassign`, { ids: [r.id], ownerId: await idOf('bela.sales'), departmentId: 'south' });
    expect(res.statusCode).toBe(403);
    expect(await tableCounts(h)).toEqual(before);
  });

  it('records that already have that owner are reported unchanged and get no version, audit or event', async () => {
    const r = await make(kind, 'anna.sales');
    const before = await tableCounts(h);
    const res = await as(h, 'admin').post(`/${kind}/reassign`, { ids: [r.id], ownerId: await idOf('anna.sales') });
    expect(res.json()).toEqual({ updated: 0, unchanged: [r.id], notFound: [] });
    expect(await tableCounts(h)).toEqual(before);
  });

  it('when the request is malformed, answers 400 naming the fields and writes nothing', async () => {
    const r = await make(kind, 'anna.sales');
    const before = await tableCounts(h);
    const bad = await as(h, 'dora.director').post(`/${kind}/reassign`, { ids: [r.id, 'nope'], ownerId: '', extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(paths(bad)).toEqual(expect.arrayContaining(['ids.1', 'ownerId']));
    const tooMany = await as(h, 'dora.director').post(`/${kind}/reassign`, { ids: Array.from({ length: 501 }, () => r.id), ownerId: 'x' });
    expect(tooMany.statusCode).toBe(400);
    expect(paths(tooMany)).toEqual(['ids']);
    expect(paths(await as(h, 'dora.director').post(`/${kind}/reassign`, { ids: [], ownerId: 'x' }))).toEqual(['ids']);
    expect(await tableCounts(h)).toEqual(before);
  });
});

describe('single reassign and "mine"', () => {
  it('changing a company owner by PATCH records company.owner-changed beside company.updated', async () => {
    const c = await given(h).company({ owner: 'anna.sales' });
    const csilla = await idOf('csilla.manager');
    const res = await as(h, 'csilla.manager').patch(`/companies/${c.id}`, { ownerId: csilla }, { 'if-match': '"1"' });
    expect(res.statusCode).toBe(200);
    const events = (await outboxEvents(h)).slice(1);
    expect(events.map((e) => e.envelope.type)).toEqual(['partners.company.updated', 'partners.company.owner-changed']);
    expect(events[1]!.envelope.data).toMatchObject({ from: { ownerId: await idOf('anna.sales'), departmentId: 'north' }, to: { ownerId: csilla, departmentId: 'north' } });
  });

  it('a rep may not hand a company over by PATCH', async () => {
    const c = await given(h).company({ owner: 'anna.sales' });
    const before = await tableCounts(h);
    expect((await as(h, 'anna.sales').patch(`/companies/${c.id}`, { ownerId: await idOf('bela.sales') }, { 'if-match': '"1"' })).statusCode).toBe(403);
    expect(await tableCounts(h)).toEqual(before);
  });

  it('ownerId=me lists only the caller\'s companies, inside what they may see', async () => {
    await given(h).company({ owner: 'anna.sales' });
    const mine = await given(h).company({ owner: 'csilla.manager' });
    await given(h).company({ owner: 'bela.sales' });
    const res = (await as(h, 'csilla.manager').get('/companies?ownerId=me&count=true')).json();
    expect(res.total).toBe(1);
    expect(res.items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    expect((await as(h, 'csilla.manager').get('/companies?count=true')).json().total).toBe(2);
    // naming another user narrows the same way, and never widens visibility
    expect((await as(h, 'csilla.manager').get(`/companies?ownerId=${await idOf('bela.sales')}&count=true`)).json().total).toBe(0);
  });

  it('a filter or sort on a name that only exists on every JavaScript object (constructor, toString) answers 400, not 500', async () => {
    for (const list of ['/companies', '/persons', '/company-groups']) {
      for (const field of ['constructor', 'toString', '__proto__']) {
        const filter = encodeURIComponent(JSON.stringify({ field, op: 'eq', value: 'x' }));
        const res = await as(h, 'admin').get(`${list}?filter=${filter}`);
        expect(res.statusCode, `${list} ${field}`).toBe(400);
        expect(paths(res), `${list} ${field}`).toEqual(['query.filter.field']);
        expect((await as(h, 'admin').get(`${list}?sort=${field}`)).statusCode, `${list} sort ${field}`).toBe(400);
      }
    }
  });
});
