import { describe, expect, it } from 'vitest';
import { badTextPaths, hasNul, isCalendarDate, isIntegerIn, isIsoDateTime, textError, numericRange, PG_INT4 } from './values';

describe('calendar dates', () => {
  it('accepts real days of years 0001–9999, leap days included', () => {
    for (const d of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2023-04-30', '1970-01-01']) expect(isCalendarDate(d), d).toBe(true);
  });

  it('refuses days JavaScript parses but PostgreSQL refuses, and other shapes', () => {
    for (const d of ['2024-02-30', '2023-02-29', '1900-02-29', '2024-04-31', '0000-01-01', '+010000-01-01', '10000-01-01', '2024-13-01', '2024-00-10',
      '2024-01-00', '2024-1-1', '2024-01-01T00:00:00Z', ' 2024-01-01', '2024-01-01\u0000', '', null, 20240101]) {
      expect(isCalendarDate(d), String(d)).toBe(false);
    }
  });
});

describe('ISO-8601 times', () => {
  it('accepts times with a zone within years 0001–9999', () => {
    for (const t of ['2024-05-01T08:30:00Z', '2024-05-01T08:30Z', '2024-05-01T10:30:00.123456+02:00', '2024-05-01 10:30:00-0500', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59.999Z']) {
      expect(isIsoDateTime(t), t).toBe(true);
    }
  });

  it('refuses impossible days and times, years out of range, and a missing zone unless optional', () => {
    for (const t of ['2024-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '+010000-01-01T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T23:60:00Z',
      '2024-01-01T23:00:60Z', '2024-01-01T10:00:00+16:00', '2024-01-01', '2024-01-01T10:00:00', 'Mon, 01 Jan 2024 10:00:00 GMT', '1704103200000']) {
      expect(isIsoDateTime(t), t).toBe(false);
    }
    expect(isIsoDateTime('2024-01-01T10:00:00', { zone: 'optional' })).toBe(true);
    expect(isIsoDateTime('2024-02-30T10:00:00', { zone: 'optional' })).toBe(false);
  });
});

describe('numbers that fit their column', () => {
  it('integers within a range, by default what a double holds exactly', () => {
    expect(isIntegerIn(2 ** 53 - 1)).toBe(true);
    expect(isIntegerIn(2 ** 53)).toBe(false);
    expect(isIntegerIn(1.5)).toBe(false);
    expect(isIntegerIn(Infinity)).toBe(false);
    expect(isIntegerIn('1')).toBe(false);
    expect(isIntegerIn(PG_INT4.max, PG_INT4)).toBe(true);
    expect(isIntegerIn(PG_INT4.max + 1, PG_INT4)).toBe(false);
    expect(isIntegerIn(PG_INT4.min - 1, PG_INT4)).toBe(false);
  });

  it('numeric(p,s): what rounds to a value it stores', () => {
    const r = numericRange(4, 2);
    expect(99.99 <= r.max && 99.994 <= r.max).toBe(true);
    expect(99.995 <= r.max).toBe(false);
    expect(-99.995 >= r.min).toBe(false);
    const money = numericRange(18, 2);
    expect(9_999_999_999_999_998 <= money.max).toBe(true);
    expect(1e16 <= money.max).toBe(false);
  });
});

describe('text PostgreSQL refuses', () => {
  it('NUL and half of a surrogate pair; whole pairs (emoji) pass', () => {
    expect(hasNul('a\u0000b')).toBe(true);
    expect(hasNul('a\\u0000b')).toBe(false);
    expect(textError('a\u0000b')).toMatch(/NUL/);
    for (const bad of ['\ud800', 'a\udc00', '\ud800a', '\udc00\ud800']) expect(textError(bad), escape(bad)).toMatch(/surrogate/);
    for (const good of ['Kovács', '😀', 'a😀b', '']) expect(textError(good), good).toBeNull();
  });

  it('finds every string and key holding such text, however deep, by dotted path', () => {
    const paths = (v: unknown, prefix?: string) => badTextPaths(v, prefix).map((e) => e.path);
    expect(paths({ name: 'ok', emails: [{ address: 'x\u0000' }], custom: { 'k\u0000': 1, deep: { v: ['\ud800'] } } }))
      .toEqual(['emails.0.address', 'custom.k\\u0000', 'custom.deep.v.0']);
    expect(paths({ q: '\u0000' }, 'query.')).toEqual(['query.q']);
    expect(paths('\u0000', 'query.')).toEqual(['query']);
    expect(paths({ a: 1, b: true, c: null, d: new Date(0), e: '😀' })).toEqual([]);
    // parsed query strings have objects with a prototype of their own
    const q = Object.create(Object.create(null)) as Record<string, unknown>;
    q.filter = 'x\u0000';
    expect(paths(q, 'query.')).toEqual(['query.filter']);
  });
});
