import { parseFilter, parseSort, MAX_LIMIT, DEFAULT_LIMIT, type Filter, type FilterFieldSpec, type SortKey } from '@kapocs/contracts';
import { z } from 'zod';
import { validationProblem } from './problems';

/** A filterable/sortable field of a list and the SQL expression behind it. */
export interface ListField extends FilterFieldSpec {
  /** SQL expression (trusted, from code) used by filters. */
  sql: string;
  sortable?: boolean;
  /** Non-null expression to sort on when `sql` can be null (keyset paging cannot order on nulls). */
  sortSql?: string;
  /** A key in a JSONB column: `eq`/`in` become containment (`@>`), which the column's GIN index serves. */
  json?: { column: string; key: string };
  /** Postgres type for array bindings of `in`/`nin` (`text`, `uuid`, `numeric`, `date`, `timestamptz`, `boolean`). */
  pgType?: string;
}

export type ListFields = Record<string, ListField>;

export interface SqlFragment {
  sql: string;
  bindings: unknown[];
}

/** Query string of every list endpoint (API.md "Lists"). */
export const listQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  filter: z.string().max(20_000).optional(),
  sort: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z.string().max(2000).optional(),
  count: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
});
export type ListQuery = z.output<typeof listQuerySchema>;

const PG_TYPE: Record<string, string> = { string: 'text', text: 'text', enum: 'text', uuid: 'uuid', number: 'numeric', integer: 'numeric', date: 'date', datetime: 'timestamptz', boolean: 'boolean' };

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Turns a validated filter into a SQL condition with `?` bindings. */
export function filterToSql(filter: Filter, fields: (name: string) => ListField | undefined): SqlFragment {
  if ('and' in filter || 'or' in filter) {
    const parts = ('and' in filter ? filter.and : filter.or).map((f) => filterToSql(f, fields));
    return { sql: `(${parts.map((p) => p.sql).join('and' in filter ? ' and ' : ' or ')})`, bindings: parts.flatMap((p) => p.bindings) };
  }
  if ('not' in filter) {
    const inner = filterToSql(filter.not, fields);
    return { sql: `not coalesce(${inner.sql}, false)`, bindings: inner.bindings };
  }
  const f = fields(filter.field);
  if (!f) throw new Error(`unvalidated field ${filter.field}`);
  const col = f.sql;
  const t = f.pgType ?? PG_TYPE[f.type] ?? 'text';
  const v = filter.value;
  if (f.json && (filter.op === 'eq' || filter.op === 'in')) {
    const values = filter.op === 'eq' ? [v] : (v as unknown[]);
    return {
      sql: `(${values.map(() => `${f.json!.column} @> ?::jsonb`).join(' or ')})`,
      bindings: values.map((x) => JSON.stringify({ [f.json!.key]: x })),
    };
  }
  switch (filter.op) {
    case 'eq': return { sql: `${col} = ?::${t}`, bindings: [v] };
    case 'ne': return { sql: `${col} is distinct from ?::${t}`, bindings: [v] };
    case 'in': return { sql: `${col} = any(?::${t}[])`, bindings: [pgArray(v as unknown[])] };
    case 'nin': return { sql: `(not (${col} = any(?::${t}[])) or ${col} is null)`, bindings: [pgArray(v as unknown[])] };
    case 'lt': return { sql: `${col} < ?::${t}`, bindings: [v] };
    case 'lte': return { sql: `${col} <= ?::${t}`, bindings: [v] };
    case 'gt': return { sql: `${col} > ?::${t}`, bindings: [v] };
    case 'gte': return { sql: `${col} >= ?::${t}`, bindings: [v] };
    case 'between': return { sql: `${col} between ?::${t} and ?::${t}`, bindings: [(v as unknown[])[0], (v as unknown[])[1]] };
    case 'contains': return { sql: `${col} ilike ?`, bindings: [`%${escapeLike(String(v))}%`] };
    case 'startsWith': return { sql: `${col} ilike ?`, bindings: [`${escapeLike(String(v))}%`] };
    case 'isNull': return { sql: v === false ? `${col} is not null` : `${col} is null`, bindings: [] };
  }
}

