import { z } from 'zod';
import { emailRow, phoneRow } from '@/features/companies/components/company-form.schema';
import type { CustomFieldDefinition } from '@/features/custom-fields/api/custom-fields.api';
import { customFormIssues, customFromForm, customToForm } from '@/features/custom-fields/components/custom-values';
import type { Person, PersonBody } from '../api/persons.api';

const msg = (key: string) => ({ error: key });

const baseSchema = z.object({
  familyName: z.string().trim().min(1, msg('person.validation.familyName')).max(100, msg('validation.tooLong|max=100')),
  givenName: z.string().trim().min(1, msg('person.validation.givenName')).max(100, msg('validation.tooLong|max=100')),
  title: z.string().trim().max(50, msg('validation.tooLong|max=50')),
  position: z.string().trim().max(100, msg('validation.tooLong|max=100')),
  emails: z.array(emailRow),
  phones: z.array(phoneRow),
  ownerId: z.string(),
  custom: z.record(z.string(), z.string()),
});

export type PersonFormValues = z.input<typeof baseSchema>;
export type PersonFormOutput = z.output<typeof baseSchema>;

export function personFormSchema(defs: CustomFieldDefinition[]) {
  return baseSchema.superRefine((v, ctx) => {
    for (const issue of customFormIssues(defs, v.custom)) {
      ctx.addIssue({ code: 'custom', path: ['custom', issue.key], message: issue.message });
    }
  });
}

export function emptyPersonForm(defs: CustomFieldDefinition[]): PersonFormValues {
  return {
    familyName: '',
    givenName: '',
    title: '',
    position: '',
    emails: [{ address: '', label: '' }],
    phones: [{ number: '', label: '' }],
    ownerId: '',
    custom: customToForm(defs, undefined, 'create'),
  };
}

export function personToForm(p: Person, defs: CustomFieldDefinition[]): PersonFormValues {
  return {
    familyName: p.familyName,
    givenName: p.givenName,
    title: p.title ?? '',
    position: p.position ?? '',
    emails: p.emails.length ? p.emails.map((e) => ({ address: e.address, label: e.label ?? '' })) : [{ address: '', label: '' }],
    phones: p.phones.length ? p.phones.map((x) => ({ number: x.number, label: x.label ?? '' })) : [{ number: '', label: '' }],
    ownerId: p.ownerId,
    custom: customToForm(defs, p.custom, 'edit'),
  };
}

export interface PersonRowOrigins {
  emails: number[];
  phones: number[];
}

const orNull = (v: string) => (v === '' ? null : v);

export function toPersonBody(
  v: PersonFormOutput,
  defs: CustomFieldDefinition[],
  mode: 'create' | 'edit',
  original?: Person,
): { body: PersonBody; origins: PersonRowOrigins } {
  const origins: PersonRowOrigins = { emails: [], phones: [] };
  const emails: { address: string; label?: string }[] = [];
  v.emails.forEach((e, i) => {
    if (e.address === '') return;
    origins.emails.push(i);
    emails.push(e.label ? { address: e.address, label: e.label } : { address: e.address });
  });
  const phones: { number: string; label?: string }[] = [];
  v.phones.forEach((p, i) => {
    if (p.number === '') return;
    origins.phones.push(i);
    phones.push(p.label ? { number: p.number, label: p.label } : { number: p.number });
  });
  const body: PersonBody = {
    familyName: v.familyName,
    givenName: v.givenName,
    title: orNull(v.title),
    position: orNull(v.position),
    emails,
    phones,
    custom: customFromForm(defs, v.custom, mode),
  };
  if (mode === 'create') {
    if (body.title === null) delete body.title;
    if (body.position === null) delete body.position;
    if (v.ownerId) body.ownerId = v.ownerId;
  } else if (v.ownerId && v.ownerId !== original?.ownerId) body.ownerId = v.ownerId;
  return { body, origins };
}

const SIMPLE = new Set(['familyName', 'givenName', 'title', 'position', 'ownerId']);

export function personFieldOf(path: string, origins: PersonRowOrigins, customKeys: Set<string>): string | undefined {
  const [head, index, leaf] = path.split('.');
  if (!head) return undefined;
  if (SIMPLE.has(head)) return head;
  if (head === 'custom') return index && customKeys.has(index) ? `custom.${index}` : undefined;
  if (head === 'emails' || head === 'phones') {
    const row = origins[head][Number(index)];
    if (row === undefined) return undefined;
    if (head === 'emails') return `emails.${row}.${leaf === 'label' ? 'label' : 'address'}`;
    return `phones.${row}.${leaf === 'label' ? 'label' : 'number'}`;
  }
  return undefined;
}
