import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ownedProperties } from '@kapocs/kit';
import type { EmailAddress, PhoneNumber } from '../companies/company.entity';

/** A person (contact) of the CRM; where they work over time is in their employments. */
export const Person = defineEntity({
  name: 'Person',
  tableName: 'person',
  properties: {
    id: p.uuid().primary(),
    familyName: p.string().length(100),
    givenName: p.string().length(100),
    title: p.string().length(50).nullable(),
    position: p.string().length(100).nullable(),
    emails: p.json<EmailAddress[]>(),
    phones: p.json<PhoneNumber[]>(),
    custom: p.json<Record<string, unknown>>(),
    ...ownedProperties(),
  },
});

export type PersonEntity = InferEntity<typeof Person>;
