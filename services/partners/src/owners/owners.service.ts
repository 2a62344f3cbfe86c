import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type OwnerRef, PartnersEvents, type ReassignInput, type ReassignResult } from '@kapocs/contracts';
import { diffFields, recordAudit, recordEvent, visibilityScope, visibilityWhere, type Principal } from '@kapocs/kit';
import { Company, type CompanyEntity } from '../companies/company.entity';
import { toEventData as toCompanyEventData } from '../companies/companies.service';
import { Person, type PersonEntity } from '../persons/person.entity';
import { toPersonEventData } from '../persons/persons.service';
import { recordOwnerChanged } from './owner-events';
import { cannotReassign } from './owners.problems';
import { assertDepartmentKnown, decideOwnership, mayAssignOwners, mayUseDepartment, usableOwnerDepartments, type OwnerFacts } from './ownership';

interface Kind<E extends CompanyEntity | PersonEntity> {
  entity: typeof Company | typeof Person;
  aggregate: 'company' | 'person';
  updated: string;
  ownerChanged: string;
  eventData: (e: E, changed: string[]) => unknown;
}

const companies: Kind<CompanyEntity> = {
  entity: Company, aggregate: 'company', updated: PartnersEvents.companyUpdated, ownerChanged: PartnersEvents.companyOwnerChanged,
  eventData: (c, changed) => toCompanyEventData(c, changed),
};
const persons: Kind<PersonEntity> = {
  entity: Person, aggregate: 'person', updated: PartnersEvents.personUpdated, ownerChanged: PartnersEvents.personOwnerChanged,
  eventData: (p, changed) => toPersonEventData(p, changed),
};

/**
 * Hands records over to another owner (P4), all in one transaction: each changed record gets its audit entry,
 * its `updated` event (full state, for read models) and its `owner-changed` event. Only managers (for what they
 * see: their departments and their own), directors and admins may; ids the caller may not see are reported,
 * not revealed.
 */
async function reassign<E extends CompanyEntity | PersonEntity>(em: EntityManager, who: Principal, kind: Kind<E>, input: ReassignInput, owners: OwnerFacts): Promise<ReassignResult> {
  if (!mayAssignOwners(who)) throw cannotReassign();
  if (input.departmentId !== undefined && !mayUseDepartment(who, input.departmentId)) throw cannotReassign();
  // a new owner who is not a CRM user (400 naming ownerId), a department the directory does not have (400 naming
  // departmentId) or an unreachable directory (503) refuses the whole call
  if (input.ownerId !== who.id) usableOwnerDepartments(owners, input.ownerId);
  if (input.departmentId !== undefined) assertDepartmentKnown(who, input.departmentId, owners);
  const ids = [...new Set(input.ids)];
  return em.transactional(async (tx) => {
    const where = { id: { $in: ids }, deletedAt: null, ...visibilityWhere(visibilityScope(who), { owner: 'ownerId', department: 'departmentId' }) };
    // locked in id order, so two overlapping reassignments cannot deadlock
    const rows = (await tx.find(kind.entity as typeof Company, where as never, { orderBy: { id: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE })) as unknown as E[];
    const found = new Set(rows.map((r) => r.id));
    const changed: { row: E; from: OwnerRef; to: OwnerRef }[] = [];
    const unchanged: string[] = [];
    const now = new Date();
    for (const row of rows) {
      const from: OwnerRef = { ownerId: row.ownerId, departmentId: row.departmentId ?? null };
      // the one ownership rule: the department follows the new owner unless one is given, and a manager's move
      // that would leave a record outside their departments refuses the whole call (403, nothing written)
      const to: OwnerRef = decideOwnership(who, kind.aggregate, { ownerId: input.ownerId, departmentId: input.departmentId }, from, owners);
      if (from.ownerId === to.ownerId && from.departmentId === to.departmentId) { unchanged.push(row.id); continue; }
      tx.assign(row as never, { ...to, updatedAt: now } as never);
      changed.push({ row, from, to });
    }
    await tx.flush();
    for (const { row, from, to } of changed) {
      const changes = diffFields({ ...from }, { ...to }, ['ownerId', 'departmentId']);
      recordAudit(tx, { entityType: kind.aggregate, entityId: row.id, action: 'reassigned', actor: who, changes });
      recordEvent(tx, { type: kind.updated, aggregate: { type: kind.aggregate, id: row.id }, data: kind.eventData(row, Object.keys(changes)), scope: to, actor: who });
      recordOwnerChanged(tx, who, { type: kind.ownerChanged, aggregate: kind.aggregate, id: row.id, from, to, version: row.version });
    }
    return { updated: changed.length, unchanged, notFound: ids.filter((id) => !found.has(id)) };
  });
}

/** `owners`: what the directory says of `input.ownerId` (`resolveOwners`), looked up before the transaction. */
export const reassignCompanies = (em: EntityManager, who: Principal, input: ReassignInput, owners: OwnerFacts) => reassign(em, who, companies, input, owners);
export const reassignPersons = (em: EntityManager, who: Principal, input: ReassignInput, owners: OwnerFacts) => reassign(em, who, persons, input, owners);
