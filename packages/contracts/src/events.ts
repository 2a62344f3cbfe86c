/** Who caused a domain event. */
export interface EventActor {
  /** Keycloak subject of the user, or `system:<service>` for background work. */
  sub: string;
  name: string;
}

/** What read models need to enforce visibility on the event's record. */
export interface EventScope {
  ownerId: string;
  departmentId: string | null;
  private?: boolean;
}

/** The envelope every domain event travels in (ARCHITECTURE.md, "Events"). */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  /** UUIDv7, also the `Nats-Msg-Id` used for JetStream de-duplication. */
  id: string;
  /** `<service>.<aggregate>.<event>`, e.g. `partners.company.created`. */
  type: TType;
  version: number;
  occurredAt: string;
  actor: EventActor;
  aggregate: { type: string; id: string };
  data: TData;
  scope: EventScope;
}

/** The NATS subject of an event type: `crm.` + type. */
export function subjectOf(type: string): string {
  return `crm.${type}`;
}

/** The JetStream stream that holds a publishing service's events (`PARTNERS` on `crm.partners.>`). */
export function streamOf(service: string): { name: string; subjects: string[] } {
  return { name: service.toUpperCase(), subjects: [`crm.${service}.>`] };
}

/** A postal address of a company. */
export interface AddressData {
  kind: string;
  country: string;
  postalCode: string;
  city: string;
  street: string;
}

/** Company data carried by `partners.company.*` events (version 1). */
export interface CompanyEventData {
  id: string;
  name: string;
  kind: string;
  status: string;
  taxNumber: string | null;
  registrationNumber: string | null;
  country: string | null;
  city: string | null;
  ownerId: string;
  departmentId: string | null;
  version: number;
  /** Fields that changed, on `updated` only. */
  changed?: string[];
}

/** Event types published by the partners service. */
export const PartnersEvents = {
  companyCreated: 'partners.company.created',
  companyUpdated: 'partners.company.updated',
  companyDeleted: 'partners.company.deleted',
  /** The owner or department of a company changed (single PATCH or bulk reassign); scope is the new one. */
  companyOwnerChanged: 'partners.company.owner-changed',
  companyGroupCreated: 'partners.company-group.created',
  companyGroupUpdated: 'partners.company-group.updated',
  companyGroupDeleted: 'partners.company-group.deleted',
  personCreated: 'partners.person.created',
  personUpdated: 'partners.person.updated',
  personDeleted: 'partners.person.deleted',
  /** The owner or department of a person changed (single PATCH or bulk reassign); scope is the new one. */
  personOwnerChanged: 'partners.person.owner-changed',
  /** An employment was recorded (its `from` may lie in the past); one with `to` already set is also `ended`. */
  employmentStarted: 'partners.employment.started',
  /** An employment got its end date (`to` went from unset to a date). */
  employmentEnded: 'partners.employment.ended',
  /** Role, dates or the primary flag changed, other than ending it. */
  employmentUpdated: 'partners.employment.updated',
  /**
   * An employment entered by mistake was removed, or a merge folded it into an overlapping one at the same company
   * (then `mergedIntoId` names that one, which gets its own `updated`).
   */
  employmentDeleted: 'partners.employment.deleted',
  /**
   * Two companies were merged (P8): re-point every link to `mergedId` at `survivorId`. Published before the
   * survivor's `updated` and the merged company's `deleted`; scope is the survivor's.
   */
  companyMerged: 'partners.company.merged',
  /** Two persons were merged (P8), like `companyMerged`. */
  personMerged: 'partners.person.merged',
} as const;

export type CompanyCreated = EventEnvelope<typeof PartnersEvents.companyCreated, CompanyEventData>;
export type CompanyUpdated = EventEnvelope<typeof PartnersEvents.companyUpdated, CompanyEventData>;
/** Data of `partners.company.deleted` and `partners.person.deleted` (version 1). */
export interface DeletedEventData {
  id: string;
  /** Set when the record was deleted by a merge: the survivor (see `partners.company.merged`). */
  mergedIntoId?: string;
}

export type CompanyDeleted = EventEnvelope<typeof PartnersEvents.companyDeleted, DeletedEventData>;

