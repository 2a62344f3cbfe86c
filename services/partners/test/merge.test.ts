import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { as, given, idOf, outboxEvents, startPartners, tableCounts, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startPartners(); });
afterAll(async () => { await h?.close(); });
beforeEach(async () => { await h.reset(); });

const snapshot = async (user: Parameters<typeof as>[1], ...urls: string[]) => Promise.all(urls.map(async (u) => (await as(h, user).get(u)).body));

describe('POST /companies/merge', () => {
  /** Two versions of one customer: the survivor typed in the portal, the other synced from SAP with a group and a contact. */
  async function arrange() {
    const group = await given(h).group({ owner: 'anna.sales', name: 'Kovács Holding' });
    const survivor = (await as(h, 'anna.sales').post('/companies', {
      name: 'Kovács Kft.', kind: 'customer', emails: [{ address: 'info@kovacs.hu' }], phones: [{ number: '+36 1 234 5678' }], custom: { },
    })).json();
    const synced = await as(h, 'admin').put('/external/sap/companies/K-1', {
      name: 'KOVACS Kft', kind: 'customer', taxNumber: '12345676-2-41', website: 'https://kovacs.hu', groupId: group.id,
      emails: [{ address: 'INFO@kovacs.hu' }, { address: 'szamla@kovacs.hu', label: 'billing' }], phones: [{ number: '+36-1-234-5678' }],
      ownerId: await idOf('anna.sales'), departmentId: 'north',
    });
    expect(synced.statusCode, synced.body).toBe(201);
    const merged = synced.json();
    const person = await given(h).person({ familyName: 'Kovács', givenName: 'Ilona' });
    const employment = await given(h).employment(person, merged, { role: 'beszerző' });
    return { group, survivor, merged, person, employment };
  }

  it('moves external ids, employments and the group to the survivor; the merged company answers 410 pointing at it', async () => {
    const { group, survivor, merged, person, employment } = await arrange();
    const res = await as(h, 'csilla.manager').post('/companies/merge', { survivorId: survivor.id, mergedId: merged.id, versions: { survivor: 1, merged: 1 } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      id: survivor.id, name: 'Kovács Kft.', taxNumber: '12345676-2-41', website: 'https://kovacs.hu', groupId: group.id, version: 2,
      emails: [{ address: 'info@kovacs.hu' }, { address: 'szamla@kovacs.hu', label: 'billing' }],
      phones: [{ number: '+36 1 234 5678' }],
      externalIds: [{ system: 'sap', externalId: 'K-1' }],
    });
    expect(res.headers.etag).toBe('"2"');

    const gone = await as(h, 'anna.sales').get(`/companies/${merged.id}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.headers['content-type']).toMatch(/problem\+json/);
    expect(gone.headers.location).toBe(`/companies/${survivor.id}`);
    expect(gone.json()).toMatchObject({ type: 'https://kapocs.dev/problems/company-merged', status: 410, mergedInto: survivor.id });

    const p = (await as(h, 'anna.sales').get(`/persons/${person.id}`)).json();
    expect(p.employments).toEqual([expect.objectContaining({ id: employment.id, companyId: survivor.id, companyName: 'Kovács Kft.', role: 'beszerző' })]);
    const staff = (await as(h, 'anna.sales').get(`/companies/${survivor.id}/persons`)).json();
    expect(JSON.stringify(staff)).toContain(person.id);
    expect((await as(h, 'anna.sales').get(`/company-groups/${group.id}`)).json().members.map((m: { id: string }) => m.id)).toEqual([survivor.id]);
    expect((await as(h, 'anna.sales').get('/companies?count=true')).json().total).toBe(1);
    expect((await as(h, 'anna.sales').get('/duplicates?entity=company')).json().items).toEqual([]);
  });

  it('records merged (with scope), the survivor\'s updated, the re-pointed employment and the merged one\'s deleted, and audits both', async () => {
    const { survivor, merged, employment } = await arrange();
    const before = (await outboxEvents(h)).length;
    await as(h, 'dora.director').post('/companies/merge', { survivorId: survivor.id, mergedId: merged.id, versions: { survivor: 1, merged: 1 } });
    const events = (await outboxEvents(h)).slice(before).map((e) => e.envelope);
    expect(events.map((e) => e.type)).toEqual(['partners.company.merged', 'partners.company.updated', 'partners.employment.updated', 'partners.company.deleted']);
    const scope = { ownerId: await idOf('anna.sales'), departmentId: 'north' };
    expect(events[0]).toMatchObject({ aggregate: { type: 'company', id: merged.id }, data: { survivorId: survivor.id, mergedId: merged.id }, scope });
    expect(events[1]).toMatchObject({ aggregate: { id: survivor.id }, data: { id: survivor.id, version: 2, taxNumber: '12345676-2-41' }, scope });
    expect(events[2]).toMatchObject({ aggregate: { type: 'employment', id: employment.id }, data: { companyId: survivor.id, changed: ['companyId'] } });
    expect(events[3]).toMatchObject({ aggregate: { id: merged.id }, data: { id: merged.id, mergedIntoId: survivor.id } });

    const audit = (await as(h, 'anna.sales').get(`/companies/${survivor.id}/audit`)).json().items;
    expect(audit[0]).toMatchObject({ action: 'merged', actor: { id: await idOf('dora.director') } });
    expect(audit[0].changes).toMatchObject({
      mergedFrom: { from: null, to: merged.id }, taxNumber: { from: null, to: '12345676-2-41' },
      externalIds: { from: null, to: ['sap:K-1'] }, employments: { from: null, to: [employment.id] },
    });
    const [row] = await h.orm.em.fork().execute<{ action: string; changes: unknown }[]>(
      `select action, changes from partners.audit_log where entity_id = ? order by at desc, id desc limit 1`, [merged.id]);
    expect(row).toEqual({ action: 'merged', changes: { mergedInto: { from: null, to: survivor.id } } });
  });

  it('takes the fields chosen from the merged company, and custom values the survivor lacks', async () => {
    await as(h, 'admin').post('/custom-fields', { entity: 'company', key: 'tier', type: 'list', options: ['Gold', 'Silver'], label: { hu: 'Szint', en: 'Tier' } });
    await as(h, 'admin').post('/custom-fields', { entity: 'company', key: 'region', type: 'text', label: { hu: 'Régió', en: 'Region' } });
    const s = (await as(h, 'anna.sales').post('/companies', { name: 'Régi Név Kft.', kind: 'prospect', custom: { tier: 'Silver' } })).json();
    const m = (await as(h, 'anna.sales').post('/companies', { name: 'Helyes Név Kft.', kind: 'customer', custom: { tier: 'Gold', region: 'Észak' } })).json();
    const res = await as(h, 'admin').post('/companies/merge', { survivorId: s.id, mergedId: m.id, versions: { survivor: 1, merged: 1 }, fields: { name: 'merged', kind: 'merged' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: s.id, name: 'Helyes Név Kft.', kind: 'customer', custom: { tier: 'Silver', region: 'Észak' } });
    const res2 = await as(h, 'admin').post('/companies/merge', { survivorId: s.id, mergedId: m.id, versions: { survivor: 2, merged: 2 }, fields: { shoeSize: 'merged' } });
    expect(res2.statusCode).toBe(400);
    expect(res2.json().errors.map((e: { path: string }) => e.path)).toEqual(['fields.shoeSize']);
  });

  it('ERP updates for the merged company\'s external id land on the survivor', async () => {
    const { survivor, merged } = await arrange();
    await as(h, 'admin').post('/companies/merge', { survivorId: survivor.id, mergedId: merged.id, versions: { survivor: 1, merged: 1 } });
    const res = await as(h, 'admin').put('/external/sap/companies/K-1', { industry: 'Építőipar' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: survivor.id, industry: 'Építőipar', version: 3 });
  });

  it('when a version is stale, answers 412 and changes nothing', async () => {
    const { survivor, merged } = await arrange();
    await as(h, 'anna.sales').patch(`/companies/${survivor.id}`, { industry: 'Kereskedelem' }, { 'if-match': '"1"' });
    const before = await tableCounts(h);
    const urls = [`/companies/${survivor.id}`, `/companies/${merged.id}`];
    const seen = await snapshot('anna.sales', ...urls);
    const res = await as(h, 'dora.director').post('/companies/merge', { survivorId: survivor.id, mergedId: merged.id, versions: { survivor: 1, merged: 1 } });
    expect(res.statusCode).toBe(412);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(await tableCounts(h)).toEqual(before);
    expect(await snapshot('anna.sales', ...urls)).toEqual(seen);
    const stale2 = await as(h, 'dora.director').post('/companies/merge', { survivorId: survivor.id, mergedId: merged.id, versions: { survivor: 2, merged: 7 } });
    expect(stale2.statusCode).toBe(412);
    expect(await tableCounts(h)).toEqual(before);
  });

  it('without versions answers 428; merging a company into itself answers 400', async () => {
    const a = await given(h).company();
    const b = await given(h).company();
    expect((await as(h, 'admin').post('/companies/merge', { survivorId: a.id, mergedId: b.id })).statusCode).toBe(428);
    const self = await as(h, 'admin').post('/companies/merge', { survivorId: a.id, mergedId: a.id, versions: { survivor: 1, merged: 1 } });
    expect(self.statusCode).toBe(400);
    expect(self.json().errors.map((e: { path: string }) => e.path)).toEqual(['mergedId']);
  });

  it('a company the caller may not see answers 404 and nothing changes', async () => {
    const annas = await given(h).company({ owner: 'anna.sales' });
    const belas = await given(h).company({ owner: 'bela.sales' });
    const before = await tableCounts(h);
    const res = await as(h, 'csilla.manager').post('/companies/merge', { survivorId: annas.id, mergedId: belas.id, versions: { survivor: 1, merged: 1 } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    const res2 = await as(h, 'csilla.manager').post('/companies/merge', { survivorId: belas.id, mergedId: annas.id, versions: { survivor: 1, merged: 1 } });
    expect(res2.statusCode).toBe(404);
    expect(await tableCounts(h)).toEqual(before);
  });

  it('reps and marketing may not merge (403), even their own companies', async () => {
    const a = await given(h).company({ owner: 'anna.sales' });
    const b = await given(h).company({ owner: 'anna.sales' });
    for (const user of ['anna.sales', 'erik.marketing'] as const) {
      const res = await as(h, user).post('/companies/merge', { survivorId: a.id, mergedId: b.id, versions: { survivor: 1, merged: 1 } });
      expect(res.statusCode, user).toBe(403);
    }
    expect((await as(h, 'anna.sales').get(`/companies/${b.id}`)).statusCode).toBe(200);
  });

  it('a manager merges only within their departments: a company of theirs outside them answers 403', async () => {
    const north = await given(h).company({ owner: 'anna.sales' });
    // the manager's own company filed under south: visible to her as its owner, but not in her departments
    const own = (await as(h, 'admin').post('/companies', { name: 'Déli Kft.', kind: 'customer', ownerId: await idOf('csilla.manager'), departmentId: 'south' })).json();
    const res = await as(h, 'csilla.manager').post('/companies/merge', { survivorId: north.id, mergedId: own.id, versions: { survivor: 1, merged: 1 } });
    expect(res.statusCode).toBe(403);
  });
});

describe('POST /persons/merge', () => {
  it('moves employments, e-mails, phones and external ids to the survivor; the merged person answers 410', async () => {
    const acme = await given(h).company({ name: 'Acme Kft.' });
    const beta = await given(h).company({ name: 'Béta Kft.' });
    const survivor = (await as(h, 'anna.sales').post('/persons', { familyName: 'Kovács', givenName: 'János', emails: [{ address: 'janos@acme.hu' }] })).json();
    const merged = (await as(h, 'admin').put('/external/sap/persons/P-9', {
      familyName: 'Kovacs', givenName: 'Janos', title: 'dr.', emails: [{ address: 'JANOS@acme.hu' }, { address: 'janos@beta.hu' }], phones: [{ number: '+36 30 123 4567' }],
      ownerId: await idOf('anna.sales'), departmentId: 'north',
    })).json();
    const e1 = await given(h).employment(survivor, acme, { primary: true });
    const e2 = await given(h).employment(merged, beta, { primary: true });
    const v = async (id: string) => (await as(h, 'anna.sales').get(`/persons/${id}`)).json().version;

    const res = await as(h, 'csilla.manager').post('/persons/merge', { survivorId: survivor.id, mergedId: merged.id, versions: { survivor: await v(survivor.id), merged: await v(merged.id) } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      id: survivor.id, familyName: 'Kovács', givenName: 'János', title: 'dr.',
      emails: [{ address: 'janos@acme.hu' }, { address: 'janos@beta.hu' }], phones: [{ number: '+36 30 123 4567' }],
      externalIds: [{ system: 'sap', externalId: 'P-9' }],
    });
    // the survivor's primary employer stays the only primary one
    expect(body.employments.map((e: { id: string; primary: boolean }) => [e.id, e.primary])).toEqual([[e1.id, true], [e2.id, false]]);

    const gone = await as(h, 'anna.sales').get(`/persons/${merged.id}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.headers.location).toBe(`/persons/${survivor.id}`);
    expect(gone.json()).toMatchObject({ type: 'https://kapocs.dev/problems/person-merged', mergedInto: survivor.id });

    const types = (await outboxEvents(h)).map((e) => e.envelope.type);
    expect(types.slice(-4)).toEqual(['partners.person.merged', 'partners.person.updated', 'partners.employment.updated', 'partners.person.deleted']);
    expect((await as(h, 'admin').put('/external/sap/persons/P-9', { position: 'igazgató' })).json()).toMatchObject({ id: survivor.id, position: 'igazgató' });
  });

  it('a stale version answers 412 and a rep 403; nothing changes', async () => {
    const a = await given(h).person();
    const b = await given(h).person();
    const before = await tableCounts(h);
    expect((await as(h, 'admin').post('/persons/merge', { survivorId: a.id, mergedId: b.id, versions: { survivor: 1, merged: 2 } })).statusCode).toBe(412);
    expect((await as(h, 'anna.sales').post('/persons/merge', { survivorId: a.id, mergedId: b.id, versions: { survivor: 1, merged: 1 } })).statusCode).toBe(403);
    expect(await tableCounts(h)).toEqual(before);
  });

  it('a person the caller may not see answers 404', async () => {
    const a = await given(h).person({ owner: 'anna.sales' });
    const b = await given(h).person({ owner: 'bela.sales' });
    expect((await as(h, 'csilla.manager').post('/persons/merge', { survivorId: a.id, mergedId: b.id, versions: { survivor: 1, merged: 1 } })).statusCode).toBe(404);
  });
});

