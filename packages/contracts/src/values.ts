/**
 * Value rules every input passes before it reaches PostgreSQL: text without NUL, dates that are real calendar
 * days PostgreSQL stores, numbers that fit their column. JavaScript accepts more (`Date.parse('2024-02-30')`,
 * year 0, `+010000`), PostgreSQL refuses it with an error, and an error there is a 500 instead of a 400.
 */

/** Earliest and latest year a date or time may carry (PostgreSQL has no year 0; four digits keep ISO-8601 plain). */
export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

/** Integer ranges of PostgreSQL's integer columns. */
export const PG_INT2 = { min: -32_768, max: 32_767 } as const;
export const PG_INT4 = { min: -2_147_483_648, max: 2_147_483_647 } as const;
/** int8 as far as a JavaScript number holds it exactly. */
export const PG_INT8 = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER } as const;

import type { FieldError } from './problems';

/** True when the text holds a NUL character, which PostgreSQL refuses in text and jsonb. */
export const hasNul = (s: string): boolean => s.includes('\u0000');

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why PostgreSQL would refuse this text, or null: a NUL (refused in text and jsonb), or half of a UTF-16
 * surrogate pair (JSON's `"\\ud800"`, which jsonb refuses).
 */
export function textError(s: string): string | null {
  if (hasNul(s)) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode text (it holds half of a surrogate pair)';
  return null;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// date, `T` or a space, hours and minutes, optional seconds and fraction, then Z or an offset (required)
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?$/i;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) => (m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

function isDay(y: number, m: number, d: number): boolean {
  return y >= MIN_YEAR && y <= MAX_YEAR && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
}

/** A calendar date `YYYY-MM-DD` that exists (no 2024-02-30) in years 0001–9999. */
export function isCalendarDate(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = DATE_RE.exec(v);
  return !!m && isDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * An ISO-8601 time with a date that exists, a time of day that exists (seconds up to 59) and a zone
 * (`Z` or `±HH:MM`), in years 0001–9999: `2024-05-01T08:30:00Z`, `2024-05-01T10:30:00.123+02:00`.
 * `zone: 'optional'` also takes a local time without one (PostgreSQL reads it in the session's zone).
 */
export function isIsoDateTime(v: unknown, opts: { zone?: 'required' | 'optional' } = {}): v is string {
  if (typeof v !== 'string') return false;
  const m = DATETIME_RE.exec(v);
  if (m && m[7] === undefined && opts.zone !== 'optional') return false;
  if (!m || !isDay(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return false;
  // the zone may move the instant a day past the range; PostgreSQL's timestamptz holds 4713 BC to 294276 AD
  return m[7] === undefined || m[7].toUpperCase() === 'Z' || (Number(m[8]) <= 15 && Number(m[9]) <= 59);
}

/** True when `v` is an integer within [min, max] (by default what a JavaScript number holds exactly). */
export function isIntegerIn(v: unknown, range: { min: number; max: number } = PG_INT8): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= range.min && v <= range.max;
}

// the largest double below a positive one
const below = (x: number): number => {
  const f = new Float64Array([x]);
  const i = new BigInt64Array(f.buffer);
  i[0] = i[0]! - 1n;
  return f[0]!;
};

/**
 * The range a `numeric(precision, scale)` column stores, inclusive: `numeric(4,2)` takes up to 99.99 and what
 * rounds to it (99.994), not 99.995, which rounds to 100.00 and overflows.
 */
export function numericRange(precision: number, scale: number): { min: number; max: number } {
  const max = below(10 ** (precision - scale) - 5 * 10 ** -(scale + 1));
  return { min: -max, max };
}

// a JSON object or a parsed query string (whose objects may have a prototype of their own), not a Date or Buffer
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !ArrayBuffer.isView(v);

/**
 * Every place in a parsed JSON value (a body, a query object) where a string or an object key is text PostgreSQL
 * refuses (`textError`), as field errors with dotted paths (`emails.0.address`); `prefix` goes before each
 * (e.g. `query.`), and the value itself is named by the prefix alone.
 */
export function badTextPaths(value: unknown, prefix = '', limit = 20): FieldError[] {
  const out: FieldError[] = [];
  const named = (path: string) => `${prefix}${path}`.replace(/\.$/, '') || prefix.replace(/\.$/, '');
  const walk = (v: unknown, path: string, depth: number) => {
    if (out.length >= limit || depth > 64) return;
    if (typeof v === 'string') { const e = textError(v); if (e) out.push({ path: named(path), message: e }); return; }
    if (Array.isArray(v)) { v.forEach((x, i) => walk(x, path ? `${path}.${i}` : String(i), depth + 1)); return; }
    if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k.replaceAll('\u0000', '\\u0000')}` : k.replaceAll('\u0000', '\\u0000');
        const e = textError(k);
        if (e) { out.push({ path: named(p), message: `has a key that ${e}` }); continue; }
        walk(x, p, depth + 1);
      }
    }
  };
  walk(value, '', 0);
  return out;
}
