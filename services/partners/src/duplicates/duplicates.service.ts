import type { EntityManager } from '@mikro-orm/postgresql';
import { readCursor, signCursor, visibilityCondition, visibilityScope, type Principal } from '@kapocs/kit';
import type { DuplicatePair, DuplicateSide, DuplicatesQuery } from '@kapocs/contracts';

/**
 * Pairs are kept in tables refreshed after each write (migrations 003500, 003600): a write queues its record
 * in `duplicate_check`, and the worker (or a reader, see settleDuplicateChecks) looks its candidates up through
 * indexes (tax and registration number, a KNN walk of the trigram index on the folded name, e-mail keys, the
 * colleagues at the same companies). Listing is then a keyset read over the pairs, best first; pairs users
 * dismissed as "not duplicates" (migration 003700) are left out by an anti-join on the dismissals' primary key.
 */
export const SOURCES = {
  company: {
    pairs: 'partners.company_duplicate',
    table: 'partners.company',
    side: (r: Record<string, any>): DuplicateSide => ({
      id: r.id, name: r.name, ownerId: r.owner_id, departmentId: r.department_id ?? null, taxNumber: r.tax_number ?? null,
      registrationNumber: r.registration_number ?? null, city: r.addresses?.[0]?.city ?? null,
    }),
  },
  person: {
    pairs: 'partners.person_duplicate',
    table: 'partners.person',
    side: (r: Record<string, any>): DuplicateSide => ({
      id: r.id, name: `${r.family_name} ${r.given_name}`, familyName: r.family_name, givenName: r.given_name,
      emails: (r.emails ?? []).map((e: { address: string }) => e.address), ownerId: r.owner_id, departmentId: r.department_id ?? null,
    }),
  },
} as const;

interface Cursor { s: string; a: string; b: string }
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// signed and bound to the list (kit signCursor): a hand-made or edited cursor is a 400, never SQL input
const encode = (c: Cursor, entity: string) => signCursor([c.s, c.a, c.b], `partners:duplicates:${entity}`);
function decode(cursor: string, entity: string): Cursor {
  const [s, a, b] = readCursor(cursor, `partners:duplicates:${entity}`, (v) => v.length === 3 && /^\d(\.\d{1,3})?$/.test(String(v[0])) && UUID.test(String(v[1])) && UUID.test(String(v[2]))) as string[];
  return { s: s!, a: a!, b: b! };
}

/** Likely duplicate pairs among the records the caller may see (both sides visible), best first. */
export async function listDuplicates(em: EntityManager, who: Principal, query: DuplicatesQuery): Promise<{ items: DuplicatePair[]; nextCursor: string | null }> {
  const src = SOURCES[query.entity];
  const conds = ['a.deleted_at is null', 'b.deleted_at is null'];
  const bindings: unknown[] = [];
  const scope = visibilityScope(who);
  for (const side of ['a', 'b']) {
    const vis = visibilityCondition(scope, { owner: `${side}.owner_id`, department: `${side}.department_id` });
    if (vis) { conds.push(vis.sql); bindings.push(...vis.bindings); }
  }
  conds.push('not exists (select 1 from partners.duplicate_dismissal x where x.entity = ? and x.a_id = d.a_id and x.b_id = d.b_id)');
  bindings.push(query.entity);
  if (query.cursor) {
    const c = decode(query.cursor, query.entity);
    conds.push(`(d.score < ?::numeric or (d.score = ?::numeric and (d.a_id, d.b_id) > (?::uuid, ?::uuid)))`);
    bindings.push(c.s, c.s, c.a, c.b);
  }
  const rows = await em.execute<{ a_id: string; b_id: string; reasons: string[]; score: string; a: Record<string, unknown>; b: Record<string, unknown> }[]>(
    `select d.a_id, d.b_id, d.reasons, d.score::text as score, to_jsonb(a) as a, to_jsonb(b) as b
       from ${src.pairs} d join ${src.table} a on a.id = d.a_id join ${src.table} b on b.id = d.b_id
      where ${conds.join(' and ')}
      order by d.score desc, d.a_id, d.b_id
      limit ?`,
    [...bindings, query.limit + 1],
  );
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ a: src.side(r.a), b: src.side(r.b), reasons: r.reasons as DuplicatePair['reasons'], score: Number(r.score) })),
    nextCursor: more && last ? encode({ s: last.score, a: last.a_id, b: last.b_id }, query.entity) : null,
  };
}
