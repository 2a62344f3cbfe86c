import type { EntityManager } from '@mikro-orm/postgresql';
import { readCursor, recordAudit, signCursor, visibilityCondition, visibilityScope, type Principal } from '@kapocs/kit';
import type { DismissalParams, DismissalsQuery, DismissDuplicateInput, DuplicateDismissal } from '@kapocs/contracts';
import { dismissalNotFound, pairNotVisible } from './duplicates.problems';
import { SOURCES } from './duplicates.service';

type Entity = keyof typeof SOURCES;
type Row = Record<string, unknown>;

/** A pair is kept in id order (a_id < b_id, as uuids compare: their lower-case hex text), whichever way it was sent. */
const inOrder = (x: string, y: string): [string, string] => {
  const [p, q] = [x.toLowerCase(), y.toLowerCase()];
  return p < q ? [p, q] : [q, p];
};

/** Visibility exactly as the duplicates list: both records alive and visible to the caller, else 404. */
async function visiblePair(em: EntityManager, who: Principal, entity: Entity, aId: string, bId: string): Promise<{ a: Row; b: Row }> {
  const vis = visibilityCondition(visibilityScope(who), { owner: 'r.owner_id', department: 'r.department_id' });
  const rows = await em.execute<{ id: string; r: Row }[]>(
    `select r.id, to_jsonb(r) as r from ${SOURCES[entity].table} r
      where r.id in (?::uuid, ?::uuid) and r.deleted_at is null${vis ? ` and ${vis.sql}` : ''}`,
    [aId, bId, ...(vis?.bindings ?? [])],
  );
  const a = rows.find((r) => r.id === aId)?.r;
  const b = rows.find((r) => r.id === bId)?.r;
  if (!a || !b) throw pairNotVisible(entity);
  return { a, b };
}

const toDto = (entity: Entity, row: { a_id: string; b_id: string; dismissed_by: string; dismissed_at: Date | string }, a: Row, b: Row): DuplicateDismissal => ({
  entity, aId: row.a_id, bId: row.b_id, a: SOURCES[entity].side(a), b: SOURCES[entity].side(b),
  dismissedBy: row.dismissed_by, dismissedAt: new Date(row.dismissed_at).toISOString(),
});

/** Each record's audit trail says which record it was said not to duplicate, and who said so (or took it back). */
function auditBoth(em: EntityManager, who: Principal, entity: Entity, aId: string, bId: string, action: 'duplicate-dismissed' | 'duplicate-restored') {
  for (const [id, other] of [[aId, bId], [bId, aId]] as const) {
    const change = action === 'duplicate-dismissed' ? { from: null, to: other } : { from: other, to: null };
    recordAudit(em, { entityType: entity, entityId: id, action, actor: who, changes: { notDuplicateOf: change } });
  }
}

/**
 * "These two are not duplicates" (P8): the pair leaves the duplicates list for everyone, however often the
 * records change. Any two visible records of a kind may be dismissed, listed as a pair right now or not (the
 * refresh may bring the pair back later). A repeat changes nothing and answers the dismissal as it is.
 */
export async function dismissDuplicate(em: EntityManager, who: Principal, input: DismissDuplicateInput): Promise<{ dismissal: DuplicateDismissal; created: boolean }> {
  const [aId, bId] = inOrder(input.aId, input.bId);
  return em.transactional(async (tx) => {
    const { a, b } = await visiblePair(tx, who, input.entity, aId, bId);
    // a concurrent undo may take the row away between the insert that found it and the read: try again
    for (let attempt = 0; attempt < 3; attempt++) {
      const [inserted] = await tx.execute<{ a_id: string; b_id: string; dismissed_by: string; dismissed_at: Date }[]>(
        `insert into partners.duplicate_dismissal (entity, a_id, b_id, dismissed_by) values (?, ?, ?, ?)
         on conflict (entity, a_id, b_id) do nothing returning a_id, b_id, dismissed_by, dismissed_at`,
        [input.entity, aId, bId, who.id],
      );
      if (inserted) {
        auditBoth(tx, who, input.entity, aId, bId, 'duplicate-dismissed');
        return { dismissal: toDto(input.entity, inserted, a, b), created: true };
      }
      const [existing] = await tx.execute<{ a_id: string; b_id: string; dismissed_by: string; dismissed_at: Date }[]>(
        `select a_id, b_id, dismissed_by, dismissed_at from partners.duplicate_dismissal where entity = ? and a_id = ? and b_id = ?`,
        [input.entity, aId, bId],
      );
      if (existing) return { dismissal: toDto(input.entity, existing, a, b), created: false };
    }
    throw new Error('duplicate dismissal kept changing under a concurrent undo');
  });
}

