import type { EntityManager } from '@mikro-orm/postgresql';
import { type CombinedEmploymentDto, type EmploymentEventData, type EventScope, type MergeInput, PartnersEvents, Roles } from '@kapocs/contracts';
import {
  assertVersion, diffFields, hasRole, pgArray, ProblemError, recordAudit, recordEvent, visibilityCondition, visibilityScope, type FieldChanges, type Principal,
} from '@kapocs/kit';
import { findVisibleCompany, toCompanyDto, toEventData as toCompanyEventData } from '../companies/companies.service';
import type { CompanyEntity } from '../companies/company.entity';
import { today } from '../employments/employment-views';
import { recordOwnerChanged } from '../owners/owner-events';
import type { PersonEntity } from '../persons/person.entity';
import { findVisiblePerson, personScopeOf, toPersonEventData } from '../persons/persons.service';
import { managerOutsideDepartments, mayNotMerge, mergedAway, sameRecord, versionsRequired } from './merge.problems';
import { changedFields, planConsolidation, type Combination, type Stint } from './employment-consolidation';
import { mergeCustom, pick, unionAddresses, unionEmails, unionPhones } from './merge-rules';

type Entity = 'company' | 'person';
const TABLE: Record<Entity, string> = { company: 'partners.company', person: 'partners.person' };

/** Managers, directors and admins merge; anyone else gets 403 before anything is looked up. */
function requireMergeRole(who: Principal): void {
  if (!hasRole(who, Roles.admin, Roles.director, Roles.manager)) throw mayNotMerge();
}

/** A manager merges within their departments only (seeing a record through its owner is not enough). */
function requireMergeScope(who: Principal, records: { departmentId?: string | null }[]): void {
  if (hasRole(who, Roles.admin, Roles.director)) return;
  if (!records.every((r) => r.departmentId && who.departments.includes(r.departmentId))) throw managerOutsideDepartments();
}

function checkedVersions(input: MergeInput) {
  if (input.survivorId === input.mergedId) throw sameRecord();
  if (!input.versions) throw versionsRequired();
  return input.versions;
}

/**
 * Locks what a merge rewrites: the two records' external ids, then the two records by id. ERP sync takes the
 * mapping before the record too, so the two never wait on each other in opposite orders.
 */
async function lockForMerge(em: EntityManager, entity: Entity, ids: string[]): Promise<void> {
  await em.execute(`select 1 from partners.external_id where entity = ? and internal_id = any(?::uuid[]) order by system, external_id for update`, [entity, pgArray(ids)]);
  await em.execute(`select 1 from ${TABLE[entity]} where id = any(?::uuid[]) order by id for update`, [pgArray(ids)]);
}

/**
 * Inside a merge's transaction: locks both records, finds them as the caller sees them (404 otherwise), then
 * checks the manager's scope and both If-Match versions.
 */
async function lockPair<T extends { version: number; departmentId?: string | null }>(
  tx: EntityManager, who: Principal, entity: Entity, input: MergeInput, versions: ReturnType<typeof checkedVersions>,
  find: (em: EntityManager, who: Principal, id: string) => Promise<T>,
): Promise<{ survivor: T; merged: T }> {
  await lockForMerge(tx, entity, [input.survivorId, input.mergedId]);
  const survivor = await find(tx, who, input.survivorId);
  const merged = await find(tx, who, input.mergedId);
  requireMergeScope(who, [survivor, merged]);
  assertVersion(survivor.version, versions.survivor);
  assertVersion(merged.version, versions.merged);
  return { survivor, merged };
}

/** Points the merged record (and whatever was merged into it before) at the survivor; moves its external ids. */
async function retire(em: EntityManager, entity: Entity, mergedId: string, survivorId: string): Promise<string[]> {
  await em.execute(`update ${TABLE[entity]} set merged_into_id = ? where id = ? or merged_into_id = ?`, [survivorId, mergedId, mergedId]);
  const moved = await em.execute<{ system: string; external_id: string }[]>(
    `update partners.external_id set internal_id = ?, updated_at = now() where entity = ? and internal_id = ? returning system, external_id`,
    [survivorId, entity, mergedId],
  );
  return moved.map((m) => `${m.system}:${m.external_id}`).sort();
}

