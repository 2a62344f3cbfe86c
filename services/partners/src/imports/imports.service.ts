import { DriverException } from '@mikro-orm/core';
import { Readable } from 'node:stream';
import { uuidv7 } from 'uuidv7';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { badTextPaths, Roles } from '@kapocs/contracts';
import { customRulesOf, hasRole, isUnavailable, JobStopped, ProblemError, sleep, validationProblem, type JobContext, type JobDefinitions, type JobQueue, type Principal, type UserDirectory } from '@kapocs/kit';
import { resolveColumns, type Cell } from './columns';
import { companyImport } from './company-import';
import { personImport } from './person-import';
import type { Duplicate, ImportTarget, OnDuplicate, RowToCommit, RowToUndo, StagedRow } from './import-target';
import { cannotImport, fileTooLarge, importNotFound, importStateConflict, unsupportedFile } from './imports.problems';
import { readCsv, readXlsx, UploadSniffer, type FileFormat, type TextEncoding } from './spreadsheet';
import { resolveOwners } from '../owners/owner-directory';

import { IMPORT_ENTITIES, IMPORT_STATUSES, type ImportEntity, type ImportReport, type ImportStatus } from '@kapocs/contracts';
export { IMPORT_ENTITIES, IMPORT_STATUSES, type ImportEntity, type ImportReport, type ImportStatus };

const CHUNK_BYTES = 1024 * 1024;
/** The report lists at most this many errors and duplicates; the counts are always complete. */
export const REPORT_LIMIT = 10_000;

const targets: Partial<Record<ImportEntity, ImportTarget>> = { company: companyImport, person: personImport };

/** Registers another entity's import (persons register theirs beside their use cases). */
export function registerImportTarget(target: ImportTarget) {
  targets[target.entity] = target;
}

/** The import target of an entity, if it can be imported. */
export const importTargetOf = (entity: string): ImportTarget | undefined => targets[entity as ImportEntity];

function targetOf(entity: string): ImportTarget {
  const t = targets[entity as ImportEntity];
  if (!t) throw validationProblem([{ path: 'entity', message: `must be one of ${Object.keys(targets).join(', ')}` }]);
  return t;
}

