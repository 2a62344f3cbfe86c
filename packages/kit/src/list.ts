import {
  parseFilter, parseSort, MAX_LIMIT, DEFAULT_LIMIT, numericRange, PG_INT2, PG_INT4, PG_INT8, type Filter, type FilterFieldSpec, type SortKey,
} from '@kapocs/contracts';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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

/** `s` with LIKE's wildcards and escape character escaped, to match it literally (`like '%' || ? || '%'`). */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The range a `?::<pgType>` binding holds (`int4`, `integer`, `numeric(18,2)`, …), so a filter value beyond it is
 * a 400 naming it instead of PostgreSQL's "out of range"; fields with their own `min`/`max` keep them.
 */
export function withColumnRange(f: ListField): ListField {
  if (f.min !== undefined || f.max !== undefined || !f.pgType) return f;
  const t = f.pgType.toLowerCase().replace(/\s+/g, '');
  const int = ({ int2: PG_INT2, smallint: PG_INT2, int4: PG_INT4, int: PG_INT4, integer: PG_INT4, int8: PG_INT8, bigint: PG_INT8 } as Record<string, { min: number; max: number }>)[t];
  if (int) return { ...f, min: int.min, max: int.max };
  const num = /^(?:numeric|decimal)\((\d+)(?:,(\d+))?\)$/.exec(t);
  if (num) return { ...f, ...numericRange(Number(num[1]), Number(num[2] ?? 0)) };
  return f;
}

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

// Keys cursors are signed with: the configured one first (it signs), then a per-process one for an app
// started without configuration. Any of them verifies, so apps of one process may have been given others.
const cursorKeys: Buffer[] = [randomBytes(32)];

/**
 * Sets the secret cursors are signed with (`CURSOR_SECRET`; every replica of a service must share it, or a
 * cursor from one replica is refused by the next). `buildServiceApp` calls it from the service's environment.
 */
export function useCursorSecret(secret: string): void {
  const key = createHash('sha256').update(`kapocs-cursor\n${secret}`).digest();
  const at = cursorKeys.findIndex((k) => k.equals(key));
  if (at >= 0) cursorKeys.splice(at, 1);
  cursorKeys.unshift(key);
}

const cursorMac = (key: Buffer, bind: string, body: string) => createHmac('sha256', key).update(bind).update('\n').update(body).digest();

/**
 * An opaque cursor: the values in base64url JSON and an HMAC over them and `bind` (what the values mean: the
 * list and its order), so a hand-made cursor or one reused with another sort is refused instead of reaching SQL.
 */
export function signCursor(values: unknown[], bind: string): string {
  const body = Buffer.from(JSON.stringify(values)).toString('base64url');
  return `${body}.${cursorMac(cursorKeys[0]!, bind, body).toString('base64url')}`;
}

/**
 * The values of a cursor made by `signCursor` with the same `bind`; anything else (edited, hand-made, from
 * another list or sort, failing `check`) is a 400 naming `query.cursor`.
 */
export function readCursor(cursor: string, bind: string, check: (values: unknown[]) => boolean = () => true): unknown[] {
  const [body, sig, ...rest] = cursor.split('.');
  if (body && sig && !rest.length) {
    const given = Buffer.from(sig, 'base64url');
    if (cursorKeys.some((k) => { const m = cursorMac(k, bind, body); return m.length === given.length && timingSafeEqual(m, given); })) {
      try {
        const values = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
        if (Array.isArray(values) && check(values)) return values;
      } catch { /* fall through */ }
    }
  }
  throw validationProblem([{ path: 'query.cursor', message: 'is not a cursor of this list in this order (was it changed, or the sort?)' }]);
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
    const parsed = parseFilter(query.filter, (name) => { const f = opts.fields(name); return f && withColumnRange(f); }, 'query.filter');
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

  // a cursor holds the sort values of the last row: it means something only in this order of this list
  const bind = `list:${orderBy}`;
  let after: SqlFragment | null = null;
  if (query.cursor) {
    const values = readCursor(query.cursor, bind, (v) => v.length === keys.length && v.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x)));
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
    cursorFor: (row) => signCursor(keys.map((_, i) => { const v = row[`_k${i}`]; return v instanceof Date ? v.toISOString() : v; }), bind),
  };
}

/**
 * A Postgres array literal for one `?` binding: knex expands a JS array binding into a list of `?`s, so
 * arrays travel as text and are cast in SQL (`= any(?::text[])`).
 */
export function pgArray(values: readonly unknown[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}
