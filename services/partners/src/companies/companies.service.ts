import type { EntityManager } from '@mikro-orm/postgresql';
import { COMPANY_KINDS, COMPANY_SIZES, COMPANY_STATUSES, type CompanyDto, type CompanyEventData, companyNumberErrors, type CreateCompanyInput, normalizeHungarianTaxNumber, type Page, PartnersEvents, type PatchCompanyInput } from '@kapocs/contracts';
import {
  applyCustomValues, ProblemError, customListFields, customRulesOf, newOwnedRow, escapeLike, ownedRecords, ownedScope, validationProblem,
  type ListField, type Principal,
} from '@kapocs/kit';
import { Company, type CompanyEntity } from './company.entity';
import { companyNotFound } from './companies.problems';
import { assertCompanyGroupUsable } from '../company-groups/company-groups.service';
import { recordOwnerChanged } from '../owners/owner-events';
import { decideOwnership, ownerFilterOf, type OwnerFacts, type OwnerListQuery } from '../owners/ownership';

const EDITABLE = [
  'name', 'legalForm', 'kind', 'status', 'taxNumber', 'registrationNumber', 'country', 'industry', 'size', 'website',
  'emails', 'phones', 'addresses', 'groupId', 'ownerId', 'departmentId', 'custom',
] as const;

const companies = ownedRecords({
  entity: Company, aggregate: 'company', table: 'partners.company', alias: 'c', notFound: companyNotFound,
  events: { created: PartnersEvents.companyCreated, updated: PartnersEvents.companyUpdated, deleted: PartnersEvents.companyDeleted },
  audit: { fields: EDITABLE, snapshot: toCompanyDto },
  eventData: toEventData,
});

/** What the API answers for a company. */
export function toCompanyDto(c: CompanyEntity): CompanyDto {
  return {
    id: c.id, name: c.name, legalForm: c.legalForm ?? null, kind: c.kind as CompanyDto['kind'], status: c.status as CompanyDto['status'],
    taxNumber: c.taxNumber ?? null, registrationNumber: c.registrationNumber ?? null, country: c.country,
    industry: c.industry ?? null, size: (c.size ?? null) as CompanyDto['size'], website: c.website ?? null,
    emails: c.emails, phones: c.phones, addresses: c.addresses as CompanyDto['addresses'], groupId: c.groupId ?? null,
    ownerId: c.ownerId, departmentId: c.departmentId ?? null, custom: c.custom, version: c.version,
    createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
  };
}

export function toEventData(c: CompanyEntity, changed?: string[]): CompanyEventData {
  const data: CompanyEventData = {
    id: c.id, name: c.name, kind: c.kind, status: c.status, taxNumber: c.taxNumber ?? null,
    registrationNumber: c.registrationNumber ?? null, country: c.country,
    city: c.addresses[0]?.city ?? null, ownerId: c.ownerId, departmentId: c.departmentId ?? null, version: c.version,
  };
  if (changed) data.changed = changed;
  return data;
}

/** Custom values checked against the definitions (defaults on create), or 400 naming each `custom.<key>`. */
async function checkedCustom(em: EntityManager, input: Record<string, unknown> | undefined, opts: { mode: 'create' | 'patch'; subtype: string; existing?: Record<string, unknown> }) {
  const { value, errors } = applyCustomValues(await customRulesOf(em, 'company'), input, opts);
  if (errors.length) throw validationProblem(errors);
  return value;
}

/** `owners`: what the directory says of the owner the input names (`resolveOwners`), looked up before the transaction. */
export async function createCompany(em: EntityManager, who: Principal, input: CreateCompanyInput, owners: OwnerFacts): Promise<CompanyEntity> {
  const [result] = await createCompanies(em, who, [input], owners);
  if (result instanceof Error) throw result;
  return result!;
}

/**
 * Creates several companies in one transaction and one batch of inserts (imports use it): each input is
 * checked as a single create is; an input that is refused answers its problem in its place, the others are
 * created, each with its audit entry and event.
 */
export async function createCompanies(em: EntityManager, who: Principal, inputs: CreateCompanyInput[], owners: OwnerFacts): Promise<Array<CompanyEntity | ProblemError>> {
  return em.transactional(async (tx) => {
    const rules = await customRulesOf(tx, 'company');
    const now = new Date();
    const results: Array<CompanyEntity | ProblemError> = [];
    for (const input of inputs) {
      try {
        const { ownerId, departmentId, ...rest } = input;
        if (rest.groupId) await assertCompanyGroupUsable(tx, who, rest.groupId);
        const custom = applyCustomValues(rules, input.custom, { mode: 'create', subtype: input.kind });
        if (custom.errors.length) throw validationProblem(custom.errors);
        rest.custom = custom.value;
        const owner = decideOwnership(who, 'company', { ownerId, departmentId }, undefined, owners);
        results.push(tx.create(Company, {
          ...rest,
          legalForm: rest.legalForm ?? null,
          taxNumber: rest.taxNumber ?? null,
          registrationNumber: rest.registrationNumber ?? null,
          industry: rest.industry ?? null,
          size: rest.size ?? null,
          website: rest.website ?? null,
          groupId: rest.groupId ?? null,
          ...newOwnedRow(owner, now),
        }));
      } catch (err) {
        // the directory unreachable refuses the whole batch (nothing written; retryable)
        if (!(err instanceof ProblemError) || inputs.length === 1 || err.status === 503) throw err;
        results.push(err);
      }
    }
    const created = results.filter((r): r is CompanyEntity => !(r instanceof ProblemError));
    await companies.recordCreated(tx, who, created);
    return results;
  });
}

