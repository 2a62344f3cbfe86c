import { uuidv7 } from 'uuidv7';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PartnersEvents, type CompanyGroupEventData, type Page } from '@kapocs/contracts';
import {
  assertVersion, diffFields, listAudit, planList, recordAudit, recordEvent, visibilityCondition, visibilityScope, visibilityWhere,
  type ListField, type Principal, readRows,
} from '@kapocs/kit';
import { decideOwnership, ownerFilterOf, type OwnerFacts, type OwnerListQuery } from '../owners/ownership';
import { CompanyGroup, type CompanyGroupEntity } from './company-group.entity';
import { companyGroupHasMembers, companyGroupNotFound, unknownCompanyGroup } from './company-groups.problems';
import type {
  CompanyGroupDetailDto, CompanyGroupDto, CreateCompanyGroupInput, GroupMemberDto, PatchCompanyGroupInput,
} from './company-groups.schemas';

const EDITABLE = ['name', 'description', 'ownerId', 'departmentId'] as const;

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

const scopeOf = (g: CompanyGroupEntity) => ({ ownerId: g.ownerId, departmentId: g.departmentId ?? null });
const visibleWhere = (who: Principal) => visibilityWhere(visibilityScope(who), { owner: 'ownerId', department: 'departmentId' });

/** A group the principal may see; otherwise 404, whether it exists or not. */
export async function findVisibleCompanyGroup(em: EntityManager, who: Principal, id: string, lock = false): Promise<CompanyGroupEntity> {
  const where = { id, deletedAt: null, ...visibleWhere(who) };
  const group = await em.findOne(CompanyGroup, where as never, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!group) throw companyGroupNotFound();
  return group;
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
    const now = new Date();
    const group = tx.create(CompanyGroup, {
      id: uuidv7(), name: input.name, description: input.description ?? null, ...owner, createdAt: now, updatedAt: now, deletedAt: null,
    });
    await tx.flush();
    recordAudit(tx, { entityType: 'company-group', entityId: group.id, action: 'created', actor: who, changes: diffFields({}, toCompanyGroupDto(group), EDITABLE) });
    recordEvent(tx, { type: PartnersEvents.companyGroupCreated, aggregate: { type: 'company-group', id: group.id }, data: toEventData(group), scope: scopeOf(group), actor: who });
    return group;
  });
}

export async function updateCompanyGroup(em: EntityManager, who: Principal, id: string, expectedVersion: number, patch: PatchCompanyGroupInput, owners: OwnerFacts): Promise<CompanyGroupEntity> {
  return em.transactional(async (tx) => {
    const group = await findVisibleCompanyGroup(tx, who, id, true);
    assertVersion(group.version, expectedVersion);
    const before = toCompanyGroupDto(group);
    const next = { ...patch, ...decideOwnership(who, 'company group', patch, { ownerId: group.ownerId, departmentId: group.departmentId ?? null }, owners) };
    const changes = diffFields(before, { ...before, ...next }, EDITABLE);
    if (Object.keys(changes).length === 0) return group;
    tx.assign(group, { ...next, updatedAt: new Date() } as never);
    await tx.flush();
    recordAudit(tx, { entityType: 'company-group', entityId: id, action: 'updated', actor: who, changes });
    recordEvent(tx, { type: PartnersEvents.companyGroupUpdated, aggregate: { type: 'company-group', id }, data: toEventData(group, Object.keys(changes)), scope: scopeOf(group), actor: who });
    return group;
  });
}

/**
 * Deletes (softly) a group that has no members. A group with members answers 409: deleting it must not
 * silently change companies, some of which the caller may not even see.
 */
export async function deleteCompanyGroup(em: EntityManager, who: Principal, id: string, expectedVersion: number): Promise<void> {
  await em.transactional(async (tx) => {
    const group = await findVisibleCompanyGroup(tx, who, id, true);
    assertVersion(group.version, expectedVersion);
    // every member counts, visible or not; the group row is locked, so no company joins meanwhile
    const [member] = await tx.execute<{ id: string }[]>(`select id from partners.company where group_id = ? and deleted_at is null limit 1`, [id]);
    if (member) throw companyGroupHasMembers();
    group.deletedAt = new Date();
    group.updatedAt = group.deletedAt;
    await tx.flush();
    recordAudit(tx, { entityType: 'company-group', entityId: id, action: 'deleted', actor: who, changes: {} });
    recordEvent(tx, { type: PartnersEvents.companyGroupDeleted, aggregate: { type: 'company-group', id }, data: { id }, scope: scopeOf(group), actor: who });
  });
}

export async function companyGroupAudit(em: EntityManager, who: Principal, id: string) {
  await findVisibleCompanyGroup(em, who, id);
  return listAudit(em, 'company-group', id);
}

/** Fields a group list can be filtered and sorted on. */
const LIST_FIELDS: Record<string, ListField> = {
  name: { type: 'string', sql: 'lower(g.name)', sortable: true, sortSql: 'lower(g.name) collate "hu-x-icu"' },
  description: { type: 'text', sql: 'g.description' },
  ownerId: { type: 'string', sql: 'g.owner_id', pgType: 'text' },
  departmentId: { type: 'string', sql: 'g.department_id' },
  createdAt: { type: 'datetime', sql: 'g.created_at', sortable: true },
  updatedAt: { type: 'datetime', sql: 'g.updated_at', sortable: true },
};

export async function listCompanyGroups(em: EntityManager, who: Principal, query: OwnerListQuery): Promise<Page<CompanyGroupDto>> {
  const plan = planList(query, { fields: (f) => (Object.hasOwn(LIST_FIELDS, f) ? LIST_FIELDS[f] : undefined), idSql: 'g.id', defaultSort: [{ field: 'name', direction: 'asc' }] });
  const conds: string[] = ['g.deleted_at is null'];
  const bindings: unknown[] = [];
  const visible = visibilityCondition(visibilityScope(who), { owner: 'g.owner_id', department: 'g.department_id' });
  if (visible) { conds.push(visible.sql); bindings.push(...visible.bindings); }
  const owner = ownerFilterOf(query, who);
  if (owner) { conds.push('g.owner_id = ?'); bindings.push(owner); }
  if (query.q) {
    conds.push(`partners.search_text(g.name) like '%' || partners.search_text(?) || '%'`);
    bindings.push(query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`));
  }
  if (plan.where) { conds.push(plan.where.sql); bindings.push(...plan.where.bindings); }
  const where = conds.join(' and ');
  const pageConds = plan.after ? `${where} and ${plan.after.sql}` : where;
  const raw = await em.execute<Record<string, unknown>[]>(
    `select g.*, ${plan.sortSelect} from partners.company_group g where ${pageConds} order by ${plan.orderBy} limit ?`,
    [...bindings, ...(plan.after?.bindings ?? []), plan.limit + 1],
  );
  const more = raw.length > plan.limit;
  const pageRows = raw.slice(0, plan.limit);
  const page: Page<CompanyGroupDto> = {
    items: readRows(em, CompanyGroup, pageRows).map(toCompanyGroupDto),
    nextCursor: more ? plan.cursorFor(pageRows.at(-1)!) : null,
  };
  if (query.count) {
    const [counted] = await em.execute<{ n: number }[]>(`select count(*)::int as n from partners.company_group g where ${where}`, bindings);
    page.total = counted?.n ?? 0;
  }
  return page;
}
