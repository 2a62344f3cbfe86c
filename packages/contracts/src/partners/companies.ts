import { z } from 'zod';
import type { FieldError } from '../problems';
import { idParams, requiredText } from '../schemas';
import { externalIdRefSchema } from './external-ids';
import { hungarianRegistrationNumberError, hungarianTaxNumberError, normalizeHungarianTaxNumber } from './tax-numbers';

/** Companies of partners (P1) as `/companies` takes and answers them. */

export const COMPANY_KINDS = ['customer', 'prospect', 'reseller', 'supplier', 'competitor', 'partner'] as const;
export type CompanyKind = (typeof COMPANY_KINDS)[number];
export const COMPANY_STATUSES = ['active', 'inactive'] as const;
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];
export const COMPANY_SIZES = ['micro', 'small', 'medium', 'large', 'enterprise'] as const;
export type CompanySize = (typeof COMPANY_SIZES)[number];
export const ADDRESS_KINDS = ['headquarters', 'billing', 'shipping', 'site', 'mailing'] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

/** A phone number: digits, spaces, +, -, / and brackets. */
export const PHONE_PATTERN = /^\+?[0-9][0-9 ()\-/]{4,29}$/;
/** An ISO 3166 two-letter country code (after trimming and upper-casing). */
export const COUNTRY_PATTERN = /^[A-Z]{2}$/;

const country = z.string().trim().toUpperCase().regex(COUNTRY_PATTERN, 'must be an ISO 3166 two-letter code');

export const emailSchema = z.strictObject({ address: z.email().max(254), label: requiredText(50).optional() });
export const phoneSchema = z.strictObject({
  number: z.string().trim().regex(PHONE_PATTERN, 'must be a phone number (digits, spaces, +, -, /, brackets)'),
  label: requiredText(50).optional(),
});
export const addressSchema = z.strictObject({
  kind: z.enum(ADDRESS_KINDS),
  country,
  postalCode: requiredText(20),
  city: requiredText(100),
  street: requiredText(200),
});
export type CompanyAddress = z.output<typeof addressSchema>;

const fields = {
  name: requiredText(200),
  legalForm: requiredText(50).nullable(),
  kind: z.enum(COMPANY_KINDS),
  status: z.enum(COMPANY_STATUSES),
  taxNumber: requiredText(40).nullable(),
  registrationNumber: requiredText(40).nullable(),
  country,
  industry: requiredText(100).nullable(),
  size: z.enum(COMPANY_SIZES).nullable(),
  website: z.url({ protocol: /^https?$/ }).max(300).nullable(),
  emails: z.array(emailSchema).max(20),
  phones: z.array(phoneSchema).max(20),
  addresses: z.array(addressSchema).max(20),
  groupId: z.uuid().nullable(),
  ownerId: requiredText(64),
  departmentId: requiredText(100).nullable(),
  custom: z.record(z.string(), z.unknown()),
};

type Numbers = { country?: string | undefined; taxNumber?: string | null | undefined; registrationNumber?: string | null | undefined };

/** Hungarian numbers are checked when the company is Hungarian; others are kept as text with the country. */
export function companyNumberErrors(v: Numbers): FieldError[] {
  if ((v.country ?? 'HU') !== 'HU') return [];
  const errors: FieldError[] = [];
  const tax = v.taxNumber ? hungarianTaxNumberError(v.taxNumber) : null;
  if (tax) errors.push({ path: 'taxNumber', message: tax });
  const reg = v.registrationNumber ? hungarianRegistrationNumberError(v.registrationNumber) : null;
  if (reg) errors.push({ path: 'registrationNumber', message: reg });
  return errors;
}

function checkNumbers(v: Numbers, ctx: z.RefinementCtx) {
  for (const e of companyNumberErrors(v)) ctx.addIssue({ code: 'custom', path: [e.path], message: e.message });
}

/** Body of `POST /companies`. */
export const createCompanySchema = z
  .strictObject({
    name: fields.name,
    legalForm: fields.legalForm.optional(),
    kind: fields.kind,
    status: fields.status.default('active'),
    taxNumber: fields.taxNumber.optional(),
    registrationNumber: fields.registrationNumber.optional(),
    country: fields.country.default('HU'),
    industry: fields.industry.optional(),
    size: fields.size.optional(),
    website: fields.website.optional(),
    emails: fields.emails.default([]),
    phones: fields.phones.default([]),
    addresses: fields.addresses.default([]),
    groupId: fields.groupId.optional(),
    ownerId: fields.ownerId.optional(),
    departmentId: fields.departmentId.optional(),
    custom: fields.custom.default({}),
  })
  .superRefine(checkNumbers)
  .transform((v) => (v.taxNumber && v.country === 'HU' ? { ...v, taxNumber: normalizeHungarianTaxNumber(v.taxNumber) } : v));
/** What `POST /companies` sends. */
export type CreateCompanyBody = z.input<typeof createCompanySchema>;
/** The create body as the service reads it (defaults applied, tax number normalised). */
export type CreateCompanyInput = z.output<typeof createCompanySchema>;

/** Body of `PATCH /companies/{id}`: any subset of the fields. */
export const patchCompanySchema = z
  .strictObject({
    name: fields.name,
    legalForm: fields.legalForm,
    kind: fields.kind,
    status: fields.status,
    taxNumber: fields.taxNumber,
    registrationNumber: fields.registrationNumber,
    country: fields.country,
    industry: fields.industry,
    size: fields.size,
    website: fields.website,
    emails: fields.emails,
    phones: fields.phones,
    addresses: fields.addresses,
    groupId: fields.groupId,
    ownerId: fields.ownerId,
    departmentId: fields.departmentId,
    custom: fields.custom,
  })
  .partial();
export type PatchCompanyBody = z.input<typeof patchCompanySchema>;
export type PatchCompanyInput = z.output<typeof patchCompanySchema>;

export const companyIdParams = idParams;

/** A company as the API answers it (API.md "Shapes"). */
export const companySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  legalForm: z.string().nullable(),
  kind: z.enum(COMPANY_KINDS),
  status: z.enum(COMPANY_STATUSES),
  taxNumber: z.string().nullable(),
  registrationNumber: z.string().nullable(),
  country: z.string(),
  industry: z.string().nullable(),
  size: z.enum(COMPANY_SIZES).nullable(),
  website: z.string().nullable(),
  emails: z.array(emailSchema),
  phones: z.array(phoneSchema),
  addresses: z.array(addressSchema),
  groupId: z.string().nullable(),
  ownerId: z.string(),
  departmentId: z.string().nullable(),
  custom: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CompanyDto = z.output<typeof companySchema>;

/** One company as `GET /companies/{id}` answers it: with its external ids. */
export const companyDetailSchema = companySchema.extend({ externalIds: z.array(externalIdRefSchema) });
export type CompanyDetailDto = z.output<typeof companyDetailSchema>;