interface MovedEmployment {
  id: string; person_id: string; company_id: string; role: string | null; from_date: string; to_date: string | null; is_primary: boolean;
  deleted_at: Date | null; owner_id: string; department_id: string | null;
}

const RETURNING_EMPLOYMENT = `e.id, e.person_id, e.company_id, e.role, e.from_date::text as from_date, e.to_date::text as to_date, e.is_primary, e.deleted_at, p.owner_id, p.department_id`;

/** `partners.employment.updated` for each live employment a merge re-pointed, scoped to its person; not for those folded into another. */
function recordMovedEmployments(em: EntityManager, who: Principal, moved: MovedEmployment[], changed: string[], combined: CombinedEmployments): void {
  const folded = new Set(combined.flatMap((c) => c.removed.map((r) => r.id)));
  for (const e of moved) {
    if (e.deleted_at || folded.has(e.id)) continue;
    const data: EmploymentEventData = {
      id: e.id, personId: e.person_id, companyId: e.company_id, role: e.role, from: e.from_date, to: e.to_date, primary: e.is_primary, changed,
    };
    recordEvent(em, { type: PartnersEvents.employmentUpdated, aggregate: { type: 'employment', id: e.id }, data, scope: { ownerId: e.owner_id, departmentId: e.department_id }, actor: who });
  }
}

type CombinedEmployments = (Combination & { personId: string; scope: EventScope })[];

interface PersonEmploymentRow {
  id: string; person_id: string; company_id: string; role: string | null; from_date: string; to_date: string | null; is_primary: boolean;
  owner_id: string; department_id: string | null;
}

const snapshotOf = (s: Stint) => ({ companyId: s.companyId, role: s.role, from: s.from, to: s.to, primary: s.primary });

/**
 * After a merge moved employments, folds those that now overlap or touch at one company into one (see
 * `planConsolidation`): the kept one takes the combined period, role and flag, the others are soft-deleted.
 * Audit and events are `recordCombinedEmployments`', so they follow the merge's own.
 */
async function combineOverlappingEmployments(em: EntityManager, who: Principal, personIds: string[], movedIds: Set<string>): Promise<CombinedEmployments> {
  if (!personIds.length) return [];
  const rows = await em.execute<PersonEmploymentRow[]>(
    `select e.id, e.person_id, e.company_id, e.role, e.from_date::text as from_date, e.to_date::text as to_date, e.is_primary, p.owner_id, p.department_id
       from partners.employment e join partners.person p on p.id = e.person_id
      where e.person_id = any(?::uuid[]) and e.deleted_at is null and p.deleted_at is null
      order by e.person_id, e.id`,
    [pgArray(personIds)],
  );
  const byPerson = new Map<string, PersonEmploymentRow[]>();
  for (const r of rows) byPerson.set(r.person_id, [...(byPerson.get(r.person_id) ?? []), r]);
  const day = today();
  const out: CombinedEmployments = [];
  for (const [personId, own] of byPerson) {
    const stints: Stint[] = own.map((r) => ({
      id: r.id, companyId: r.company_id, role: r.role ?? null, from: r.from_date, to: r.to_date ?? null, primary: r.is_primary, moved: movedIds.has(r.id),
    }));
    const plan = planConsolidation(stints, day);
    for (const c of plan) {
      if (changedFields(c).length) {
        await em.execute(
          `update partners.employment set role = ?, from_date = ?::date, to_date = ?::date, is_primary = ?, updated_at = now() where id = ?`,
          [c.after.role, c.after.from, c.after.to, c.after.primary, c.kept.id],
        );
      }
      await em.execute(`update partners.employment set deleted_at = now(), updated_at = now() where id = any(?::uuid[])`, [pgArray(c.removed.map((r) => r.id))]);
    }
    const scope = { ownerId: own[0]!.owner_id, departmentId: own[0]!.department_id ?? null };
    out.push(...plan.map((c) => ({ ...c, personId, scope })));
  }
  return out;
}

/**
 * An `employments-combined` audit entry on each person concerned (the removed employments, the kept one's changed
 * fields); then per combination `partners.employment.deleted` with `mergedIntoId` for each folded employment and
 * the kept one's `partners.employment.updated` naming what changed (when anything did). A read model keyed by
 * employment id drops the folded ones and ends up with the combined period.
 */
