import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { JobDefinitions } from '@kapocs/kit';

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

/**
 * Read-your-own-writes for the duplicates list: refreshes what is queued (bounded, `maxRows`), and waits for
 * queue rows another worker or replica has claimed but not committed yet, which SKIP LOCKED passes over; a
 * FOR SHARE on them blocks until that transaction ends (a deleted row is then no longer returned). Holding no
 * other lock while waiting, the wait cannot deadlock with a worker; `lock_timeout` bounds it.
 */
export async function settleDuplicateChecks(orm: MikroORM, entity: keyof typeof REFRESH, maxRows = 2500): Promise<void> {
  let drained = 0;
  for (let round = 0; round < 10 && drained < maxRows; round++) {
    let n: number;
    do {
      n = await drainDuplicateChecks(orm.em.fork(), entity, 500);
      drained += n;
    } while (n === 500 && drained < maxRows);
    const left = await orm.em.fork().transactional(async (tx) => {
      await tx.execute(`set local lock_timeout = '5s'`);
      try {
        const rows = await tx.execute<{ n: string }[]>(
          `select count(*)::text as n from (select 1 from partners.duplicate_check where entity = ? limit 500 for share) q`, [entity]);
        return Number(rows[0]?.n ?? 0);
      } catch (err) {
        if ((err as { code?: string }).code === '55P03') return 0; // lock_not_available: answer with what is refreshed
        throw err;
      }
    });
    if (left === 0) return;
  }
}

/** The queue's task that refreshes the queued duplicate checks. */
export const DUPLICATES_TASK = 'duplicates.refresh';

/**
 * The duplicate refresh as a recurring job of the kit's queue: one instance across the replicas, run again a
 * second after each run; it drains the queue of each entity. A database outage is waited out by the kit (one
 * line per outage, and one when it runs again).
 */
export function duplicatesWorkers(orm: MikroORM, everyMs = 1000): JobDefinitions {
  return {
    [DUPLICATES_TASK]: {
      everyMs,
      async run() {
        for (const entity of ['company', 'person'] as const) {
          while ((await drainDuplicateChecks(orm.em.fork(), entity)) > 0) { /* until the queue is empty */ }
        }
      },
    },
  };
}
