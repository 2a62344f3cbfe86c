import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A person working at a company over a period: the link that lets a person's history follow the person,
 * whichever company they work for now. Dates are `YYYY-MM-DD`; `toDate` is the last day, unset while it lasts.
 */
export const Employment = defineEntity({
  name: 'Employment',
  tableName: 'employment',
  properties: {
    id: p.uuid().primary(),
    personId: p.uuid(),
    companyId: p.uuid(),
    role: p.string().length(100).nullable(),
    fromDate: p.date(),
    toDate: p.date().nullable(),
    isPrimary: p.boolean(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    deletedAt: p.datetime().nullable(),
  },
});

export type EmploymentEntity = InferEntity<typeof Employment>;