/** A company the principal may see; otherwise 404, whether it exists or not. */
export async function findVisibleCompany(em: EntityManager, who: Principal, id: string): Promise<CompanyEntity> {
  return companies.findVisible(em, who, id);
}

export async function updateCompany(em: EntityManager, who: Principal, id: string, expectedVersion: number, patch: PatchCompanyInput, owners: OwnerFacts): Promise<CompanyEntity> {
  return em.transactional(async (tx) => {
    const company = await companies.findVisible(tx, who, id, { version: expectedVersion });
    const before = toCompanyDto(company);
    const merged = { ...before, ...patch };
    const numberErrors = companyNumberErrors(merged);
    if (numberErrors.length) throw validationProblem(numberErrors);
    if (merged.country === 'HU' && patch.taxNumber) patch.taxNumber = normalizeHungarianTaxNumber(patch.taxNumber);
    // a change of kind can bring required fields of the new kind into play, so check custom values then too
    if (patch.custom !== undefined || (patch.kind && patch.kind !== company.kind)) {
      patch.custom = await checkedCustom(tx, patch.custom, { mode: 'patch', subtype: merged.kind, existing: company.custom });
    }
    if ((patch.ownerId !== undefined && patch.ownerId !== company.ownerId) || (patch.departmentId !== undefined && patch.departmentId !== company.departmentId)) {
      Object.assign(patch, decideOwnership(who, 'company', patch, { ownerId: company.ownerId, departmentId: company.departmentId ?? null }, owners));
    }
    if (patch.groupId && patch.groupId !== before.groupId) await assertCompanyGroupUsable(tx, who, patch.groupId);
    const changes = await companies.update(tx, who, company, patch);
    if (changes.ownerId || changes.departmentId) {
      recordOwnerChanged(tx, who, { type: PartnersEvents.companyOwnerChanged, aggregate: 'company', id, from: { ownerId: before.ownerId, departmentId: before.departmentId }, to: ownedScope(company), version: company.version });
    }
    return company;
  });
}

export async function deleteCompany(em: EntityManager, who: Principal, id: string, expectedVersion: number): Promise<void> {
  await em.transactional(async (tx) => {
    await companies.softDelete(tx, who, await companies.findVisible(tx, who, id, { version: expectedVersion }));
  });
}

export const companyAudit = (em: EntityManager, who: Principal, id: string) => companies.audit(em, who, id);

/** Fields a company list can be filtered and sorted on. */
const LIST_FIELDS: Record<string, ListField> = {
  name: { type: 'string', sql: 'lower(c.name)', sortable: true, sortSql: 'lower(c.name) collate "hu-x-icu"' },
  kind: { type: 'enum', values: COMPANY_KINDS, sql: 'c.kind', sortable: true },
  status: { type: 'enum', values: COMPANY_STATUSES, sql: 'c.status', sortable: true },
  size: { type: 'enum', values: COMPANY_SIZES, sql: 'c.size' },
  taxNumber: { type: 'string', sql: 'c.tax_number' },
  registrationNumber: { type: 'string', sql: 'c.registration_number' },
  country: { type: 'string', sql: 'c.country', sortable: true },
  industry: { type: 'string', sql: 'c.industry' },
  website: { type: 'string', sql: 'c.website' },
  city: { type: 'string', sql: `(c.addresses->0->>'city')` },
  groupId: { type: 'uuid', sql: 'c.group_id' },
};

export async function listCompanies(em: EntityManager, who: Principal, query: OwnerListQuery): Promise<Page<CompanyDto>> {
  return companies.list(em, who, query, {
    fields: { ...LIST_FIELDS, ...customListFields(await customRulesOf(em, 'company'), 'c.custom') },
    defaultSort: [{ field: 'name', direction: 'asc' }],
    ownerId: ownerFilterOf(query, who),
    // accent- and case-insensitive: Kovács = kovacs; tax and registration numbers by prefix
    conditions: [query.q ? {
      sql: `(partners.search_text(c.name) like '%' || partners.search_text(?) || '%' or c.tax_number like ? or c.registration_number like ?)`,
      bindings: [escapeLike(query.q), `${query.q}%`, `${query.q}%`],
    } : null],
    map: (rows) => rows.map(toCompanyDto),
  });
}
