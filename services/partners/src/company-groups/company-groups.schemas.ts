import { z } from 'zod';
import { COMPANY_KINDS, COMPANY_STATUSES } from '../companies/companies.schemas';

const text = (max: number) => z.string().trim().min(1).max(max);

const fields = {
  name: text(200),
  description: text(4000).nullable(),
  ownerId: text(64),
  departmentId: text(100).nullable(),
};

export const createCompanyGroupSchema = z.strictObject({
  name: fields.name,
  description: fields.description.optional(),
  ownerId: fields.ownerId.optional(),
  departmentId: fields.departmentId.optional(),
});
export type CreateCompanyGroupInput = z.output<typeof createCompanyGroupSchema>;

export const patchCompanyGroupSchema = z.strictObject(fields).partial();
export type PatchCompanyGroupInput = z.output<typeof patchCompanyGroupSchema>;

export const companyGroupIdParams = z.object({ id: z.uuid() });

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
