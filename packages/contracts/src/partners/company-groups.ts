import { z } from 'zod';
import { idParams, requiredText } from '../schemas';
import { COMPANY_KINDS, COMPANY_STATUSES } from './companies';

/** Company groups of partners (P2) as `/company-groups` takes and answers them. */

const fields = {
  name: requiredText(200),
  description: requiredText(4000).nullable(),
  ownerId: requiredText(64),
  departmentId: requiredText(100).nullable(),
};

/** Body of `POST /company-groups`. */
export const createCompanyGroupSchema = z.strictObject({
  name: fields.name,
  description: fields.description.optional(),
  ownerId: fields.ownerId.optional(),
  departmentId: fields.departmentId.optional(),
});
export type CreateCompanyGroupBody = z.input<typeof createCompanyGroupSchema>;
export type CreateCompanyGroupInput = z.output<typeof createCompanyGroupSchema>;

/** Body of `PATCH /company-groups/{id}`: any subset of the fields. */
export const patchCompanyGroupSchema = z.strictObject(fields).partial();
export type PatchCompanyGroupBody = z.input<typeof patchCompanyGroupSchema>;
export type PatchCompanyGroupInput = z.output<typeof patchCompanyGroupSchema>;

export const companyGroupIdParams = idParams;

/** A member company as the group shows it. */
export const groupMemberSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(COMPANY_KINDS),
  status: z.enum(COMPANY_STATUSES),
  country: z.string(),
  city: z.string().nullable(),
  ownerId: z.string(),
  departmentId: z.string().nullable(),
});
export type GroupMemberDto = z.output<typeof groupMemberSchema>;

/** A company group as lists answer it. */
export const companyGroupSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  ownerId: z.string(),
  departmentId: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CompanyGroupDto = z.output<typeof companyGroupSchema>;

/** One company group with the member companies the caller may see. */
export const companyGroupDetailSchema = companyGroupSchema.extend({ members: z.array(groupMemberSchema) });
export type CompanyGroupDetailDto = z.output<typeof companyGroupDetailSchema>;
