import { z } from 'zod';
import { emailSchema, phoneSchema } from '../companies/companies.schemas';
import { employmentSchema } from '../employments/employments.schemas';

const text = (max: number) => z.string().trim().min(1).max(max);

const fields = {
  familyName: text(100),
  givenName: text(100),
  title: text(50).nullable(),
  position: text(100).nullable(),
  emails: z.array(emailSchema).max(20),
  phones: z.array(phoneSchema).max(20),
  ownerId: text(64),
  departmentId: text(100).nullable(),
  custom: z.record(z.string(), z.unknown()),
};

export const createPersonSchema = z.strictObject({
  familyName: fields.familyName,
  givenName: fields.givenName,
  title: fields.title.optional(),
  position: fields.position.optional(),
  emails: fields.emails.default([]),
  phones: fields.phones.default([]),
  ownerId: fields.ownerId.optional(),
  departmentId: fields.departmentId.optional(),
  custom: fields.custom.default({}),
});
export type CreatePersonInput = z.output<typeof createPersonSchema>;

export const patchPersonSchema = z.strictObject(fields).partial();
export type PatchPersonInput = z.output<typeof patchPersonSchema>;

export const personIdParams = z.object({ id: z.uuid() });

/** A person as the API answers it (API.md "Shapes"), with current and former employers. */
export const personSchema = z.object({
  id: z.uuid(),
  familyName: z.string(),
  givenName: z.string(),
  /** Hungarian order: "familyName givenName". */
  displayName: z.string(),
  title: z.string().nullable(),
  position: z.string().nullable(),
  emails: z.array(emailSchema),
  phones: z.array(phoneSchema),
  ownerId: z.string(),
  departmentId: z.string().nullable(),
  employments: z.array(employmentSchema),
  custom: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PersonDto = z.output<typeof personSchema>;

/** A person as another record shows them (e.g. the people of a company). */
export const personSummarySchema = personSchema.pick({
  id: true, familyName: true, givenName: true, displayName: true, title: true, position: true, emails: true, phones: true, ownerId: true, departmentId: true,
});
export type PersonSummaryDto = z.output<typeof personSummarySchema>;
