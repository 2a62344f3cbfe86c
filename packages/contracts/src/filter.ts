import type { FieldError } from './problems';
import { textError, isCalendarDate, isIntegerIn, isIsoDateTime, PG_INT8 } from './values';

/** Comparison operators of the filter language (API.md). */
export const FILTER_OPS = [
  'eq', 'ne', 'in', 'nin', 'lt', 'lte', 'gt', 'gte', 'contains', 'startsWith', 'isNull', 'between',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** One comparison on a field. `value` is absent only for `isNull` (which then means `true`). */
export interface FilterCondition {
  field: string;
  op: FilterOp;
  value?: unknown;
}

/** A filter: a condition, or `and` / `or` / `not` over filters. */
export type Filter =
  | FilterCondition
  | { and: Filter[] }
  | { or: Filter[] }
  | { not: Filter };

/** The kind of value a filterable field holds; decides which ops and values are valid. */
export type FilterFieldType = 'string' | 'text' | 'number' | 'integer' | 'date' | 'datetime' | 'boolean' | 'uuid' | 'enum';

/** What a list endpoint allows to be filtered on, per field. */
export interface FilterFieldSpec {
  type: FilterFieldType;
  /** Allowed values of an `enum` field. */
  values?: readonly string[];
  /**
   * Bounds of a `number` or `integer` field (inclusive), e.g. its column's range: a value beyond them is a 400,
   * not PostgreSQL's "out of range". Integers default to what a JavaScript number holds exactly (within int8).
   */
  min?: number;
  max?: number;
}

/** Resolves a field name (`kind`, `custom.region`) to its spec, or undefined when unknown. */
export type FilterFieldResolver = (field: string) => FilterFieldSpec | undefined;

export type FilterParseResult = { ok: true; filter: Filter } | { ok: false; errors: FieldError[] };

const MAX_DEPTH = 8;
const MAX_NODES = 100;
const ORDERED: ReadonlySet<FilterFieldType> = new Set(['string', 'text', 'number', 'integer', 'date', 'datetime', 'enum']);
const TEXTUAL: ReadonlySet<FilterFieldType> = new Set(['string', 'text', 'enum']);
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks one scalar against a field's type; answers an error message or null. */
function scalarError(spec: FilterFieldSpec, v: unknown): string | null {
  if (typeof v === 'string' && textError(v)) return textError(v);
  const range = `between ${spec.min ?? PG_INT8.min} and ${spec.max ?? PG_INT8.max}`;
  switch (spec.type) {
    case 'string':
    case 'text':
      return typeof v === 'string' ? null : 'must be a string';
    case 'uuid':
      return typeof v === 'string' && UUID_RE.test(v) ? null : 'must be a UUID';
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number';
      return (spec.min === undefined || v >= spec.min) && (spec.max === undefined || v <= spec.max) ? null : `must be ${range}`;
    case 'integer':
      return isIntegerIn(v, { min: spec.min ?? PG_INT8.min, max: spec.max ?? PG_INT8.max }) ? null : `must be an integer ${range}`;
    case 'boolean':
      return typeof v === 'boolean' ? null : 'must be true or false';
    case 'date':
      return isCalendarDate(v) ? null : 'must be a date (YYYY-MM-DD) of years 0001–9999';
    case 'datetime':
      return isCalendarDate(v) || isIsoDateTime(v, { zone: 'optional' }) ? null : 'must be an ISO-8601 time (e.g. 2024-05-01T08:30:00Z) of years 0001–9999';
    case 'enum':
      return typeof v === 'string' && (spec.values ?? []).includes(v)
        ? null
        : `must be one of ${(spec.values ?? []).join(', ')}`;
  }
}

/**
 * Parses and validates a filter (a JSON string or an already parsed value) against the fields a list
 * allows. Every problem is reported, each with the JSON path of the offending node.
 */
export function parseFilter(input: unknown, resolve: FilterFieldResolver, basePath = 'filter'): FilterParseResult {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch {
      return { ok: false, errors: [{ path: basePath, message: 'is not valid JSON' }] };
    }
  }
  const errors: FieldError[] = [];
  let nodes = 0;

  const walk = (node: unknown, path: string, depth: number): Filter | undefined => {
    nodes += 1;
    if (nodes > MAX_NODES) {
      if (nodes === MAX_NODES + 1) errors.push({ path: basePath, message: `has more than ${MAX_NODES} nodes` });
      return undefined;
    }
    if (depth > MAX_DEPTH) {
      errors.push({ path, message: `nests deeper than ${MAX_DEPTH} levels` });
      return undefined;
    }
    if (!isRecord(node)) {
      errors.push({ path, message: 'must be an object' });
      return undefined;
    }
    const keys = Object.keys(node);
    for (const group of ['and', 'or'] as const) {
      if (group in node) {
        if (keys.length !== 1) errors.push({ path, message: `"${group}" must stand alone in its object` });
        const list = node[group];
        if (!Array.isArray(list) || list.length === 0) {
          errors.push({ path: `${path}.${group}`, message: 'must be a non-empty array' });
          return undefined;
        }
        const children = list.map((c, i) => walk(c, `${path}.${group}.${i}`, depth + 1));
        return children.every((c) => c) ? ({ [group]: children as Filter[] } as Filter) : undefined;
      }
    }
    if ('not' in node) {
      if (keys.length !== 1) errors.push({ path, message: '"not" must stand alone in its object' });
      const child = walk(node.not, `${path}.not`, depth + 1);
      return child ? { not: child } : undefined;
    }
    return condition(node, path);
  };

  const condition = (node: Record<string, unknown>, path: string): Filter | undefined => {
    const extra = Object.keys(node).filter((k) => !['field', 'op', 'value'].includes(k));
    if (extra.length) errors.push({ path, message: `unknown keys: ${extra.join(', ')}` });
    const { field, op, value } = node;
    if (typeof field !== 'string' || field === '') {
      errors.push({ path: `${path}.field`, message: 'is required' });
      return undefined;
    }
    const spec = resolve(field);
    if (!spec) {
      errors.push({ path: `${path}.field`, message: `unknown field "${field}"` });
      return undefined;
    }
    if (typeof op !== 'string' || !(FILTER_OPS as readonly string[]).includes(op)) {
      errors.push({ path: `${path}.op`, message: `unknown op "${String(op)}"; one of ${FILTER_OPS.join(', ')}` });
      return undefined;
    }
    const before = errors.length;
    const bad = (message: string) => errors.push({ path: `${path}.value`, message });
    switch (op as FilterOp) {
      case 'isNull':
        if (value !== undefined && typeof value !== 'boolean') bad('must be true or false');
        break;
      case 'in':
      case 'nin':
        if (!Array.isArray(value) || value.length === 0 || value.length > 1000) bad('must be an array of 1 to 1000 values');
        else value.forEach((v, i) => { const e = scalarError(spec, v); if (e) errors.push({ path: `${path}.value.${i}`, message: e }); });
        break;
      case 'between':
        if (!ORDERED.has(spec.type)) bad(`cannot be used with a ${spec.type} field`);
        else if (!Array.isArray(value) || value.length !== 2) bad('must be [from, to]');
        else value.forEach((v, i) => { const e = scalarError(spec, v); if (e) errors.push({ path: `${path}.value.${i}`, message: e }); });
        break;
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte': {
        if (!ORDERED.has(spec.type)) { bad(`cannot be compared with ${op}`); break; }
        const e = scalarError(spec, value);
        if (e) bad(e);
        break;
      }
      case 'contains':
      case 'startsWith':
        if (!TEXTUAL.has(spec.type)) bad(`${op} needs a text field`);
        else if (typeof value !== 'string' || value === '') bad('must be a non-empty string');
        else if (textError(value)) bad(textError(value)!);
        break;
      case 'eq':
      case 'ne': {
        const e = scalarError(spec, value);
        if (e) bad(e);
        break;
      }
    }
    if (errors.length > before) return undefined;
    return value === undefined ? { field, op: op as FilterOp } : { field, op: op as FilterOp, value };
  };

  const filter = walk(raw, basePath, 0);
  return errors.length || !filter ? { ok: false, errors } : { ok: true, filter };
}

/** One sort key: field name and direction. */
export interface SortKey {
  field: string;
  direction: 'asc' | 'desc';
}

/** Parses `name,-createdAt` into sort keys, allowing only the given fields. */
export function parseSort(
  input: string | undefined,
  allowed: (field: string) => boolean,
  path = 'sort',
): { ok: true; sort: SortKey[] } | { ok: false; errors: FieldError[] } {
  if (!input) return { ok: true, sort: [] };
  const errors: FieldError[] = [];
  const sort: SortKey[] = [];
  for (const part of input.split(',').map((s) => s.trim()).filter(Boolean)) {
    const desc = part.startsWith('-');
    const field = desc || part.startsWith('+') ? part.slice(1) : part;
    if (!allowed(field)) errors.push({ path, message: `cannot sort by "${field}"` });
    else if (sort.some((s) => s.field === field)) errors.push({ path, message: `"${field}" appears twice` });
    else sort.push({ field, direction: desc ? 'desc' : 'asc' });
  }
  if (sort.length > 4) errors.push({ path, message: 'at most 4 sort keys' });
  return errors.length ? { ok: false, errors } : { ok: true, sort };
}
