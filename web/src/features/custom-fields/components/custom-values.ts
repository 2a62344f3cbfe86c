import type { Translate } from '@/i18n/i18n-provider';
import type { CustomFieldDefinition } from '../api/custom-fields.api';

/** What a form holds for custom fields: one string per key ('' = no value). */
export type CustomFormValues = Record<string, string>;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const INTEGER_RE = /^-?\d+$/;
const MAX_TEXT = { text: 500, textarea: 10_000 } as const;

const byWeight = (a: CustomFieldDefinition, b: CustomFieldDefinition) => a.weight - b.weight || a.key.localeCompare(b.key);

/** The fields that apply to a record of this subtype (those without a subtype and those of it), by weight. */
export function applicableFields(defs: CustomFieldDefinition[], subtype?: string | null): CustomFieldDefinition[] {
  return defs.filter((d) => !d.subtype || d.subtype === (subtype ?? null)).sort(byWeight);
}

/** Fields by section (placement), each section in weight order; sections in order of first weight. */
export function fieldsBySection(defs: CustomFieldDefinition[]): Map<string | null, CustomFieldDefinition[]> {
  const sections = new Map<string | null, CustomFieldDefinition[]>();
  for (const d of [...defs].sort(byWeight)) {
    const key = d.placement?.trim() || null;
    const list = sections.get(key) ?? [];
    list.push(d);
    sections.set(key, list);
  }
  return sections;
}

const isDate = (s: string) => DATE_RE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** A stored value as the form's string. */
export function valueToString(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

/** The form's starting values: the record's values when editing, the definitions' defaults when creating. */
export function customToForm(defs: CustomFieldDefinition[], custom: Record<string, unknown> | undefined, mode: 'create' | 'edit'): CustomFormValues {
  const out: CustomFormValues = {};
  for (const d of defs) out[d.key] = valueToString(mode === 'create' ? d.default : custom?.[d.key]);
  return out;
}

/**
 * The `custom` object of a write: typed values of the applicable fields. A blank is left out on
 * create (so a default applies) and sent as null on edit (which removes the value).
 */
export function customFromForm(defs: CustomFieldDefinition[], values: CustomFormValues | undefined, mode: 'create' | 'edit'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of defs) {
    const s = (values?.[d.key] ?? '').trim();
    if (s === '') {
      if (mode === 'edit') out[d.key] = null;
      continue;
    }
    out[d.key] = d.type === 'integer' ? Number(s) : d.type === 'boolean' ? s === 'true' : s;
  }
  return out;
}

/** Why a form value does not fit its field, as a catalogue key (with `|param=value`), or null. */
export function customValueIssue(d: CustomFieldDefinition, raw: string | undefined): string | null {
  const s = (raw ?? '').trim();
  if (s === '') return d.required ? 'customField.validation.required' : null;
  switch (d.type) {
    case 'text':
    case 'textarea':
      return s.length > MAX_TEXT[d.type] ? `customField.validation.tooLong|max=${MAX_TEXT[d.type]}` : null;
    case 'integer':
      return INTEGER_RE.test(s) && Number.isSafeInteger(Number(s)) ? null : 'customField.validation.integer';
    case 'date':
      return isDate(s) ? null : 'customField.validation.date';
    case 'boolean':
      return s === 'true' || s === 'false' ? null : 'customField.validation.boolean';
    case 'list':
      return (d.options ?? []).includes(s) ? null : 'customField.validation.list';
  }
}

/** Every bad custom value of a form, by key. */
export function customFormIssues(defs: CustomFieldDefinition[], values: CustomFormValues | undefined): { key: string; message: string }[] {
  const issues: { key: string; message: string }[] = [];
  for (const d of defs) {
    const message = customValueIssue(d, values?.[d.key]);
    if (message) issues.push({ key: d.key, message });
  }
  return issues;
}

/** A definition's label in the UI language. */
export const fieldLabel = (d: Pick<CustomFieldDefinition, 'label'>, locale: string) => (locale === 'en' ? d.label.en : d.label.hu) || d.label.hu;

/** A definition's help text in the UI language (falling back to the other one). */
export const fieldHelp = (d: Pick<CustomFieldDefinition, 'helpText'>, locale: string) =>
  (locale === 'en' ? (d.helpText?.en ?? d.helpText?.hu) : (d.helpText?.hu ?? d.helpText?.en)) || undefined;

/** A stored value for reading (dates and numbers localised, yes/no translated). */
export function formatCustomValue(
  d: CustomFieldDefinition,
  v: unknown,
  t: Translate,
  fmt: { date: (iso: string) => string; integer: (n: number) => string },
): string {
  if (v === undefined || v === null || v === '') return '';
  switch (d.type) {
    case 'boolean':
      return v === true ? t('app.yes') : v === false ? t('app.no') : String(v);
    case 'integer':
      return typeof v === 'number' ? fmt.integer(v) : String(v);
    case 'date':
      return typeof v === 'string' && isDate(v) ? fmt.date(v) : String(v);
    default:
      return String(v);
  }
}