interface JobRow {
  id: string;
  entity: ImportEntity;
  status: ImportStatus;
  file_name: string | null;
  format: FileFormat;
  encoding: TextEncoding | null;
  delimiter: string | null;
  size_bytes: string;
  created_by: string;
  principal: Principal;
  mapping: Record<string, string | null>;
  columns: (string | null)[];
  file_errors: { row: 0; column: string; message: string }[];
  on_duplicate: OnDuplicate | null;
  rows: number;
  processed: number;
  valid: number;
  created: number;
  updated: number;
  undone: number;
  attempts: number;
  failure: string | null;
  failed_in: ImportStatus | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/** Anyone who may write companies or persons may import them. */
export function requireImportRole(who: Principal) {
  if (!hasRole(who, Roles.admin, Roles.director, Roles.manager, Roles.sales, Roles.marketing)) throw cannotImport();
}

/** An import the principal may see: their own, or any for an admin; otherwise 404. */
async function visibleJob(em: EntityManager, who: Principal, id: string): Promise<JobRow> {
  const [job] = await em.execute<JobRow[]>(`select * from partners.import_job where id = ?`, [id]);
  if (!job || (job.created_by !== who.id && !hasRole(who, Roles.admin))) throw importNotFound();
  return job;
}

/** One part of a multipart upload, as @fastify/multipart hands it over. */
export type UploadPart =
  | { type: 'field'; fieldname: string; value: unknown }
  | { type: 'file'; fieldname: string; filename: string; file: AsyncIterable<Buffer> & { truncated?: boolean } };

/**
 * A body that is not readable multipart (no body, no boundary, cut off, malformed headers) is the client's
 * 400 naming the body; our own problems, the multipart plugin's 4xx (too many parts) and database errors pass.
 */
function unreadableUpload(err: unknown): unknown {
  if (err instanceof ProblemError || err instanceof DriverException) return err;
  const status = (err as { statusCode?: number })?.statusCode;
  if (status !== undefined && status < 500) return err;
  const message = err instanceof Error ? err.message : String(err);
  return /multipart|boundary|unexpected end|malformed|part/i.test(message)
    ? validationProblem([{ path: '(body)', message: `is not a readable multipart/form-data body with the fields entity and file (${message})` }])
    : err;
}

const isTooLarge = (err: unknown) => (err as { code?: string })?.code === 'FST_REQ_FILE_TOO_LARGE' || (err as { statusCode?: number })?.statusCode === 413;

/**
 * Receives an import: the file streams into the database in 1 MB pieces while its bytes are sniffed, then the
 * job is recorded as `validating`, all in one transaction. Nothing is parsed here; the runner does that.
 */
export async function receiveImport(em: EntityManager, who: Principal, parts: AsyncIterable<UploadPart>, maxBytes: number, jobs: JobQueue): Promise<{ id: string; status: ImportStatus }> {
  requireImportRole(who);
  const id = uuidv7();
  return em.transactional(async (tx) => {
    const now = new Date();
    await tx.execute(
      `insert into partners.import_job (id, entity, status, format, size_bytes, created_by, principal, created_at, updated_at)
       values (?, '', 'receiving', '', 0, ?, ?::jsonb, ?, ?)`,
      [id, who.id, JSON.stringify(who), now, now],
    );
    const fields: Record<string, string> = {};
    let sniffed: ReturnType<UploadSniffer['finish']> | null = null;
    let fileName: string | null = null;
    let size = 0;
    try {
      for await (const part of parts) {
        if (part.type === 'field') { fields[part.fieldname] = String(part.value ?? ''); continue; }
        if (part.fieldname !== 'file' || sniffed) {
          for await (const _ of part.file) { /* a second file is drained and ignored */ }
          continue;
        }
        // only a label of the import: a NUL (which PostgreSQL refuses in text) is dropped, not a reason to refuse the file
        fileName = part.filename?.replaceAll('\u0000', '') || null;
        const sniffer = new UploadSniffer();
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        let seq = 0;
        const flush = async () => {
          if (!pendingBytes) return;
          await tx.execute(`insert into partners.import_chunk (import_id, seq, data) values (?, ?, ?)`, [id, seq++, Buffer.concat(pending)]);
          pending = [];
          pendingBytes = 0;
        };
        for await (const chunk of part.file) {
          sniffer.push(chunk);
          pending.push(chunk);
          pendingBytes += chunk.length;
          if (pendingBytes >= CHUNK_BYTES) await flush();
        }
        if (part.file.truncated) throw fileTooLarge(maxBytes);
        await flush();
        size = sniffer.size;
        sniffed = sniffer.finish();
      }
    } catch (err) {
      if (isTooLarge(err)) throw fileTooLarge(maxBytes);
      throw unreadableUpload(err);
    }
    const errors = [];
    const badText = badTextPaths(fields);
    errors.push(...badText);
    if (!IMPORT_ENTITIES.includes(fields.entity as ImportEntity)) errors.push({ path: 'entity', message: `must be one of ${IMPORT_ENTITIES.join(', ')}` });
    else if (!targets[fields.entity as ImportEntity]) errors.push({ path: 'entity', message: `importing ${fields.entity} is not available yet` });
    if (!sniffed) errors.push({ path: 'file', message: 'is required' });
    let mapping: Record<string, string | null> = {};
    if (fields.mapping && !badText.some((e) => e.path === 'mapping')) {
      try {
        const m = JSON.parse(fields.mapping) as unknown;
        if (!m || typeof m !== 'object' || Array.isArray(m) || Object.values(m).some((v) => v !== null && typeof v !== 'string')) throw new Error('shape');
        // stored as jsonb, which refuses NUL and half surrogate pairs
        if (badTextPaths(m).length) throw new Error('text');
        mapping = m as Record<string, string | null>;
      } catch {
        errors.push({ path: 'mapping', message: 'must be a JSON object of { "header": "field" }' });
      }
    }
    if (errors.length) throw validationProblem(errors);
    if (!sniffed!.format) throw unsupportedFile(sniffed!.reason ?? 'not CSV or XLSX');
    await tx.execute(
      `update partners.import_job set entity = ?, status = 'validating', file_name = ?, format = ?, encoding = ?, delimiter = ?, size_bytes = ?, mapping = ?::jsonb where id = ?`,
      [fields.entity, fileName?.slice(0, 300) ?? null, sniffed!.format, sniffed!.encoding, sniffed!.delimiter, size, JSON.stringify(mapping), id],
    );
    // the dry run is queued with the file: both commit, or neither
    await jobs.add(tx, IMPORT_TASK, { id }, { key: `import:${id}` });
    return { id, status: 'validating' as const };
  });
}

/** The uploaded bytes, read back piece by piece. */
function storedFile(orm: MikroORM, id: string): Readable {
  const em = orm.em.fork();
  return Readable.from((async function* () {
    for (let seq = 0; ; seq++) {
      const [chunk] = await em.execute<{ data: Buffer }[]>(`select data from partners.import_chunk where import_id = ? and seq = ?`, [id, seq]);
      if (!chunk) return;
      yield chunk.data;
    }
  })(), { objectMode: false });
}

/** Thrown when another run has claimed the import since (the queue handed it on): this one stops, changing nothing. */
class Superseded extends Error {}

/** An import as one run of its job holds it: the attempt it claimed, whether the process stops, the knobs. */
interface Claim {
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
async function advance(em: EntityManager, id: string, claim: Claim, set = '', bindings: unknown[] = []) {
  if (claim.aborted()) throw new JobStopped(`import ${id} handed on: the process is stopping`);
  const res = await em.execute<{ id: string }[]>(
    `update partners.import_job set updated_at = now()${set} where id = ? and attempts = ? returning id`, [...bindings, id, claim.attempt]);
  if (!res.length) throw new Superseded(`import ${id} was claimed by a later run`);
}

const pause = async (claim: Claim) => { if (claim.batchDelayMs > 0) await sleep(claim.batchDelayMs); };

/**
 * The dry run: reads the stored file as a stream, maps the header, checks each row with the entity's schema
 * and custom rules, writes rows to `import_row` 500 at a time, then marks likely duplicates in one
 * statement. Restartable: it begins again from the first row (the staging rows of a broken run are removed).
 */
async function validateImport(orm: MikroORM, job: JobRow, attempt: Claim, directory: UserDirectory): Promise<void> {
  const em = orm.em.fork();
  const target = targetOf(job.entity);
  const who = job.principal;
  await em.execute(`delete from partners.import_row where import_id = ?`, [job.id]);
  await advance(em, job.id, attempt, `, processed = 0, rows = 0, valid = 0`);
  const rules = await customRulesOf(em, job.entity);
  const bytes = storedFile(orm, job.id);
  const sheet = job.format === 'xlsx' ? await readXlsx(bytes) : await readCsv(bytes, job.encoding ?? 'utf-8', job.delimiter ?? ',');
  const columns = resolveColumns(sheet.headers, target.columns(rules), job.mapping);
  const headerByField = new Map(columns.fields.flatMap((f, i) => (f ? [[f, columns.headers[i]!] as const] : [])));
  const headerOf = (field: string) => headerByField.get(field) ?? field;
  await advance(em, job.id, attempt, `, columns = ?::jsonb, file_errors = ?::jsonb`, [JSON.stringify(columns.fields), JSON.stringify(columns.errors)]);

  let batch: { row: number; cells: Map<string, Cell> }[] = [];
  let processed = 0;
  const flush = async () => {
    if (!batch.length) return;
    await pause(attempt);
    const staged = await target.stage(em, who, rules, batch, headerOf, directory);
    await insertStaged(em, job.id, staged);
    processed += batch.length;
    const valid = staged.filter((s) => !s.errors.length).length;
    await advance(em, job.id, attempt, `, processed = ?, rows = ?, valid = valid + ?`, [processed, processed, valid]);
    batch = [];
  };
  for await (const { row, cells } of sheet.rows) {
    const byField = new Map<string, Cell>();
    let filled = false;
    columns.fields.forEach((f, i) => {
      const c = cells[i] ?? null;
      if (c !== null && String(c).trim() !== '') filled = true;
      if (f) byField.set(f, c);
    });
    if (!filled) continue;
    batch.push({ row, cells: byField });
    if (batch.length >= attempt.batchRows) await flush();
  }
  await flush();
  if (!columns.headers.some((h) => h.trim())) {
    await advance(em, job.id, attempt, `, status = 'failed', failure = ?, finished_at = now()`, ['the file has no header row']);
    return;
  }
  await em.transactional(async (tx) => {
    // the same record updated twice in one file: only the first row may
    await tx.execute(
      `update partners.import_row r set errors = r.errors || jsonb_build_array(jsonb_build_object('column', ?::text, 'message', 'the same record as row ' || f.first))
         from (select row, min(row) over (partition by target_id) as first from partners.import_row where import_id = ? and target_id is not null) f
        where r.import_id = ? and r.row = f.row and f.row <> f.first`,
      [headerOf('id'), job.id, job.id],
    );
    const dup = target.duplicatesSql(job.id, who);
    await tx.execute(dup.sql, dup.bindings);
    await tx.execute(`delete from partners.import_chunk where import_id = ?`, [job.id]);
    const [counts] = await tx.execute<{ rows: number; valid: number }[]>(
      `select count(*)::int as rows, count(*) filter (where errors = '[]'::jsonb)::int as valid from partners.import_row where import_id = ?`, [job.id]);
    await advance(tx, job.id, attempt, `, status = 'validated', rows = ?, valid = ?, finished_at = now()`, [counts!.rows, counts!.valid]);
  });
}

async function insertStaged(em: EntityManager, importId: string, rows: StagedRow[]) {
  if (!rows.length) return;
  const records = rows.map((r) => ({
    row: r.row, input: r.input, errors: r.errors, target_id: r.targetId ?? null, tax_key: r.taxKey ?? null, reg_key: r.regKey ?? null,
    name_key: r.nameKey ?? null, email_key: r.emailKey ?? null, company_id: r.companyId ?? null, ext_system: r.extSystem ?? null, ext_key: r.extKey ?? null,
  }));
  await em.execute(
    `insert into partners.import_row (import_id, row, input, errors, target_id, tax_key, reg_key, name_key, email_key, company_id, ext_system, ext_key)
     select ?, x.row, x.input, x.errors, x.target_id, x.tax_key, x.reg_key, x.name_key, x.email_key, x.company_id, x.ext_system, x.ext_key
       from jsonb_to_recordset(?::jsonb) as x(row int, input jsonb, errors jsonb, target_id uuid, tax_key text, reg_key text, name_key text, email_key text, company_id uuid, ext_system text, ext_key text)`,
    [importId, JSON.stringify(records)],
  );
}

/**
 * `validated` → `committing`, and the commit job queued in the same transaction; the job then writes the rows. A
 * commit that failed (`failed` in `committing`) is retried the same way: it carries on with the rows not yet
 * written, with the duplicate choice it was started with. Only the import's creator or an admin.
 */
export async function startCommit(em: EntityManager, who: Principal, id: string, onDuplicate: OnDuplicate, jobs: JobQueue): Promise<{ id: string; status: ImportStatus }> {
  const job = await visibleJob(em, who, id);
  return em.transactional(async (tx) => {
    const [moved] = await tx.execute<{ id: string }[]>(
      `update partners.import_job set status = 'committing', principal = ?::jsonb, failure = null, failed_in = null, updated_at = now(), finished_at = null,
              on_duplicate = case when status = 'validated' then ? else on_duplicate end,
              processed = case when status = 'validated' then 0 else processed end
        where id = ? and (status = 'validated' or (status = 'failed' and failed_in = 'committing')) returning id`,
      [JSON.stringify(who), onDuplicate, id],
    );
    if (!moved) throw importStateConflict(job.status, 'committed', job.status === 'failed' ? 'validated (or failed while committing)' : 'validated');
    await jobs.add(tx, IMPORT_TASK, { id }, { key: `import:${id}` });
    return { id, status: 'committing' as const };
  });
}

/**
 * Writes the rows, 500 per transaction, through the entity's use cases (audit, events, ownership). Each
 * transaction also records what it did with each of its rows, so a crash leaves every row either done and
 * recorded or untouched; a resumed commit carries on with the rows not yet done.
 */
async function commitImport(orm: MikroORM, job: JobRow, attempt: Claim, directory: UserDirectory): Promise<void> {
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

/**
 * `committed` → `undoing`, and the undo job queued in the same transaction; the job then removes what was created
 * and restores what was updated. An undo that failed (`failed` in `undoing`) is retried the same way: it carries on
 * with the rows not yet undone.
 */
export async function startUndo(em: EntityManager, who: Principal, id: string, jobs: JobQueue): Promise<{ id: string; status: ImportStatus }> {
  const job = await visibleJob(em, who, id);
  return em.transactional(async (tx) => {
    const [moved] = await tx.execute<{ id: string }[]>(
      `update partners.import_job set status = 'undoing', principal = ?::jsonb, failure = null, failed_in = null, updated_at = now(), finished_at = null,
              processed = case when status = 'committed' then 0 else processed end
        where id = ? and (status = 'committed' or (status = 'failed' and failed_in = 'undoing')) returning id`,
      [JSON.stringify(who), id],
    );
    if (!moved) throw importStateConflict(job.status, 'undone', job.status === 'failed' ? 'committed (or failed while undoing)' : 'committed');
    await jobs.add(tx, IMPORT_TASK, { id }, { key: `import:${id}` });
    return { id, status: 'undoing' as const };
  });
}

/**
 * Undoes a commit, newest row first, 500 per transaction: a created record is deleted, an updated one put back
 * as it was — unless it changed since the import (its version is no longer the one the import left), in
 * which case it is left alone and listed as a conflict.
 */
async function undoImport(orm: MikroORM, job: JobRow, attempt: Claim, directory: UserDirectory): Promise<void> {
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

/** What the report may say about a failed dry run: the parser's words about the file, never SQL or internals. */
function readFailure(err: unknown): string {
  if (err instanceof DriverException) return 'the file could not be checked because of an internal error; it is in the service log';
  // the user directory was unreachable for the owner column: nothing is wrong with the file
  if (err instanceof ProblemError) return `the file could not be checked: ${err.detail ?? err.title}`;
  return `the file could not be read: ${(err as Error).message}`.slice(0, 1000);
}


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

/** The queue's task that runs an import's current step: the dry run, the commit or the undo. */
export const IMPORT_TASK = 'imports.run';

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
