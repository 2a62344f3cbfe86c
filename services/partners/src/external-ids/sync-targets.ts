import type { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '@kapocs/kit';
import { createCompanySchema, createPersonSchema, patchCompanySchema, patchPersonSchema } from '@kapocs/contracts';
import type { OwnerFacts } from '../owners/ownership';
import { createCompany, findVisibleCompany, toCompanyDto, updateCompany } from '../companies/companies.service';
import { createPerson, findVisiblePerson, toPersonDto, updatePerson } from '../persons/persons.service';

/**
 * What ERP sync needs of an entity: the same validation and use cases as its own POST and PATCH, so a record
 * from another system obeys every rule a record typed in the portal does (custom fields, ownership, events).
 */
export interface SyncTarget {
  entity: 'company' | 'person';
  /** Its table, for row locks and the merge pointer. */
  table: string;
  createSchema: z.ZodType;
  patchSchema: z.ZodType;
  /** The field whose value selects subtype-specific custom fields (company kind). */
  subtypeField?: string;
  findVisible(em: EntityManager, who: Principal, id: string): Promise<{ id: string; version: number }>;
  /** `owners`: the directory's facts of the owner the input names, looked up before the transaction. */
  create(em: EntityManager, who: Principal, input: never, owners: OwnerFacts): Promise<{ id: string; version: number }>;
  update(em: EntityManager, who: Principal, id: string, expectedVersion: number, patch: never, owners: OwnerFacts): Promise<{ id: string; version: number }>;
  toDto(em: EntityManager, who: Principal, record: never): Promise<Record<string, unknown>>;
}

export const companyTarget: SyncTarget = {
  entity: 'company',
  table: 'partners.company',
  createSchema: createCompanySchema,
  patchSchema: patchCompanySchema,
  subtypeField: 'kind',
  findVisible: findVisibleCompany,
  create: createCompany,
  update: updateCompany,
  toDto: async (_em, _who, record) => toCompanyDto(record),
};

export const personTarget: SyncTarget = {
  entity: 'person',
  table: 'partners.person',
  createSchema: createPersonSchema,
  patchSchema: patchPersonSchema,
  findVisible: findVisiblePerson,
  create: createPerson,
  update: updatePerson,
  toDto: (em, who, record) => toPersonDto(em, who, record),
};
