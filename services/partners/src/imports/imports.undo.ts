import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { ImportStatus } from '@kapocs/contracts';
import type { JobQueue, Principal, UserDirectory } from '@kapocs/kit';
import { targetOf, type JobRow } from './import-job';
import type { RowToUndo } from './import-target';
import { advance, pause, queueStep, type Claim } from './imports.claim';
import { resolveOwners } from '../owners/owner-directory';

/**
 * `committed` → `undoing`, and the undo job queued in the same transaction; the job then removes what was created
 * and restores what was updated. An undo that failed (`failed` in `undoing`) is retried the same way: it carries on
 * with the rows not yet undone.
 */
export function startUndo(em: EntityManager, who: Principal, id: string, jobs: JobQueue): Promise<{ id: string; status: ImportStatus }> {
  return queueStep(em, who, id, jobs, { status: 'undoing', from: 'committed', done: 'undone' });
}

/**
 * Undoes a commit, newest row first, 500 per transaction: a created record is deleted, an updated one put back
 * as it was — unless it changed since the import (its version is no longer the one the import left), in
 * which case it is left alone and listed as a conflict.
 */
export async function undoImport(orm: MikroORM, job: JobRow, attempt: Claim, directory: UserDirectory): Promise<void> {
  const target = targetOf(job.entity);
  const who = job.principal;
  // the owners and departments updated records go back to
  const named = await orm.em.fork().execute<{ owner: string | null; department: string | null }[]>(
    `select distinct before->>'ownerId' as owner, before->>'departmentId' as department from partners.import_row
      where import_id = ? and action = 'updated' and undo is null and (before->>'ownerId' is not null or before->>'departmentId' is not null)`, [job.id]);
  const owners = await resolveOwners(directory, who, named.map((r) => r.owner), named.map((r) => r.department));
  for (;;) {
    const done = await orm.em.fork().transactional(async (tx) => {
      const rows = await tx.execute<{ row: number; action: 'created' | 'updated'; record_id: string; version_after: number; before: unknown }[]>(
        `select row, action, record_id, version_after, before from partners.import_row
          where import_id = ? and action in ('created', 'updated') and undo is null order by row desc limit ? for update`,
        [job.id, attempt.batchRows],
      );
      if (!rows.length) return true;
      await pause(attempt);
      const outcomes = await target.undoBatch(tx, who, rows.map((r): RowToUndo => ({ row: r.row, action: r.action, recordId: r.record_id, versionAfter: r.version_after, before: r.before })), owners);
      const records = [...outcomes].map(([row, o]) => ({ row, undo: o.undo, reason: o.reason ?? null }));
      await tx.execute(
        `update partners.import_row r set undo = x.undo, outcome = coalesce(r.outcome, '{}'::jsonb) || jsonb_strip_nulls(jsonb_build_object('conflict', x.reason))
           from jsonb_to_recordset(?::jsonb) as x(row int, undo text, reason text) where r.import_id = ? and r.row = x.row`,
        [JSON.stringify(records), job.id],
      );
      await advance(tx, job.id, attempt, `, processed = processed + ?, undone = undone + ?`, [rows.length, records.filter((r) => r.undo === 'undone').length]);
      return false;
    });
    if (done) break;
  }
  await advance(orm.em.fork(), job.id, attempt, `, status = 'undone', finished_at = now()`);
}
