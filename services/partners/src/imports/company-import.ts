import { applyCustomValues, fieldErrors, ProblemError, visibilityCondition, visibilityScope } from '@kapocs/kit';
import { companyColumnOfPath, companyColumns, companyInputOf } from '../companies/companies.columns';
import { companyNumberErrors, createCompanySchema, patchCompanySchema, type CompanyDto } from '@kapocs/contracts';
import { createCompanies, deleteCompany, findVisibleCompany, toCompanyDto, updateCompany } from '../companies/companies.service';
import type { CommitOutcome, ImportTarget, RowToCommit, StagedRow, UndoOutcome } from './import-target';
import { applyOwnerCell, judgeRowOwnership, lookUpOwnerCells, ownerFactsOfRows } from './owner-column';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const EDITABLE = ['name', 'legalForm', 'kind', 'status', 'taxNumber', 'registrationNumber', 'country', 'industry', 'size', 'website',
  'emails', 'phones', 'addresses', 'groupId', 'ownerId', 'departmentId'] as const;

/** The patch that puts a company back as `before` showed it (custom keys added since are removed). */
function restorePatch(before: CompanyDto, now: CompanyDto): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const k of EDITABLE) patch[k] = before[k];
  const custom: Record<string, unknown> = { ...before.custom };
  for (const k of Object.keys(now.custom)) if (!(k in before.custom)) custom[k] = null;
  patch.custom = custom;
  return patch;
}

/**
 * On an update, a row's address columns (postal code, city, street) edit the company's first address: its kind and
 * country and the company's other addresses stay, so an export (which carries the first address) re-imports as it was.
 */
function withFirstAddress(current: CompanyDto['addresses'], given: CompanyDto['addresses'] | undefined): CompanyDto['addresses'] | undefined {
  const [row] = given ?? [];
  const [first, ...rest] = current;
  if (!row || !first) return given;
  return [{ ...first, postalCode: row.postalCode, city: row.city, street: row.street }, ...rest];
}

const problemMessage = (err: ProblemError) => (err.errors?.length ? err.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : err.detail ?? err.title);