function recordCombinedEmployments(em: EntityManager, who: Principal, combined: CombinedEmployments): void {
  const changesOf = new Map<string, FieldChanges>();
  for (const c of combined) {
    const changes = changesOf.get(c.personId) ?? {};
    for (const r of c.removed) changes[`employments.${r.id}`] = { from: snapshotOf(r), to: null };
    for (const k of changedFields(c)) changes[`employments.${c.kept.id}.${k}`] = { from: snapshotOf(c.kept)[k], to: c.after[k] };
    changesOf.set(c.personId, changes);
  }
  for (const [personId, changes] of changesOf) recordAudit(em, { entityType: 'person', entityId: personId, action: 'employments-combined', actor: who, changes });
  for (const c of combined) {
    const event = (s: Stint, rest: Partial<EmploymentEventData>) => ({
      aggregate: { type: 'employment', id: s.id }, scope: c.scope, actor: who,
      data: { id: s.id, personId: c.personId, companyId: s.companyId, role: s.role, from: s.from, to: s.to, primary: s.primary, ...rest } satisfies EmploymentEventData,
    });
    for (const r of c.removed) recordEvent(em, { type: PartnersEvents.employmentDeleted, ...event(r, { mergedIntoId: c.kept.id }) });
    const changed = changedFields(c);
    if (changed.length) recordEvent(em, { type: PartnersEvents.employmentUpdated, ...event(c.kept, { ...c.after, changed }) });
  }
}

const toCombinedDto = (combined: CombinedEmployments): CombinedEmploymentDto[] =>
  combined.map((c) => ({ id: c.kept.id, personId: c.personId, companyId: c.kept.companyId, ...c.after, combinedIds: c.removed.map((r) => r.id) }));

function auditBoth(em: EntityManager, who: Principal, entity: Entity, survivorId: string, mergedId: string, changes: FieldChanges) {
  recordAudit(em, { entityType: entity, entityId: survivorId, action: 'merged', actor: who, changes: { ...changes, mergedFrom: { from: null, to: mergedId } } });
  recordAudit(em, { entityType: entity, entityId: mergedId, action: 'merged', actor: who, changes: { mergedInto: { from: null, to: survivorId } } });
}

const ownerOf = (r: { ownerId: string; departmentId?: string | null }) => ({ ownerId: r.ownerId, departmentId: r.departmentId ?? null });

/**
 * Merges two companies (P8): the survivor takes the chosen fields, the values only the merged one has, the
 * union of e-mails, phones and addresses, its group if the survivor has none, its external ids and every
 * employment. The merged company is soft-deleted and points at the survivor. A person's employments that now
 * overlap at the survivor are combined into one. Events: `merged` (so other services re-point their links), the
 * survivor's `updated`, the employments' (moved, then combined), then the merged one's `deleted`.
 */
