import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { ownedProperties } from '@kapocs/kit';

export interface EmailAddress { address: string; label?: string }
export interface PhoneNumber { number: string; label?: string }
export interface PostalAddress { kind: string; country: string; postalCode: string; city: string; street: string }

/** A company (partner) of the CRM: customer, prospect, reseller, supplier, competitor or partner. */
export const Company = defineEntity({
  name: 'Company',
  tableName: 'company',
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(200),
    legalForm: p.string().length(50).nullable(),
    kind: p.string().length(20),
    status: p.string().length(20),
    taxNumber: p.string().length(40).nullable(),
    registrationNumber: p.string().length(40).nullable(),
    country: p.string().length(2),
    industry: p.string().length(100).nullable(),
    size: p.string().length(20).nullable(),
    website: p.string().length(300).nullable(),
    emails: p.json<EmailAddress[]>(),
    phones: p.json<PhoneNumber[]>(),
    addresses: p.json<PostalAddress[]>(),
    groupId: p.uuid().nullable(),
    custom: p.json<Record<string, unknown>>(),
    ...ownedProperties(),
  },
});

export type CompanyEntity = InferEntity<typeof Company>;
