import { DriverException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ImportReport } from '@kapocs/contracts';
import { ProblemError, type Principal } from '@kapocs/kit';
import { visibleJob } from './import-job';
import type { Duplicate } from './import-target';

/** The report lists at most this many errors and duplicates; the counts are always complete. */
export const REPORT_LIMIT = 10_000;

/** The dry-run report, the commit's and the undo's, as far as they got. */
export async function importReport(em: EntityManager, who: Principal, id: string): Promise<ImportReport> {
  const job = await visibleJob(em, who, id);
  const [errors, duplicates, [tally]] = await Promise.all([
    em.execute<{ row: number; column: string; message: string; total: number }[]>(
      `select row, e->>'column' as column, e->>'message' as message, count(*) over ()::int as total
         from partners.import_row r, jsonb_array_elements(r.errors ||
              case when r.action = 'failed' and r.outcome->>'message' is not null then jsonb_build_array(jsonb_build_object('column', '', 'message', r.outcome->>'message')) else '[]'::jsonb end) e
        where r.import_id = ? order by row limit ?`, [id, REPORT_LIMIT]),
    em.execute<{ row: number; d: Duplicate; total: number }[]>(
      `select row, d, count(*) over ()::int as total from partners.import_row r, jsonb_array_elements(r.duplicates) d where r.import_id = ? order by row limit ?`, [id, REPORT_LIMIT]),
    em.execute<{ skipped: number; failed: number }[]>(
      `select count(*) filter (where action = 'skipped')::int as skipped, count(*) filter (where action = 'failed')::int as failed from partners.import_row where import_id = ?`, [id]),
  ]);
  const errorCount = (errors[0]?.total ?? 0) + job.file_errors.length;
  const duplicateCount = duplicates[0]?.total ?? 0;
  const report: ImportReport = {
    id: job.id, entity: job.entity, status: job.status, fileName: job.file_name, format: job.format, encoding: job.encoding,
    rows: job.rows, processed: job.processed, valid: job.valid,
    errors: [...job.file_errors, ...errors.map((e) => ({ row: e.row, column: e.column, message: e.message }))],
    errorCount,
    duplicates: duplicates.map((d) => ({ row: d.row, matchId: d.d.matchId, ...(d.d.matchRow ? { matchRow: d.d.matchRow } : {}), reason: d.d.reason })),
    duplicateCount,
    truncated: errorCount - job.file_errors.length > REPORT_LIMIT || duplicateCount > REPORT_LIMIT,
    createdBy: job.created_by, createdAt: new Date(job.created_at).toISOString(), finishedAt: job.finished_at ? new Date(job.finished_at).toISOString() : null,
  };
  if (job.failure) report.failure = job.failure;
  if (['committing', 'committed', 'undoing', 'undone'].includes(job.status)) {
    Object.assign(report, { onDuplicate: job.on_duplicate ?? 'skip', created: job.created, updated: job.updated, skipped: tally!.skipped, failed: tally!.failed });
  }
  if (job.status === 'undoing' || job.status === 'undone') {
    report.undone = job.undone;
    report.conflicts = (await em.execute<{ row: number; id: string; reason: string }[]>(
      `select row, record_id as id, outcome->>'conflict' as reason from partners.import_row where import_id = ? and undo = 'conflict' order by row limit ?`, [id, REPORT_LIMIT]));
  }
  return report;
}

/** What the report may say about a failed dry run: the parser's words about the file, never SQL or internals. */
export function readFailure(err: unknown): string {
  if (err instanceof DriverException) return 'the file could not be checked because of an internal error; it is in the service log';
  // the user directory was unreachable for the owner column: nothing is wrong with the file
  if (err instanceof ProblemError) return `the file could not be checked: ${err.detail ?? err.title}`;
  return `the file could not be read: ${(err as Error).message}`.slice(0, 1000);
}
