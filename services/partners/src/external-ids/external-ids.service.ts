import type { EntityManager } from '@mikro-orm/postgresql';
import { Roles, type FieldError } from '@kapocs/contracts';
import {
  checkInput, customRulesOf, fieldErrors, hasRole, pgArray, ProblemError, recordAudit, throwIfBodyInvalid, validationProblem, type Principal,
} from '@kapocs/kit';
import { duplicateInBatch, integrationsOnly, tooManyItems } from './external-ids.problems';
import { externalIdSchema, MAX_BULK_ITEMS, type BulkResult, type ExternalIdRef } from './external-ids.schemas';
import type { SyncTarget } from './sync-targets';
import type { OwnerFacts } from '../owners/ownership';

/** Items written per transaction: few transactions, yet locks held briefly and the lock table never strained. */
const CHUNK = 250;

/**
 * Another system writes as a user: crm-admin or crm-director (the realm has no integration role yet, so an
 * integration signs in as a service user with one of these roles). Others get 403.
 */
export function requireIntegration(who: Principal): void {
  if (!hasRole(who, Roles.admin, Roles.director)) throw integrationsOnly();
}

/** The external ids of a record, by system. */
export async function externalIdsOf(em: EntityManager, entity: SyncTarget['entity'], id: string): Promise<ExternalIdRef[]> {
  const rows = await em.execute<{ system: string; external_id: string }[]>(
    `select system, external_id from partners.external_id where entity = ? and internal_id = ? order by system, external_id`, [entity, id]);
  return rows.map((r) => ({ system: r.system, externalId: r.external_id }));
}

/**
 * Serialises every writer of these keys until commit, so two requests for one unknown external id cannot both
 * create a record. Locks are taken in one order (by hash) so two overlapping batches cannot deadlock on them.
 */
async function lockKeys(em: EntityManager, entity: string, system: string, externalIds: string[]): Promise<void> {
  await em.execute(
    `select count(pg_advisory_xact_lock(k)) from (
       select distinct hashtextextended('external-id:' || ? || ':' || ? || ':' || x, 0) as k from unnest(?::text[]) x order by 1) s`,
    [entity, system, pgArray(externalIds)],
  );
}

/** The live record a mapping leads to, locked: through a merge to the survivor; none when it was deleted. */
async function liveRecord(em: EntityManager, t: SyncTarget, id: string): Promise<{ id: string; version: number } | null> {
  // a merge points the merged record at its survivor and moves its external ids, so one hop is the norm
  for (let hops = 0; hops < 5; hops++) {
    const [row] = await em.execute<{ id: string; version: number; deleted_at: Date | null; merged_into_id: string | null }[]>(
      `select id, version, deleted_at, merged_into_id from ${t.table} where id = ? for update`, [id]);
    if (!row) return null;
    if (!row.deleted_at) return { id: row.id, version: row.version };
    if (!row.merged_into_id) return null;
    id = row.merged_into_id;
  }
  return null;
}

/** The body checked like the entity's own POST (create) or PATCH (update); 400 names every bad field, custom ones too. */
async function parseBody(em: EntityManager, t: SyncTarget, body: unknown, mode: 'create' | 'patch'): Promise<unknown> {
  // checkInput: the schema's errors and text PostgreSQL refuses (NUL, half surrogate pairs), as the kit's validator
  const { value, errors } = checkInput(mode === 'create' ? t.createSchema : t.patchSchema, body);
  if (!errors.length) return value;
  const problem = validationProblem(errors);
  throwIfBodyInvalid(problem, await customRulesOf(em, t.entity), body, { mode, ...(t.subtypeField ? { subtypeField: t.subtypeField } : {}) });
  throw problem;
}

export interface UpsertOutcome {
  status: 'created' | 'updated' | 'unchanged';
  record: { id: string; version: number };
}

/**
 * Upserts one record by its external id, inside the caller's transaction (which holds the key's lock):
 * unknown → created with the mapping; known → the given fields replace ours, absent ones stay. The same
 * payload again changes nothing: the update use case writes no version, audit or event when nothing differs.
 */
async function upsertOne(em: EntityManager, who: Principal, t: SyncTarget, system: string, externalId: string, body: unknown, owners: OwnerFacts): Promise<UpsertOutcome> {
  const key = [t.entity, system, externalId];
  const [mapping] = await em.execute<{ internal_id: string }[]>(
    `select internal_id from partners.external_id where entity = ? and system = ? and external_id = ? for update`, key);
  const current = mapping ? await liveRecord(em, t, mapping.internal_id) : null;

  if (!current) {
    // unknown, or its record was deleted here: the other system still has it, so it comes back as a new record
    const record = await t.create(em, who, (await parseBody(em, t, body, 'create')) as never, owners);
    await em.execute(
      `insert into partners.external_id (entity, system, external_id, internal_id, created_at, updated_at) values (?, ?, ?, ?, now(), now())
       on conflict (entity, system, external_id) do update set internal_id = excluded.internal_id, updated_at = excluded.updated_at`,
      [...key, record.id],
    );
    recordAudit(em, { entityType: t.entity, entityId: record.id, action: 'external-id-linked', actor: who, changes: { externalIds: { from: null, to: { system, externalId } } } });
    return { status: 'created', record };
  }

  // a record the caller may not see answers 404 before anything is said about the payload
  await t.findVisible(em, who, current.id);
  if (current.id !== mapping!.internal_id) {
    await em.execute(`update partners.external_id set internal_id = ?, updated_at = now() where entity = ? and system = ? and external_id = ?`, [current.id, ...key]);
  }
  const record = await t.update(em, who, current.id, current.version, (await parseBody(em, t, body, 'patch')) as never, owners);
  return { status: record.version === current.version ? 'unchanged' : 'updated', record };
}

