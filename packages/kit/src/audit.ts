import { uuidv7 } from 'uuidv7';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from './auth';
import { AuditEntry } from './db';

export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** JSON with object keys sorted: jsonb answers keys in its own order, so `{address, label}` must equal `{label, address}`. */
const canonicalJson = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x);

/** The fields whose values differ between two snapshots (deep, by JSON, whatever the order of object keys). */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>, fields: readonly string[]): FieldChanges {
  const changes: FieldChanges = {};
  for (const f of fields) {
    const a = before[f] ?? null;
    const b = after[f] ?? null;
    if (canonicalJson(a) !== canonicalJson(b)) changes[f] = { from: a, to: b };
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
