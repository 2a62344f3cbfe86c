import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';

const REFRESH = { company: 'partners.refresh_company_duplicates', person: 'partners.refresh_person_duplicates' } as const;

/**
 * Refreshes the pairs of up to `limit` queued records (migration 003500) in one transaction: the queue rows
 * are claimed with SKIP LOCKED, so replicas share the work, and come back if the transaction fails.
 * Answers how many were refreshed.
 */
export async function drainDuplicateChecks(em: EntityManager, entity: keyof typeof REFRESH, limit = 200): Promise<number> {
  return em.transactional(async (tx) => {
    const rows = await tx.execute<{ id: string }[]>(
      `delete from partners.duplicate_check where (entity, id) in (
         select entity, id from partners.duplicate_check where entity = ? order by queued_at limit ? for update skip locked)
       returning id`,
      [entity, limit],
    );
    for (const r of rows) await tx.execute(`select ${REFRESH[entity]}(?)`, [r.id]);
    return rows.length;
  });
}

/** Works the queue in the background while the service runs. */
export function startDuplicatesWorker(orm: MikroORM, log: { error: (o: object, m?: string) => void }, intervalMs = 1000) {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      for (const entity of ['company', 'person'] as const) {
        while ((await drainDuplicateChecks(orm.em.fork(), entity)) > 0) { /* until the queue is empty */ }
      }
    } catch (err) {
      log.error({ err }, 'duplicate refresh failed; retrying');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return { stop: async () => { clearInterval(timer); while (busy) await new Promise((r) => setTimeout(r, 50)); } };
}
