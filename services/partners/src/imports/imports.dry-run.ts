import { Readable } from 'node:stream';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { customRulesOf, type UserDirectory } from '@kapocs/kit';
import { resolveColumns, type Cell } from './columns';
import { targetOf, type JobRow } from './import-job';
import type { StagedRow } from './import-target';
import { advance, pause, type Claim } from './imports.claim';
import { readCsv, readXlsx } from './spreadsheet';

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

/**
 * The dry run: reads the stored file as a stream, maps the header, checks each row with the entity's schema
 * and custom rules, writes rows to `import_row` 500 at a time, then marks likely duplicates in one
 * statement. Restartable: it begins again from the first row (the staging rows of a broken run are removed).
 */
export async function validateImport(orm: MikroORM, job: JobRow, attempt: Claim, directory: UserDirectory): Promise<void> {
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
