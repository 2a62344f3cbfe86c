import { uuidv7 } from 'uuidv7';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from './auth';
import { AuditEntry } from './db';

export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** The fields whose values differ between two snapshots (deep, by JSON). */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>, fields: readonly string[]): FieldChanges {
  const changes: FieldChanges = {};
  for (const f of fields) {
    const a = before[f] ?? null;
    const b = after[f] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[f] = { from: a, to: b };
  }
  return changes;
}

/** Records who changed which fields of a record; part of the same transaction as the change. */
export function recordAudit(
  em: EntityManager,
  entry: { entityType: string; entityId: string; action: 'created' | 'updated' | 'deleted' | string; actor: Pick<Principal, 'id' | 'name'>; changes: FieldChanges },
): void {
  em.create(AuditEntry, {
    id: uuidv7(),
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    actorId: entry.actor.id,
    actorName: entry.actor.name,
    at: new Date(),
    changes: entry.changes,
  });
}

/** The audit trail of one record, newest first, as the API shows it. */
export async function listAudit(em: EntityManager, entityType: string, entityId: string, limit = 200) {
  const rows = await em.find(AuditEntry, { entityType, entityId }, { orderBy: { at: 'desc', id: 'desc' }, limit });
  return rows.map((r) => ({ id: r.id, action: r.action, at: r.at.toISOString(), actor: { id: r.actorId, name: r.actorName }, changes: r.changes }));
}
