import type { EntityManager } from '@mikro-orm/postgresql';
import { type CompanyGroupDetailDto, type CompanyGroupDto, type CompanyGroupEventData, type CreateCompanyGroupInput, type GroupMemberDto, type Page, PartnersEvents, type PatchCompanyGroupInput } from '@kapocs/contracts';
import { newOwnedRow, escapeLike, ownedRecords, ownedScope, visibilityCondition, visibilityScope, type ListField, type Principal } from '@kapocs/kit';
import { decideOwnership, ownerFilterOf, type OwnerFacts, type OwnerListQuery } from '../owners/ownership';
import { CompanyGroup, type CompanyGroupEntity } from './company-group.entity';
import { companyGroupHasMembers, companyGroupNotFound, unknownCompanyGroup } from './company-groups.problems';

const EDITABLE = ['name', 'description', 'ownerId', 'departmentId'] as const;

const groups = ownedRecords({
  entity: CompanyGroup, aggregate: 'company-group', table: 'partners.company_group', alias: 'g', notFound: companyGroupNotFound,
  events: { created: PartnersEvents.companyGroupCreated, updated: PartnersEvents.companyGroupUpdated, deleted: PartnersEvents.companyGroupDeleted },
  audit: { fields: EDITABLE, snapshot: toCompanyGroupDto },
  eventData: toEventData,
});

export function toCompanyGroupDto(g: CompanyGroupEntity): CompanyGroupDto {
  return {
    id: g.id, name: g.name, description: g.description ?? null, ownerId: g.ownerId, departmentId: g.departmentId ?? null,
    version: g.version, createdAt: g.createdAt.toISOString(), updatedAt: g.updatedAt.toISOString(),
  };
}

function toEventData(g: CompanyGroupEntity, changed?: string[]): CompanyGroupEventData {
  const data: CompanyGroupEventData = {
    id: g.id, name: g.name, description: g.description ?? null, ownerId: g.ownerId, departmentId: g.departmentId ?? null, version: g.version,
  };
  if (changed) data.changed = changed;
  return data;
}

/** A group the principal may see; otherwise 404, whether it exists or not. */
export async function findVisibleCompanyGroup(em: EntityManager, who: Principal, id: string): Promise<CompanyGroupEntity> {
  return groups.findVisible(em, who, id);
}

/**
 * Checks, inside the company's transaction, that a company may join the group: it exists, is not deleted and
 * the caller may see it; otherwise 400 naming groupId. The row is share-locked until commit, so a concurrent
 * delete of the group waits and then sees the new member.
 */
export async function assertCompanyGroupUsable(em: EntityManager, who: Principal, groupId: string): Promise<void> {
  const visible = visibilityCondition(visibilityScope(who), { owner: 'g.owner_id', department: 'g.department_id' });
  const rows = await em.execute<{ id: string }[]>(
    `select g.id from partners.company_group g where g.id = ? and g.deleted_at is null${visible ? ` and ${visible.sql}` : ''} for share`,
    [groupId, ...(visible?.bindings ?? [])],
  );
  if (!rows.length) throw unknownCompanyGroup();
}

/** The member companies of a group that the caller may see, by name. */
export async function visibleMembers(em: EntityManager, who: Principal, groupId: string): Promise<GroupMemberDto[]> {
  const visible = visibilityCondition(visibilityScope(who), { owner: 'c.owner_id', department: 'c.department_id' });
  const rows = await em.execute<{ id: string; name: string; kind: string; status: string; country: string; city: string | null; owner_id: string; department_id: string | null }[]>(
    `select c.id, c.name, c.kind, c.status, c.country, c.addresses->0->>'city' as city, c.owner_id, c.department_id
       from partners.company c
      where c.group_id = ? and c.deleted_at is null${visible ? ` and ${visible.sql}` : ''}
      order by lower(c.name) collate "hu-x-icu", c.id`,
    [groupId, ...(visible?.bindings ?? [])],
  );
  return rows.map((r) => ({
    id: r.id, name: r.name, kind: r.kind as GroupMemberDto['kind'], status: r.status as GroupMemberDto['status'], country: r.country,
    city: r.city ?? null, ownerId: r.owner_id, departmentId: r.department_id ?? null,
  }));
}

export async function companyGroupDetail(em: EntityManager, who: Principal, group: CompanyGroupEntity): Promise<CompanyGroupDetailDto> {
  return { ...toCompanyGroupDto(group), members: await visibleMembers(em, who, group.id) };
}

/** `owners`: what the directory says of the owner the input names (`resolveOwners`), looked up before the transaction. */
export async function createCompanyGroup(em: EntityManager, who: Principal, input: CreateCompanyGroupInput, owners: OwnerFacts): Promise<CompanyGroupEntity> {
  const owner = decideOwnership(who, 'company group', input, undefined, owners);
  return em.transactional(async (tx) => {
    const group = tx.create(CompanyGroup, { name: input.name, description: input.description ?? null, ...newOwnedRow(owner) });
    await groups.recordCreated(tx, who, group);
    return group;
  });
}

export async function updateCompanyGroup(em: EntityManager, who: Principal, id: string, expectedVersion: number, patch: PatchCompanyGroupInput, owners: OwnerFacts): Promise<CompanyGroupEntity> {
  return em.transactional(async (tx) => {
    const group = await groups.findVisible(tx, who, id, { lock: true, version: expectedVersion });
    await groups.update(tx, who, group, { ...patch, ...decideOwnership(who, 'company group', patch, ownedScope(group), owners) });
    return group;
  });
}

/**
 * Deletes (softly) a group that has no members. A group with members answers 409: deleting it must not
 * silently change companies, some of which the caller may not even see.
 */
export async function deleteCompanyGroup(em: EntityManager, who: Principal, id: string, expectedVersion: number): Promise<void> {
  await em.transactional(async (tx) => {
    const group = await groups.findVisible(tx, who, id, { lock: true, version: expectedVersion });
    // every member counts, visible or not; the group row is locked, so no company joins meanwhile
    const [member] = await tx.execute<{ id: string }[]>(`select id from partners.company where group_id = ? and deleted_at is null limit 1`, [id]);
    if (member) throw companyGroupHasMembers();
    await groups.softDelete(tx, who, group);
  });
}

export const companyGroupAudit = (em: EntityManager, who: Principal, id: string) => groups.audit(em, who, id);

/** Fields a group list can be filtered and sorted on. */
const LIST_FIELDS: Record<string, ListField> = {
  name: { type: 'string', sql: 'lower(g.name)', sortable: true, sortSql: 'lower(g.name) collate "hu-x-icu"' },
  description: { type: 'text', sql: 'g.description' },
};

export async function listCompanyGroups(em: EntityManager, who: Principal, query: OwnerListQuery): Promise<Page<CompanyGroupDto>> {
  return groups.list(em, who, query, {
    fields: LIST_FIELDS,
    defaultSort: [{ field: 'name', direction: 'asc' }],
    ownerId: ownerFilterOf(query, who),
    conditions: [query.q ? { sql: `partners.search_text(g.name) like '%' || partners.search_text(?) || '%'`, bindings: [escapeLike(query.q)] } : null],
    map: (rows) => rows.map(toCompanyGroupDto),
  });
}