/** Undoes a dismissal: the pair shows in the duplicates list again (at once: the refresh kept it). */
export async function undoDismissal(em: EntityManager, who: Principal, params: DismissalParams): Promise<void> {
  const [aId, bId] = inOrder(params.aId, params.bId);
  await em.transactional(async (tx) => {
    await visiblePair(tx, who, params.entity, aId, bId);
    const deleted = await tx.execute<{ a_id: string }[]>(
      `delete from partners.duplicate_dismissal where entity = ? and a_id = ? and b_id = ? returning a_id`,
      [params.entity, aId, bId],
    );
    if (!deleted.length) throw dismissalNotFound();
    auditBoth(tx, who, params.entity, aId, bId, 'duplicate-restored');
  });
}

interface Cursor { t: string; a: string; b: string }
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
// signed and bound to the list (kit signCursor): a hand-made or edited cursor is a 400, never SQL input
const encode = (c: Cursor, entity: string) => signCursor([c.t, c.a, c.b], `partners:duplicate-dismissals:${entity}`);
function decode(cursor: string, entity: string): Cursor {
  const [t, a, b] = readCursor(cursor, `partners:duplicate-dismissals:${entity}`, (v) => v.length === 3 && AT.test(String(v[0])) && UUID.test(String(v[1])) && UUID.test(String(v[2]))) as string[];
  return { t: t!, a: a!, b: b! };
}

/** Dismissed pairs whose both records the caller may see (as the duplicates list), newest first, keyset paged. */
export async function listDismissals(em: EntityManager, who: Principal, query: DismissalsQuery): Promise<{ items: DuplicateDismissal[]; nextCursor: string | null }> {
  const src = SOURCES[query.entity];
  const conds = ['x.entity = ?', 'a.deleted_at is null', 'b.deleted_at is null'];
  const bindings: unknown[] = [query.entity];
  const scope = visibilityScope(who);
  for (const side of ['a', 'b']) {
    const vis = visibilityCondition(scope, { owner: `${side}.owner_id`, department: `${side}.department_id` });
    if (vis) { conds.push(vis.sql); bindings.push(...vis.bindings); }
  }
  if (query.cursor) {
    const c = decode(query.cursor, query.entity);
    conds.push('(x.dismissed_at, x.a_id, x.b_id) < (?::timestamptz, ?::uuid, ?::uuid)');
    bindings.push(c.t, c.a, c.b);
  }
  // microseconds in the cursor: a JavaScript Date would round them off and repeat or skip rows
  const rows = await em.execute<{ a_id: string; b_id: string; dismissed_by: string; dismissed_at: Date; at_key: string; a: Row; b: Row }[]>(
    `select x.a_id, x.b_id, x.dismissed_by, x.dismissed_at,
            to_char(x.dismissed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key, to_jsonb(a) as a, to_jsonb(b) as b
       from partners.duplicate_dismissal x join ${src.table} a on a.id = x.a_id join ${src.table} b on b.id = x.b_id
      where ${conds.join(' and ')}
      order by x.dismissed_at desc, x.a_id desc, x.b_id desc
      limit ?`,
    [...bindings, query.limit + 1],
  );
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toDto(query.entity, r, r.a, r.b)),
    nextCursor: more && last ? encode({ t: last.at_key, a: last.a_id, b: last.b_id }, query.entity) : null,
  };
}
