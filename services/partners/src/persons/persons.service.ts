import type { EntityManager } from '@mikro-orm/postgresql';
import { type CreatePersonInput, type Page, PartnersEvents, type PatchPersonInput, type PersonDto, type PersonEventData, type PersonSummaryDto } from '@kapocs/contracts';
import {
  applyCustomValues, customListFields, customRulesOf, newOwnedRow, escapeLike, ownedRecords, ownedScope, validationProblem, type ListField, type Principal,
} from '@kapocs/kit';
import { employmentsOf } from '../employments/employment-views';
import { decideOwnership, ownerFilterOf, type OwnerFacts, type OwnerListQuery } from '../owners/ownership';
import { recordOwnerChanged } from '../owners/owner-events';
import { Person, type PersonEntity } from './person.entity';
import { personNotFound } from './persons.problems';

const EDITABLE = ['familyName', 'givenName', 'title', 'position', 'emails', 'phones', 'ownerId', 'departmentId', 'custom'] as const;

const persons = ownedRecords({
  entity: Person, aggregate: 'person', table: 'partners.person', alias: 'p', notFound: personNotFound,
  events: { created: PartnersEvents.personCreated, updated: PartnersEvents.personUpdated, deleted: PartnersEvents.personDeleted },
  audit: { fields: EDITABLE, snapshot: ownFields },
  eventData: toPersonEventData,
});

/** Hungarian name order, as the portal shows it in Hungarian: family name first. */
export const displayNameOf = (p: { familyName: string; givenName: string }) => `${p.familyName} ${p.givenName}`;

export function toPersonSummary(p: PersonEntity): PersonSummaryDto {
  return {
    id: p.id, familyName: p.familyName, givenName: p.givenName, displayName: displayNameOf(p), title: p.title ?? null,
    position: p.position ?? null, emails: p.emails, phones: p.phones, ownerId: p.ownerId, departmentId: p.departmentId ?? null,
  };
}

/** The person's own fields (what audit and events compare), without employments. */
function ownFields(p: PersonEntity) {
  return { ...toPersonSummary(p), custom: p.custom, version: p.version, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() };
}

/** What the API answers for one person: their fields and their employments. */
export async function toPersonDto(em: EntityManager, who: Principal, p: PersonEntity): Promise<PersonDto> {
  const employments = await employmentsOf(em, who, [p.id]);
  return { ...ownFields(p), employments: employments.get(p.id) ?? [] };
}

export function toPersonEventData(p: PersonEntity, changed?: string[]): PersonEventData {
  const data: PersonEventData = {
    id: p.id, familyName: p.familyName, givenName: p.givenName, displayName: displayNameOf(p), title: p.title ?? null,
    position: p.position ?? null, emails: p.emails.map((e) => e.address), phones: p.phones.map((x) => x.number),
    ownerId: p.ownerId, departmentId: p.departmentId ?? null, version: p.version,
  };
  if (changed) data.changed = changed;
  return data;
}

export const personScopeOf = (p: PersonEntity) => ownedScope(p);

/** A person the principal may see; otherwise 404, whether they exist or not. `lock` serialises writes to the person and their employments. */
export async function findVisiblePerson(em: EntityManager, who: Principal, id: string, lock = false): Promise<PersonEntity> {
  return persons.findVisible(em, who, id, { lock });
}

/** `owners`: what the directory says of the owner the input names (`resolveOwners`), looked up before the transaction. */
export async function createPerson(em: EntityManager, who: Principal, input: CreatePersonInput, owners: OwnerFacts): Promise<PersonEntity> {
  const owner = decideOwnership(who, 'person', input, undefined, owners);
  return em.transactional(async (tx) => {
    const custom = applyCustomValues(await customRulesOf(tx, 'person'), input.custom, { mode: 'create' });
    if (custom.errors.length) throw validationProblem(custom.errors);
    const person = tx.create(Person, {
      familyName: input.familyName, givenName: input.givenName, title: input.title ?? null, position: input.position ?? null,
      emails: input.emails, phones: input.phones, custom: custom.value, ...newOwnedRow(owner),
    });
    await persons.recordCreated(tx, who, person);
    return person;
  });
}

export async function updatePerson(em: EntityManager, who: Principal, id: string, expectedVersion: number, patch: PatchPersonInput, owners: OwnerFacts): Promise<PersonEntity> {
  return em.transactional(async (tx) => {
    const person = await persons.findVisible(tx, who, id, { lock: true, version: expectedVersion });
    const previousOwner = { ownerId: person.ownerId, departmentId: person.departmentId ?? null };
    const next: PatchPersonInput = { ...patch, ...decideOwnership(who, 'person', patch, previousOwner, owners) };
    if (patch.custom !== undefined) {
      const custom = applyCustomValues(await customRulesOf(tx, 'person'), patch.custom, { mode: 'patch', existing: person.custom });
      if (custom.errors.length) throw validationProblem(custom.errors);
      next.custom = custom.value;
    }
    const changes = await persons.update(tx, who, person, next);
    if (changes.ownerId || changes.departmentId) {
      recordOwnerChanged(tx, who, { type: PartnersEvents.personOwnerChanged, aggregate: 'person', id, from: previousOwner, to: personScopeOf(person), version: person.version });
    }
    return person;
  });
}

export async function deletePerson(em: EntityManager, who: Principal, id: string, expectedVersion: number): Promise<void> {
  await em.transactional(async (tx) => {
    await persons.softDelete(tx, who, await persons.findVisible(tx, who, id, { lock: true, version: expectedVersion }));
  });
}

export const personAudit = (em: EntityManager, who: Principal, id: string) => persons.audit(em, who, id);

/** Fields a person list can be filtered and sorted on (plus `custom.<key>` of the person's custom fields). */
const LIST_FIELDS: Record<string, ListField> = {
  // names sort in Hungarian alphabetical order (Ádám with the A's, Cs after C), as the person_name index does
  familyName: { type: 'string', sql: 'lower(p.family_name)', sortable: true, sortSql: 'lower(p.family_name) collate "hu-x-icu"' },
  givenName: { type: 'string', sql: 'lower(p.given_name)', sortable: true, sortSql: 'lower(p.given_name) collate "hu-x-icu"' },
  title: { type: 'string', sql: 'p.title' },
  position: { type: 'string', sql: 'p.position' },
};

/** The expression the person search index is built on (name in both orders, accent-folded, and e-mail addresses). */
const SEARCH_SQL = 'partners.person_search(p.family_name, p.given_name, p.emails)';

export async function listPersons(em: EntityManager, who: Principal, query: OwnerListQuery): Promise<Page<PersonDto>> {
  return persons.list(em, who, query, {
    fields: { ...LIST_FIELDS, ...customListFields(await customRulesOf(em, 'person'), 'p.custom') },
    defaultSort: [{ field: 'familyName', direction: 'asc' }, { field: 'givenName', direction: 'asc' }],
    ownerId: ownerFilterOf(query, who),
    // accent- and case-insensitive on "family given" and "given family", and on e-mail addresses
    conditions: [query.q ? { sql: `${SEARCH_SQL} like '%' || partners.search_text(?) || '%'`, bindings: [escapeLike(query.q)] } : null],
    map: async (rows) => {
      const employments = await employmentsOf(em, who, rows.map((p) => p.id));
      return rows.map((p) => ({ ...ownFields(p), employments: employments.get(p.id) ?? [] }));
    },
  });
}
