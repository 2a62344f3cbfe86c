import { uuidv7 } from 'uuidv7';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type CreateEmploymentInput, type EmploymentDto, type EmploymentEventData, PartnersEvents, type PatchEmploymentInput, type PersonSummaryDto } from '@kapocs/contracts';
import {
  assertVersion, ProblemError, recordAudit, recordEvent, visibilityCondition, visibilityScope, visibilityWhere, type FieldChanges, type Principal,
} from '@kapocs/kit';
import { Company } from '../companies/company.entity';
import { findVisibleCompany } from '../companies/companies.service';
import type { PersonEntity } from '../persons/person.entity';
import { displayNameOf, findVisiblePerson, personScopeOf } from '../persons/persons.service';
import { Employment, type EmploymentEntity } from './employment.entity';
import { employmentsOf, isCurrent, today } from './employment-views';
import { employmentNotFound, endsBeforeStart, unknownCompany } from './employments.problems';

/**
 * Employments belong to their person: every change locks the person, is checked against the person's version
 * (If-Match carries the person's ETag), bumps it, and is audited on the person. One version for the person and
 * their employments keeps "at most one primary current employment" safe under concurrent edits.
 */

interface Snapshot { role: string | null; from: string; to: string | null; primary: boolean }
const snapshot = (e: EmploymentEntity): Snapshot => ({ role: e.role ?? null, from: e.fromDate, to: e.toDate ?? null, primary: e.isPrimary });

function toEventData(e: EmploymentEntity, changed?: string[]): EmploymentEventData {
  const data: EmploymentEventData = {
    id: e.id, personId: e.personId, companyId: e.companyId, role: e.role ?? null, from: e.fromDate, to: e.toDate ?? null, primary: e.isPrimary,
  };
  if (changed) data.changed = changed;
  return data;
}

type EmploymentEventType = (typeof PartnersEvents)['employmentStarted' | 'employmentEnded' | 'employmentUpdated' | 'employmentDeleted'];

function emit(em: EntityManager, who: Principal, person: PersonEntity, type: EmploymentEventType, e: EmploymentEntity, changed?: string[]) {
  recordEvent(em, { type, aggregate: { type: 'employment', id: e.id }, data: toEventData(e, changed), scope: personScopeOf(person), actor: who });
}

/** Setting a current employment primary takes the flag from the person's other current ones; answers those it took it from. */
function demoteOtherPrimaries(all: EmploymentEntity[], primary: EmploymentEntity, day: string, now: Date): EmploymentEntity[] {
  const demoted = all.filter((o) => o.id !== primary.id && o.isPrimary && isCurrent(o.toDate, day));
  for (const o of demoted) { o.isPrimary = false; o.updatedAt = now; }
  return demoted;
}

const demotedChanges = (demoted: EmploymentEntity[]): FieldChanges =>
  Object.fromEntries(demoted.map((o) => [`employments.${o.id}.primary`, { from: true, to: false }]));

/** A company the caller may link a person to: it exists, is not deleted and is visible; else 400 naming companyId. */
async function assertCompanyUsable(em: EntityManager, who: Principal, companyId: string) {
  const where = { id: companyId, deletedAt: null, ...visibilityWhere(visibilityScope(who), { owner: 'ownerId', department: 'departmentId' }) };
  if (!(await em.count(Company, where as never))) throw unknownCompany();
}

/** An employment whose person the caller may see, with that person (locked when writing); else 404. */
async function findVisibleEmployment(em: EntityManager, who: Principal, id: string, lock = false) {
  const employment = await em.findOne(Employment, { id, deletedAt: null });
  if (!employment) throw employmentNotFound();
  try {
    return { employment, person: await findVisiblePerson(em, who, employment.personId, lock) };
  } catch (err) {
    // the employment of a person one may not see is as unknown as the person
    if (err instanceof ProblemError && err.status === 404) throw employmentNotFound();
    throw err;
  }
}

