import { applyCustomValues, fieldErrors, ProblemError, visibilityCondition, visibilityScope, type Principal } from '@kapocs/kit';
import { addEmployment } from '../employments/employments.service';
import { personColumnOfPath, personColumns, personInputOf } from '../persons/persons.columns';
import { createPersonSchema, patchPersonSchema } from '@kapocs/contracts';
import { createPerson, deletePerson, findVisiblePerson, updatePerson } from '../persons/persons.service';
import type { PersonEntity } from '../persons/person.entity';
import type { CommitOutcome, ImportTarget, StagedRow, UndoOutcome } from './import-target';
import { applyOwnerCell, judgeRowOwnership, lookUpOwnerCells, ownerFactsOfRows } from './owner-column';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The person's own fields as the import found them, for undo. */
type PersonSnapshot = Record<'familyName' | 'givenName' | 'title' | 'position' | 'emails' | 'phones' | 'ownerId' | 'departmentId' | 'custom', unknown>;
const snapshotOf = (p: PersonEntity): PersonSnapshot => ({
  familyName: p.familyName, givenName: p.givenName, title: p.title ?? null, position: p.position ?? null, emails: p.emails, phones: p.phones,
  ownerId: p.ownerId, departmentId: p.departmentId ?? null, custom: p.custom,
});

const problemMessage = (err: ProblemError) => (err.errors?.length ? err.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : err.detail ?? err.title);
const today = () => new Date().toISOString().slice(0, 10);
const visibleSql = (who: Principal, alias: string) => {
  const v = visibilityCondition(visibilityScope(who), { owner: `${alias}.owner_id`, department: `${alias}.department_id` });
  return { sql: v ? ` and ${v.sql}` : '', bindings: v?.bindings ?? [] };
};

/**
 * Persons as an import target: the person API's schemas and use cases; a company column (its id or tax number)
 * adds a current employment there and makes "same name at the same company" a duplicate.
 */