export async function mergeCompanies(em: EntityManager, who: Principal, input: MergeInput): Promise<{ company: CompanyEntity; combinedEmployments: CombinedEmploymentDto[] }> {
  requireMergeRole(who);
  const versions = checkedVersions(input);
  return em.transactional(async (tx) => {
    const { survivor, merged } = await lockPair(tx, who, 'company', input, versions, findVisibleCompany);

    const f = input.fields;
    const before = toCompanyDto(survivor);
    const next = {
      name: pick(f, 'name', survivor.name, merged.name),
      legalForm: pick(f, 'legalForm', survivor.legalForm ?? null, merged.legalForm ?? null),
      kind: pick(f, 'kind', survivor.kind, merged.kind),
      status: pick(f, 'status', survivor.status, merged.status),
      taxNumber: pick(f, 'taxNumber', survivor.taxNumber ?? null, merged.taxNumber ?? null),
      registrationNumber: pick(f, 'registrationNumber', survivor.registrationNumber ?? null, merged.registrationNumber ?? null),
      country: pick(f, 'country', survivor.country, merged.country),
      industry: pick(f, 'industry', survivor.industry ?? null, merged.industry ?? null),
      size: pick(f, 'size', survivor.size ?? null, merged.size ?? null),
      website: pick(f, 'website', survivor.website ?? null, merged.website ?? null),
      groupId: pick(f, 'groupId', survivor.groupId ?? null, merged.groupId ?? null),
      emails: unionEmails(survivor.emails, merged.emails),
      phones: unionPhones(survivor.phones, merged.phones),
      addresses: unionAddresses(survivor.addresses, merged.addresses),
      custom: mergeCustom(f, survivor.custom, merged.custom),
      ...(f?.ownerId === 'merged' ? ownerOf(merged) : ownerOf(survivor)),
    };
    const changes = diffFields(before, { ...before, ...next }, Object.keys(next));
    const previousOwner = ownerOf(survivor);
    const now = new Date();
    // the survivor's version moves even when no field changed: it gained ids and employments
    tx.assign(survivor, { ...next, updatedAt: now });
    merged.deletedAt = now;
    merged.updatedAt = now;
    await tx.flush();

    const movedIds = await retire(tx, 'company', merged.id, survivor.id);
    const movedEmployments = await tx.execute<MovedEmployment[]>(
      `update partners.employment e set company_id = ?, updated_at = now() from partners.person p
        where e.company_id = ? and p.id = e.person_id returning ${RETURNING_EMPLOYMENT}`,
      [survivor.id, merged.id],
    );
    // a person who worked at both companies now has two employments at the survivor: fold the overlapping ones;
    // their employments change, so, as for any employment change, the persons are locked and their version moves
    const persons = [...new Set(movedEmployments.filter((e) => !e.deleted_at).map((e) => e.person_id))].sort();
    if (persons.length) await tx.execute(`select 1 from partners.person where id = any(?::uuid[]) order by id for update`, [pgArray(persons)]);
    const combined = await combineOverlappingEmployments(tx, who, persons, new Set(movedEmployments.map((e) => e.id)));
    const combinedPersons = [...new Set(combined.map((c) => c.personId))];
    if (combinedPersons.length) {
      await tx.execute(`update partners.person set version = version + 1, updated_at = now() where id = any(?::uuid[])`, [pgArray(combinedPersons)]);
    }

    auditBoth(tx, who, 'company', survivor.id, merged.id, {
      ...changes,
      ...(movedIds.length ? { externalIds: { from: null, to: movedIds } } : {}),
      ...(movedEmployments.length ? { employments: { from: null, to: movedEmployments.map((e) => e.id) } } : {}),
    });
    const scope: EventScope = ownerOf(survivor);
    recordEvent(tx, { type: PartnersEvents.companyMerged, aggregate: { type: 'company', id: merged.id }, data: { survivorId: survivor.id, mergedId: merged.id }, scope, actor: who });
    recordEvent(tx, { type: PartnersEvents.companyUpdated, aggregate: { type: 'company', id: survivor.id }, data: toCompanyEventData(survivor, Object.keys(changes)), scope, actor: who });
    if (changes.ownerId || changes.departmentId) {
      recordOwnerChanged(tx, who, { type: PartnersEvents.companyOwnerChanged, aggregate: 'company', id: survivor.id, from: previousOwner, to: scope, version: survivor.version });
    }
    recordMovedEmployments(tx, who, movedEmployments, ['companyId'], combined);
    recordCombinedEmployments(tx, who, combined);
    recordEvent(tx, { type: PartnersEvents.companyDeleted, aggregate: { type: 'company', id: merged.id }, data: { id: merged.id, mergedIntoId: survivor.id }, scope: ownerOf(merged), actor: who });
    return { company: survivor, combinedEmployments: toCombinedDto(combined) };
  });
}

/**
 * Merges two persons (P8), like companies: chosen fields, the union of e-mails and phones, custom values the
 * survivor lacks, external ids and every employment (the survivor's current primary employer stays primary);
 * employments at one company whose periods now overlap or touch are combined into one.
 */
