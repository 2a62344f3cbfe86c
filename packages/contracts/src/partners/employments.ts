import { z } from 'zod';
import { idParams, pgValues } from '../schemas';

/** Employments of partners (P3): a person at a company over time, part of the person's record. */

const date = pgValues.date();
const role = z.string().trim().min(1).max(100).nullable();

const endsAfterStart = (v: { from?: string | undefined; to?: string | null | undefined }, ctx: z.RefinementCtx) => {
  if (v.from && v.to && v.to < v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
};

/** Body of `POST /persons/{id}/employments`. */
export const createEmploymentSchema = z
  .strictObject({
    companyId: z.uuid(),
    role: role.optional(),
    from: date,
    to: date.nullable().optional(),
    /** Unset: primary when the person has no other current primary employment. */
    primary: z.boolean().optional(),
  })
  .superRefine(endsAfterStart);
export type CreateEmploymentBody = z.input<typeof createEmploymentSchema>;
export type CreateEmploymentInput = z.output<typeof createEmploymentSchema>;

/** Body of `PATCH /employments/{id}`. The company of an employment cannot change: delete it and add one at the right company. */
export const patchEmploymentSchema = z
  .strictObject({ role, from: date, to: date.nullable(), primary: z.boolean() })
  .partial()
  .superRefine(endsAfterStart);
export type PatchEmploymentBody = z.input<typeof patchEmploymentSchema>;
export type PatchEmploymentInput = z.output<typeof patchEmploymentSchema>;

export const employmentIdParams = idParams;

/** An employment as the API answers it, inside its person and on its own. */
export const employmentSchema = z.object({
  id: z.uuid(),
  personId: z.uuid(),
  companyId: z.uuid(),
  /** The company's name; null when the caller may not see the company (or it was deleted). */
  companyName: z.string().nullable(),
  /** Whether the caller may open the company. */
  companyVisible: z.boolean(),
  role: z.string().nullable(),
  from: z.string(),
  to: z.string().nullable(),
  primary: z.boolean(),
  /** Not ended: `to` unset or not yet past (today in Hungary). */
  current: z.boolean(),
});
export type EmploymentDto = z.output<typeof employmentSchema>;
