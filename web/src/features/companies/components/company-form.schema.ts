import { z } from 'zod';
import { ADDRESS_KINDS, COMPANY_KINDS, COMPANY_SIZES, COMPANY_STATUSES, COUNTRY_PATTERN, PHONE_PATTERN } from '@kapocs/contracts';
import type { CustomFieldDefinition } from '@/features/custom-fields/api/custom-fields.api';
import { applicableFields, customFormIssues, customFromForm, customToForm } from '@/features/custom-fields/components/custom-values';
import type { Company, CompanyBody } from '../api/companies.api';

// Messages are catalogue keys; the form translates them when it shows them.
const msg = (key: string) => ({ error: key });

export const isWebAddress = (v: string) => {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
};
export const withScheme = (v: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`);

/** An e-mail row of the company and person forms: blank rows are left out of the body. */
export const emailRow = z.object({
  address: z.string().trim().refine((v) => v === '' || z.email().safeParse(v).success, msg('company.validation.email')),
  label: z.string().trim().max(50, msg('validation.tooLong|max=50')),
});
/** A phone row of the company and person forms, with the API's phone pattern. */
export const phoneRow = z.object({
  number: z.string().trim().refine((v) => v === '' || PHONE_PATTERN.test(v), msg('company.validation.phone')),
  label: z.string().trim().max(50, msg('validation.tooLong|max=50')),
});
const addressRow = z
  .object({
    kind: z.enum(ADDRESS_KINDS),
    country: z.string().trim().toUpperCase().regex(/^([A-Z]{2})?$/, msg('company.validation.country')),
    postalCode: z.string().trim().max(20, msg('validation.tooLong|max=20')),
    city: z.string().trim().max(100, msg('validation.tooLong|max=100')),
    street: z.string().trim().max(200, msg('validation.tooLong|max=200')),
  })
  .superRefine((a, ctx) => {
    // a started address needs all three parts; an untouched row is left out
    if (a.postalCode === '' && a.city === '' && a.street === '') return;
    for (const key of ['postalCode', 'city', 'street'] as const) {
      if (a[key] === '') ctx.addIssue({ code: 'custom', path: [key], message: 'company.validation.addressPart' });
    }
  });

const baseSchema = z.object({
  name: z.string().trim().min(1, msg('company.validation.nameRequired')).max(200, msg('company.validation.nameTooLong')),
  legalForm: z.string().trim().max(50, msg('validation.tooLong|max=50')),
  kind: z.enum(COMPANY_KINDS),
  status: z.enum(COMPANY_STATUSES),
  taxNumber: z.string().trim().max(40, msg('validation.tooLong|max=40')),
  registrationNumber: z.string().trim().max(40, msg('validation.tooLong|max=40')),
  country: z.string().trim().toUpperCase().regex(COUNTRY_PATTERN, msg('company.validation.country')),
  industry: z.string().trim().max(100, msg('validation.tooLong|max=100')),
  size: z.union([z.enum(COMPANY_SIZES), z.literal('')]),
  website: z.string().trim().refine((v) => v === '' || isWebAddress(v), msg('company.validation.website')),
  emails: z.array(emailRow),
  phones: z.array(phoneRow),
  addresses: z.array(addressRow),
  groupId: z.string(),
  ownerId: z.string(),
  custom: z.record(z.string(), z.string()),
});

/** What the company form holds; empty strings mean "not given". */
export type CompanyFormValues = z.input<typeof baseSchema>;
export type CompanyFormOutput = z.output<typeof baseSchema>;

/** The form's schema with the custom fields that apply to the kind being entered. */
export function companyFormSchema(defs: CustomFieldDefinition[]) {
  return baseSchema.superRefine((v, ctx) => {
    for (const issue of customFormIssues(applicableFields(defs, v.kind), v.custom)) {
      ctx.addIssue({ code: 'custom', path: ['custom', issue.key], message: issue.message });
    }
  });
}

const emptyAddress = (country = 'HU') => ({ kind: 'headquarters' as const, country, postalCode: '', city: '', street: '' });

/** A new company: one empty row of each list, defaults of the custom fields. */
export function emptyCompanyForm(defs: CustomFieldDefinition[]): CompanyFormValues {
  return {
    name: '',
    legalForm: '',
    kind: 'customer',
    status: 'active',
    taxNumber: '',
    registrationNumber: '',
    country: 'HU',
    industry: '',
    size: '',
    website: '',
    emails: [{ address: '', label: '' }],
    phones: [{ number: '', label: '' }],
    addresses: [emptyAddress()],
    groupId: '',
    ownerId: '',
    custom: customToForm(defs, undefined, 'create'),
  };
}

/** The form's values for an existing company. */
export function companyToForm(c: Company, defs: CustomFieldDefinition[]): CompanyFormValues {
  return {
    name: c.name,
    legalForm: c.legalForm ?? '',
    kind: c.kind,
    status: c.status,
    taxNumber: c.taxNumber ?? '',
    registrationNumber: c.registrationNumber ?? '',
    country: c.country ?? 'HU',
    industry: c.industry ?? '',
    size: c.size ?? '',
    website: c.website ?? '',
    emails: c.emails.length ? c.emails.map((e) => ({ address: e.address, label: e.label ?? '' })) : [{ address: '', label: '' }],
    phones: c.phones.length ? c.phones.map((p) => ({ number: p.number, label: p.label ?? '' })) : [{ number: '', label: '' }],
    addresses: c.addresses.length
      ? c.addresses.map((a) => ({ kind: a.kind, country: a.country, postalCode: a.postalCode, city: a.city, street: a.street }))
      : [emptyAddress(c.country ?? 'HU')],
    groupId: c.groupId ?? '',
    ownerId: c.ownerId,
    custom: customToForm(defs, c.custom, 'edit'),
  };
}

/** Which form row each row of the body came from (blank rows are left out of the body). */
export interface RowOrigins {
  emails: number[];
  phones: number[];
  addresses: number[];
}

const orNull = (v: string) => (v === '' ? null : v);
const labelled = <T extends object>(row: T, label: string) => (label ? { ...row, label } : row);

/**
 * The body of a create (blanks left out) or of a PATCH (every editable field; blanks as null), with
 * the custom values of the fields that apply to the chosen kind.
 */
export function toCompanyBody(
  v: CompanyFormOutput,
  defs: CustomFieldDefinition[],
  mode: 'create' | 'edit',
  original?: Company,
): { body: CompanyBody; origins: RowOrigins } {
  const origins: RowOrigins = { emails: [], phones: [], addresses: [] };
  const emails: { address: string; label?: string }[] = [];
  v.emails.forEach((e, i) => {
    if (e.address === '') return;
    origins.emails.push(i);
    emails.push(labelled({ address: e.address }, e.label));
  });
  const phones: { number: string; label?: string }[] = [];
  v.phones.forEach((p, i) => {
    if (p.number === '') return;
    origins.phones.push(i);
    phones.push(labelled({ number: p.number }, p.label));
  });
  const addresses: CompanyBody['addresses'] = [];
  v.addresses.forEach((a, i) => {
    if (a.postalCode === '' && a.city === '' && a.street === '') return;
    origins.addresses.push(i);
    addresses.push({ kind: a.kind, country: a.country || v.country, postalCode: a.postalCode, city: a.city, street: a.street });
  });
  const custom = customFromForm(applicableFields(defs, v.kind), v.custom, mode);
  const fields: CompanyBody = {
    name: v.name,
    legalForm: orNull(v.legalForm),
    kind: v.kind,
    status: v.status,
    taxNumber: orNull(v.taxNumber),
    registrationNumber: orNull(v.registrationNumber),
    country: v.country,
    industry: orNull(v.industry),
    size: v.size === '' ? null : v.size,
    website: v.website === '' ? null : withScheme(v.website),
    emails,
    phones,
    addresses,
    groupId: orNull(v.groupId),
    custom,
  };
  if (mode === 'create') {
    // a create leaves out what was not given, so the server's defaults apply
    const body = Object.fromEntries(Object.entries(fields).filter(([, x]) => x !== null && !(Array.isArray(x) && x.length === 0))) as CompanyBody;
    if (v.ownerId) body.ownerId = v.ownerId;
    return { body, origins };
  }
  if (v.ownerId && v.ownerId !== original?.ownerId) fields.ownerId = v.ownerId;
  return { body: fields, origins };
}

const SIMPLE_FIELDS = new Set([
  'name', 'legalForm', 'kind', 'status', 'taxNumber', 'registrationNumber', 'country', 'industry', 'size', 'website', 'groupId', 'ownerId',
]);

/**
 * The form field a server error path belongs to (`emails.0.address` of the body → the form row it
 * came from), or undefined when the form has no input for it.
 */
export function companyFieldOf(path: string, origins: RowOrigins, customKeys: Set<string>): string | undefined {
  const [head, index, leaf] = path.split('.');
  if (!head) return undefined;
  if (SIMPLE_FIELDS.has(head)) return head;
  if (head === 'custom') return index && customKeys.has(index) ? `custom.${index}` : undefined;
  if (head === 'emails' || head === 'phones' || head === 'addresses') {
    const row = origins[head][Number(index)];
    if (row === undefined) return undefined;
    const leafOf = { emails: ['address', 'label'], phones: ['number', 'label'], addresses: ['kind', 'country', 'postalCode', 'city', 'street'] }[head];
    const fallback = { emails: 'address', phones: 'number', addresses: 'city' }[head];
    return `${head}.${row}.${leaf && leafOf.includes(leaf) ? leaf : fallback}`;
  }
  return undefined;
}
