import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { ImportStatus } from '@kapocs/contracts';
import type { JobQueue, Principal, UserDirectory } from '@kapocs/kit';
import { targetOf, type JobRow } from './import-job';
import type { Duplicate, ImportTarget, OnDuplicate, RowToCommit } from './import-target';
import { advance, pause, queueStep, type Claim } from './imports.claim';
import { resolveOwners } from '../owners/owner-directory';

/**
 * `validated` → `committing`, and the commit job queued in the same transaction; the job then writes the rows. A
 * commit that failed (`failed` in `committing`) is retried the same way: it carries on with the rows not yet
 * written, with the duplicate choice it was started with. Only the import's creator or an admin.
 */
export function startCommit(em: EntityManager, who: Principal, id: string, onDuplicate: OnDuplicate, jobs: JobQueue): Promise<{ id: string; status: ImportStatus }> {
  // a retry keeps the duplicate choice the commit was started with
  return queueStep(em, who, id, jobs, { status: 'committing', from: 'validated', done: 'committed', set: `, on_duplicate = case when status = 'validated' then ? else on_duplicate end`, bindings: [onDuplicate] });
}

/**
 * Writes the rows, 500 per transaction, through the entity's use cases (audit, events, ownership). Each
 * transaction also records what it did with each of its rows, so a crash leaves every row either done and
 * recorded or untouched; a resumed commit carries on with the rows not yet done.
 */
export async function commitImport(orm: MikroORM, job: JobRow, attempt: Claim, directory: UserDirectory): Promise<void> {
  const target = targetOf(job.entity);
  const who = job.principal;
  // the owners the rows name, looked up once (the department follows the owner)
  const named = await orm.em.fork().execute<{ owner: string | null; department: string | null }[]>(
    `select distinct input->>'ownerId' as owner, input->>'departmentId' as department from partners.import_row
      where import_id = ? and action is null and (input->>'ownerId' is not null or input->>'departmentId' is not null)`, [job.id]);
  const owners = await resolveOwners(directory, who, named.map((r) => r.owner), named.map((r) => r.department));
  const policy = job.on_duplicate ?? 'skip';
  for (;;) {
    const em = orm.em.fork();
    const done = await em.transactional(async (tx) => {
      const rows = await tx.execute<{ row: number; input: Record<string, unknown>; errors: RowToCommit['errors']; duplicates: Duplicate[]; target_id: string | null }[]>(
        `select row, input, errors, duplicates, target_id from partners.import_row where import_id = ? and action is null order by row limit ? for update`,
        [job.id, attempt.batchRows],
      );
      if (!rows.length) return true;
      await pause(attempt);
      // a record is written by one row of an import at most (so undo can put it back exactly)
      const claimed = new Map((await tx.execute<{ record_id: string; row: number }[]>(
        `select record_id, row from partners.import_row where import_id = ? and action in ('updated', 'unchanged') and record_id is not null`, [job.id],
      )).map((r) => [r.record_id, r.row]));
      const toCommit: RowToCommit[] = [];
      const outcomes = new Map<number, Awaited<ReturnType<ImportTarget['commitBatch']>> extends Map<number, infer O> ? O : never>();
      for (const r of rows) {
        const updateOf = r.target_id ?? (policy === 'update' ? r.duplicates.find((d) => d.matchId)?.matchId ?? null : null);
        if (updateOf && !r.errors.length) {
          const first = claimed.get(updateOf);
          if (first !== undefined) { outcomes.set(r.row, { action: 'skipped', outcome: { reason: 'duplicate', matchRow: first } }); continue; }
          claimed.set(updateOf, r.row);
        }
        toCommit.push({ row: r.row, input: r.input, errors: r.errors, duplicates: r.duplicates, targetId: r.target_id });
      }
      for (const [row, o] of await target.commitBatch(tx, who, toCommit, policy, owners)) outcomes.set(row, o);
      const records = [...outcomes].map(([row, o]) => ({
        row, action: o.action, record_id: o.recordId ?? null, version_before: o.versionBefore ?? null, version_after: o.versionAfter ?? null,
        before: o.before ?? null, outcome: o.outcome ?? null,
      }));
      await tx.execute(
        `update partners.import_row r set action = x.action, record_id = x.record_id, version_before = x.version_before, version_after = x.version_after, before = x.before, outcome = x.outcome
           from jsonb_to_recordset(?::jsonb) as x(row int, action text, record_id uuid, version_before int, version_after int, before jsonb, outcome jsonb)
          where r.import_id = ? and r.row = x.row`,
        [JSON.stringify(records), job.id],
      );
      const created = records.filter((r) => r.action === 'created').length;
      const updated = records.filter((r) => r.action === 'updated').length;
      await advance(tx, job.id, attempt, `, processed = processed + ?, created = created + ?, updated = updated + ?`, [rows.length, created, updated]);
      return false;
    });
    if (done) break;
  }
  await advance(orm.em.fork(), job.id, attempt, `, status = 'committed', finished_at = now()`);
}
