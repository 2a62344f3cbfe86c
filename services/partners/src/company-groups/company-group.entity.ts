import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A company group (cégcsoport): companies that belong together, e.g. a holding and its subsidiaries. */
export const CompanyGroup = defineEntity({
  name: 'CompanyGroup',
  tableName: 'company_group',
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(200),
    description: p.text().nullable(),
    ownerId: p.string().length(64),
    departmentId: p.string().length(100).nullable(),
    version: p.integer().version(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    deletedAt: p.datetime().nullable(),
  },
});

export type CompanyGroupEntity = InferEntity<typeof CompanyGroup>;
