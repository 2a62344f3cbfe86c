import { z } from 'zod';

/** Reassigning records to another owner (P4): `POST /companies/reassign`, `POST /persons/reassign`. */

/** Most records one reassign call may move. */
export const MAX_REASSIGN = 500;

export const reassignSchema = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(MAX_REASSIGN),
  ownerId: z.string().trim().min(1).max(64),
  /** Omitted: each record's department follows the new owner. */
  departmentId: z.string().trim().min(1).max(100).nullable().optional(),
});
export type ReassignBody = z.input<typeof reassignSchema>;
export type ReassignInput = z.output<typeof reassignSchema>;

export const reassignResultSchema = z.object({
  /** Records that got the new owner (or department). */
  updated: z.number().int(),
  /** Visible records that already had that owner and department: nothing written. */
  unchanged: z.array(z.uuid()),
  /** Ids that are not (or no longer) records the caller may see. */
  notFound: z.array(z.uuid()),
});
export type ReassignResult = z.output<typeof reassignResultSchema>;