export async function addEmployment(em: EntityManager, who: Principal, personId: string, input: CreateEmploymentInput, expectedVersion?: number) {
  return em.transactional(async (tx) => {
    const person = await findVisiblePerson(tx, who, personId, true);
    if (expectedVersion !== undefined) assertVersion(person.version, expectedVersion);
    await assertCompanyUsable(tx, who, input.companyId);
    const day = today();
    const now = new Date();
    const others = await tx.find(Employment, { personId, deletedAt: null });
    const current = isCurrent(input.to, day);
    // the first current employer of a person is their primary one unless the client says otherwise
    const primary = input.primary ?? (current && !others.some((o) => o.isPrimary && isCurrent(o.toDate, day)));
    const employment = tx.create(Employment, {
      id: uuidv7(), personId, companyId: input.companyId, role: input.role ?? null, fromDate: input.from, toDate: input.to ?? null,
      isPrimary: primary, createdAt: now, updatedAt: now, deletedAt: null,
    });
    const demoted = primary && current ? demoteOtherPrimaries(others, employment, day, now) : [];
    person.updatedAt = now;
    await tx.flush();
    recordAudit(tx, {
      entityType: 'person', entityId: personId, action: 'employment-added', actor: who,
      changes: { [`employments.${employment.id}`]: { from: null, to: { companyId: employment.companyId, ...snapshot(employment) } }, ...demotedChanges(demoted) },
    });
    emit(tx, who, person, PartnersEvents.employmentStarted, employment);
    if (employment.toDate) emit(tx, who, person, PartnersEvents.employmentEnded, employment, ['to']);
    for (const o of demoted) emit(tx, who, person, PartnersEvents.employmentUpdated, o, ['primary']);
    return { person, employment };
  });
}

export async function updateEmployment(em: EntityManager, who: Principal, id: string, expectedPersonVersion: number, patch: PatchEmploymentInput) {
  return em.transactional(async (tx) => {
    const { employment, person } = await findVisibleEmployment(tx, who, id, true);
    assertVersion(person.version, expectedPersonVersion);
    const before = snapshot(employment);
    const next: Snapshot = { ...before, ...patch };
    if (next.to && next.to < next.from) throw endsBeforeStart();
    const changed = (Object.keys(before) as (keyof Snapshot)[]).filter((k) => before[k] !== next[k]);
    if (!changed.length) return { person, employment };
    const day = today();
    const now = new Date();
    tx.assign(employment, { role: next.role, fromDate: next.from, toDate: next.to, isPrimary: next.primary, updatedAt: now });
    const demoted = next.primary && isCurrent(next.to, day)
      ? demoteOtherPrimaries(await tx.find(Employment, { personId: person.id, deletedAt: null }), employment, day, now)
      : [];
    person.updatedAt = now;
    await tx.flush();
    const changes: FieldChanges = Object.fromEntries(changed.map((k) => [`employments.${id}.${k}`, { from: before[k], to: next[k] }]));
    recordAudit(tx, { entityType: 'person', entityId: person.id, action: 'employment-updated', actor: who, changes: { ...changes, ...demotedChanges(demoted) } });
    // ending = setting `to` where there was none
    emit(tx, who, person, !before.to && next.to ? PartnersEvents.employmentEnded : PartnersEvents.employmentUpdated, employment, changed);
    for (const o of demoted) emit(tx, who, person, PartnersEvents.employmentUpdated, o, ['primary']);
    return { person, employment };
  });
}

/** Removes an employment entered by mistake (ending one is setting `to`). */
export async function deleteEmployment(em: EntityManager, who: Principal, id: string, expectedPersonVersion: number): Promise<void> {
  await em.transactional(async (tx) => {
    const { employment, person } = await findVisibleEmployment(tx, who, id, true);
    assertVersion(person.version, expectedPersonVersion);
    const now = new Date();
    employment.deletedAt = now;
    employment.updatedAt = now;
    person.updatedAt = now;
    await tx.flush();
    recordAudit(tx, {
      entityType: 'person', entityId: person.id, action: 'employment-removed', actor: who,
      changes: { [`employments.${id}`]: { from: { companyId: employment.companyId, ...snapshot(employment) }, to: null } },
    });
    emit(tx, who, person, PartnersEvents.employmentDeleted, employment);
  });
}

