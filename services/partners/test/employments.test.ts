import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoUser } from '@kapocs/kit/testing';
import { as, given, idOf, outboxEvents, startPartners, tableCounts, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

const paths = (res: { json(): { errors?: { path: string }[] } }) => (res.json().errors ?? []).map((e) => e.path);
const person = async (id: string, user: DemoUser = 'anna.sales') => {
  const res = await as(h, user).get(`/persons/${id}`);
  return { ...res.json(), etag: res.headers.etag as string };
};

describe('adding employments', () => {
  it('adds a current employment: the person answer shows the employer by name, as primary, and the person version moves', async () => {
    const p = await given(h).person({ owner: 'anna.sales' });
    const c = await given(h).company({ owner: 'anna.sales', name: 'Alfa Kft.' });
    const res = await as(h, 'anna.sales').post(`/persons/${p.id}/employments`, { companyId: c.id, role: 'beszerző', from: '2021-03-01' });
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"2"');
    expect(res.headers.location).toBe(`/employments/${res.json().id}`);
    expect(res.json()).toEqual({
      id: expect.any(String), personId: p.id, companyId: c.id, companyName: 'Alfa Kft.', companyVisible: true,
      role: 'beszerző', from: '2021-03-01', to: null, primary: true, current: true,
    });
    const after = await person(p.id);
    expect(after).toMatchObject({ version: 2, etag: '"2"', employments: [res.json()] });
    expect((await as(h, 'anna.sales').get(`/persons/${p.id}/employments`)).json().items).toEqual([res.json()]);
    expect((await as(h, 'anna.sales').get(`/employments/${res.json().id}`)).json()).toEqual(res.json());
  });

  it('records partners.employment.started with personId, companyId and the person\'s scope, and audits it on the person', async () => {
    const p = await given(h).person({ owner: 'anna.sales' });
    const c = await given(h).company({ owner: 'anna.sales' });
    const e = await given(h).employment(p, c, { from: '2022-01-10' });
    const events = (await outboxEvents(h)).filter((r) => r.envelope.type.startsWith('partners.employment.'));
    expect(events.map((r) => r.subject)).toEqual(['crm.partners.employment.started']);
    expect(events[0]!.envelope).toMatchObject({
      aggregate: { type: 'employment', id: e.id },
      data: { id: e.id, personId: p.id, companyId: c.id, from: '2022-01-10', to: null, primary: true },
      scope: { ownerId: await idOf('anna.sales'), departmentId: 'north' },
    });
    const audit = (await as(h, 'anna.sales').get(`/persons/${p.id}/audit`)).json().items;
    expect(audit[0]).toMatchObject({ action: 'employment-added', changes: { [`employments.${e.id}`]: { from: null, to: { companyId: c.id, from: '2022-01-10', primary: true } } } });
  });

  it('a past employment entered with its end is former, not primary by default, and both started and ended are recorded', async () => {
    const p = await given(h).person();
    const c = await given(h).company();
    const e = await given(h).employment(p, c, { from: '2010-01-01', to: '2015-06-30' });
    expect(e).toMatchObject({ current: false, primary: false, to: '2015-06-30' });
    const types = (await outboxEvents(h)).map((r) => r.envelope.type).filter((t) => t.startsWith('partners.employment.'));
    expect(types).toEqual(['partners.employment.started', 'partners.employment.ended']);
  });

  it('when the dates are malformed or end before they start, answers 400 naming the field and writes nothing', async () => {
    const p = await given(h).person();
    const c = await given(h).company();
    const before = await tableCounts(h);
    const post = (body: unknown) => as(h, 'anna.sales').post(`/persons/${p.id}/employments`, body);
    const backwards = await post({ companyId: c.id, from: '2022-05-01', to: '2022-04-30' });
    expect(backwards.statusCode).toBe(400);
    expect(paths(backwards)).toEqual(['to']);
    const bad = await post({ companyId: 'not-a-uuid', from: '2023-02-29', to: '31/12/2023', primary: 'yes', role: '', companyName: 'X' });
    expect(bad.statusCode).toBe(400);
    expect(paths(bad)).toEqual(expect.arrayContaining(['companyId', 'from', 'to', 'primary', 'role']));
    expect(JSON.stringify(bad.json().errors)).toContain('companyName');
    const missing = await post({});
    expect(paths(missing)).toEqual(expect.arrayContaining(['companyId', 'from']));
    expect(await tableCounts(h)).toEqual(before);
  });

  it('when the company does not exist, is deleted or is not visible to the caller, answers 400 naming companyId and writes nothing', async () => {
    const p = await given(h).person({ owner: 'anna.sales' });
    const belas = await given(h).company({ owner: 'bela.sales' });
    const gone = await given(h).company({ owner: 'anna.sales' });
    await as(h, 'anna.sales').delete(`/companies/${gone.id}`, { 'if-match': '"1"' });
    const before = await tableCounts(h);
    for (const companyId of [belas.id, gone.id, '01900000-0000-7000-8000-000000000000']) {
      const res = await as(h, 'anna.sales').post(`/persons/${p.id}/employments`, { companyId, from: '2020-01-01' });
      expect(res.statusCode, companyId).toBe(400);
      expect(paths(res)).toEqual(['companyId']);
    }
    expect(await tableCounts(h)).toEqual(before);
  });

  it('when the person is not visible, answers 404', async () => {
    const p = await given(h).person({ owner: 'bela.sales' });
    const c = await given(h).company({ owner: 'anna.sales' });
    const res = await as(h, 'anna.sales').post(`/persons/${p.id}/employments`, { companyId: c.id, from: '2020-01-01' });
    expect(res.statusCode).toBe(404);
    expect((await as(h, 'anna.sales').get(`/persons/${p.id}/employments`)).statusCode).toBe(404);
    expect((await tableCounts(h)).employments).toBe(0);
  });

  it('an If-Match on POST is checked against the person version', async () => {
    const p = await given(h).person();
    const c = await given(h).company();
    await as(h, 'anna.sales').patch(`/persons/${p.id}`, { position: 'x' }, { 'if-match': '"1"' });
    const stale = await as(h, 'anna.sales').post(`/persons/${p.id}/employments`, { companyId: c.id, from: '2020-01-01' }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    const fresh = await as(h, 'anna.sales').post(`/persons/${p.id}/employments`, { companyId: c.id, from: '2020-01-01' }, { 'if-match': '"2"' });
    expect(fresh.statusCode).toBe(201);
  });

  it('replays the first answer for the same Idempotency-Key and adds once', async () => {
    const p = await given(h).person();
    const c = await given(h).company();
    const headers = { 'idempotency-key': 'add-employment-0001' };
    const first = await as(h, 'anna.sales').post(`/persons/${p.id}/employments`, { companyId: c.id, from: '2020-01-01' }, headers);
    const second = await as(h, 'anna.sales').post(`/persons/${p.id}/employments`, { companyId: c.id, from: '2020-01-01' }, headers);
    expect(second.json()).toEqual(first.json());
    expect((await tableCounts(h)).employments).toBe(1);
  });
});

describe('primary employment', () => {
  it('at most one current employment is primary: making another one primary takes the flag from the first', async () => {
    const p = await given(h).person();
    const a = await given(h).company({ name: 'A Kft.' });
    const b = await given(h).company({ name: 'B Kft.' });
    const first = await given(h).employment(p, a, { from: '2019-01-01' });
    const second = await given(h).employment(p, b, { from: '2021-01-01' });
    expect(first.primary).toBe(true);
    expect(second.primary).toBe(false);
    const { etag } = await person(p.id);
    const res = await as(h, 'anna.sales').patch(`/employments/${second.id}`, { primary: true }, { 'if-match': etag });
    expect(res.statusCode).toBe(200);
    expect(res.json().primary).toBe(true);
    const after = await person(p.id);
    expect(after.employments.map((e: { companyName: string; primary: boolean }) => [e.companyName, e.primary])).toEqual([['B Kft.', true], ['A Kft.', false]]);
    const updated = (await outboxEvents(h)).filter((r) => r.envelope.type === 'partners.employment.updated');
    expect(updated.map((r) => [r.envelope.data.id, r.envelope.data.changed])).toEqual([[second.id, ['primary']], [first.id, ['primary']]]);
  });

  it('adding a new primary employment unsets the current primary one but leaves a former primary alone', async () => {
    const p = await given(h).person();
    const [old, a, b] = [await given(h).company(), await given(h).company(), await given(h).company()];
    const former = await given(h).employment(p, old, { from: '2005-01-01', to: '2009-12-31', primary: true });
    const current = await given(h).employment(p, a, { from: '2015-01-01' });
    const newest = await given(h).employment(p, b, { from: '2024-01-01', primary: true });
    const flags = Object.fromEntries((await person(p.id)).employments.map((e: { id: string; primary: boolean }) => [e.id, e.primary]));
    expect(flags).toEqual({ [former.id]: true, [current.id]: false, [newest.id]: true });
    expect(current.primary).toBe(true);
  });
});

describe('concurrent employment changes', () => {
  it('two clients making different employments primary with the same ETag: one wins, the other gets 412, one primary remains', async () => {
    const p = await given(h).person();
    const [a, b, c] = [await given(h).company(), await given(h).company(), await given(h).company()];
    await given(h).employment(p, a);
    const eb = await given(h).employment(p, b);
    const ec = await given(h).employment(p, c);
    const { etag } = await person(p.id);
    const results = await Promise.all([eb, ec].map((e) => as(h, 'anna.sales').patch(`/employments/${e.id}`, { primary: true }, { 'if-match': etag })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412]);
    const primaries = (await person(p.id)).employments.filter((e: { primary: boolean; current: boolean }) => e.primary && e.current);
    expect(primaries).toHaveLength(1);
    expect(primaries[0].id).toBe(results[0]!.statusCode === 200 ? eb.id : ec.id);
  });
});

describe('changing and ending employments', () => {
  it('ending an employment is setting `to`: it records partners.employment.ended and the employment becomes former', async () => {
    const p = await given(h).person();
    const c = await given(h).company();
    const e = await given(h).employment(p, c, { from: '2018-01-01', role: 'mérnök' });
    const res = await as(h, 'anna.sales').patch(`/employments/${e.id}`, { to: '2023-12-31' }, { 'if-match': '"2"' });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"3"');
    expect(res.json()).toMatchObject({ to: '2023-12-31', current: false, role: 'mérnök' });
    const ended = (await outboxEvents(h)).filter((r) => r.envelope.type === 'partners.employment.ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.envelope).toMatchObject({ data: { personId: p.id, companyId: c.id, to: '2023-12-31', changed: ['to'] }, scope: { ownerId: await idOf('anna.sales') } });
    const people = (await as(h, 'anna.sales').get(`/companies/${c.id}/persons`)).json();
    expect(people.current).toEqual([]);
    expect(people.former.map((x: { id: string }) => x.id)).toEqual([p.id]);
    const audit = (await as(h, 'anna.sales').get(`/persons/${p.id}/audit`)).json().items;
    expect(audit[0]).toMatchObject({ action: 'employment-updated', changes: { [`employments.${e.id}.to`]: { from: null, to: '2023-12-31' } } });
  });

  it('a change that would end before the start answers 400 naming `to`; a company change is refused; nothing is written', async () => {
    const p = await given(h).person();
    const c = await given(h).company();
    const e = await given(h).employment(p, c, { from: '2018-06-01' });
    const before = await tableCounts(h);
    const backwards = await as(h, 'anna.sales').patch(`/employments/${e.id}`, { to: '2018-05-31' }, { 'if-match': '"2"' });
    expect(backwards.statusCode).toBe(400);
    expect(paths(backwards)).toEqual(['to']);
    const later = await as(h, 'anna.sales').patch(`/employments/${e.id}`, { from: '2030-01-01', to: '2029-01-01' }, { 'if-match': '"2"' });
    expect(paths(later)).toEqual(['to']);
    const moved = await as(h, 'anna.sales').patch(`/employments/${e.id}`, { companyId: c.id, from: 'tegnap' }, { 'if-match': '"2"' });
    expect(moved.statusCode).toBe(400);
    expect(paths(moved)).toEqual(expect.arrayContaining(['from']));
    expect(JSON.stringify(moved.json().errors)).toContain('companyId');
    expect(await tableCounts(h)).toEqual(before);
  });

  it('If-Match of an employment change is the person\'s ETag: stale answers 412, missing 428, and nothing changes', async () => {
    const p = await given(h).person();
    const c = await given(h).company();
    const e = await given(h).employment(p, c);
    const before = await tableCounts(h);
    expect((await as(h, 'anna.sales').patch(`/employments/${e.id}`, { role: 'x' }, { 'if-match': '"1"' })).statusCode).toBe(412);
    expect((await as(h, 'anna.sales').delete(`/employments/${e.id}`, { 'if-match': '"1"' })).statusCode).toBe(412);
    expect((await as(h, 'anna.sales').patch(`/employments/${e.id}`, { role: 'x' })).statusCode).toBe(428);
    expect((await as(h, 'anna.sales').delete(`/employments/${e.id}`)).statusCode).toBe(428);
    expect(await tableCounts(h)).toEqual(before);
    // and a person edit after an employment change needs the new ETag too
    expect((await as(h, 'anna.sales').patch(`/persons/${p.id}`, { position: 'x' }, { 'if-match': '"1"' })).statusCode).toBe(412);
  });

  it('deletes an employment entered by mistake: gone from the person, recorded as deleted, audited on the person', async () => {
    const p = await given(h).person();
    const c = await given(h).company();
    const e = await given(h).employment(p, c);
    expect((await as(h, 'anna.sales').delete(`/employments/${e.id}`, { 'if-match': '"2"' })).statusCode).toBe(204);
    expect((await person(p.id)).employments).toEqual([]);
    expect((await as(h, 'anna.sales').get(`/employments/${e.id}`)).statusCode).toBe(404);
    expect((await outboxEvents(h)).at(-1)!.envelope).toMatchObject({ type: 'partners.employment.deleted', data: { id: e.id, personId: p.id, companyId: c.id } });
    expect((await as(h, 'anna.sales').get(`/persons/${p.id}/audit`)).json().items[0]).toMatchObject({ action: 'employment-removed' });
  });

  it('the employment of a person one may not see answers 404 to get, patch and delete', async () => {
    const p = await given(h).person({ owner: 'bela.sales' });
    const c = await given(h).company({ owner: 'bela.sales' });
    const e = await given(h).employment(p, c, { by: 'bela.sales' });
    const before = await tableCounts(h);
    expect((await as(h, 'anna.sales').get(`/employments/${e.id}`)).statusCode).toBe(404);
    expect((await as(h, 'csilla.manager').patch(`/employments/${e.id}`, { role: 'x' }, { 'if-match': '"2"' })).statusCode).toBe(404);
    expect((await as(h, 'anna.sales').delete(`/employments/${e.id}`, { 'if-match': '"2"' })).statusCode).toBe(404);
    expect(await tableCounts(h)).toEqual(before);
  });
});

describe('people of a company and employers of a person, by visibility', () => {
  it('GET /companies/{id}/persons lists current and former people the caller may see; the company itself must be visible', async () => {
    const company = await given(h).company({ owner: 'anna.sales', name: 'Közös Kft.' });
    const annas = await given(h).person({ owner: 'anna.sales', familyName: 'Anna-féle' });
    const csillas = await given(h).person({ owner: 'csilla.manager', familyName: 'Csilla-féle' });
    const belas = await given(h).person({ owner: 'bela.sales', familyName: 'Béla-féle' });
    await given(h).employment(annas, company, { by: 'anna.sales', role: 'vezető', from: '2020-01-01' });
    await given(h).employment(csillas, company, { by: 'csilla.manager', from: '2015-01-01', to: '2019-12-31' });
    await given(h).employment(belas, company, { by: 'dora.director', from: '2021-01-01' });

    const expectations: Record<string, { status: number; current?: string[]; former?: string[] }> = {
      'anna.sales': { status: 200, current: [annas.id], former: [] },
      'bela.sales': { status: 404 },
      'csilla.manager': { status: 200, current: [annas.id], former: [csillas.id] },
      'dora.director': { status: 200, current: [annas.id, belas.id], former: [csillas.id] },
      admin: { status: 200, current: [annas.id, belas.id], former: [csillas.id] },
    };
    for (const [user, want] of Object.entries(expectations)) {
      const res = await as(h, user as DemoUser).get(`/companies/${company.id}/persons`);
      expect(res.statusCode, user).toBe(want.status);
      if (want.status !== 200) continue;
      const body = res.json();
      expect(body.current.map((x: { id: string }) => x.id).sort(), user).toEqual([...want.current!].sort());
      expect(body.former.map((x: { id: string }) => x.id), user).toEqual(want.former);
    }
    const row = (await as(h, 'anna.sales').get(`/companies/${company.id}/persons`)).json().current[0];
    expect(row).toMatchObject({ id: annas.id, displayName: annas.displayName, role: 'vezető', from: '2020-01-01', to: null, primary: true, employmentId: expect.any(String) });
  });

  it('a person\'s employer that the caller may not see keeps its dates and role but not its name', async () => {
    const belasPerson = await given(h).person({ owner: 'bela.sales' });
    const annasCompany = await given(h).company({ owner: 'anna.sales', name: 'Titkos Kft.' });
    await given(h).employment(belasPerson, annasCompany, { by: 'dora.director', role: 'tanácsadó' });
    const seenByBela = (await person(belasPerson.id, 'bela.sales')).employments;
    expect(seenByBela).toEqual([expect.objectContaining({ companyId: annasCompany.id, companyName: null, companyVisible: false, role: 'tanácsadó', current: true })]);
    const seenByDora = (await person(belasPerson.id, 'dora.director')).employments;
    expect(seenByDora[0]).toMatchObject({ companyName: 'Titkos Kft.', companyVisible: true });
    const listed = (await as(h, 'bela.sales').get('/persons')).json().items[0].employments;
    expect(listed).toEqual(seenByBela);
  });

  it('a person\'s answer lists current employers first, then former ones, each with the company name and current flag', async () => {
    const p = await given(h).person();
    const old = await given(h).company({ name: 'Régi Zrt.' });
    const now = await given(h).company({ name: 'Mostani Kft.' });
    await given(h).employment(p, old, { from: '2000-01-01', to: '2010-01-01' });
    await given(h).employment(p, now, { from: '2011-01-01' });
    const employments = (await person(p.id)).employments;
    expect(employments.map((e: { companyName: string; current: boolean }) => [e.companyName, e.current])).toEqual([['Mostani Kft.', true], ['Régi Zrt.', false]]);
  });
});
