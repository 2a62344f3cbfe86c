import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, given, startPartners, tableCounts, type Harness } from './harness';
import { csv, importSteps } from './imports.helpers';

// Inputs that once reached PostgreSQL and answered 500: text with NUL (refused in text and jsonb), dates that
// JavaScript parses but PostgreSQL refuses, numbers beyond their column, hand-made or re-sorted cursors. Each
// must be a 400 problem+json naming the parameter, and write nothing.

let h: Harness;
let ids: { company: string; person: string; group: string };
const cursors: Record<string, string> = {};

beforeAll(async () => {
  h = await startPartners();
  await h.reset();
  const g = given(h);
  const [c1] = [await g.company({ name: 'Alfa Kft.' }), await g.company({ name: 'Béta Kft.' })];
  const [p1] = [await g.person({ familyName: 'Kiss' }), await g.person({ familyName: 'Nagy' })];
  const [g1] = [await g.group({ name: 'Alfa csoport' }), await g.group({ name: 'Béta csoport' })];
  await g.employment(p1, c1!);
  for (const [key, type] of [['founded', 'date'], ['staff', 'integer']] as const) {
    const res = await as(h, 'admin').post('/custom-fields', { entity: 'company', key, type, label: { hu: key, en: key } });
    expect(res.statusCode, res.body).toBe(201);
  }
  ids = { company: c1!.id, person: p1!.id, group: g1!.id };
  // real cursors of each keyset list, sorted by name: the "reused with another sort" case takes them
  for (const list of ['/companies', '/persons', '/company-groups']) {
    const res = await as(h, 'dora.director').get(`${list}?limit=1${list === '/persons' ? '&sort=familyName' : '&sort=name'}`);
    expect(res.statusCode, res.body).toBe(200);
    cursors[list] = res.json().nextCursor;
    expect(cursors[list], list).toBeTruthy();
  }
});
afterAll(async () => { await h?.close(); });

const enc = encodeURIComponent;
const handMade = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Asserts a 400 problem+json naming `path` (the parameter, or a path inside it). */
function expectRefusal(res: { statusCode: number; headers: Record<string, unknown>; json(): any; body: string }, path: string, what: string) {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
  expect(res.headers['content-type'], what).toMatch(/application\/problem\+json/);
  const paths: string[] = (res.json().errors ?? []).map((e: { path: string }) => e.path);
  expect(paths.some((p) => p === path || p.startsWith(`${path}.`)), `${what}: errors ${JSON.stringify(paths)} name ${path}`).toBe(true);
}