describe('merging records that worked at the same company: overlapping employments become one', () => {
  const versionOf = async (id: string) => (await as(h, 'anna.sales').get(`/persons/${id}`)).json().version as number;
  const employmentsOf = async (id: string) =>
    (await as(h, 'anna.sales').get(`/persons/${id}/employments`)).json().items as { id: string; companyId: string; role: string | null; from: string; to: string | null; primary: boolean }[];

  it('person merge: "Kovács Anna" and "Kovacs Anna" both at Alfa Kft. end up with one employment over the combined period', async () => {
    const alfa = await given(h).company({ name: 'Alfa Kft.' });
    const survivor = await given(h).person({ familyName: 'Kovács', givenName: 'Anna' });
    const merged = await given(h).person({ familyName: 'Kovacs', givenName: 'Anna' });
    const own = await given(h).employment(survivor, alfa, { from: '2021-03-01', role: 'beszerző' });
    const dup = await given(h).employment(merged, alfa, { from: '2019-06-01', role: 'buyer' });
    expect([own.primary, dup.primary]).toEqual([true, true]);
    const before = (await outboxEvents(h)).length;

    const res = await as(h, 'csilla.manager').post('/persons/merge', {
      survivorId: survivor.id, mergedId: merged.id, versions: { survivor: await versionOf(survivor.id), merged: await versionOf(merged.id) },
    });
    expect(res.statusCode, res.body).toBe(200);
    const combined = { id: own.id, companyId: alfa.id, role: 'beszerző', from: '2019-06-01', to: null, primary: true };
    expect(res.json().employments).toEqual([expect.objectContaining(combined)]);
    expect(res.json().combinedEmployments).toEqual([{ ...combined, personId: survivor.id, combinedIds: [dup.id] }]);
    expect(await employmentsOf(survivor.id)).toEqual([expect.objectContaining(combined)]);
    expect((await as(h, 'anna.sales').get(`/employments/${dup.id}`)).statusCode).toBe(404);
    const staff = (await as(h, 'anna.sales').get(`/companies/${alfa.id}/persons`)).json();
    expect(staff.current.map((p: { employmentId: string }) => p.employmentId)).toEqual([own.id]);

    const audit = (await as(h, 'anna.sales').get(`/persons/${survivor.id}/audit`)).json().items;
    expect(audit.find((a: { action: string }) => a.action === 'employments-combined')).toMatchObject({
      actor: { id: await idOf('csilla.manager') },
      changes: {
        [`employments.${dup.id}`]: { from: { companyId: alfa.id, role: 'buyer', from: '2019-06-01', to: null, primary: false }, to: null },
        [`employments.${own.id}.from`]: { from: '2021-03-01', to: '2019-06-01' },
      },
    });

    // the duplicate is reported as deleted into the kept one, which reports its widened period; no "moved" event for the duplicate
    const events = (await outboxEvents(h)).slice(before).map((e) => e.envelope);
    expect(events.map((e) => e.type)).toEqual(['partners.person.merged', 'partners.person.updated', 'partners.employment.deleted', 'partners.employment.updated', 'partners.person.deleted']);
    const scope = { ownerId: await idOf('anna.sales'), departmentId: 'north' };
    expect(events[2]).toMatchObject({ aggregate: { type: 'employment', id: dup.id }, data: { id: dup.id, personId: survivor.id, companyId: alfa.id, mergedIntoId: own.id }, scope });
    expect(events[3]).toMatchObject({ aggregate: { type: 'employment', id: own.id }, data: { ...combined, personId: survivor.id, changed: ['from'] }, scope });
  });

  it('person merge: periods apart (left in 2019, came back in 2023) stay two employments; the role comes from each', async () => {
    const alfa = await given(h).company({ name: 'Alfa Kft.' });
    const survivor = await given(h).person({ familyName: 'Kovács', givenName: 'Anna' });
    const merged = await given(h).person({ familyName: 'Kovacs', givenName: 'Anna' });
    const now = await given(h).employment(survivor, alfa, { from: '2023-02-01', role: 'vezető' });
    const then = await given(h).employment(merged, alfa, { from: '2015-01-01', to: '2019-05-31', role: 'gyakornok' });
    const before = (await outboxEvents(h)).length;

    const res = await as(h, 'csilla.manager').post('/persons/merge', {
      survivorId: survivor.id, mergedId: merged.id, versions: { survivor: await versionOf(survivor.id), merged: await versionOf(merged.id) },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().combinedEmployments).toEqual([]);
    expect((await employmentsOf(survivor.id)).map((e) => [e.id, e.from, e.to, e.role, e.primary])).toEqual([
      [now.id, '2023-02-01', null, 'vezető', true],
      [then.id, '2015-01-01', '2019-05-31', 'gyakornok', false],
    ]);
    const events = (await outboxEvents(h)).slice(before).map((e) => e.envelope.type);
    expect(events).toEqual(['partners.person.merged', 'partners.person.updated', 'partners.employment.updated', 'partners.person.deleted']);
    const audit = (await as(h, 'anna.sales').get(`/persons/${survivor.id}/audit`)).json().items;
    expect(audit.map((a: { action: string }) => a.action)).not.toContain('employments-combined');
  });

  it('company merge: a person who worked at both companies has one employment at the survivor; primary, a separate period and other people stay', async () => {
    const survivor = await given(h).company({ name: 'Alfa Kft.' });
    const merged = await given(h).company({ name: 'ALFA Kft' });
    const beta = await given(h).company({ name: 'Béta Kft.' });
    const anna = await given(h).person({ familyName: 'Kovács', givenName: 'Anna' });
    // Anna's current primary employer is the duplicate; at the survivor she was entered later, without the flag
    const atMerged = await given(h).employment(anna, merged, { from: '2018-05-01', role: 'ügyvezető' });
    const atSurvivor = await given(h).employment(anna, survivor, { from: '2021-01-01', primary: false });
    const atBeta = await given(h).employment(anna, beta, { from: '2010-01-01', to: '2012-12-31' });
    // Béla was at the survivor long ago and is at the duplicate now: real history, two periods
    const bela = await given(h).person({ familyName: 'Nagy', givenName: 'Béla' });
    const belaThen = await given(h).employment(bela, survivor, { from: '2010-01-01', to: '2014-12-31' });
    const belaNow = await given(h).employment(bela, merged, { from: '2022-01-01' });
    const annaVersion = await versionOf(anna.id);
    const belaVersion = await versionOf(bela.id);
    const before = (await outboxEvents(h)).length;

    const res = await as(h, 'csilla.manager').post('/companies/merge', { survivorId: survivor.id, mergedId: merged.id, versions: { survivor: 1, merged: 1 } });
    expect(res.statusCode, res.body).toBe(200);
    const combined = { id: atSurvivor.id, companyId: survivor.id, role: 'ügyvezető', from: '2018-05-01', to: null, primary: true };
    expect(res.json().combinedEmployments).toEqual([{ ...combined, personId: anna.id, combinedIds: [atMerged.id] }]);

    expect((await employmentsOf(anna.id)).map((e) => e.id)).toEqual([atSurvivor.id, atBeta.id]);
    expect((await employmentsOf(anna.id))[0]).toMatchObject(combined);
    expect((await employmentsOf(bela.id)).map((e) => [e.id, e.companyId, e.from, e.to])).toEqual([
      [belaNow.id, survivor.id, '2022-01-01', null],
      [belaThen.id, survivor.id, '2010-01-01', '2014-12-31'],
    ]);
    // Anna's employments changed, so her version moved (a stale employment edit answers 412); Béla's only moved
    expect(await versionOf(anna.id)).toBe(annaVersion + 1);
    expect(await versionOf(bela.id)).toBe(belaVersion);
    const stale = await as(h, 'anna.sales').patch(`/employments/${atSurvivor.id}`, { role: 'tulajdonos' }, { 'if-match': `"${annaVersion}"` });
    expect(stale.statusCode).toBe(412);

    const audit = (await as(h, 'anna.sales').get(`/persons/${anna.id}/audit`)).json().items;
    expect(audit[0]).toMatchObject({
      action: 'employments-combined', actor: { id: await idOf('csilla.manager') },
      changes: {
        [`employments.${atMerged.id}`]: { from: { companyId: survivor.id, role: 'ügyvezető', from: '2018-05-01', to: null, primary: true }, to: null },
        [`employments.${atSurvivor.id}.role`]: { from: null, to: 'ügyvezető' },
        [`employments.${atSurvivor.id}.from`]: { from: '2021-01-01', to: '2018-05-01' },
        [`employments.${atSurvivor.id}.primary`]: { from: false, to: true },
      },
    });
    expect((await as(h, 'anna.sales').get(`/persons/${bela.id}/audit`)).json().items.map((a: { action: string }) => a.action)).not.toContain('employments-combined');

    const events = (await outboxEvents(h)).slice(before).map((e) => e.envelope);
    expect(events.map((e) => [e.type, e.aggregate.id])).toEqual([
      ['partners.company.merged', merged.id],
      ['partners.company.updated', survivor.id],
      ['partners.employment.updated', belaNow.id],
      ['partners.employment.deleted', atMerged.id],
      ['partners.employment.updated', atSurvivor.id],
      ['partners.company.deleted', merged.id],
    ]);
    expect(events[3]!.data).toMatchObject({ personId: anna.id, companyId: survivor.id, mergedIntoId: atSurvivor.id });
    expect(events[4]!.data).toMatchObject({ ...combined, personId: anna.id, changed: ['role', 'from', 'primary'] });
  });
});
