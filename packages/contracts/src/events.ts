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
} as const;

export type CompanyCreated = EventEnvelope<typeof PartnersEvents.companyCreated, CompanyEventData>;
export type CompanyUpdated = EventEnvelope<typeof PartnersEvents.companyUpdated, CompanyEventData>;
export type CompanyDeleted = EventEnvelope<typeof PartnersEvents.companyDeleted, { id: string }>;