/** Companies as an import target: the API's schemas, custom rules and use cases, row by row. */
export const companyImport: ImportTarget = {
  entity: 'company',
  columns: companyColumns,

  async stage(em, who, rules, rows, headerOf, directory) {
    const parsed = rows.map((r) => ({ row: r.row, ...companyInputOf(r.cells, rules) }));
    const owners = await lookUpOwnerCells(directory, parsed.map((p) => p.owner));
    const facts = await ownerFactsOfRows(directory, who, owners, parsed);
    const ids = [...new Set(parsed.map((p) => p.targetId).filter((id): id is string => !!id && UUID_RE.test(id)))];
    const existing = new Map<string, { kind: string; country: string; custom: Record<string, unknown>; tax_number: string | null; registration_number: string | null; owner_id: string }>();
    if (ids.length) {
      const visible = visibilityCondition(visibilityScope(who), { owner: 'c.owner_id', department: 'c.department_id' });
      const found = await em.execute<{ id: string; kind: string; country: string; custom: Record<string, unknown>; tax_number: string | null; registration_number: string | null; owner_id: string }[]>(
        `select c.id, c.kind, c.country, c.custom, c.tax_number, c.registration_number, c.owner_id from partners.company c
          where c.id = any(?::uuid[]) and c.deleted_at is null${visible ? ` and ${visible.sql}` : ''}`,
        [`{${ids.join(',')}}`, ...(visible?.bindings ?? [])],
      );
      for (const c of found) existing.set(c.id, c);
    }
    return parsed.map((p): StagedRow => {
      const errors: { column: string; message: string }[] = [];
      const add = (path: string, message: string) => {
        const column = headerOf(companyColumnOfPath(path));
        if (!errors.some((e) => e.column === column && e.message === message)) errors.push({ column, message });
      };
      const ownerFrom = applyOwnerCell(p, owners, p.targetId ? existing.get(p.targetId)?.owner_id : undefined, add);
      const staged: StagedRow = { row: p.row, input: p.input, errors };
      if (p.targetId !== undefined) {
        const current = UUID_RE.test(p.targetId) ? existing.get(p.targetId) : undefined;
        if (!UUID_RE.test(p.targetId)) add('id', 'must be the id (UUID) of a company');
        else if (!current) add('id', 'no company with this id is visible to you');
        else staged.targetId = p.targetId;
        const r = patchCompanySchema.safeParse(p.input);
        if (!r.success) for (const e of fieldErrors(r.error)) add(e.path, e.message);
        if (current) {
          const merged = { country: current.country, taxNumber: current.tax_number, registrationNumber: current.registration_number, ...(r.success ? r.data : {}) };
          for (const e of companyNumberErrors(merged)) add(e.path, e.message);
          const kind = typeof p.input.kind === 'string' ? p.input.kind : current.kind;
          if (p.input.custom || kind !== current.kind) {
            for (const e of applyCustomValues(rules, p.input.custom as Record<string, unknown> | undefined, { mode: 'patch', subtype: kind, existing: current.custom }).errors) add(e.path, e.message);
          }
        }
      } else {
        const r = createCompanySchema.safeParse(p.input);
        if (!r.success) {
          for (const e of fieldErrors(r.error)) add(e.path, e.message);
          // the schema checks the numbers only once the rest is valid; the row's report names everything at once
          const raw = p.input as { country?: string; taxNumber?: string; registrationNumber?: string };
          for (const e of companyNumberErrors({ country: typeof raw.country === 'string' ? raw.country.toUpperCase() : 'HU', taxNumber: raw.taxNumber ?? null, registrationNumber: raw.registrationNumber ?? null })) add(e.path, e.message);
        }
        const subtype = typeof p.input.kind === 'string' ? p.input.kind : null;
        for (const e of applyCustomValues(rules, p.input.custom as Record<string, unknown> | undefined, { mode: 'create', subtype }).errors) add(e.path, e.message);
        if (r.success) {
          staged.taxKey = r.data.taxNumber ?? null;
          staged.regKey = r.data.registrationNumber ?? null;
          staged.nameKey = r.data.name;
        }
      }
      if (ownerFrom && typeof p.input.ownerId === 'string') {
        // an update row is judged against the record's owner (keeping it is no change); the department does not decide a refusal
        const current = p.targetId ? existing.get(p.targetId) : undefined;
        judgeRowOwnership(who, 'company', p.input.ownerId, current ? { ownerId: current.owner_id, departmentId: null } : undefined, facts, (m) => add(ownerFrom, m));
      }
      if ((p.externalSystem === undefined) !== (p.externalId === undefined)) add(p.externalSystem === undefined ? 'externalSystem' : 'externalId', 'external system and external id go together');
      else if (p.externalSystem !== undefined && errors.length === 0) { staged.extSystem = p.externalSystem; staged.extKey = p.externalId!; }
      return staged;
    });
  },

  duplicatesSql(importId, who) {
    const visible = visibilityCondition(visibilityScope(who), { owner: 'c.owner_id', department: 'c.department_id' });
    const vis = visible ? ` and ${visible.sql}` : '';
    const vb = visible?.bindings ?? [];
    // likely duplicates of the valid new rows: existing visible companies first, then earlier rows of the same file
    const sql = `
      with v as (
        select row, tax_key, reg_key, partners.search_text(name_key) as name_key, ext_system, ext_key
          from partners.import_row where import_id = ? and errors = '[]'::jsonb and target_id is null),
      m as (
        select v.row, c.id as match_id, null::int as match_row, 'taxNumber' as reason, 1 as prio from v join partners.company c on c.tax_number = v.tax_key and c.deleted_at is null${vis}
        union all
        select v.row, c.id, null, 'registrationNumber', 2 from v join partners.company c on c.registration_number = v.reg_key and c.deleted_at is null${vis}
        union all
        select v.row, c.id, null, 'externalId', 0 from v join partners.external_id x on x.entity = 'company' and x.system = v.ext_system and x.external_id = v.ext_key
          join partners.company c on c.id = x.internal_id and c.deleted_at is null${vis}
        union all
        select v.row, c.id, null, 'name', 3 from v join partners.company c on partners.search_text(c.name) = v.name_key and c.deleted_at is null${vis}
        union all
        select row, null, first, 'taxNumber', 11 from (select row, tax_key, min(row) over (partition by tax_key) as first from v where tax_key is not null) t where row <> first
        union all
        select row, null, first, 'registrationNumber', 12 from (select row, min(row) over (partition by reg_key) as first from v where reg_key is not null) t where row <> first
        union all
        select row, null, first, 'externalId', 10 from (select row, min(row) over (partition by ext_system, ext_key) as first from v where ext_key is not null) t where row <> first
        union all
        select row, null, first, 'name', 13 from (select row, min(row) over (partition by name_key) as first from v where name_key is not null) t where row <> first
      ),
      d as (
        select row, jsonb_agg(jsonb_build_object('matchId', match_id, 'matchRow', match_row, 'reason', reason) order by prio, match_id, match_row) as list
          from (select distinct on (row, match_id, match_row) * from m order by row, match_id, match_row, prio) u group by row)
      update partners.import_row r set duplicates = d.list from d where r.import_id = ? and r.row = d.row`;
    const bindings = [importId, ...vb, ...vb, ...vb, ...vb, importId];
    return { sql, bindings };
  },

  async commitBatch(tx, who, rows, policy, owners) {
    const out = new Map<number, CommitOutcome>();
    const creates: RowToCommit[] = [];
    const updates: { row: RowToCommit; id: string }[] = [];
    for (const r of rows) {
      if (r.errors.length) { out.set(r.row, { action: 'skipped', outcome: { reason: 'invalid' } }); continue; }
      if (r.targetId) { updates.push({ row: r, id: r.targetId }); continue; }
      const existing = r.duplicates.find((d) => d.matchId);
      const inFile = r.duplicates.find((d) => d.matchRow);
      if ((existing || inFile) && policy !== 'create') {
        if (policy === 'update' && existing) updates.push({ row: r, id: existing.matchId! });
        else out.set(r.row, { action: 'skipped', outcome: { reason: 'duplicate', ...(existing ? { matchId: existing.matchId } : { matchRow: inFile!.matchRow }) } });
        continue;
      }
      creates.push(r);
    }

    const valid: { row: RowToCommit; input: ReturnType<typeof createCompanySchema.parse> }[] = [];
    for (const r of creates) {
      const parsed = createCompanySchema.safeParse(r.input);
      if (parsed.success) valid.push({ row: r, input: parsed.data });
      else out.set(r.row, { action: 'failed', outcome: { message: fieldErrors(parsed.error).map((e) => `${e.path}: ${e.message}`).join('; ') } });
    }
    if (valid.length) {
      const results = await createCompanies(tx, who, valid.map((v) => v.input), owners);
      results.forEach((res, i) => {
        const row = valid[i]!.row.row;
        if (res instanceof ProblemError) out.set(row, { action: 'failed', outcome: { message: problemMessage(res) } });
        else out.set(row, { action: 'created', recordId: res.id, versionAfter: res.version });
      });
    }

    if (updates.length) {
      await tx.execute(`select id from partners.company where id = any(?::uuid[]) order by id for update`, [`{${updates.map((u) => u.id).join(',')}}`]);
    }
    for (const { row, id } of updates) {
      try {
        const current = await findVisibleCompany(tx, who, id);
        const before = toCompanyDto(current);
        const patch = patchCompanySchema.parse(row.input);
        if (patch.addresses) patch.addresses = withFirstAddress(before.addresses, patch.addresses);
        const after = await updateCompany(tx, who, id, current.version, patch, owners);
        out.set(row.row, after.version === before.version
          ? { action: 'unchanged', recordId: id, versionBefore: before.version, versionAfter: after.version }
          : { action: 'updated', recordId: id, versionBefore: before.version, versionAfter: after.version, before });
      } catch (err) {
        // the directory unreachable: the batch is not written and the commit resumes later
        if (!(err instanceof ProblemError) || err.status === 503) throw err;
        out.set(row.row, { action: 'failed', recordId: id, outcome: { message: problemMessage(err) } });
      }
    }
    return out;
  },

  async undoBatch(tx, who, rows, owners) {
    const out = new Map<number, UndoOutcome>();
    if (!rows.length) return out;
    const current = new Map((await tx.execute<{ id: string; version: number; deleted_at: Date | null }[]>(
      `select id, version, deleted_at from partners.company where id = any(?::uuid[]) order by id for update`, [`{${rows.map((r) => r.recordId).join(',')}}`],
    )).map((c) => [c.id, c]));
    for (const r of rows) {
      const now = current.get(r.recordId);
      if (!now || now.deleted_at) { out.set(r.row, { undo: 'conflict', reason: 'deleted since the import' }); continue; }
      if (now.version !== r.versionAfter) { out.set(r.row, { undo: 'conflict', reason: `changed since the import (version ${now.version}, the import left version ${r.versionAfter})` }); continue; }
      try {
        if (r.action === 'created') await deleteCompany(tx, who, r.recordId, r.versionAfter);
        else {
          const company = await findVisibleCompany(tx, who, r.recordId);
          await updateCompany(tx, who, r.recordId, r.versionAfter, restorePatch(r.before as CompanyDto, toCompanyDto(company)) as never, owners);
        }
        out.set(r.row, { undo: 'undone' });
      } catch (err) {
        if (!(err instanceof ProblemError) || err.status === 503) throw err;
        out.set(r.row, { undo: 'conflict', reason: problemMessage(err) });
      }
    }
    return out;
  },
};

