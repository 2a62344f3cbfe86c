import { describe, expect, it } from 'vitest';
import { planList, readCursor, signCursor, useCursorSecret, withColumnRange, type ListField } from './list';
import { ProblemError } from './problems';

const FIELDS: Record<string, ListField> = {
  name: { type: 'string', sql: 'lower(c.name)', sortable: true },
  createdAt: { type: 'datetime', sql: 'c.created_at', sortable: true },
  staff: { type: 'integer', sql: 'c.staff', pgType: 'int4' },
};
const plan = (query: Record<string, unknown>) =>
  planList({ limit: 50, count: false, ...query }, { fields: (f) => FIELDS[f], idSql: 'c.id', defaultSort: [{ field: 'name', direction: 'asc' }] });

/** The field errors of a 400, or a failure when it was not one. */
function refusal(fn: () => unknown): string[] {
  try { fn(); } catch (e) {
    if (e instanceof ProblemError && e.status === 400) return (e.errors ?? []).map((x) => x.path);
    throw e;
  }
  throw new Error('was not refused');
}

describe('signed cursors', () => {
  it('reads back what it signed, with the same binding', () => {
    const c = signCursor(['Alfa', '01a23163-3bab-7d86-9ecd-c3bde2d3211f'], 'list:a');
    expect(readCursor(c, 'list:a')).toEqual(['Alfa', '01a23163-3bab-7d86-9ecd-c3bde2d3211f']);
  });

  it('refuses a cursor signed for another binding, edited, hand-made or cut, naming query.cursor', () => {
    const c = signCursor(['Alfa', 'x'], 'list:a');
    const [body, sig] = c.split('.');
    const forged = Buffer.from(JSON.stringify(['Béta', 'x'])).toString('base64url');
    for (const bad of [`${forged}.${sig}`, `${body}.${sig!.slice(1)}`, body!, `${body}.`, `${body}.${sig}.${sig}`, 'bm9wZQ', '', '\u0000', Buffer.from(JSON.stringify({ k: ['x', 'y'] })).toString('base64url')]) {
      expect(refusal(() => readCursor(bad, 'list:a')), bad).toEqual(['query.cursor']);
    }
    expect(refusal(() => readCursor(c, 'list:b'))).toEqual(['query.cursor']);
    expect(refusal(() => readCursor(c, 'list:a', (v) => v.length === 3))).toEqual(['query.cursor']);
  });

  it('keeps verifying cursors of a key set earlier in the process, and signs with the newest', () => {
    useCursorSecret('first secret of at least thirty-two chars');
    const old = signCursor([1], 'b');
    useCursorSecret('second secret of at least thirty-two chars');
    expect(readCursor(old, 'b')).toEqual([1]);
    expect(signCursor([1], 'b')).not.toBe(old);
  });

  it('binds a list\'s cursor to its order: another sort or direction refuses it', () => {
    const byName = plan({ sort: 'name' });
    const cursor = byName.cursorFor({ _k0: 'alfa', _k1: '01a23163-3bab-7d86-9ecd-c3bde2d3211f' });
    expect(plan({ sort: 'name', cursor }).after?.bindings).toEqual(['alfa', 'alfa', '01a23163-3bab-7d86-9ecd-c3bde2d3211f']);
    expect(plan({ cursor }).after).not.toBeNull(); // the default sort is the same order
    expect(refusal(() => plan({ sort: '-name', cursor }))).toEqual(['query.cursor']);
    expect(refusal(() => plan({ sort: 'createdAt', cursor }))).toEqual(['query.cursor']);
    expect(refusal(() => planList({ limit: 50, count: false, sort: 'name', cursor }, { fields: (f) => FIELDS[f], idSql: 'g.id', defaultSort: [] }))).toEqual(['query.cursor']);
  });
});

describe('filter values within their column', () => {
  it('derives the range of integer and numeric bindings', () => {
    expect(withColumnRange({ type: 'integer', sql: 'x', pgType: 'int4' })).toMatchObject({ min: -2147483648, max: 2147483647 });
    expect(withColumnRange({ type: 'integer', sql: 'x', pgType: 'smallint' })).toMatchObject({ min: -32768, max: 32767 });
    expect(withColumnRange({ type: 'number', sql: 'x', pgType: 'numeric(4, 2)' }).max).toBeLessThan(99.995);
    expect(withColumnRange({ type: 'number', sql: 'x', pgType: 'numeric' }).max).toBeUndefined();
    expect(withColumnRange({ type: 'integer', sql: 'x', pgType: 'int4', max: 10 }).max).toBe(10);
  });

  it('refuses a filter value beyond its column, a date PostgreSQL refuses and text with NUL, naming query.filter', () => {
    expect(refusal(() => plan({ filter: JSON.stringify({ field: 'staff', op: 'gt', value: 2 ** 31 }) }))).toEqual(['query.filter.value']);
    expect(plan({ filter: JSON.stringify({ field: 'staff', op: 'gt', value: 2 ** 31 - 1 }) }).where).not.toBeNull();
    expect(refusal(() => plan({ filter: JSON.stringify({ field: 'createdAt', op: 'gt', value: '2024-02-30T00:00:00Z' }) }))).toEqual(['query.filter.value']);
    expect(refusal(() => plan({ filter: JSON.stringify({ field: 'name', op: 'eq', value: '\u0000' }) }))).toEqual(['query.filter.value']);
  });
});
