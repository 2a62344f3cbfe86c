import type { EntityManager } from '@mikro-orm/postgresql';
import { JobStopped, sleep } from '@kapocs/kit';

/** Thrown when another run has claimed the import since (the queue handed it on): this one stops, changing nothing. */
export class Superseded extends Error {}

/** An import as one run of its job holds it: the attempt it claimed, whether the process stops, the knobs. */
export interface Claim {
  attempt: number;
  aborted(): boolean;
  batchRows: number;
  /** Test-only: a pause in each batch's transaction (a slow batch). */
  batchDelayMs: number;
}

/**
 * Moves the import on as its claimed run: the statement only applies while no later run has claimed the import
 * (`attempts` is the fence), inside the batch's transaction, so a superseded run changes nothing.
 */
export async function advance(em: EntityManager, id: string, claim: Claim, set = '', bindings: unknown[] = []) {
  if (claim.aborted()) throw new JobStopped(`import ${id} handed on: the process is stopping`);
  const res = await em.execute<{ id: string }[]>(
    `update partners.import_job set updated_at = now()${set} where id = ? and attempts = ? returning id`, [...bindings, id, claim.attempt]);
  if (!res.length) throw new Superseded(`import ${id} was claimed by a later run`);
}

export const pause = async (claim: Claim) => { if (claim.batchDelayMs > 0) await sleep(claim.batchDelayMs); };
