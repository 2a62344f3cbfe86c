import { isCalendarDate, textError, type FieldError } from '@kapocs/contracts';
import type { ListField } from '../list';
import type { CustomFieldType } from './custom-field.entity';

/** What validation needs to know of a definition. */
export interface CustomFieldRule {
  key: string;
  type: CustomFieldType;
  subtype: string | null;
  options: string[] | null;
  required: boolean;
  defaultValue: unknown;
  label: { hu: string; en: string };
}

const MAX_TEXT: Partial<Record<CustomFieldType, number>> = { text: 500, textarea: 10_000 };

/** Answers why a value does not fit a field, or null. */
export function customValueError(rule: Pick<CustomFieldRule, 'type' | 'options'>, value: unknown): string | null {
  switch (rule.type) {
    case 'text':
    case 'textarea':
      if (typeof value === 'string' && textError(value)) return textError(value);
      return typeof value === 'string' && value.length <= MAX_TEXT[rule.type]! ? null : `must be text of at most ${MAX_TEXT[rule.type]} characters`;
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? null : 'must be a whole number';
    case 'date':
      // a real day of years 0001–9999: lists cast the value to date, and PostgreSQL refuses year 0 or 2024-02-30
      return isCalendarDate(value) ? null : 'must be a date (YYYY-MM-DD) of years 0001–9999';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'list':
      return typeof value === 'string' && (rule.options ?? []).includes(value) ? null : `must be one of: ${(rule.options ?? []).join(', ')}`;
  }
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

/**
 * Validates the `custom` object of a write against the fields that apply (those without a subtype and those
 * of the record's subtype). On create, defaults fill what is missing; on patch, `null` removes a value and
 * only the given keys are type-checked, but required fields are checked on the merged result. Every
 * problem is reported with the path `custom.<key>`.
 */
export function applyCustomValues(
  rules: CustomFieldRule[],
  input: Record<string, unknown> | undefined,
  opts: { mode: 'create' | 'patch'; existing?: Record<string, unknown>; subtype?: string | null },
): { value: Record<string, unknown>; errors: FieldError[] } {
  const applicable = rules.filter((r) => r.subtype === null || r.subtype === (opts.subtype ?? null));
  const byKey = new Map(rules.map((r) => [r.key, r]));
  const errors: FieldError[] = [];
  const value: Record<string, unknown> = { ...(opts.mode === 'patch' ? opts.existing ?? {} : {}) };

  for (const [key, v] of Object.entries(input ?? {})) {
    const rule = byKey.get(key);
    if (!rule) { errors.push({ path: `custom.${key}`, message: 'is not a custom field of this record' }); continue; }
    if (!applicable.includes(rule)) { errors.push({ path: `custom.${key}`, message: `applies only to ${rule.subtype}` }); continue; }
    if (isEmpty(v)) { delete value[key]; continue; }
    const e = customValueError(rule, v);
    if (e) errors.push({ path: `custom.${key}`, message: e });
    else value[key] = v;
  }
  if (opts.mode === 'create') {
    for (const r of applicable) if (isEmpty(value[r.key]) && !isEmpty(r.defaultValue) && !(r.key in (input ?? {}))) value[r.key] = r.defaultValue;
  }
  for (const r of applicable) {
    if (r.required && isEmpty(value[r.key]) && !errors.some((e) => e.path === `custom.${r.key}`)) {
      errors.push({ path: `custom.${r.key}`, message: `is required (${r.label.en})` });
    }
  }
  return { value, errors };
}

const CAST: Record<CustomFieldType, { cast: string; sortDefault: string; type: ListField['type'] }> = {
  text: { cast: '', sortDefault: `''`, type: 'string' },
  textarea: { cast: '', sortDefault: `''`, type: 'text' },
  list: { cast: '', sortDefault: `''`, type: 'enum' },
  integer: { cast: '::numeric', sortDefault: '-1e18', type: 'integer' },
  date: { cast: '::date', sortDefault: `'0001-01-01'::date`, type: 'date' },
  boolean: { cast: '::boolean', sortDefault: 'false', type: 'boolean' },
};

/** `custom.<key>` list fields for filter and sort, over a JSONB column (e.g. `c.custom`). */
export function customListFields(rules: CustomFieldRule[], column: string): Record<string, ListField> {
  const out: Record<string, ListField> = {};
  for (const r of rules) {
    if (!/^[a-zA-Z0-9_]+$/.test(r.key)) continue;
    const c = CAST[r.type];
    const sql = `((${column}->>'${r.key}')${c.cast})`;
    out[`custom.${r.key}`] = {
      type: c.type, sql, sortable: r.type !== 'textarea', sortSql: `coalesce(${sql}, ${c.sortDefault})`,
      json: { column, key: r.key },
      ...(r.type === 'list' ? { values: r.options ?? [] } : {}),
    };
  }
  return out;
}

/**
 * When a body failed its schema (route option `attachValidation: true`), answers one 400 naming the schema's
 * bad fields and the bad custom values together, so the user fixes everything in one go.
 */
export function throwIfBodyInvalid(
  validationError: (Error & { errors?: FieldError[] }) | undefined,
  rules: CustomFieldRule[],
  rawBody: unknown,
  opts: { mode: 'create' | 'patch'; subtypeField?: string },
): void {
  if (!validationError) return;
  const body = (typeof rawBody === 'object' && rawBody !== null ? rawBody : {}) as Record<string, unknown>;
  const custom = typeof body.custom === 'object' && body.custom !== null && !Array.isArray(body.custom) ? (body.custom as Record<string, unknown>) : undefined;
  const subtype = opts.subtypeField && typeof body[opts.subtypeField] === 'string' ? (body[opts.subtypeField] as string) : null;
  const own = validationError.errors ?? [{ path: '(body)', message: validationError.message }];
  const extra = opts.mode === 'create' || custom
    ? applyCustomValues(rules, custom, { mode: opts.mode, subtype, existing: {} }).errors.filter((e) => opts.mode === 'create' || !e.message.startsWith('is required'))
    : [];
  throw Object.assign(validationError, { errors: [...own, ...extra.filter((e) => !own.some((o) => o.path === e.path))] });
}