/** One employment as the API shows it, with its person (whose version is the ETag). */
export async function getEmployment(em: EntityManager, who: Principal, id: string): Promise<{ person: PersonEntity; dto: EmploymentDto }> {
  const { employment, person } = await findVisibleEmployment(em, who, id);
  return { person, dto: await employmentDto(em, who, person.id, employment.id) };
}

export async function employmentDto(em: EntityManager, who: Principal, personId: string, employmentId: string): Promise<EmploymentDto> {
  const [dto] = (await employmentsOf(em, who, [personId], { employmentId })).get(personId) ?? [];
  if (!dto) throw employmentNotFound();
  return dto;
}

export async function personEmployments(em: EntityManager, who: Principal, personId: string) {
  const person = await findVisiblePerson(em, who, personId);
  return { person, items: (await employmentsOf(em, who, [personId])).get(personId) ?? [] };
}

/** A person at a company, as the company's people list shows them. */
export type CompanyPersonDto = PersonSummaryDto & { employmentId: string; role: string | null; from: string; to: string | null; primary: boolean };

interface CompanyPersonRow {
  id: string; family_name: string; given_name: string; title: string | null; position: string | null;
  emails: PersonSummaryDto['emails']; phones: PersonSummaryDto['phones']; owner_id: string; department_id: string | null;
  employment_id: string; role: string | null; from_date: string; to_date: string | null; is_primary: boolean;
}

/**
 * The people of a company the caller may see (the company itself must be visible, else 404): those working
 * there now (primary contacts first, then by name) and those who used to (latest leavers first).
 */
export async function companyPersons(em: EntityManager, who: Principal, companyId: string): Promise<{ current: CompanyPersonDto[]; former: CompanyPersonDto[] }> {
  await findVisibleCompany(em, who, companyId);
  const day = today();
  const vis = visibilityCondition(visibilityScope(who), { owner: 'p.owner_id', department: 'p.department_id' });
  const rows = await em.execute<CompanyPersonRow[]>(
    `select p.id, p.family_name, p.given_name, p.title, p.position, p.emails, p.phones, p.owner_id, p.department_id,
            e.id as employment_id, e.role, e.from_date::text as from_date, e.to_date::text as to_date, e.is_primary
       from partners.employment e join partners.person p on p.id = e.person_id
      where e.company_id = ? and e.deleted_at is null and p.deleted_at is null${vis ? ` and ${vis.sql}` : ''}
      order by (e.is_primary and (e.to_date is null or e.to_date >= ?::date)) desc, coalesce(e.to_date, '9999-12-31') desc,
               lower(p.family_name) collate "hu-x-icu", lower(p.given_name) collate "hu-x-icu", e.id`,
    [companyId, ...(vis?.bindings ?? []), day],
  );
  const current: CompanyPersonDto[] = [];
  const former: CompanyPersonDto[] = [];
  for (const r of rows) {
    const dto: CompanyPersonDto = {
      id: r.id, familyName: r.family_name, givenName: r.given_name, displayName: displayNameOf({ familyName: r.family_name, givenName: r.given_name }),
      title: r.title ?? null, position: r.position ?? null, emails: r.emails, phones: r.phones, ownerId: r.owner_id, departmentId: r.department_id ?? null,
      employmentId: r.employment_id, role: r.role ?? null, from: r.from_date, to: r.to_date ?? null, primary: r.is_primary,
    };
    (isCurrent(r.to_date, day) ? current : former).push(dto);
  }
  return { current, former };
}
