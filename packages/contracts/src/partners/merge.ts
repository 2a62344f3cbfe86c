import { z } from 'zod';
import { companyDetailSchema } from './companies';
import { externalIdRefSchema } from './external-ids';
import { personSchema } from './persons';

/** Merging two companies or two persons (P8): `POST /companies/merge`, `POST /persons/merge`. */

/** Whose value the survivor keeps for a field. */
export const MERGE_CHOICES = ['survivor', 'merged'] as const;
export type MergeChoice = (typeof MERGE_CHOICES)[number];
const choice = z.enum(MERGE_CHOICES);

/** Fields a merge may take from the merged record instead of the survivor; `ownerId` brings its department along. */
export const COMPANY_MERGE_FIELDS = ['name', 'legalForm', 'kind', 'status', 'taxNumber', 'registrationNumber', 'country', 'industry', 'size', 'website', 'groupId', 'ownerId'] as const;
export const PERSON_MERGE_FIELDS = ['familyName', 'givenName', 'title', 'position', 'ownerId'] as const;

const fieldsOf = (known: readonly string[]) =>
  z.record(z.string(), choice).superRefine((fields, ctx) => {
    for (const key of Object.keys(fields)) {
      if (!known.includes(key) && !/^custom\.[a-zA-Z0-9_]+$/.test(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `is not a field a merge can choose; one of ${known.join(', ')} or custom.<key>` });
      }
    }
  });

const mergeSchema = (known: readonly string[]) =>
  z.strictObject({
    survivorId: z.uuid(),
    mergedId: z.uuid(),
    /** The versions (ETags) of the two records the user compared; a stale one answers 412 and nothing changes. */
    versions: z.strictObject({ survivor: z.number().int().min(1), merged: z.number().int().min(1) }).optional(),
    /** Per field, whose value the survivor keeps; unnamed fields keep the survivor's, or the merged one's where the survivor has none. */
    fields: fieldsOf(known).optional(),
  });

export const mergeCompaniesSchema = mergeSchema(COMPANY_MERGE_FIELDS);
export const mergePersonsSchema = mergeSchema(PERSON_MERGE_FIELDS);
export type MergeBody = z.input<typeof mergeCompaniesSchema>;
export type MergeInput = z.output<typeof mergeCompaniesSchema>;

/** An employment a merge combined with the overlapping ones at the same company, as the merge answers it. */
export const combinedEmploymentSchema = z.object({
  /** The employment kept (the survivor's), with the combined period. */
  id: z.uuid(),
  personId: z.uuid(),
  companyId: z.uuid(),
  role: z.string().nullable(),
  from: z.string(),
  to: z.string().nullable(),
  primary: z.boolean(),
  /** The employments folded into it and removed. */
  combinedIds: z.array(z.uuid()),
});
export type CombinedEmploymentDto = z.output<typeof combinedEmploymentSchema>;

/** What `POST /companies/merge` answers: the survivor, with its external ids and the employments combined. */
export const companyMergeResultSchema = companyDetailSchema.extend({ combinedEmployments: z.array(combinedEmploymentSchema) });
export type CompanyMergeResult = z.output<typeof companyMergeResultSchema>;

/** What `POST /persons/merge` answers: the survivor, with its external ids and the employments combined. */
export const personMergeResultSchema = personSchema.extend({ externalIds: z.array(externalIdRefSchema), combinedEmployments: z.array(combinedEmploymentSchema) });
export type PersonMergeResult = z.output<typeof personMergeResultSchema>;