export async function mergePersons(em: EntityManager, who: Principal, input: MergeInput): Promise<{ person: PersonEntity; combinedEmployments: CombinedEmploymentDto[] }> {
  requireMergeRole(who);
  const versions = checkedVersions(input);
  return em.transactional(async (tx) => {
    const { survivor, merged } = await lockPair(tx, who, 'person', input, versions, findVisiblePerson);

    const f = input.fields;
    const before = { familyName: survivor.familyName, givenName: survivor.givenName, title: survivor.title ?? null, position: survivor.position ?? null,
      emails: survivor.emails, phones: survivor.phones, custom: survivor.custom, ...ownerOf(survivor) };
    const next = {
      familyName: pick(f, 'familyName', survivor.familyName, merged.familyName),
      givenName: pick(f, 'givenName', survivor.givenName, merged.givenName),
      title: pick(f, 'title', survivor.title ?? null, merged.title ?? null),
      position: pick(f, 'position', survivor.position ?? null, merged.position ?? null),
      emails: unionEmails(survivor.emails, merged.emails),
      phones: unionPhones(survivor.phones, merged.phones),
      custom: mergeCustom(f, survivor.custom, merged.custom),
      ...(f?.ownerId === 'merged' ? ownerOf(merged) : ownerOf(survivor)),
    };
    const changes = diffFields(before, next, Object.keys(next));
    const previousOwner = ownerOf(survivor);
    const now = new Date();
    tx.assign(survivor, { ...next, updatedAt: now });
    merged.deletedAt = now;
    merged.updatedAt = now;
    await tx.flush();

    const movedIds = await retire(tx, 'person', merged.id, survivor.id);
    // at most one current employment of a person is primary: the survivor's stays, if they have one
    const [primary] = await tx.execute<{ has: boolean }[]>(
      `select exists(select 1 from partners.employment where person_id = ? and deleted_at is null and is_primary and (to_date is null or to_date >= ?::date)) as has`,
      [survivor.id, today()],
    );
    const movedEmployments = await tx.execute<MovedEmployment[]>(
      `update partners.employment e set person_id = ?, is_primary = e.is_primary and not ?::boolean, updated_at = now() from partners.person p
        where e.person_id = ? and p.id = ? returning ${RETURNING_EMPLOYMENT}`,
      [survivor.id, primary?.has ?? false, merged.id, survivor.id],
    );
    // both records at the same company (the usual duplicate): fold the overlapping employments into one
    const combined = await combineOverlappingEmployments(tx, who, [survivor.id], new Set(movedEmployments.map((e) => e.id)));

    auditBoth(tx, who, 'person', survivor.id, merged.id, {
      ...changes,
      ...(movedIds.length ? { externalIds: { from: null, to: movedIds } } : {}),
      ...(movedEmployments.length ? { employments: { from: null, to: movedEmployments.map((e) => e.id) } } : {}),
    });
    const scope: EventScope = personScopeOf(survivor);
    recordEvent(tx, { type: PartnersEvents.personMerged, aggregate: { type: 'person', id: merged.id }, data: { survivorId: survivor.id, mergedId: merged.id }, scope, actor: who });
    recordEvent(tx, { type: PartnersEvents.personUpdated, aggregate: { type: 'person', id: survivor.id }, data: toPersonEventData(survivor, Object.keys(changes)), scope, actor: who });
    if (changes.ownerId || changes.departmentId) {
      recordOwnerChanged(tx, who, { type: PartnersEvents.personOwnerChanged, aggregate: 'person', id: survivor.id, from: previousOwner, to: scope, version: survivor.version });
    }
    recordMovedEmployments(tx, who, movedEmployments, primary?.has ? ['personId', 'primary'] : ['personId'], combined);
    recordCombinedEmployments(tx, who, combined);
    recordEvent(tx, { type: PartnersEvents.personDeleted, aggregate: { type: 'person', id: merged.id }, data: { id: merged.id, mergedIntoId: survivor.id }, scope: ownerOf(merged), actor: who });
    return { person: survivor, combinedEmployments: toCombinedDto(combined) };
  });
}

/** 410 with the survivor when the record was merged and the caller could see it; otherwise nothing. */
export async function throwIfMerged(em: EntityManager, who: Principal, entity: Entity, id: string): Promise<void> {
  const vis = visibilityCondition(visibilityScope(who), { owner: 't.owner_id', department: 't.department_id' });
  const [row] = await em.execute<{ merged_into_id: string }[]>(
    `select t.merged_into_id from ${TABLE[entity]} t where t.id = ? and t.merged_into_id is not null${vis ? ` and ${vis.sql}` : ''}`,
    [id, ...(vis?.bindings ?? [])],
  );
  if (row) throw mergedAway(entity, row.merged_into_id);
}

/** For `.catch` after a lookup: a 404 for a merged record becomes 410 pointing at the survivor. */
export const orGoneIfMerged = (em: EntityManager, who: Principal, entity: Entity, id: string) => async (err: unknown): Promise<never> => {
  if (err instanceof ProblemError && err.status === 404) await throwIfMerged(em, who, entity, id);
  throw err;
};
