import { LockMode } from '@mikro-orm/core';
import type { EntityManager, EntitySchema } from '@mikro-orm/postgresql';
import type { EventScope, Page } from '@kapocs/contracts';
import { diffFields, listAudit, recordAudit, type FieldChanges } from '../audit';
import { visibilityScope, visibilityWhere, type Principal } from '../auth';
import { assertVersion } from '../concurrency';
import { recordEvent } from '../outbox';
import type { ProblemError } from '../problems';
import type { ListQuery } from '../list';
import { listPage, type ListPageOptions } from './list-page';

/** What every owned record has: an owner, the department it belongs to, a version, and a soft delete. */
export interface OwnedRow {
  id: string;
  ownerId: string;
  departmentId?: string | null;
  version: number;
  updatedAt: Date;
  deletedAt?: Date | null;
}

/** Describes one kind of owned record of a service (`ownedRecords`). */
export interface OwnedRecordsDefinition<T extends OwnedRow> {
  /** The MikroORM entity; its table has `id`, `owner_id`, `department_id`, `deleted_at` columns. */
  entity: EntitySchema<T, never>;
  /** The audit entity type and the event aggregate type (`company`, `company-group`). */
  aggregate: string;
  /** The table, schema-qualified (`partners.company`), and the alias list SQL uses for it (`c`). */
  table: string;
  alias: string;
  /** The feature's 404 problem, for what does not exist and what the caller may not see alike. */
  notFound: () => ProblemError;
  /** The event types of `created`, `updated` and `deleted` changes (`partners.company.created`, …). */
  events: { created: string; updated: string; deleted: string };
  /** The fields an audit entry compares, in the record's snapshot (usually its DTO). */
  audit: { fields: readonly string[]; snapshot: (record: T) => Record<string, unknown> };
  /** The data of the record's `created` and `updated` events; `changed` names what an update changed. */
  eventData: (record: T, changed?: string[]) => unknown;
}

/** One change of owned records, as `recordChange` writes it. */
export interface RecordChange<T> {
  /** The audit action; `created`, `updated` and `deleted` publish the definition's events. */
  action: 'created' | 'updated' | 'deleted' | (string & {});
  /** The event type, when not the action's own. */
  event?: string;
  /** The event's data, read after the flush, so it carries the new version; the definition's `eventData` when left out. */
  data?: (record: T) => unknown;
  /** What changed, for the audit trail (`diffFields`); nothing when left out (a delete). */
  changes?: FieldChanges | ((record: T) => FieldChanges);
  /** The time the change stamps as `updatedAt` (not on `created`); now when left out. */
  at?: Date;
}

export interface FindVisibleOptions {
  /** Locks the row (`for update`) until the transaction ends: serialises writes to the record. */
  lock?: boolean;
  /** The version the client edited (`requiredIfMatch`): another one is a 412. */
  version?: number;
}

/** The kit's pieces for one kind of owned record, bound to its definition (`ownedRecords`). */
export interface OwnedRecords<T extends OwnedRow> {
  readonly definition: OwnedRecordsDefinition<T>;
  /** The record, not deleted, if the caller may see it; otherwise the definition's 404, whether it exists or not. */
  findVisible(em: EntityManager, who: Principal, id: string, opts?: FindVisibleOptions): Promise<T>;
  /** A page of records the caller may see: visibility, filter, sort, signed keyset cursor, optional count. */
  list<D>(em: EntityManager, who: Principal, query: ListQuery, opts: ListPageOptions<T, D>): Promise<Page<D>>;
  /**
   * Writes a change of records in the caller's transaction: stamps `updatedAt` (so the version moves) unless
   * they were created, flushes, then records each one's audit entry and its event, scoped to its owner and
   * department. Records created together are flushed in one batch.
   */
  recordChange(tx: EntityManager, who: Pick<Principal, 'id' | 'name'>, records: T | readonly T[], change: RecordChange<T>): Promise<void>;
  /** `recordChange` of records just created (`tx.create`): one flush, then each one's audit entry (every audited field) and `created` event. */
  recordCreated(tx: EntityManager, who: Pick<Principal, 'id' | 'name'>, records: T | readonly T[]): Promise<void>;
  /**
   * Applies `next` to the record if it changes an audited field, and writes that as an `updated` change (audit
   * entry and event naming the changed fields, version moved). Answers what changed: nothing, nothing written.
   */
  update(tx: EntityManager, who: Pick<Principal, 'id' | 'name'>, record: T, next: object): Promise<FieldChanges>;
  /** Deletes the record softly (`deletedAt`), with its audit entry and `deleted` event (`{ id }`). */
  softDelete(tx: EntityManager, who: Pick<Principal, 'id' | 'name'>, record: T): Promise<void>;
  /** The audit trail of a record the caller may see; otherwise the 404. */
  audit(em: EntityManager, who: Principal, id: string): ReturnType<typeof listAudit>;
}

