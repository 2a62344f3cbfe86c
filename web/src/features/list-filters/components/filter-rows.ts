import type { Filter, FilterCondition, FilterOp } from '@kapocs/contracts';

/** How a filter field's value is entered (and which operators make sense for it). */
export type FilterFieldKind = 'string' | 'text' | 'enum' | 'integer' | 'date' | 'datetime' | 'boolean' | 'user';

/** A field the filter builder offers: `name`, `kind`, `custom.region`… */
export interface FilterFieldOption {
  field: string;
  label: string;
  kind: FilterFieldKind;
  /** Values of an enum (or user) field. */
  values?: { value: string; label: string }[];
  group?: string;
}

/** The filter language's operators plus "is not empty" (isNull false). */
export type UiOp = FilterOp | 'notNull';

/** One condition as the builder edits it; values are strings (lists for in/nin, pairs for between). */
export interface FilterRow {
  field: string;
  op: UiOp;
  value?: string | string[];
}

export type Combinator = 'and' | 'or';

export interface FilterState {
  combinator: Combinator;
  rows: FilterRow[];
}

export const EMPTY_FILTER_STATE: FilterState = { combinator: 'and', rows: [] };

const OPS: Record<FilterFieldKind, UiOp[]> = {
  string: ['contains', 'eq', 'ne', 'startsWith', 'isNull', 'notNull'],
  text: ['contains', 'startsWith', 'isNull', 'notNull'],
  enum: ['eq', 'ne', 'in', 'nin', 'isNull', 'notNull'],
  user: ['eq', 'ne', 'in', 'nin'],
  integer: ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between', 'isNull', 'notNull'],
  date: ['eq', 'lt', 'lte', 'gt', 'gte', 'between', 'isNull', 'notNull'],
  datetime: ['gte', 'lt', 'between'],
  boolean: ['eq', 'isNull', 'notNull'],
};

export const opsFor = (kind: FilterFieldKind): UiOp[] => OPS[kind];

/** What the value input of an operator looks like. */
export const valueShape = (op: UiOp): 'none' | 'one' | 'many' | 'range' =>
  op === 'isNull' || op === 'notNull' ? 'none' : op === 'in' || op === 'nin' ? 'many' : op === 'between' ? 'range' : 'one';

function typed(kind: FilterFieldKind, s: string): unknown {
  if (kind === 'integer') return Number(s);
  if (kind === 'boolean') return s === 'true';
  // a day of a timestamp field: from its start in the browser's time zone
  if (kind === 'datetime') return new Date(`${s}T00:00:00`).toISOString();
  return s;
}

const filled = (s: unknown): s is string => typeof s === 'string' && s.trim() !== '';
const validScalar = (kind: FilterFieldKind, s: string) =>
  kind === 'integer' ? /^-?\d+$/.test(s.trim()) : kind === 'date' || kind === 'datetime' ? /^\d{4}-\d{2}-\d{2}$/.test(s) : true;

/** One row as a condition of the filter language, or undefined while it is incomplete. */
export function rowToCondition(row: FilterRow, kind: FilterFieldKind | undefined): FilterCondition | undefined {
  if (!kind) return undefined;
  const { field, op, value } = row;
  switch (valueShape(op)) {
    case 'none':
      return { field, op: 'isNull', value: op === 'isNull' };
    case 'many': {
      const values = (Array.isArray(value) ? value : []).filter(filled);
      if (!values.length || !values.every((v) => validScalar(kind, v))) return undefined;
      return { field, op: op as FilterOp, value: values.map((v) => typed(kind, v)) };
    }
    case 'range': {
      const [a, b] = Array.isArray(value) ? value : [];
      if (!filled(a) || !filled(b) || !validScalar(kind, a) || !validScalar(kind, b)) return undefined;
      // "between" two days of a timestamp field includes the whole last day
      const to = kind === 'datetime' ? new Date(new Date(`${b}T00:00:00`).getTime() + 86_400_000 - 1).toISOString() : typed(kind, b);
      return { field, op: 'between', value: [typed(kind, a), to] };
    }
    default: {
      if (!filled(value) || !validScalar(kind, value)) return undefined;
      const v = kind === 'string' || kind === 'text' ? value.trim() : value;
      return { field, op: op as FilterOp, value: typed(kind, v) };
    }
  }
}

/** The builder's rows as one filter (complete rows only), or undefined when none is complete. */
export function stateToFilter(state: FilterState, fields: FilterFieldOption[]): Filter | undefined {
  const kinds = new Map(fields.map((f) => [f.field, f.kind]));
  const conditions = state.rows.map((r) => rowToCondition(r, kinds.get(r.field))).filter((c): c is FilterCondition => !!c);
  if (conditions.length === 0) return undefined;
  if (conditions.length === 1) return conditions[0];
  return state.combinator === 'or' ? { or: conditions } : { and: conditions };
}

/** Joins filters with `and`, leaving out the absent ones. */
export function allOf(...filters: (Filter | undefined)[]): Filter | undefined {
  const present = filters.filter((f): f is Filter => !!f);
  if (present.length === 0) return undefined;
  return present.length === 1 ? present[0] : { and: present };
}

/** The builder state as a URL parameter, and back (anything unreadable is no filter). */
export function encodeFilterState(state: FilterState): string | null {
  return state.rows.length ? JSON.stringify({ c: state.combinator, r: state.rows }) : null;
}

export function decodeFilterState(raw: string | null): FilterState {
  if (!raw) return EMPTY_FILTER_STATE;
  try {
    const parsed = JSON.parse(raw) as { c?: unknown; r?: unknown };
    const rows = Array.isArray(parsed.r)
      ? parsed.r.filter(
          (r): r is FilterRow =>
            typeof r === 'object' && r !== null && typeof (r as FilterRow).field === 'string' && typeof (r as FilterRow).op === 'string',
        )
      : [];
    return { combinator: parsed.c === 'or' ? 'or' : 'and', rows };
  } catch {
    return EMPTY_FILTER_STATE;
  }
}
