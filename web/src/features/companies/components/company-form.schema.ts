import { z } from 'zod';
import type { MessageKey } from '@/i18n/hu';
import { COMPANY_KINDS, type CreateCompanyBody } from '../api/companies.api';

// Messages are catalogue keys; the form translates them when it shows them.
const msg = (key: MessageKey) => ({ error: key });

const isWebAddress = (v: string) => {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `https://${v}`);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
};

/** What the "New company" form holds; empty strings mean "not given". */
export const companyFormSchema = z.object({
  name: z.string().trim().min(1, msg('company.validation.nameRequired')).max(200, msg('company.validation.nameTooLong')),
  kind: z.enum(COMPANY_KINDS),
  taxNumber: z.string().trim(),
  registrationNumber: z.string().trim(),
  country: z.string().trim().toUpperCase().regex(/^([A-Z]{2})?$/, msg('company.validation.country')),
  website: z.string().trim().refine((v) => v === '' || isWebAddress(v), msg('company.validation.website')),
  email: z.string().trim().refine((v) => v === '' || z.email().safeParse(v).success, msg('company.validation.email')),
  phone: z.string().trim(),
  postalCode: z.string().trim(),
  city: z.string().trim(),
  street: z.string().trim(),
});

export type CompanyFormValues = z.input<typeof companyFormSchema>;
export type CompanyFormField = keyof CompanyFormValues;

export const emptyCompanyForm: CompanyFormValues = {
  name: '',
  kind: 'customer',
  taxNumber: '',
  registrationNumber: '',
  country: 'HU',
  website: '',
  email: '',
  phone: '',
  postalCode: '',
  city: '',
  street: '',
};

const orUndefined = (v: string) => (v === '' ? undefined : v);

/** The POST body for the form's values: blanks left out, one registered address when given. */
export function toCreateCompanyBody(v: z.output<typeof companyFormSchema>): CreateCompanyBody {
  const hasAddress = v.postalCode !== '' || v.city !== '' || v.street !== '';
  return {
    name: v.name,
    kind: v.kind,
    taxNumber: orUndefined(v.taxNumber),
    registrationNumber: orUndefined(v.registrationNumber),
    country: orUndefined(v.country),
    website: v.website === '' ? undefined : /^[a-z][a-z0-9+.-]*:\/\//i.test(v.website) ? v.website : `https://${v.website}`,
    emails: v.email ? [{ address: v.email }] : undefined,
    phones: v.phone ? [{ number: v.phone }] : undefined,
    addresses: hasAddress
      ? [{ kind: 'headquarters', country: v.country || 'HU', postalCode: v.postalCode, city: v.city, street: v.street }]
      : undefined,
  };
}

/**
 * The form field a server error path belongs to (`emails.0.address` → `email`), or undefined when
 * the form has no input for it. Paths may come as `body.name` or JSON pointers (`/name`).
 */
export function formFieldForPath(path: string): CompanyFormField | undefined {
  const p = path.replace(/^\//, '').replaceAll('/', '.').replace(/^body\./, '');
  const [head, , leaf] = p.split('.');
  switch (head) {
    case 'name':
    case 'kind':
    case 'taxNumber':
    case 'registrationNumber':
    case 'country':
    case 'website':
      return head;
    case 'emails':
      return 'email';
    case 'phones':
      return 'phone';
    case 'addresses':
      if (leaf === 'postalCode' || leaf === 'city' || leaf === 'street') return leaf;
      if (leaf === 'country') return 'country';
      return 'city';
    default:
      return undefined;
  }
}