/** The scope an owned record's events carry: its owner and department. */
export const ownedScope = (r: Pick<OwnedRow, 'ownerId' | 'departmentId'>): EventScope => ({ ownerId: r.ownerId, departmentId: r.departmentId ?? null });

/**
 * The kit's pieces for one kind of owned record: find-visible answering 404, the list page, audit and event
 * of a change with its version, soft delete. A service makes one per entity and calls it from its use cases.
 */
export function ownedRecords<T extends OwnedRow>(definition: OwnedRecordsDefinition<T>): OwnedRecords<T> {
  const { entity, aggregate, events, audit: { fields, snapshot } } = definition;

  const findVisible = async (em: EntityManager, who: Principal, id: string, opts: FindVisibleOptions = {}): Promise<T> => {
    const where = { id, deletedAt: null, ...visibilityWhere(visibilityScope(who), { owner: 'ownerId', department: 'departmentId' }) };
    const record = await em.findOne(entity, where as never, opts.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    if (!record) throw definition.notFound();
    if (opts.version !== undefined) assertVersion(record.version, opts.version);
    return record as T;
  };

  const recordChange: OwnedRecords<T>['recordChange'] = async (tx, who, records, change) => {
    const list: readonly T[] = Array.isArray(records) ? records : [records as T];
    if (change.action !== 'created') {
      const at = change.at ?? new Date();
      for (const r of list) r.updatedAt = at;
    }
    await tx.flush();
    const type = change.event ?? (events as Record<string, string>)[change.action];
    if (!type) throw new Error(`no event type for the ${aggregate} change "${change.action}"`);
    for (const r of list) {
      const changes = typeof change.changes === 'function' ? change.changes(r) : (change.changes ?? {});
      recordAudit(tx, { entityType: aggregate, entityId: r.id, action: change.action, actor: who, changes });
      const data = change.data ? change.data(r) : definition.eventData(r, change.action === 'updated' ? Object.keys(changes) : undefined);
      recordEvent(tx, { type, aggregate: { type: aggregate, id: r.id }, data, scope: ownedScope(r), actor: who });
    }
  };

  return {
    definition,
    findVisible,
    list: (em, who, query, opts) => listPage(em, who, definition, query, opts),
    recordChange,
    recordCreated: (tx, who, records) => recordChange(tx, who, records, { action: 'created', changes: (r) => diffFields({}, snapshot(r), fields) }),
    update: async (tx, who, record, next) => {
      const before = snapshot(record);
      const changes = diffFields(before, { ...before, ...next }, fields);
      if (Object.keys(changes).length === 0) return changes;
      tx.assign(record, next as never);
      await recordChange(tx, who, record, { action: 'updated', changes });
      return changes;
    },
    softDelete: async (tx, who, record) => {
      const at = new Date();
      record.deletedAt = at;
      await recordChange(tx, who, record, { action: 'deleted', data: (r) => ({ id: r.id }), at });
    },
    audit: async (em, who, id) => {
      await findVisible(em, who, id);
      return listAudit(em, aggregate, id);
    },
  };
}
