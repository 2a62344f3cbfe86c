import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { as, given, startPartners, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

type Pair = { a: { id: string; name: string }; b: { id: string; name: string }; reasons: string[]; score: number };
const pairsOf = async (user: Parameters<typeof as>[1], entity: 'company' | 'person' = 'company'): Promise<Pair[]> => {
  const res = await as(h, user).get(`/duplicates?entity=${entity}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
};
const idsOf = (p: Pair) => [p.a.id, p.b.id].sort();
const TAX = '12345676-2-41';

describe('duplicate companies', () => {
  it('finds companies with the same tax number', async () => {
    const a = await given(h).company({ name: 'Alfa Kereskedelmi Kft.', taxNumber: TAX });
    const b = await given(h).company({ name: 'Teljesen Más Zrt.', taxNumber: TAX });
    await given(h).company({ name: 'Harmadik Bt.' });
    const pairs = await pairsOf('anna.sales');
    expect(pairs).toHaveLength(1);
    expect(idsOf(pairs[0]!)).toEqual([a.id, b.id].sort());
    expect(pairs[0]).toMatchObject({ reasons: ['taxNumber'], score: 0.9 });
    expect(pairs[0]!.a).toMatchObject({ taxNumber: TAX, ownerId: a.ownerId });
  });

  it('finds accent- and case-insensitively similar names ("Kovács Kft." and "Kovacs Kft"), not merely alike legal forms', async () => {
    const a = await given(h).company({ name: 'Kovács Kft.' });
    const b = await given(h).company({ name: 'KOVACS Kft' });
    await given(h).company({ name: 'Alfa Kft.' });
    await given(h).company({ name: 'Béta Kft.' });
    const pairs = await pairsOf('anna.sales');
    expect(pairs).toHaveLength(1);
    expect(idsOf(pairs[0]!)).toEqual([a.id, b.id].sort());
    expect(pairs[0]!.reasons).toEqual(['name']);
    expect(pairs[0]!.score).toBe(0.8); // 0.8 × similarity 1.0 of the folded names
  });

  it('ranks pairs best first and pages through them with a cursor', async () => {
    await given(h).company({ name: 'Kovács Építő Kft.', taxNumber: TAX });
    await given(h).company({ name: 'Kovacs Epito Kft', taxNumber: TAX });
    await given(h).company({ name: 'Napfény Pékség Bt.' });
    await given(h).company({ name: 'Napfeny Pekseg' });
    const all = await pairsOf('anna.sales');
    expect(all.map((p) => p.reasons)).toEqual([['taxNumber', 'name'], ['name']]);
    expect(all[0]!.score).toBeGreaterThan(all[1]!.score);

    const seen: Pair[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Pair[]; nextCursor: string | null } = (await as(h, 'anna.sales').get(`/duplicates?entity=company&limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map(idsOf)).toEqual(all.map(idsOf));
  });

  it('keeps pairs current: a rename or a delete takes the pair away', async () => {
    const a = await given(h).company({ name: 'Kovács Kft.' });
    await given(h).company({ name: 'Kovacs Kft' });
    const c = await given(h).company({ name: 'Dinnye Kft.' });
    await given(h).company({ name: 'Dinnye Kft' });
    expect(await pairsOf('anna.sales')).toHaveLength(2);
    await as(h, 'anna.sales').patch(`/companies/${a.id}`, { name: 'Szabó és Fiai Kft.' }, { 'if-match': '"1"' });
    await as(h, 'anna.sales').delete(`/companies/${c.id}`, { 'if-match': '"1"' });
    expect(await pairsOf('anna.sales')).toEqual([]);
  });

  it('shows only pairs whose both sides the caller may see', async () => {
    const annas = await given(h).company({ owner: 'anna.sales', name: 'Kovács Kft.' });
    const belas = await given(h).company({ owner: 'bela.sales', name: 'Kovacs Kft' });
    const annas2 = await given(h).company({ owner: 'anna.sales', name: 'Kovács Kft' });
    // anna sees her own pair only, never one that involves bela's company
    expect((await pairsOf('anna.sales')).map(idsOf)).toEqual([[annas.id, annas2.id].sort()]);
    expect(await pairsOf('bela.sales')).toEqual([]);
    // the north manager sees north's companies only
    expect((await pairsOf('csilla.manager')).map(idsOf)).toEqual([[annas.id, annas2.id].sort()]);
    const all = await pairsOf('dora.director');
    expect(all).toHaveLength(3);
    expect(all.flatMap(idsOf)).toContain(belas.id);
  });

  it('waits for a refresh another replica has claimed but not committed, rather than answering without it', async () => {
    const a = await given(h).company({ name: 'Kovács Kft.' });
    const b = await given(h).company({ name: 'KOVACS Kft' });
    // another replica's worker: claims the queued checks and refreshes them in a transaction still open
    const replica = h.orm.em.fork();
    let commit!: () => void;
    const committed = new Promise<void>((r) => { commit = r; });
    let claimed!: () => void;
    const hasClaimed = new Promise<void>((r) => { claimed = r; });
    const worker = replica.transactional(async (tx) => {
      const rows = await tx.execute<{ id: string }[]>(
        `delete from partners.duplicate_check where entity = 'company' returning id`);
      for (const r of rows) await tx.execute('select partners.refresh_company_duplicates(?)', [r.id]);
      claimed();
      await committed;
    });
    await hasClaimed;
    const listing = pairsOf('anna.sales');
    await new Promise((r) => setTimeout(r, 300));
    commit();
    await worker;
    const pairs = await listing;
    expect(pairs.map(idsOf)).toEqual([[a.id, b.id].sort()]);
  });

  it('refuses an unknown entity or a foreign cursor with 400', async () => {
    const res = await as(h, 'anna.sales').get('/duplicates?entity=activity');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['query.entity']);
    const res2 = await as(h, 'anna.sales').get('/duplicates?entity=company&cursor=bm9wZQ');
    expect(res2.statusCode).toBe(400);
    expect(res2.json().errors.map((e: { path: string }) => e.path)).toEqual(['query.cursor']);
  });
});

