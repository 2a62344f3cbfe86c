import type { EntityManager } from '@mikro-orm/postgresql';
import type { OwnerRef } from '@kapocs/contracts';
import { recordEvent, type Principal } from '@kapocs/kit';

/**
 * Records `partners.<aggregate>.owner-changed` in the current transaction, scoped to the new owner. It comes
 * beside the aggregate's `updated` event (which carries the full state read models keep), so that consumers
 * interested only in hand-overs (notifications, targets) need not diff every update.
 */
export function recordOwnerChanged(
  em: EntityManager,
  who: Principal,
  change: { type: string; aggregate: 'company' | 'person'; id: string; from: OwnerRef; to: OwnerRef; version: number },
): void {
  recordEvent(em, {
    type: change.type,
    aggregate: { type: change.aggregate, id: change.id },
    data: { id: change.id, from: change.from, to: change.to, version: change.version },
    scope: change.to,
    actor: who,
  });
}