// Lists with q, filter and sort (the exports take the same q and filter, without paging).
const FILTERED = [
  { url: '/companies', dateField: 'custom.founded', timeField: 'createdAt', intField: 'custom.staff', textField: 'name', sort: 'name', other: '-createdAt' },
  { url: '/persons', dateField: null, timeField: 'createdAt', intField: null, textField: 'familyName', sort: 'familyName', other: '-createdAt' },
  { url: '/company-groups', dateField: null, timeField: 'createdAt', intField: null, textField: 'name', sort: 'name', other: '-createdAt' },
  { url: '/companies/export.csv', dateField: 'custom.founded', timeField: 'createdAt', intField: 'custom.staff', textField: 'name', sort: null, other: null },
  { url: '/companies/export.xlsx', dateField: null, timeField: 'createdAt', intField: null, textField: 'name', sort: null, other: null },
  { url: '/persons/export.csv', dateField: null, timeField: 'createdAt', intField: null, textField: 'familyName', sort: null, other: null },
];
const BAD_DATES = ['2024-02-30', '0000-01-01', '+010000-01-01', '2023-02-29', '10000-01-01'];
const BAD_TIMES = ['2024-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '+010000-01-01T00:00:00Z', '2024-01-01T24:00:00Z', '2024-13-01'];
const BAD_INTEGERS = [2 ** 63, 1e300, 12.5, -(2 ** 53) - 2];

const filterOf = (field: string, op: string, value: unknown) => enc(JSON.stringify({ field, op, value }));

describe('every list route refuses bad input with 400 naming the parameter, and writes nothing', () => {
  it('q with a NUL byte', async () => {
    const before = await tableCounts(h);
    for (const l of FILTERED) {
      expectRefusal(await as(h, 'dora.director').get(`${l.url}?q=%00`), 'query.q', `${l.url} q=%00`);
      expectRefusal(await as(h, 'dora.director').get(`${l.url}?q=Alfa%00Kft`), 'query.q', `${l.url} q=Alfa%00Kft`);
    }
    expect(await tableCounts(h)).toEqual(before);
  });

  it('a NUL byte in a filter value, a filter text or an array of values, sent raw or as \\u0000', async () => {
    const before = await tableCounts(h);
    for (const l of FILTERED) {
      for (const [op, value] of [['eq', 'a\u0000'], ['contains', '\u0000'], ['startsWith', 'x\u0000y'], ['in', ['ok', '\u0000']], ['ne', '\u0000'], ['eq', '\ud800']] as const) {
        expectRefusal(await as(h, 'dora.director').get(`${l.url}?filter=${filterOf(l.textField, op, value)}`), 'query.filter', `${l.url} ${op} NUL`);
      }
      // a raw NUL in the query string itself
      expectRefusal(await as(h, 'dora.director').get(`${l.url}?filter=%7B%22field%22%3A%22${l.textField}%22%2C%22op%22%3A%22eq%22%2C%22value%22%3A%22%00%22%7D`), 'query.filter', `${l.url} raw NUL`);
      expectRefusal(await as(h, 'dora.director').get(`${l.url}?filter=${filterOf(`${l.textField}\u0000`, 'eq', 'x')}`), 'query.filter', `${l.url} NUL field`);
    }
    expect(await tableCounts(h)).toEqual(before);
  });

  it('dates and times that JavaScript parses and PostgreSQL refuses', async () => {
    const before = await tableCounts(h);
    for (const l of FILTERED) {
      for (const bad of BAD_TIMES) {
        for (const op of ['eq', 'gt', 'lte']) {
          expectRefusal(await as(h, 'dora.director').get(`${l.url}?filter=${filterOf(l.timeField, op, bad)}`), 'query.filter', `${l.url} ${l.timeField} ${op} ${bad}`);
        }
        expectRefusal(await as(h, 'dora.director').get(`${l.url}?filter=${filterOf(l.timeField, 'between', ['2024-01-01T00:00:00Z', bad])}`), 'query.filter', `${l.url} between ${bad}`);
        expectRefusal(await as(h, 'dora.director').get(`${l.url}?filter=${filterOf(l.timeField, 'in', [bad])}`), 'query.filter', `${l.url} in ${bad}`);
      }
      if (l.dateField) {
        for (const bad of BAD_DATES) {
          for (const op of ['eq', 'gte', 'ne']) {
            expectRefusal(await as(h, 'dora.director').get(`${l.url}?filter=${filterOf(l.dateField, op, bad)}`), 'query.filter', `${l.url} ${l.dateField} ${op} ${bad}`);
          }
          expectRefusal(await as(h, 'dora.director').get(`${l.url}?filter=${filterOf(l.dateField, 'in', ['2024-01-01', bad])}`), 'query.filter', `${l.url} ${l.dateField} in ${bad}`);
        }
      }
    }
    expect(await tableCounts(h)).toEqual(before);
  });

  it('numbers beyond their column', async () => {
    const before = await tableCounts(h);
    for (const l of FILTERED.filter((x) => x.intField)) {
      for (const bad of BAD_INTEGERS) {
        for (const op of ['eq', 'lt', 'in']) {
          const value = op === 'in' ? [1, bad] : bad;
          expectRefusal(await as(h, 'dora.director').get(`${l.url}?filter=${filterOf(l.intField!, op, value)}`), 'query.filter', `${l.url} ${op} ${bad}`);
        }
      }
      // 1e400 is Infinity to JSON.parse
      expectRefusal(await as(h, 'dora.director').get(`${l.url}?filter=${enc(`{"field":"${l.intField}","op":"gt","value":1e400}`)}`), 'query.filter', `${l.url} 1e400`);
    }
    for (const l of FILTERED.filter((x) => x.sort)) {
      expectRefusal(await as(h, 'dora.director').get(`${l.url}?limit=99999999999999999999`), 'query.limit', `${l.url} limit`);
    }
    for (const url of ['/duplicates?entity=company', '/duplicates/dismissals?entity=person']) {
      expectRefusal(await as(h, 'dora.director').get(`${url}&limit=1e300`), 'query.limit', `${url} limit`);
    }
    expect(await tableCounts(h)).toEqual(before);
  });

  it('hand-made, edited or foreign cursors, and a cursor reused with another sort', async () => {
    const before = await tableCounts(h);
    for (const l of FILTERED.filter((x) => x.sort)) {
      const real = cursors[l.url]!;
      const [body, sig] = real.split('.');
      const forged = [
        handMade({ k: ['x', '00000000-0000-0000-0000-000000000000'] }),
        handMade({ k: [{ a: 1 }, '2024-02-30'] }),
        handMade({ k: ['0000-01-01T00:00:00Z', 'not-a-uuid'] }),
        handMade({ k: ['\u0000', '\u0000'] }),
        handMade([1, 2]),
        'bm9wZQ',
        '%00',
        `${handMade(['Alfa', '00000000-0000-0000-0000-000000000000'])}.${sig}`,
        `${body}.${sig!.slice(0, -2)}AA`,
        `${body}.${sig}.x`,
        '.',
      ];
      for (const cursor of forged) {
        expectRefusal(await as(h, 'dora.director').get(`${l.url}?sort=${l.sort}&cursor=${cursor.startsWith('%') ? cursor : enc(cursor)}`), 'query.cursor', `${l.url} cursor ${cursor}`);
      }
      // the real cursor still pages in its own order
      expect((await as(h, 'dora.director').get(`${l.url}?limit=1&sort=${l.sort}&cursor=${enc(real)}`)).statusCode).toBe(200);
      // ... and is refused in another order, or by another list
      expectRefusal(await as(h, 'dora.director').get(`${l.url}?sort=${l.other}&cursor=${enc(real)}`), 'query.cursor', `${l.url} other sort`);
      expectRefusal(await as(h, 'dora.director').get(`${l.url}?sort=-${l.sort}&cursor=${enc(real)}`), 'query.cursor', `${l.url} reversed sort`);
      for (const other of FILTERED.filter((x) => x.sort && x.url !== l.url)) {
        expectRefusal(await as(h, 'dora.director').get(`${other.url}?sort=${other.sort}&cursor=${enc(real)}`), 'query.cursor', `${l.url} cursor on ${other.url}`);
      }
    }
    for (const list of ['/duplicates?entity=company', '/duplicates/dismissals?entity=company', '/duplicates?entity=person', '/duplicates/dismissals?entity=person']) {
      for (const cursor of [
        handMade({ s: '0.9', a: '00000000-0000-0000-0000-000000000000', b: '00000000-0000-0000-0000-000000000000' }),
        handMade({ t: '0000-01-01T00:00:00.000000Z', a: '00000000-0000-0000-0000-000000000000', b: '00000000-0000-0000-0000-000000000000' }),
        handMade({ t: '2024-02-30T00:00:00.000000Z', a: '00000000-0000-0000-0000-000000000000', b: '00000000-0000-0000-0000-000000000000' }),
        cursors['/companies']!,
        'bm9wZQ',
      ]) {
        expectRefusal(await as(h, 'dora.director').get(`${list}&cursor=${enc(cursor)}`), 'query.cursor', `${list} cursor ${cursor}`);
      }
      expectRefusal(await as(h, 'dora.director').get(`${list}&cursor=%00`), 'query.cursor', `${list} cursor NUL`);
    }
    expect(await tableCounts(h)).toEqual(before);
  });

  it('a NUL byte in any query or path parameter of the other lists (employments, persons of a company, duplicates, imports, audit, custom fields)', async () => {
    const before = await tableCounts(h);
    const routes: [string, string][] = [
      ['/duplicates?entity=company%00', 'query.entity'],
      ['/duplicates/dismissals?entity=%00', 'query.entity'],
      ['/persons/%00/employments', 'params.id'],
      [`/persons/${ids.person}%00/employments`, 'params.id'],
      ['/companies/%00/persons', 'params.id'],
      ['/employments/%00', 'params.id'],
      ['/imports/%00', 'params.id'],
      ['/imports/templates/company.csv%00', 'params.file'],
      ['/companies/%00/audit', 'params.id'],
      ['/persons/%00/audit', 'params.id'],
      ['/company-groups/%00/audit', 'params.id'],
      [`/company-groups/${ids.group}%00`, 'params.id'],
      ['/custom-fields?entity=company&subtype=%00', 'query.subtype'],
      ['/custom-fields?entity=%00', 'query.entity'],
      ['/companies?ownerId=%00', 'query.ownerId'],
      ['/persons?ownerId=me%00', 'query.ownerId'],
      ['/company-groups?ownerId=%00', 'query.ownerId'],
      ['/companies/export.csv?ownerId=%00', 'query.ownerId'],
      ['/companies?sort=%00', 'query.sort'],
      ['/persons?sort=name%00', 'query.sort'],
    ];
    for (const [url, path] of routes) expectRefusal(await as(h, 'dora.director').get(url), path, url);
    expect(await tableCounts(h)).toEqual(before);
  });
});

describe('bodies refuse the same inputs, naming the field, and write nothing', () => {
  it('text with a NUL byte or half a surrogate pair anywhere in a JSON body (fields, nested values, custom values, keys)', async () => {
    const before = await tableCounts(h);
    const cases: [string, string, unknown, string][] = [
      ['POST', '/companies', { name: 'A\u0000', kind: 'customer' }, 'name'],
      ['POST', '/companies', { name: 'A', kind: 'customer', emails: [{ address: 'a@b.hu', label: 'x\u0000' }] }, 'emails.0.label'],
      ['POST', '/companies', { name: 'A', kind: 'customer', custom: { founded: '\u0000' } }, 'custom.founded'],
      ['POST', '/companies', { name: 'A', kind: 'customer', custom: { 'x\u0000': 1 } }, 'custom'],
      ['POST', '/persons', { familyName: 'K\u0000', givenName: 'E' }, 'familyName'],
      ['POST', '/company-groups', { name: 'G\u0000' }, 'name'],
      ['PATCH', `/companies/${ids.company}`, { industry: '\u0000' }, 'industry'],
      ['POST', `/persons/${ids.person}/employments`, { companyId: ids.company, from: '2020-01-01', role: 'r\u0000' }, 'role'],
      ['POST', '/duplicates/dismissals', { entity: 'company', aId: ids.company, bId: `${ids.company}\u0000` }, 'bId'],
      // half of a surrogate pair: JSON's "\ud800", which jsonb (audit, events, e-mails) refuses
      ['POST', '/companies', { name: 'A\ud800', kind: 'customer' }, 'name'],
      ['POST', '/companies', { name: 'A', kind: 'customer', emails: [{ address: 'a@b.hu', label: '\udc00' }] }, 'emails.0.label'],
      ['POST', '/persons', { familyName: 'K', givenName: 'E\ud83d' }, 'givenName'],
      // the ERP upsert checks its body in the use case, not in the route's validator
      ['PUT', '/external/erp/companies/X1', { name: 'E Kft.', kind: 'customer', emails: [{ address: 'a@b.hu', label: 'x\u0000' }] }, 'emails.0.label'],
      ['PUT', '/external/erp/persons/X1', { familyName: 'K\ud800', givenName: 'E' }, 'familyName'],
      ['POST', '/external/erp/companies', { items: [{ externalId: 'X2', name: 'E\u0000', kind: 'customer' }] }, 'items.0.name'],
    ];
    for (const [method, url, payload, path] of cases) {
      const res = await h.app.inject({ method: method as 'POST', url, payload: payload as object, headers: { ...(await authHeaders('dora.director')), 'if-match': '"1"' } });
      expectRefusal(res, path, `${method} ${url} ${JSON.stringify(payload)}`);
    }
    expect(await tableCounts(h)).toEqual(before);
  });

  it('dates PostgreSQL refuses and numbers beyond their column', async () => {
    const before = await tableCounts(h);
    for (const bad of BAD_DATES) {
      expectRefusal(await as(h, 'dora.director').post(`/persons/${ids.person}/employments`, { companyId: ids.company, from: bad }), 'from', `employment from ${bad}`);
      expectRefusal(await as(h, 'dora.director').post(`/persons/${ids.person}/employments`, { companyId: ids.company, from: '2020-01-01', to: bad }), 'to', `employment to ${bad}`);
      expectRefusal(await as(h, 'dora.director').post('/companies', { name: 'D Kft.', kind: 'customer', custom: { founded: bad } }), 'custom.founded', `custom date ${bad}`);
    }
    for (const bad of BAD_INTEGERS) {
      expectRefusal(await as(h, 'dora.director').post('/companies', { name: 'N Kft.', kind: 'customer', custom: { staff: bad } }), 'custom.staff', `custom integer ${bad}`);
    }
    const res = await h.app.inject({ method: 'POST', url: '/companies', payload: '{"name":"N Kft.","kind":"customer","custom":{"staff":1e400}}', headers: { ...(await authHeaders('dora.director')), 'content-type': 'application/json' } });
    expectRefusal(res, 'custom.staff', 'custom integer 1e400');
    expect(await tableCounts(h)).toEqual(before);
  });

  it('versions beyond their column in If-Match and in a merge body are a 4xx, not a 500', async () => {
    const before = await tableCounts(h);
    const [a, b] = [await as(h, 'dora.director').get(`/companies?sort=name&limit=2`)].map((r) => r.json().items)[0];
    for (const v of ['99999999999999999999', '4294967296', '2147483648']) {
      for (const [method, url, payload] of [
        ['PATCH', `/companies/${ids.company}`, { industry: 'x' }], ['DELETE', `/companies/${ids.company}`, undefined],
        ['PATCH', `/persons/${ids.person}`, { title: 'x' }], ['PATCH', `/company-groups/${ids.group}`, { name: 'x' }],
      ] as const) {
        const res = await h.app.inject({ method, url, ...(payload ? { payload } : {}), headers: { ...(await authHeaders('dora.director')), 'if-match': `"${v}"` } });
        expect(res.statusCode, `${method} ${url} If-Match ${v}: ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${method} ${url} If-Match ${v}: ${res.body}`).toBeLessThan(500);
      }
    }
    for (const v of [2 ** 31, 2 ** 53 - 1, 2 ** 63]) {
      const res = await as(h, 'dora.director').post('/companies/merge', { survivorId: a.id, mergedId: b.id, versions: { survivor: v, merged: v } });
      expect(res.statusCode, `merge versions ${v}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `merge versions ${v}: ${res.body}`).toBeLessThan(500);
    }
    expect(await tableCounts(h)).toEqual(before);
  });

  it('POST /imports as multipart/form-data without a body, or with a broken one', async () => {
    const before = await tableCounts(h);
    const jobs = async () => (await h.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from partners.import_job'))[0]!.n;
    const jobsBefore = await jobs();
    for (const [contentType, payload] of [
      ['multipart/form-data', ''],
      ['multipart/form-data; boundary=x', ''],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="entity"\r\n\r\ncompany'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="entity"\r\n\r\ncompany\u0000\r\n--x--\r\n'],
      ['multipart/form-data; boundary=x', '--x--\r\n'],
    ] as const) {
      const res = await h.app.inject({ method: 'POST', url: '/imports', payload, headers: { ...(await authHeaders('dora.director')), 'content-type': contentType } });
      expect(res.statusCode, `${contentType} ${JSON.stringify(payload)}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${contentType} ${JSON.stringify(payload)}: ${res.body}`).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await jobs()).toBe(jobsBefore);
    expect(await tableCounts(h)).toEqual(before);
  });
});

describe('imports refuse text with NUL in the upload', () => {
  const steps = importSteps(() => h);
  it('a NUL in a form field (mapping) is a 400 naming it; a file with NUL bytes is refused as not CSV text', async () => {
    const before = await tableCounts(h);
    const clean = { name: 'c.csv', bytes: csv(['Name,Kind', 'Gamma Kft.,customer']) };
    expectRefusal(await steps.upload('dora.director', clean, { mapping: JSON.stringify({ 'Name\u0000': 'name' }) }), 'mapping', 'mapping key with NUL');
    expectRefusal(await steps.upload('dora.director', clean, { mapping: JSON.stringify({ Name: 'name\u0000' }) }), 'mapping', 'mapping value with NUL');
    expectRefusal(await steps.upload('dora.director', clean, { entity: 'company\u0000' }), 'entity', 'entity with NUL');
    // the file name is only a label: its NUL is dropped
    const named = await steps.upload('dora.director', { ...clean, name: 'c\u0000.csv' });
    expect(named.statusCode, named.body).toBe(202);
    await steps.settled('dora.director', named.json().id);
    const res = await steps.upload('dora.director', { name: 'c.csv', bytes: csv(['Name,Kind', 'Gamma\u0000 Kft.,customer']) });
    expect(res.statusCode, res.body).toBe(415);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await tableCounts(h)).toEqual(before);
  });
});

async function authHeaders(user: 'dora.director') {
  const { authAs } = await import('@kapocs/kit/testing');
  return authAs(user);
}
