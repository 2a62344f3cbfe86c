import { z } from 'zod';
import type { FieldError } from '@kapocs/contracts';
import { hungarianRegistrationNumberError, hungarianTaxNumberError, normalizeHungarianTaxNumber } from './tax-numbers';

export const COMPANY_KINDS = ['customer', 'prospect', 'reseller', 'supplier', 'competitor', 'partner'] as const;
export const COMPANY_STATUSES = ['active', 'inactive'] as const;
export const COMPANY_SIZES = ['micro', 'small', 'medium', 'large', 'enterprise'] as const;
export const ADDRESS_KINDS = ['headquarters', 'billing', 'shipping', 'site', 'mailing'] as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const country = z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 two-letter code');

export const emailSchema = z.strictObject({ address: z.email().max(254), label: text(50).optional() });
export const phoneSchema = z.strictObject({
  number: z.string().trim().regex(/^\+?[0-9][0-9 ()\-/]{4,29}$/, 'must be a phone number (digits, spaces, +, -, /, brackets)'),
  label: text(50).optional(),
});
export const addressSchema = z.strictObject({
  kind: z.enum(ADDRESS_KINDS),
  country,
  postalCode: text(20),
  city: text(100),
  street: text(200),
});

const fields = {
  name: text(200),
  legalForm: text(50).nullable(),
  kind: z.enum(COMPANY_KINDS),
  status: z.enum(COMPANY_STATUSES),
  taxNumber: text(40).nullable(),
  registrationNumber: text(40).nullable(),
  country,
  industry: text(100).nullable(),
  size: z.enum(COMPANY_SIZES).nullable(),
  website: z.url({ protocol: /^https?$/ }).max(300).nullable(),
  emails: z.array(emailSchema).max(20),
  phones: z.array(phoneSchema).max(20),
  addresses: z.array(addressSchema).max(20),
  groupId: z.uuid().nullable(),
  ownerId: text(64),
  departmentId: text(100).nullable(),
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
export type CreateCompanyInput = z.output<typeof createCompanySchema>;

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
export type PatchCompanyInput = z.output<typeof patchCompanySchema>;

export const companyIdParams = z.object({ id: z.uuid() });

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
  size: z.string().nullable(),
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