export const personImport: ImportTarget = {
  entity: 'person',
  columns: personColumns,

  async stage(em, who, rules, rows, headerOf, directory) {
    const parsed = rows.map((r) => ({ row: r.row, ...personInputOf(r.cells, rules) }));
    const owners = await lookUpOwnerCells(directory, parsed.map((p) => p.owner));
    const facts = await ownerFactsOfRows(directory, who, owners, parsed);
    const ids = [...new Set(parsed.map((p) => p.targetId).filter((id): id is string => !!id && UUID_RE.test(id)))];
    const existing = new Map<string, { custom: Record<string, unknown>; owner_id: string }>();
    if (ids.length) {
      const v = visibleSql(who, 'p');
      for (const p of await em.execute<{ id: string; custom: Record<string, unknown>; owner_id: string }[]>(
        `select p.id, p.custom, p.owner_id from partners.person p where p.id = any(?::uuid[]) and p.deleted_at is null${v.sql}`, [`{${ids.join(',')}}`, ...v.bindings])) existing.set(p.id, p);
    }
    // the companies rows name, by id or tax number, among those the importer may see
    const companyIds = [...new Set(parsed.map((p) => p.company?.id).filter((id): id is string => !!id && UUID_RE.test(id)))];
    const taxNumbers = [...new Set(parsed.map((p) => p.company?.taxNumber).filter((t): t is string => !!t))];
    const byId = new Set<string>();
    const byTax = new Map<string, string>();
    if (companyIds.length || taxNumbers.length) {
      const v = visibleSql(who, 'c');
      for (const c of await em.execute<{ id: string; tax_number: string | null }[]>(
        `select c.id, c.tax_number from partners.company c where (c.id = any(?::uuid[]) or c.tax_number = any(?::text[])) and c.deleted_at is null${v.sql}`,
        [`{${companyIds.join(',')}}`, `{${taxNumbers.map((t) => `"${t.replace(/["\\]/g, '')}"`).join(',')}}`, ...v.bindings],
      )) {
        byId.add(c.id);
        if (c.tax_number && !byTax.has(c.tax_number)) byTax.set(c.tax_number, c.id);
      }
    }
    return parsed.map((p): StagedRow => {
      const errors: { column: string; message: string }[] = [];
      const add = (path: string, message: string) => {
        const column = headerOf(personColumnOfPath(path));
        if (!errors.some((e) => e.column === column && e.message === message)) errors.push({ column, message });
      };
      const ownerFrom = applyOwnerCell(p, owners, p.targetId ? existing.get(p.targetId)?.owner_id : undefined, add);
      const staged: StagedRow = { row: p.row, input: p.input, errors };
      if (p.targetId !== undefined) {
        const current = UUID_RE.test(p.targetId) ? existing.get(p.targetId) : undefined;
        if (!UUID_RE.test(p.targetId)) add('id', 'must be the id (UUID) of a person');
        else if (!current) add('id', 'no person with this id is visible to you');
        else staged.targetId = p.targetId;
        const r = patchPersonSchema.safeParse(p.input);
        if (!r.success) for (const e of fieldErrors(r.error)) add(e.path, e.message);
        if (current && p.input.custom) {
          for (const e of applyCustomValues(rules, p.input.custom as Record<string, unknown>, { mode: 'patch', existing: current.custom }).errors) add(e.path, e.message);
        }
      } else {
        const r = createPersonSchema.safeParse(p.input);
        if (!r.success) for (const e of fieldErrors(r.error)) add(e.path, e.message);
        for (const e of applyCustomValues(rules, p.input.custom as Record<string, unknown> | undefined, { mode: 'create' }).errors) add(e.path, e.message);
        if (p.company) {
          const companyId = p.company.id ?? (p.company.taxNumber ? byTax.get(p.company.taxNumber) : undefined);
          if (p.company.id && (!UUID_RE.test(p.company.id) || !byId.has(p.company.id))) add('companyId', 'no company with this id is visible to you');
          else if (!companyId) add('companyTaxNumber', 'no company with this tax number is visible to you');
          else {
            staged.companyId = companyId;
            staged.input = { ...p.input, $employment: { companyId, ...(p.company.role ? { role: p.company.role } : {}) } };
          }
        }
        if (r.success) {
          staged.nameKey = `${r.data.familyName} ${r.data.givenName}`;
          staged.emailKey = r.data.emails[0]?.address.toLowerCase() ?? null;
        }
      }
      if (ownerFrom && typeof p.input.ownerId === 'string') {
        // an update row is judged against the record's owner (keeping it is no change); the department does not decide a refusal
        const current = p.targetId ? existing.get(p.targetId) : undefined;
        judgeRowOwnership(who, 'person', p.input.ownerId, current ? { ownerId: current.owner_id, departmentId: null } : undefined, facts, (m) => add(ownerFrom, m));
      }
      return staged;
    });
  },

  duplicatesSql(importId, who) {
    const v = visibleSql(who, 'p');
    const sql = `
      with v as (
        select row, email_key, partners.search_text(name_key) as name_key, company_id
          from partners.import_row where import_id = ? and errors = '[]'::jsonb and target_id is null),
      emails as (
        select p.id, lower(e->>'address') as email from partners.person p, jsonb_array_elements(p.emails) e where p.deleted_at is null${v.sql}),
      m as (
        select v.row, x.id as match_id, null::int as match_row, 'email' as reason, 1 as prio from v join emails x on x.email = v.email_key
        union all
        select v.row, p.id, null, 'nameAndCompany', 2 from v
          join partners.employment e on e.company_id = v.company_id and e.deleted_at is null and (e.to_date is null or e.to_date >= current_date)
          join partners.person p on p.id = e.person_id and p.deleted_at is null and partners.search_text(p.family_name || ' ' || p.given_name) = v.name_key${v.sql}
        union all
        select row, null, first, 'email', 11 from (select row, min(row) over (partition by email_key) as first from v where email_key is not null) t where row <> first
        union all
        select row, null, first, 'nameAndCompany', 12 from (select row, min(row) over (partition by name_key, company_id) as first from v where company_id is not null) t where row <> first
      ),
      d as (
        select row, jsonb_agg(jsonb_build_object('matchId', match_id, 'matchRow', match_row, 'reason', reason) order by prio, match_id, match_row) as list
          from (select distinct on (row, match_id, match_row) * from m order by row, match_id, match_row, prio) u group by row)
      update partners.import_row r set duplicates = d.list from d where r.import_id = ? and r.row = d.row`;
    return { sql, bindings: [importId, ...v.bindings, ...v.bindings, importId] };
  },

  async commitBatch(tx, who, rows, policy, owners) {
    const out = new Map<number, CommitOutcome>();
    for (const r of rows) {
      if (r.errors.length) { out.set(r.row, { action: 'skipped', outcome: { reason: 'invalid' } }); continue; }
      const existing = r.duplicates.find((d) => d.matchId);
      const inFile = r.duplicates.find((d) => d.matchRow);
      const updateOf = r.targetId ?? (policy === 'update' ? existing?.matchId ?? null : null);
      if (!updateOf && (existing || inFile) && policy !== 'create') {
        out.set(r.row, { action: 'skipped', outcome: { reason: 'duplicate', ...(existing ? { matchId: existing.matchId } : { matchRow: inFile!.matchRow }) } });
        continue;
      }
      const { $employment, ...input } = r.input as Record<string, unknown> & { $employment?: { companyId: string; role?: string } };
      try {
        if (updateOf) {
          const current = await findVisiblePerson(tx, who, updateOf, true);
          const before = snapshotOf(current);
          const versionBefore = current.version;
          const after = await updatePerson(tx, who, updateOf, current.version, patchPersonSchema.parse(input), owners);
          out.set(r.row, after.version === versionBefore
            ? { action: 'unchanged', recordId: updateOf, versionBefore, versionAfter: after.version }
            : { action: 'updated', recordId: updateOf, versionBefore, versionAfter: after.version, before });
        } else {
          const person = await createPerson(tx, who, createPersonSchema.parse(input), owners);
          let version = person.version;
          if ($employment) version = (await addEmployment(tx, who, person.id, { companyId: $employment.companyId, from: today(), ...($employment.role ? { role: $employment.role } : {}) })).person.version;
          out.set(r.row, { action: 'created', recordId: person.id, versionAfter: version });
        }
      } catch (err) {
        // the directory unreachable: the batch is not written and the commit resumes later
        if (!(err instanceof ProblemError) || err.status === 503) throw err;
        out.set(r.row, { action: 'failed', ...(updateOf ? { recordId: updateOf } : {}), outcome: { message: problemMessage(err) } });
      }
    }
    return out;
  },

  async undoBatch(tx, who, rows, owners) {
    const out = new Map<number, UndoOutcome>();
    if (!rows.length) return out;
    const current = new Map((await tx.execute<{ id: string; version: number; deleted_at: Date | null }[]>(
      `select id, version, deleted_at from partners.person where id = any(?::uuid[]) order by id for update`, [`{${rows.map((r) => r.recordId).join(',')}}`],
    )).map((p) => [p.id, p]));
    for (const r of rows) {
      const now = current.get(r.recordId);
      if (!now || now.deleted_at) { out.set(r.row, { undo: 'conflict', reason: 'deleted since the import' }); continue; }
      if (now.version !== r.versionAfter) { out.set(r.row, { undo: 'conflict', reason: `changed since the import (version ${now.version}, the import left version ${r.versionAfter})` }); continue; }
      try {
        if (r.action === 'created') await deletePerson(tx, who, r.recordId, r.versionAfter);
        else {
          const person = await findVisiblePerson(tx, who, r.recordId, true);
          const before = r.before as PersonSnapshot;
          const custom: Record<string, unknown> = { ...(before.custom as Record<string, unknown>) };
          for (const k of Object.keys(person.custom)) if (!(k in custom)) custom[k] = null;
          await updatePerson(tx, who, r.recordId, r.versionAfter, { ...before, custom } as never, owners);
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