interface CursorState {
  /** sort values, in order, then the id */
  k: unknown[];
}

export const encodeCursor = (values: unknown[]): string => Buffer.from(JSON.stringify({ k: values } satisfies CursorState)).toString('base64url');

function decodeCursor(cursor: string, arity: number): unknown[] {
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState;
    if (Array.isArray(state.k) && state.k.length === arity) return state.k;
  } catch { /* fall through */ }
  throw validationProblem([{ path: 'query.cursor', message: 'is not a cursor from this list (did the sort change?)' }]);
}

export interface ListPlan {
  /** condition from filter (and nothing else) */
  where: SqlFragment | null;
  /** `order by` body, ending with the id */
  orderBy: string;
  /** keyset condition for the cursor, if any */
  after: SqlFragment | null;
  sort: SortKey[];
  limit: number;
  /** Builds the next cursor from the last row's sort values. */
  cursorFor(row: Record<string, unknown>): string;
  /** The aliased select list that exposes the sort values (`_k0`, `_k1`, …) for `cursorFor`. */
  sortSelect: string;
}

/**
 * Validates filter, sort and cursor of a list query and plans the keyset page: ordering by the sort keys
 * and then the id, so paging is stable however many rows share a value.
 */
export function planList(query: ListQuery, opts: { fields: (name: string) => ListField | undefined; idSql: string; defaultSort: SortKey[] }): ListPlan {
  const errors = [];
  let where: SqlFragment | null = null;
  if (query.filter) {
    const parsed = parseFilter(query.filter, (name) => opts.fields(name), 'query.filter');
    if (parsed.ok) where = filterToSql(parsed.filter, opts.fields);
    else errors.push(...parsed.errors);
  }
  const sorted = parseSort(query.sort, (name) => Boolean(opts.fields(name)?.sortable), 'query.sort');
  if (!sorted.ok) errors.push(...sorted.errors);
  if (errors.length) throw validationProblem(errors);
  const sort = sorted.ok && sorted.sort.length ? sorted.sort : opts.defaultSort;

  const keys = sort.map((s) => { const f = opts.fields(s.field)!; return { sql: f.sortSql ?? f.sql, dir: s.direction }; });
  keys.push({ sql: opts.idSql, dir: keys.at(-1)?.dir ?? 'asc' });
  const orderBy = keys.map((k) => `${k.sql} ${k.dir}`).join(', ');
  const sortSelect = keys.map((k, i) => `${k.sql} as "_k${i}"`).join(', ');

  let after: SqlFragment | null = null;
  if (query.cursor) {
    const values = decodeCursor(query.cursor, keys.length);
    // (a > va) or (a = va and b > vb) or … — each key in its own direction
    const ors: string[] = [];
    const bindings: unknown[] = [];
    keys.forEach((k, i) => {
      const ands: string[] = [];
      for (let j = 0; j < i; j++) { ands.push(`${keys[j]!.sql} = ?`); bindings.push(values[j]); }
      ands.push(`${k.sql} ${k.dir === 'asc' ? '>' : '<'} ?`);
      bindings.push(values[i]);
      ors.push(`(${ands.join(' and ')})`);
    });
    after = { sql: `(${ors.join(' or ')})`, bindings };
  }

  return {
    where, orderBy, after, sort, limit: query.limit, sortSelect,
    cursorFor: (row) => encodeCursor(keys.map((_, i) => { const v = row[`_k${i}`]; return v instanceof Date ? v.toISOString() : v; })),
  };
}

/**
 * A Postgres array literal for one `?` binding: knex expands a JS array binding into a list of `?`s, so
 * arrays travel as text and are cast in SQL (`= any(?::text[])`).
 */
export function pgArray(values: readonly unknown[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}
