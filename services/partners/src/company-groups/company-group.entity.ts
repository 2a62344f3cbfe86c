import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ownedProperties } from '@kapocs/kit';

/** A company group (cégcsoport): companies that belong together, e.g. a holding and its subsidiaries. */
export const CompanyGroup = defineEntity({
  name: 'CompanyGroup',
  tableName: 'company_group',
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(200),
    description: p.text().nullable(),
    ...ownedProperties(),
  },
});

export type CompanyGroupEntity = InferEntity<typeof CompanyGroup>;
