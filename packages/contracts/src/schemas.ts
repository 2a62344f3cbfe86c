import { z } from 'zod';
import { isCalendarDate, isIsoDateTime, numericRange, PG_INT2, PG_INT4, PG_INT8 } from './values';

/**
 * zod pieces of the HTTP DTOs: services validate with them, the portal takes its types from them
 * (`z.input` for what it sends, `z.output` for what it gets).
 */

/**
 * Schemas for values PostgreSQL is stricter about than JavaScript: use them for every date, time and number
 * that reaches a column, so out-of-range input is a 400 naming the field instead of a 500.
 */
export const pgValues = {
  /** `YYYY-MM-DD` of a day that exists, years 0001–9999 (a `date` column). */
  date: (message = 'must be a date (YYYY-MM-DD) of years 0001–9999') => z.iso.date(message).refine(isCalendarDate, message),
  /** ISO-8601 time with a zone, years 0001–9999 (a `timestamptz` column). */
  dateTime: (message = 'must be an ISO-8601 time with a zone (e.g. 2024-05-01T08:30:00Z) of years 0001–9999') =>
    z.iso.datetime({ offset: true, message }).refine((v) => isIsoDateTime(v), message),
  /** An integer a `smallint`, `integer` or `bigint` column holds. */
  int2: () => z.number().int().min(PG_INT2.min).max(PG_INT2.max),
  int4: () => z.number().int().min(PG_INT4.min).max(PG_INT4.max),
  int8: () => z.number().int().min(PG_INT8.min).max(PG_INT8.max),
  /** A number a `numeric(precision, scale)` column holds (money is numeric(18,2)). */
  numeric: (precision: number, scale: number) => { const r = numericRange(precision, scale); return z.number().min(r.min).max(r.max); },
};

/** Required text, trimmed, of 1 to `max` characters. */
export const requiredText = (max: number) => z.string().trim().min(1).max(max);

/** `{ id }` path parameters of one record. */
export const idParams = z.object({ id: z.uuid() });

/** A list answer (API.md "Lists"); `total` only when asked with `count=true`. */
export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number().optional() });

/** A list answer without a count. */
export const cursorPageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
