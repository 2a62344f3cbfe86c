import type { EntityManager, EntitySchema } from '@mikro-orm/postgresql';
import type { Page, SortKey } from '@kapocs/contracts';
import { visibilityCondition, visibilityScope, type Principal } from '../auth';
import { readRows } from '../db';
import { planList, type ListFields, type ListQuery, type SqlFragment } from '../list';

/** How one list of owned records reads its page (`OwnedRecords.list`). */
export interface ListPageOptions<T, D> {
  /**
   * Fields the list can be filtered and sorted on, their SQL over the table's alias (custom fields included), besides
   * `ownedListFields`, which every list of owned records has.
   */
  fields: ListFields;
  /** The order when the query names none; the id always comes last. */
  defaultSort: SortKey[];
  /** Narrows the list to one owner (`ownerId=me` already resolved to the caller). */
  ownerId?: string | undefined;
  /** More conditions with `?` bindings (the list's search); empty ones are left out. */
  conditions?: ReadonlyArray<SqlFragment | null | undefined | false>;
  /** The page's rows, read-only values (`readRows`), as the API answers them. */
  map: (rows: T[]) => D[] | Promise<D[]>;
}

/** `ownerId` and `departmentId` to filter on, `createdAt` and `updatedAt` to filter and sort on. */
export const ownedListFields = (alias: string): ListFields => ({
  ownerId: { type: 'string', sql: `${alias}.owner_id`, pgType: 'text' },
  departmentId: { type: 'string', sql: `${alias}.department_id` },
  createdAt: { type: 'datetime', sql: `${alias}.created_at`, sortable: true },
  updatedAt: { type: 'datetime', sql: `${alias}.updated_at`, sortable: true },
});

interface ListedTable<T extends object> {
  entity: EntitySchema<T, never>;
  table: string;
  alias: string;
}

/**
 * A page of owned records the caller may see: not deleted, visibility in the query (reps their own, managers
 * their departments', directors and admins all), the owner narrowing, the given conditions, the filter language,
 * the sort, a signed keyset cursor bound to the order, and the total when `count` asks for it.
 */
export async function listPage<T extends object, D>(em: EntityManager, who: Principal, t: ListedTable<T>, query: ListQuery, opts: ListPageOptions<T, D>): Promise<Page<D>> {
  const a = t.alias;
  const fields = { ...ownedListFields(a), ...opts.fields };
  const plan = planList(query, { fields: (f) => (Object.hasOwn(fields, f) ? fields[f] : undefined), idSql: `${a}.id`, defaultSort: opts.defaultSort });
  const conds: string[] = [`${a}.deleted_at is null`];
  const bindings: unknown[] = [];
  const add = (c: SqlFragment | null | undefined | false) => { if (c) { conds.push(c.sql); bindings.push(...c.bindings); } };
  add(visibilityCondition(visibilityScope(who), { owner: `${a}.owner_id`, department: `${a}.department_id` }));
  add(!!opts.ownerId && { sql: `${a}.owner_id = ?`, bindings: [opts.ownerId] });
  for (const c of opts.conditions ?? []) add(c);
  add(plan.where);
  const where = conds.join(' and ');
  const pageConds = plan.after ? `${where} and ${plan.after.sql}` : where;
  const raw = await em.execute<Record<string, unknown>[]>(
    `select ${a}.*, ${plan.sortSelect} from ${t.table} ${a} where ${pageConds} order by ${plan.orderBy} limit ?`,
    [...bindings, ...(plan.after?.bindings ?? []), plan.limit + 1],
  );
  const more = raw.length > plan.limit;
  const pageRows = raw.slice(0, plan.limit);
  const page: Page<D> = {
    items: await opts.map(readRows(em, t.entity, pageRows)),
    nextCursor: more ? plan.cursorFor(pageRows.at(-1)!) : null,
  };
  if (query.count) {
    const [counted] = await em.execute<{ n: number }[]>(`select count(*)::int as n from ${t.table} ${a} where ${where}`, bindings);
    page.total = counted?.n ?? 0;
  }
  return page;
}
