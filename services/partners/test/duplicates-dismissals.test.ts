import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { as, given, idOf, startPartners, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

type User = Parameters<typeof as>[1];
type Pair = { a: { id: string; name: string }; b: { id: string; name: string }; reasons: string[]; score: number };
type Dismissal = { entity: string; aId: string; bId: string; a: { id: string; name: string }; b: { id: string; name: string }; dismissedBy: string; dismissedAt: string };

const pairsOf = async (user: User, entity: 'company' | 'person' = 'company'): Promise<Pair[]> => {
  const res = await as(h, user).get(`/duplicates?entity=${entity}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
};
const dismissalsOf = async (user: User, entity: 'company' | 'person' = 'company', extra = ''): Promise<{ items: Dismissal[]; nextCursor: string | null }> => {
  const res = await as(h, user).get(`/duplicates/dismissals?entity=${entity}${extra}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const idsOf = (p: { a: { id: string }; b: { id: string } }) => [p.a.id, p.b.id].sort();
const dismiss = (user: User, body: unknown, headers?: Record<string, string>) => as(h, user).post('/duplicates/dismissals', body, headers);

/** What a dismissal writes: its row and the audit entries on both records. */
async function written() {
  const [row] = await h.orm.em.fork().execute<{ dismissals: number; audit: number }[]>(
    `select (select count(*)::int from partners.duplicate_dismissal) as dismissals,
            (select count(*)::int from partners.audit_log where action like 'duplicate-%') as audit`,
  );
  return row!;
}

/** Two companies the list pairs by name ("Kovács Kft." / "KOVACS Kft"). */
async function companyPair(owner: User = 'anna.sales') {
  const a = await given(h).company({ owner, name: 'Kovács Kft.' });
  const b = await given(h).company({ owner, name: 'KOVACS Kft' });
  return { a, b };
}

describe('dismissing a duplicate pair ("not duplicates")', () => {
  it('takes the pair out of the list for everyone, and answers 201 with the pair in id order', async () => {
    const { a, b } = await companyPair();
    const other = await given(h).company({ name: 'Napfény Pékség Bt.' });
    await given(h).company({ name: 'Napfeny Pekseg' });
    expect(await pairsOf('anna.sales')).toHaveLength(2);

    const [small, large] = [a.id, b.id].sort();
    const res = await dismiss('anna.sales', { entity: 'company', aId: large, bId: small });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as Dismissal;
    expect(body).toMatchObject({ entity: 'company', aId: small, bId: large, dismissedBy: await idOf('anna.sales') });
    expect(idsOf(body)).toEqual([small, large]);
    expect(body.a.id).toBe(small);
    expect(Date.parse(body.dismissedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(res.headers.location).toBe(`/duplicates/dismissals/company/${small}/${large}`);

    for (const user of ['anna.sales', 'csilla.manager', 'dora.director'] as const) {
      const pairs = await pairsOf(user);
      expect(pairs.map(idsOf), user).not.toContainEqual([a.id, b.id].sort());
      expect(pairs.flatMap(idsOf), user).toContain(other.id);
    }
    expect((await dismissalsOf('dora.director')).items.map(idsOf)).toEqual([[a.id, b.id].sort()]);
  });

  it('audits the dismissal on both records', async () => {
    const { a, b } = await companyPair();
    await dismiss('anna.sales', { entity: 'company', aId: a.id, bId: b.id });
    for (const [id, other] of [[a.id, b.id], [b.id, a.id]]) {
      const audit = (await as(h, 'anna.sales').get(`/companies/${id}/audit`)).json().items;
      expect(audit[0]).toMatchObject({ action: 'duplicate-dismissed', actor: { id: await idOf('anna.sales') }, changes: { notDuplicateOf: { from: null, to: other } } });
    }
  });

  it('when repeated (by anyone, either order), answers 200 with the same dismissal and writes nothing', async () => {
    const { a, b } = await companyPair();
    const first = await dismiss('anna.sales', { entity: 'company', aId: a.id, bId: b.id });
    expect(first.statusCode).toBe(201);
    const before = await written();
    const again = await dismiss('anna.sales', { entity: 'company', aId: b.id, bId: a.id });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    const byOther = await dismiss('csilla.manager', { entity: 'company', aId: a.id, bId: b.id });
    expect(byOther.statusCode).toBe(200);
    expect(byOther.json()).toEqual(first.json());
    expect(await written()).toEqual(before);
  });

  it('with an Idempotency-Key, a replay answers the first answer', async () => {
    const { a, b } = await companyPair();
    const key = { 'idempotency-key': `dismiss-${Date.now()}` };
    const first = await dismiss('anna.sales', { entity: 'company', aId: a.id, bId: b.id }, key);
    expect(first.statusCode, first.body).toBe(201);
    const replay = await dismiss('anna.sales', { entity: 'company', aId: a.id, bId: b.id }, key);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    expect((await written()).dismissals).toBe(1);
  });

  it('keeps the pair hidden after the records change and their pairs are refreshed again', async () => {
    const { a, b } = await companyPair();
    await dismiss('anna.sales', { entity: 'company', aId: a.id, bId: b.id });
    const renamed = await as(h, 'anna.sales').patch(`/companies/${b.id}`, { name: 'Kovacs Kft.' }, { 'if-match': `"${b.version}"` });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await pairsOf('anna.sales')).toEqual([]);
    // the refresh did run and found the pair again: only the dismissal keeps it out
    const kept = await h.orm.em.fork().execute(`select 1 from partners.company_duplicate where a_id = least(?::uuid, ?::uuid) and b_id = greatest(?::uuid, ?::uuid)`, [a.id, b.id, a.id, b.id]);
    expect(kept).toHaveLength(1);
    expect(await pairsOf('dora.director')).toEqual([]);
  });

  it('works for persons too', async () => {
    const p = await given(h).person({ familyName: 'Nagy', givenName: 'Péter', emails: ['p@example.hu'] });
    const q = await given(h).person({ familyName: 'Kiss', givenName: 'Anna', emails: ['P@example.hu'] });
    expect(await pairsOf('anna.sales', 'person')).toHaveLength(1);
    const res = await dismiss('anna.sales', { entity: 'person', aId: p.id, bId: q.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().a).toMatchObject({ familyName: expect.any(String), emails: expect.any(Array) });
    expect(await pairsOf('anna.sales', 'person')).toEqual([]);
    // a person dismissal is no company dismissal
    expect((await dismissalsOf('anna.sales', 'company')).items).toEqual([]);
    expect((await dismissalsOf('anna.sales', 'person')).items.map(idsOf)).toEqual([[p.id, q.id].sort()]);
  });
});

describe('undoing a dismissal', () => {
  it('brings the pair back at once, answers 204, audits both records, and a second undo answers 404', async () => {
    const { a, b } = await companyPair();
    await dismiss('anna.sales', { entity: 'company', aId: a.id, bId: b.id });
    expect(await pairsOf('anna.sales')).toEqual([]);

    const undo = await as(h, 'anna.sales').delete(`/duplicates/dismissals/company/${b.id}/${a.id}`);
    expect(undo.statusCode, undo.body).toBe(204);
    expect((await pairsOf('anna.sales')).map(idsOf)).toEqual([[a.id, b.id].sort()]);
    expect((await dismissalsOf('anna.sales')).items).toEqual([]);
    const audit = (await as(h, 'anna.sales').get(`/companies/${a.id}/audit`)).json().items;
    expect(audit.slice(0, 2).map((e: { action: string }) => e.action)).toEqual(['duplicate-restored', 'duplicate-dismissed']);
    expect(audit[0].changes).toEqual({ notDuplicateOf: { from: b.id, to: null } });

    const before = await written();
    const again = await as(h, 'anna.sales').delete(`/duplicates/dismissals/company/${a.id}/${b.id}`);
    expect(again.statusCode).toBe(404);
    expect(again.headers['content-type']).toMatch(/problem\+json/);
    expect(again.json().type).toMatch(/duplicate-dismissal-not-found$/);
    expect(await written()).toEqual(before);
  });
});

describe('who may dismiss and see dismissals', () => {
  it('when a pair includes a company the caller may not see, answers 404 and writes nothing', async () => {
    const annas = await given(h).company({ owner: 'anna.sales', name: 'Kovács Kft.' });
    const belas = await given(h).company({ owner: 'bela.sales', name: 'Kovacs Kft' });
    const before = await written();
    const res = await dismiss('anna.sales', { entity: 'company', aId: annas.id, bId: belas.id });
    expect(res.statusCode, res.body).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().type).toMatch(/company-not-found$/);
    expect(res.body).not.toContain('Kovacs');
    expect(await written()).toEqual(before);
    // nor a record that does not exist, nor a company id sent as a person
    const ghost = await dismiss('anna.sales', { entity: 'company', aId: annas.id, bId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' });
    expect(ghost.statusCode).toBe(404);
    const other = await given(h).company({ owner: 'anna.sales' });
    const asPerson = await dismiss('anna.sales', { entity: 'person', aId: annas.id, bId: other.id });
    expect(asPerson.statusCode).toBe(404);
    expect(await written()).toEqual(before);
    // the director sees the pair, dismisses it
    expect((await pairsOf('dora.director')).map(idsOf)).toEqual([[annas.id, belas.id].sort()]);
    expect((await dismiss('dora.director', { entity: 'company', aId: annas.id, bId: belas.id })).statusCode).toBe(201);
  });

  it('lists and undoes only dismissals whose both records the caller may see', async () => {
    const annas = await given(h).company({ owner: 'anna.sales', name: 'Kovács Kft.' });
    const belas = await given(h).company({ owner: 'bela.sales', name: 'Kovacs Kft' });
    const annas2 = await given(h).company({ owner: 'anna.sales', name: 'Kovács Kft' });
    for (const [x, y] of [[annas, belas], [annas, annas2], [belas, annas2]]) {
      expect((await dismiss('dora.director', { entity: 'company', aId: x!.id, bId: y!.id })).statusCode).toBe(201);
    }
    expect((await dismissalsOf('anna.sales')).items.map(idsOf)).toEqual([[annas.id, annas2.id].sort()]);
    expect((await dismissalsOf('bela.sales')).items).toEqual([]);
    expect((await dismissalsOf('dora.director')).items).toHaveLength(3);

    const refused = await as(h, 'anna.sales').delete(`/duplicates/dismissals/company/${annas.id}/${belas.id}`);
    expect(refused.statusCode).toBe(404);
    expect((await dismissalsOf('dora.director')).items).toHaveLength(3);
  });

  it('leaves a dismissal with a deleted record out of the list (the row stays, harmless)', async () => {
    const { a, b } = await companyPair();
    await dismiss('anna.sales', { entity: 'company', aId: a.id, bId: b.id });
    expect((await as(h, 'anna.sales').delete(`/companies/${b.id}`, { 'if-match': `"${b.version}"` })).statusCode).toBe(204);
    expect((await dismissalsOf('dora.director')).items).toEqual([]);
    expect((await written()).dismissals).toBe(1);
  });
});

describe('the dismissed pairs list', () => {
  it('answers newest first and pages with a cursor', async () => {
    const pairs = [];
    for (const name of ['Kovács', 'Napfény', 'Dinnye']) {
      const a = await given(h).company({ name: `${name} Kft.` });
      const b = await given(h).company({ name: `${name} Kft` });
      pairs.push([a.id, b.id].sort());
      await dismiss('anna.sales', { entity: 'company', aId: a.id, bId: b.id });
    }
    const all = (await dismissalsOf('anna.sales')).items;
    expect(all.map(idsOf)).toEqual([...pairs].reverse());
    const seen: Dismissal[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Dismissal[]; nextCursor: string | null } = await dismissalsOf('anna.sales', 'company', `&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });
});

describe('refused requests', () => {
  it('names every bad field with 400 and writes nothing', async () => {
    const { a, b } = await companyPair();
    const before = await written();
    const pathsOf = async (body: unknown) => {
      const res = await dismiss('anna.sales', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      return res.json().errors.map((e: { path: string }) => e.path).sort();
    };
    expect(await pathsOf({ entity: 'company', aId: a.id, bId: a.id })).toEqual(['bId']);
    expect(await pathsOf({ entity: 'company', aId: a.id, bId: a.id.toUpperCase() })).toEqual(['bId']);
    expect(await pathsOf({ entity: 'activity', aId: a.id, bId: b.id })).toEqual(['entity']);
    expect(await pathsOf({ entity: 'company', aId: 'nope', bId: b.id })).toEqual(['aId']);
    expect(await pathsOf({ entity: 'activity', aId: a.id, bId: a.id })).toEqual(['bId', 'entity']);
    expect(await pathsOf({ aId: a.id })).toEqual(['bId', 'entity']);
    expect(await pathsOf({ entity: 'company', aId: a.id, bId: b.id, reason: 'x' })).toEqual(['(body)']);
    expect(await written()).toEqual(before);

    const badUndo = await as(h, 'anna.sales').delete(`/duplicates/dismissals/activity/${a.id}/nope`);
    expect(badUndo.statusCode).toBe(400);
    expect(badUndo.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['params.bId', 'params.entity']);
    const badList = await as(h, 'anna.sales').get('/duplicates/dismissals?entity=company&cursor=bm9wZQ');
    expect(badList.statusCode).toBe(400);
    expect(badList.json().errors.map((e: { path: string }) => e.path)).toEqual(['query.cursor']);
    const noEntity = await as(h, 'anna.sales').get('/duplicates/dismissals');
    expect(noEntity.statusCode).toBe(400);
    expect(noEntity.json().errors.map((e: { path: string }) => e.path)).toEqual(['query.entity']);
  });
});
