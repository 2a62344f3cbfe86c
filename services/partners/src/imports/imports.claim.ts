import type { EntityManager } from '@mikro-orm/postgresql';
import type { ImportStatus } from '@kapocs/contracts';
import { JobStopped, sleep, type JobQueue, type Principal } from '@kapocs/kit';
import { IMPORT_TASK, visibleJob } from './import-job';
import { importStateConflict } from './imports.problems';

/** Thrown when another run has claimed the import since (the queue handed it on): this one stops, changing nothing. */
export class Superseded extends Error {}

/** An import as one run of its job holds it: the attempt it claimed, whether the process stops, the knobs. */
export interface Claim {
  attempt: number;
  aborted(): boolean;
  batchRows: number;
  /** Test-only: a pause in each batch's transaction (a slow batch). */
  batchDelayMs: number;
}

/**
 * Moves the import on as its claimed run: the statement only applies while no later run has claimed the import
 * (`attempts` is the fence), inside the batch's transaction, so a superseded run changes nothing.
 */
export async function advance(em: EntityManager, id: string, claim: Claim, set = '', bindings: unknown[] = []) {
  if (claim.aborted()) throw new JobStopped(`import ${id} handed on: the process is stopping`);
  const res = await em.execute<{ id: string }[]>(
    `update partners.import_job set updated_at = now()${set} where id = ? and attempts = ? returning id`, [...bindings, id, claim.attempt]);
  if (!res.length) throw new Superseded(`import ${id} was claimed by a later run`);
}

export const pause = async (claim: Claim) => { if (claim.batchDelayMs > 0) await sleep(claim.batchDelayMs); };

/**
 * Starts a step that writes (commit, undo) on an import the caller may see: `from` → `status`, or a retry of the
 * step that failed (`failed` in `status`, carrying on with the rows not yet done), its job queued in the same
 * transaction. `set`: more assignments with their `bindings`. Any other state is a 409 saying what it must be.
 */
export async function queueStep(
  em: EntityManager, who: Principal, id: string, jobs: JobQueue,
  step: { status: 'committing' | 'undoing'; from: ImportStatus; done: string; set?: string; bindings?: unknown[] },
): Promise<{ id: string; status: ImportStatus }> {
  const job = await visibleJob(em, who, id);
  return em.transactional(async (tx) => {
    const [moved] = await tx.execute<{ id: string }[]>(
      `update partners.import_job set status = ?, principal = ?::jsonb, failure = null, failed_in = null, updated_at = now(), finished_at = null${step.set ?? ''},
              processed = case when status = ? then 0 else processed end
        where id = ? and (status = ? or (status = 'failed' and failed_in = ?)) returning id`,
      [step.status, JSON.stringify(who), ...(step.bindings ?? []), step.from, id, step.from, step.status],
    );
    if (!moved) throw importStateConflict(job.status, step.done, job.status === 'failed' ? `${step.from} (or failed while ${step.status})` : step.from);
    await jobs.add(tx, IMPORT_TASK, { id }, { key: `import:${id}` });
    return { id, status: step.status };
  });
}
