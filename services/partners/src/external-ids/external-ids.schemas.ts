import { z } from 'zod';

/** A source system's name in paths (`sap`, `navision-hu`). */
export const systemSchema = z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'must be 2–31 lower-case letters, digits or "-", starting with a letter');
/** An id of the source system: kept exactly as sent; no control characters, no leading or trailing spaces. */
export const externalIdSchema = z.string().min(1).max(200).regex(/^[^\p{Cc}\s](?:[^\p{Cc}]*[^\p{Cc}\s])?$/u, 'must be 1–200 printable characters without leading or trailing spaces');

export const systemParams = z.object({ system: systemSchema });
export const externalIdParams = z.object({ system: systemSchema, externalId: externalIdSchema });

/** The largest bulk upsert: more items answer 413. */
export const MAX_BULK_ITEMS = 1000;

/** Items are checked one by one, so one bad item does not spoil the others. */
export const bulkBodySchema = z.strictObject({ items: z.array(z.unknown()) });

/** One external id of a record, as GET /companies/{id} shows them: a contract, shared with the portal. */
export { externalIdRefSchema, type ExternalIdRef } from '@kapocs/contracts';

export const UPSERT_STATUSES = ['created', 'updated', 'unchanged', 'invalid', 'forbidden'] as const;
export type UpsertStatus = (typeof UPSERT_STATUSES)[number];

export const bulkResultSchema = z.object({
  externalId: z.string().nullable(),
  status: z.enum(UPSERT_STATUSES),
  id: z.uuid().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type BulkResult = z.output<typeof bulkResultSchema>;

export const bulkResponseSchema = z.object({ results: z.array(bulkResultSchema) });
