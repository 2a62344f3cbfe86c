import type { MikroORM } from '@mikro-orm/postgresql';
import { isUnavailable, JobStopped, type JobContext, type JobDefinitions, type UserDirectory } from '@kapocs/kit';
import { IMPORT_TASK, type JobRow } from './import-job';
import { Superseded, type Claim } from './imports.claim';
import { commitImport } from './imports.commit';
import { validateImport } from './imports.dry-run';
import { readFailure } from './imports.report';
import { undoImport } from './imports.undo';

export interface ImportWorkerOptions {
  directory: UserDirectory;
  /** Runs of a failing commit or undo before the import is marked failed (then it can be retried). */
  maxAttempts: number;
  batchRows: number;
  /** Test-only: a pause in every batch. */
  batchDelayMs: number;
}

/**
 * One run of an import's job. It claims the import (`attempts` + 1: an earlier run still going, which the queue
 * hands on only once that run's worker has died, stops at its next batch), then runs the step the import is
 * in. Validation restarts from the first row, commit and undo go on with the rows not yet done. A broken file
 * fails the dry run at once; any other error is left to the queue: an outage is waited out, a failure is retried
 * with backoff and after `maxAttempts` runs the import is marked failed in its step (`onGivenUp`).
 */
async function runImport(orm: MikroORM, id: string, ctx: JobContext, opts: ImportWorkerOptions): Promise<void> {
  const [job] = await orm.em.fork().execute<JobRow[]>(
    `update partners.import_job set attempts = attempts + 1, updated_at = now() where id = ? and status in ('validating', 'committing', 'undoing') returning *`, [id]);
  if (!job) return; // finished, or failed for good, before this run
  if (ctx.attempt > 1) ctx.log.info({ importId: id, attempt: ctx.attempt }, `resuming an import (${job.status})`);
  const claim: Claim = { attempt: job.attempts, aborted: () => ctx.signal.aborted, batchRows: opts.batchRows, batchDelayMs: opts.batchDelayMs };
  try {
    if (job.status === 'validating') await validateImport(orm, job, claim, opts.directory);
    else if (job.status === 'committing') await commitImport(orm, job, claim, opts.directory);
    else await undoImport(orm, job, claim, opts.directory);
  } catch (err) {
    if (err instanceof Superseded) return;
    if (err instanceof JobStopped || isUnavailable(err)) throw err;
    ctx.log.error({ err, importId: id }, 'import job failed');
    // a broken file fails the dry run; a failure while writing is retried by the queue
    if (job.status === 'validating') {
      await orm.em.fork().execute(`update partners.import_job set status = 'failed', failed_in = 'validating', failure = ?, finished_at = now(), updated_at = now() where id = ? and attempts = ?`,
        [readFailure(err), id, job.attempts]);
      return;
    }
    throw err;
  }
}

/** Marks an import whose job was given up failed in the step it was in; a commit or undo can then be retried. */
async function giveUpImport(orm: MikroORM, id: string, reason: string) {
  await orm.em.fork().execute(
    `update partners.import_job set failed_in = status, status = 'failed', finished_at = now(), updated_at = now(),
        failure = case status when 'validating' then 'the file could not be checked; upload it again'
          else 'stopped after repeated failures (' || ? || '); it can be retried: POST /imports/{id}/' || case status when 'committing' then 'commit' else 'undo' end end
      where id = ? and status in ('validating', 'committing', 'undoing')`,
    // the reason names the attempts, never SQL (that is in the service log)
    [/attempt/.test(reason) ? reason : 'an internal error, in the service log', id],
  );
}

/** The imports' background job, for the service definition's `workers`. */
export function importWorkers(orm: MikroORM, opts: ImportWorkerOptions): JobDefinitions {
  return {
    [IMPORT_TASK]: {
      maxAttempts: opts.maxAttempts,
      run: (payload: { id: string }, ctx) => runImport(orm, payload.id, ctx, opts),
      onGivenUp: (payload: { id: string }, reason) => giveUpImport(orm, payload.id, reason),
    },
  };
}
