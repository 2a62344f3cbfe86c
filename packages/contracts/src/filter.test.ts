import { describe, expect, it } from 'vitest';
import { parseFilter, parseSort, type FilterFieldSpec } from './filter';

const fields: Record<string, FilterFieldSpec> = {
  name: { type: 'string' },
  kind: { type: 'enum', values: ['customer', 'prospect'] },
  revenue: { type: 'number' },
  founded: { type: 'date' },
  active: { type: 'boolean' },
  'custom.region': { type: 'enum', values: ['North', 'South'] },
};
const resolve = (f: string) => fields[f];

describe('filter language', () => {
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
