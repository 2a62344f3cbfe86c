import { describe, expect, it } from 'vitest';
import { parseFilter, parseSort, type FilterFieldSpec } from './filter';

const fields: Record<string, FilterFieldSpec> = {
  name: { type: 'string' },
  kind: { type: 'enum', values: ['customer', 'prospect'] },
  revenue: { type: 'number' },
  staff: { type: 'integer', min: -2147483648, max: 2147483647 },
  big: { type: 'integer' },
  founded: { type: 'date' },
  createdAt: { type: 'datetime' },
  active: { type: 'boolean' },
  'custom.region': { type: 'enum', values: ['North', 'South'] },
};
const resolve = (f: string) => fields[f];

describe('filter language', () => {
  it('refuses dates and times that JavaScript parses but PostgreSQL refuses, naming the value', () => {
    for (const bad of ['2024-02-30', '0000-01-01', '+010000-01-01', '2023-02-29', '10000-01-01']) {
      const r = parseFilter({ field: 'founded', op: 'eq', value: bad }, resolve);
      expect(r, bad).toEqual({ ok: false, errors: [{ path: 'filter.value', message: expect.stringContaining('date') }] });
    }
    for (const bad of ['2024-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '+010000-01-01T00:00:00Z', '2024-01-01T25:00:00Z', 'May 1, 2024']) {
      expect(parseFilter({ field: 'createdAt', op: 'gt', value: bad }, resolve).ok, bad).toBe(false);
      expect(parseFilter({ field: 'createdAt', op: 'between', value: ['2024-01-01', bad] }, resolve).ok, bad).toBe(false);
    }
    expect(parseFilter({ field: 'founded', op: 'in', value: ['2024-02-29', '2024-02-30'] }, resolve))
      .toEqual({ ok: false, errors: [{ path: 'filter.value.1', message: expect.any(String) }] });
    for (const good of ['2024-02-29T00:00:00Z', '2024-05-01T10:30:00.123+02:00', '2024-05-01', '2024-05-01T10:30']) {
      expect(parseFilter({ field: 'createdAt', op: 'gte', value: good }, resolve).ok, good).toBe(true);
    }
  });

  it('refuses numbers beyond the field\'s range (its column), and integers beyond what a double holds exactly', () => {
    expect(parseFilter({ field: 'staff', op: 'eq', value: 2147483647 }, resolve).ok).toBe(true);
    for (const bad of [2147483648, -2147483649, 1.5]) expect(parseFilter({ field: 'staff', op: 'lt', value: bad }, resolve).ok, String(bad)).toBe(false);
    for (const bad of [2 ** 63, 1e300, -(2 ** 53)]) expect(parseFilter({ field: 'big', op: 'eq', value: bad }, resolve).ok, String(bad)).toBe(false);
    expect(parseFilter('{"field":"revenue","op":"gt","value":1e400}', resolve).ok).toBe(false);
    expect(parseFilter({ field: 'revenue', op: 'gt', value: 1e300 }, (f) => (f === 'revenue' ? { type: 'number', max: 1e15 } : undefined)).ok).toBe(false);
  });

  it('refuses text with a NUL in any value, sent raw or as \\u0000', () => {
    for (const f of [
      { field: 'name', op: 'eq', value: 'a\u0000' },
      { field: 'name', op: 'contains', value: '\u0000' },
      { field: 'name', op: 'startsWith', value: 'x\u0000' },
      { field: 'name', op: 'in', value: ['ok', '\u0000'] },
    ]) expect(parseFilter(f, resolve).ok, JSON.stringify(f)).toBe(false);
    expect(parseFilter('{"field":"name","op":"eq","value":"\\u0000"}', resolve).ok).toBe(false);
  });

  it('accepts the example of API.md', () => {
    const r = parseFilter('{"and":[{"field":"kind","op":"eq","value":"customer"},{"field":"custom.region","op":"in","value":["North"]}]}', resolve);
    expect(r).toEqual({ ok: true, filter: { and: [{ field: 'kind', op: 'eq', value: 'customer' }, { field: 'custom.region', op: 'in', value: ['North'] }] } });
  });

  it('accepts or, not, between, isNull and text ops', () => {
    const r = parseFilter({ or: [{ not: { field: 'name', op: 'startsWith', value: 'A' } }, { field: 'revenue', op: 'between', value: [1, 2] }, { field: 'founded', op: 'isNull' }] }, resolve);
    expect(r.ok).toBe(true);
  });

  it('reports every unknown field, unknown op and bad value with its path', () => {
    const r = parseFilter({ and: [{ field: 'shoe', op: 'eq', value: 1 }, { field: 'kind', op: 'like', value: 'x' }, { field: 'kind', op: 'eq', value: 'friend' }, { field: 'revenue', op: 'contains', value: 'x' }, { field: 'founded', op: 'gt', value: '2024-13-45' }] }, resolve);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(['filter.and.0.field', 'filter.and.1.op', 'filter.and.2.value', 'filter.and.3.value', 'filter.and.4.value']);
  });

  it('refuses malformed JSON, empty groups and mixed keys', () => {
    expect(parseFilter('{', resolve).ok).toBe(false);
    expect(parseFilter({ and: [] }, resolve).ok).toBe(false);
    expect(parseFilter({ and: [{ field: 'name', op: 'eq', value: 'x' }], or: [] }, resolve).ok).toBe(false);
    expect(parseFilter({ field: 'active', op: 'in', value: [] }, resolve).ok).toBe(false);
  });

  it('refuses filters nested too deep', () => {
    let f: unknown = { field: 'name', op: 'eq', value: 'x' };
    for (let i = 0; i < 12; i++) f = { not: f };
    expect(parseFilter(f, resolve).ok).toBe(false);
  });
});

describe('sort', () => {
  it('parses directions and refuses unknown or repeated fields', () => {
    expect(parseSort('name,-revenue', (f) => f in fields)).toEqual({ ok: true, sort: [{ field: 'name', direction: 'asc' }, { field: 'revenue', direction: 'desc' }] });
    const bad = parseSort('name,-name,bogus', (f) => f in fields);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors).toHaveLength(2);
  });
});