/** Owner and department of a record, before or after a reassignment. */
export interface OwnerRef {
  ownerId: string;
  departmentId: string | null;
}

/** Data of `partners.company.owner-changed` and `partners.person.owner-changed` (version 1). */
export interface OwnerChangedEventData {
  /** The company's or person's id. */
  id: string;
  from: OwnerRef;
  to: OwnerRef;
  /** The record's version after the change. */
  version: number;
}

export type CompanyOwnerChanged = EventEnvelope<typeof PartnersEvents.companyOwnerChanged, OwnerChangedEventData>;

/** Company group data carried by `partners.company-group.*` events (version 1). Membership travels on the companies' own events (`groupId`). */
export interface CompanyGroupEventData {
  id: string;
  name: string;
  description: string | null;
  ownerId: string;
  departmentId: string | null;
  version: number;
  /** Fields that changed, on `updated` only. */
  changed?: string[];
}

export type CompanyGroupCreated = EventEnvelope<typeof PartnersEvents.companyGroupCreated, CompanyGroupEventData>;
export type CompanyGroupUpdated = EventEnvelope<typeof PartnersEvents.companyGroupUpdated, CompanyGroupEventData>;
export type CompanyGroupDeleted = EventEnvelope<typeof PartnersEvents.companyGroupDeleted, { id: string }>;

/** Person (contact) data carried by `partners.person.*` events (version 1). */
export interface PersonEventData {
  id: string;
  familyName: string;
  givenName: string;
  /** Hungarian order: "familyName givenName". */
  displayName: string;
  title: string | null;
  position: string | null;
  /** E-mail addresses, for search read models. */
  emails: string[];
  /** Phone numbers, for search read models. */
  phones: string[];
  ownerId: string;
  departmentId: string | null;
  version: number;
  /** Fields that changed, on `updated` only. */
  changed?: string[];
}

export type PersonCreated = EventEnvelope<typeof PartnersEvents.personCreated, PersonEventData>;
export type PersonUpdated = EventEnvelope<typeof PartnersEvents.personUpdated, PersonEventData>;
export type PersonDeleted = EventEnvelope<typeof PartnersEvents.personDeleted, DeletedEventData>;
export type PersonOwnerChanged = EventEnvelope<typeof PartnersEvents.personOwnerChanged, OwnerChangedEventData>;

/**
 * Data of `partners.employment.*` events (version 1): a person working at a company over time. The envelope's
 * `aggregate` is the employment and its `scope` is the person's (owner and department), since the employment
 * is part of the person's record.
 */
export interface EmploymentEventData {
  id: string;
  personId: string;
  companyId: string;
  role: string | null;
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, `YYYY-MM-DD`; null while it lasts. */
  to: string | null;
  /** The person's primary employer. At most one current employment of a person is primary. */
  primary: boolean;
  /** Fields that changed, on `updated` and `ended` only. */
  changed?: string[];
  /** On `deleted` by a merge only: the employment this one was folded into (drop this one, keep that one). */
  mergedIntoId?: string;
}

export type EmploymentStarted = EventEnvelope<typeof PartnersEvents.employmentStarted, EmploymentEventData>;
export type EmploymentEnded = EventEnvelope<typeof PartnersEvents.employmentEnded, EmploymentEventData>;
export type EmploymentUpdated = EventEnvelope<typeof PartnersEvents.employmentUpdated, EmploymentEventData>;
export type EmploymentDeleted = EventEnvelope<typeof PartnersEvents.employmentDeleted, EmploymentEventData>;

/**
 * Data of `partners.company.merged` and `partners.person.merged` (version 1). The envelope's `aggregate` is the
 * merged record and its `scope` the survivor's, where the links end up.
 */
export interface MergedEventData {
  /** The record that lives on, with the merged record's links, external ids and employments. */
  survivorId: string;
  /** The record merged away: soft-deleted, answering 410 with a pointer to the survivor. */
  mergedId: string;
}

export type CompanyMerged = EventEnvelope<typeof PartnersEvents.companyMerged, MergedEventData>;
export type PersonMerged = EventEnvelope<typeof PartnersEvents.personMerged, MergedEventData>;
