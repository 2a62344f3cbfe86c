import { z } from 'zod';
import { idParams, requiredText } from '../schemas';
import { emailSchema, phoneSchema } from './companies';
import { employmentSchema } from './employments';

/** Persons (contacts) of partners (P3) as `/persons` takes and answers them. */

const fields = {
  familyName: requiredText(100),
  givenName: requiredText(100),
  title: requiredText(50).nullable(),
  position: requiredText(100).nullable(),
  emails: z.array(emailSchema).max(20),
  phones: z.array(phoneSchema).max(20),
  ownerId: requiredText(64),
  departmentId: requiredText(100).nullable(),
  custom: z.record(z.string(), z.unknown()),
};

/** Body of `POST /persons`. */
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
export type CreatePersonBody = z.input<typeof createPersonSchema>;
export type CreatePersonInput = z.output<typeof createPersonSchema>;

/** Body of `PATCH /persons/{id}`: any subset of the fields. */
export const patchPersonSchema = z.strictObject(fields).partial();
export type PatchPersonBody = z.input<typeof patchPersonSchema>;
export type PatchPersonInput = z.output<typeof patchPersonSchema>;

export const personIdParams = idParams;

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

/** A person as a company's people tab shows them (`GET /companies/{id}/persons`): with their employment there. */
export const companyPersonSchema = personSummarySchema.extend({
  employmentId: z.uuid(), role: z.string().nullable(), from: z.string(), to: z.string().nullable(), primary: z.boolean(),
});
export type CompanyPersonDto = z.output<typeof companyPersonSchema>;

/** `GET /companies/{id}/persons`: who works there now and who did. */
export const companyPersonsSchema = z.object({ current: z.array(companyPersonSchema), former: z.array(companyPersonSchema) });
export type CompanyPersonsDto = z.output<typeof companyPersonsSchema>;