/** `PUT /external/{system}/<entity>/{externalId}`. No If-Match: the other system is the source of truth for its fields. */
/** `owners`: the directory's facts of the owner the body names (`resolveOwners`), looked up before the transaction. */
export async function upsertByExternalId(em: EntityManager, who: Principal, t: SyncTarget, system: string, externalId: string, body: unknown, owners: OwnerFacts): Promise<UpsertOutcome> {
  requireIntegration(who);
  return em.transactional(async (tx) => {
    await lockKeys(tx, t.entity, system, [externalId]);
    return upsertOne(tx, who, t, system, externalId, body, owners);
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function refused(externalId: string, err: ProblemError): BulkResult {
  const errors: FieldError[] = err.errors?.length ? err.errors : [{ path: '(item)', message: err.detail ?? err.title }];
  // a record one may not see is refused like one one may not write, without saying which
  return err.status === 403 || err.status === 404 ? { externalId, status: 'forbidden', errors } : { externalId, status: 'invalid', errors };
}

const RETRYABLE = new Set(['40P01', '40001']);
const isRetryable = (err: unknown) => RETRYABLE.has(String((err as { code?: unknown }).code ?? ''));

/**
 * `POST /external/{system}/<entity>`: up to 1000 upserts. Each item is checked and written on its own
 * savepoint, so a bad item is reported and the others are written; items go in chunks of 250 per transaction.
 * Every item is idempotent, so a client may always send a whole batch again (after a timeout, say).
 */
/** `owners`: the directory's facts of the owners the items name (`resolveOwners`), looked up before the transactions. */
export async function bulkUpsert(em: EntityManager, who: Principal, t: SyncTarget, system: string, items: unknown[], owners: OwnerFacts): Promise<BulkResult[]> {
  requireIntegration(who);
  if (items.length > MAX_BULK_ITEMS) throw tooManyItems(MAX_BULK_ITEMS, items.length);

  const results: BulkResult[] = new Array(items.length);
  const pending: { index: number; externalId: string; body: Record<string, unknown> }[] = [];
  items.forEach((item, index) => {
    if (!isObject(item)) {
      results[index] = { externalId: null, status: 'invalid', errors: [{ path: '(item)', message: 'must be an object with externalId and the fields' }] };
      return;
    }
    const { externalId, ...body } = item;
    const id = externalIdSchema.safeParse(externalId);
    if (!id.success) {
      results[index] = { externalId: typeof externalId === 'string' ? externalId : null, status: 'invalid', errors: fieldErrors(id.error, 'externalId') };
      return;
    }
    pending.push({ index, externalId: id.data, body });
  });
  // the same id twice in one batch has no single right answer (and would flip on every repeat): refuse both
  const seen = new Map<string, number>();
  for (const p of pending) seen.set(p.externalId, (seen.get(p.externalId) ?? 0) + 1);
  for (const p of pending.filter((x) => seen.get(x.externalId)! > 1)) results[p.index] = { externalId: p.externalId, status: 'invalid', errors: [duplicateInBatch()] };
  const work = pending.filter((p) => seen.get(p.externalId) === 1);

  for (let start = 0; start < work.length; start += CHUNK) {
    const chunk = work.slice(start, start + CHUNK);
    const written = await withRetry(() => em.transactional(async (tx) => {
      await lockKeys(tx, t.entity, system, chunk.map((c) => c.externalId));
      const out: BulkResult[] = [];
      for (const c of chunk) {
        try {
          // clear: a failed item leaves nothing behind, not even in memory
          const o = await tx.transactional((itemTx) => upsertOne(itemTx, who, t, system, c.externalId, c.body, owners), { clear: true });
          out.push({ externalId: c.externalId, status: o.status, id: o.record.id });
        } catch (err) {
          // the directory unreachable while an owner changes: the batch answers 503 (chunks written before stay; items are idempotent)
          if (!(err instanceof ProblemError) || err.status === 503) throw err;
          out.push(refused(c.externalId, err));
        }
      }
      return out;
    }));
    chunk.forEach((c, i) => { results[c.index] = written[i]!; });
  }
  return results;
}

/** Runs a transaction again when PostgreSQL chose it as a deadlock or serialisation victim. */
async function withRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isRetryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 20 * i + Math.random() * 50));
    }
  }
}