describe('duplicate persons', () => {
  it('finds persons sharing an e-mail address, whatever its case', async () => {
    const a = await given(h).person({ familyName: 'Nagy', givenName: 'Péter', emails: ['peter.nagy@example.hu'] });
    const b = await given(h).person({ familyName: 'Kiss', givenName: 'Anna', emails: ['Peter.Nagy@Example.hu', 'kiss@example.hu'] });
    await given(h).person({ familyName: 'Tóth', givenName: 'Géza', emails: ['geza@example.hu'] });
    const pairs = await pairsOf('anna.sales', 'person');
    expect(pairs).toHaveLength(1);
    expect(idsOf(pairs[0]!)).toEqual([a.id, b.id].sort());
    expect(pairs[0]).toMatchObject({ reasons: ['email'], score: 0.9 });
    expect(pairs.flatMap((p) => [p.a.name, p.b.name]).sort()).toEqual(['Kiss Anna', 'Nagy Péter']);
  });

  it('finds very similar names at the same company, not at different companies', async () => {
    const acme = await given(h).company({ name: 'Acme Kft.' });
    const other = await given(h).company({ name: 'Másik Zrt.' });
    const a = await given(h).person({ familyName: 'Kovács', givenName: 'János' });
    const b = await given(h).person({ familyName: 'Kovacs', givenName: 'Janos' });
    const c = await given(h).person({ familyName: 'Kovács', givenName: 'János' });
    await given(h).employment(a, acme);
    await given(h).employment(b, acme, { to: '2021-12-31', from: '2019-01-01' });
    await given(h).employment(c, other);
    const pairs = await pairsOf('anna.sales', 'person');
    expect(pairs.map(idsOf)).toEqual([[a.id, b.id].sort()]);
    expect(pairs[0]!.reasons).toEqual(['name']);
  });

  it('shows only pairs whose both persons the caller may see', async () => {
    await given(h).person({ owner: 'anna.sales', familyName: 'Nagy', givenName: 'Péter', emails: ['p@example.hu'] });
    await given(h).person({ owner: 'bela.sales', familyName: 'Nagy', givenName: 'Péter', emails: ['p@example.hu'] });
    expect(await pairsOf('anna.sales', 'person')).toEqual([]);
    expect(await pairsOf('dora.director', 'person')).toHaveLength(1);
  });
});
