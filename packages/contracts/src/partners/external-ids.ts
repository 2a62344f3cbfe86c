import { z } from 'zod';

/** One external id of a record (P7), as GET /companies/{id} and GET /persons/{id} show them. */
export const externalIdRefSchema = z.object({ system: z.string(), externalId: z.string() });
export type ExternalIdRef = z.output<typeof externalIdRefSchema>;
