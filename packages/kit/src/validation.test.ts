import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseOrThrow, pgValues, zodValidatorCompiler } from './validation';
import { ProblemError } from './problems';

const compile = (schema: z.ZodType, httpPart: string) => zodValidatorCompiler({ schema, httpPart, method: 'GET', url: '/x' } as never) as (data: unknown) => { value?: unknown; error?: ProblemError };
const paths = (e?: ProblemError) => (e?.errors ?? []).map((x) => x.path);

describe('every route refuses text with NUL', () => {
  it('in a query, a body (however deep, keys too) and params, naming each place beside the schema\'s own errors', () => {
    expect(paths(compile(z.object({ q: z.string().optional() }), 'querystring')({ q: 'a\u0000' }).error)).toEqual(['query.q']);
    const body = z.object({ name: z.string().min(3), custom: z.record(z.string(), z.unknown()), emails: z.array(z.object({ address: z.string() })) });
    const r = compile(body, 'body')({ name: 'x', custom: { 'k\u0000': 1, v: { deep: '\u0000' } }, emails: [{ address: 'a\u0000' }] });
    expect(r.error?.status).toBe(400);
    expect(paths(r.error)).toEqual(['name', 'custom.k\\u0000', 'custom.v.deep', 'emails.0.address']);
    expect(paths(compile(z.object({ id: z.string() }), 'params')({ id: '\u0000' }).error)).toEqual(['params.id']);
    // an error the schema reports already is not repeated
    expect(paths(compile(z.object({ q: z.string().max(1) }), 'querystring')({ q: 'ab\u0000' }).error)).toEqual(['query.q']);
  });

  it('passes what has no NUL, with the schema\'s output', () => {
    expect(compile(z.object({ q: z.string().trim() }), 'querystring')({ q: ' a ' })).toEqual({ value: { q: 'a' } });
  });

  it('parseOrThrow refuses NUL too', () => {
    expect(() => parseOrThrow(z.object({ a: z.unknown() }), { a: ['\u0000'] })).toThrow(ProblemError);
  });
});

describe('values PostgreSQL is strict about', () => {
  it('dates and times of real days within years 0001–9999', () => {
    expect(pgValues.date().safeParse('2024-02-29').success).toBe(true);
    for (const bad of ['2024-02-30', '0000-01-01', '+010000-01-01', '2024-2-1']) expect(pgValues.date().safeParse(bad).success, bad).toBe(false);
    expect(pgValues.dateTime().safeParse('2024-05-01T10:30:00+02:00').success).toBe(true);
    for (const bad of ['2024-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '+010000-01-01T00:00:00Z', '2024-05-01T10:30:00']) expect(pgValues.dateTime().safeParse(bad).success, bad).toBe(false);
  });

  it('integers and numerics within their column', () => {
    expect(pgValues.int4().safeParse(2 ** 31 - 1).success).toBe(true);
    expect(pgValues.int4().safeParse(2 ** 31).success).toBe(false);
    expect(pgValues.int2().safeParse(40_000).success).toBe(false);
    expect(pgValues.int8().safeParse(2 ** 53).success).toBe(false);
    expect(pgValues.numeric(18, 2).safeParse(1250000.5).success).toBe(true);
    expect(pgValues.numeric(18, 2).safeParse(1e16).success).toBe(false);
  });
});
