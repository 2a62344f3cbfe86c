import pg from 'pg';
import { z } from 'zod';
import { Logger as GraphileLogger, run, runMigrations, type Job, type JobHelpers, type Runner, type Task, type WorkerEvents } from 'graphile-worker';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { backoffMs, isUnavailable, sleep } from './availability';

/**
 * Background jobs on graphile-worker, in the service's own schema (the service's role owns it and may create
 * nothing else): enqueued with `add_job` inside the caller's transaction, run by the workers of any replica,
 * retried with backoff. What graphile-worker leaves to us (its free edition unlocks a crashed worker's jobs only
 * after 4 hours) the kit adds without any time window: each worker holds a PostgreSQL advisory lock on a
 * connection of its own while it lives, and a supervisor on every replica hands back the jobs of workers whose
 * lock is gone (`force_unlock_workers`). A job is taken over only when its worker's session has ended, never
 * because it is slow.
 */

/** Keys of the environment the job workers read (`WORKERS=off` runs a replica without them, like OUTBOX_RELAY). */
export const jobsConfigShape = {
  WORKERS: z.enum(['on', 'off']).default('on'),
  /** How often each replica looks for jobs whose worker has died. */
  JOBS_SUPERVISE_MS: z.coerce.number().int().positive().default(5000),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(4),
  /** How often workers look for jobs due later (retries, recurring jobs); new jobs arrive by LISTEN/NOTIFY. */
  JOBS_POLL_MS: z.coerce.number().int().positive().default(1000),
};
export type JobsConfig = Readonly<z.infer<z.ZodObject<typeof jobsConfigShape>>>;

type Log = { error: (o: object, m?: string) => void; warn: (o: object, m?: string) => void; info: (o: object, m?: string) => void; debug?: (o: object, m?: string) => void };

/** What a job handler is given besides its payload. */
export interface JobContext {
  orm: MikroORM;
  log: Log;
  jobId: string;
  /** 1 on the first run; a job resumed after its worker died or after a failure counts on. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when this process stops: leave the work where it is (`throw new JobStopped()`), a worker resumes it. */
  signal: AbortSignal;
}

/** Thrown by a handler that stops because its process is stopping: the job is handed on, not failed. */
export class JobStopped extends Error {
  constructor(message = 'the process is stopping') {
    super(message);
  }
}

/** A background job's handler. Errors that mean "database down" (`isUnavailable`) are retried in place, never counted. */
export type JobHandler<P = any> = (payload: P, ctx: JobContext) => Promise<void>;

export interface JobDefinition<P = any> {
  run: JobHandler<P>;
  /** Runs of a failing job (errors other than an outage) before it is given up; default 5. */
  maxAttempts?: number;
  /** Called once when the job is given up (its last attempt failed, or its worker died on it). */
  onGivenUp?: (payload: P, reason: string, ctx: Pick<JobContext, 'orm' | 'log'>) => Promise<void>;
  /**
   * A recurring job: one instance across the replicas (its job key is its name), run again this long after
   * each run ends, whatever the run's outcome. Started by the bootstrap.
   */
  everyMs?: number;
}

export type JobDefinitions = Record<string, JobDefinition>;

export interface AddJobOptions {
  /** One pending job per key: adding again replaces the pending one (a running one keeps running). */
  key?: string;
  maxAttempts?: number;
  runAt?: Date;
}

/** Enqueues jobs in the service's schema. */
export interface JobQueue {
  /**
   * Adds a job inside the caller's transaction (pass the transaction's EntityManager): it becomes visible to the
   * workers when, and only if, that transaction commits.
   */
  add(em: EntityManager, task: string, payload: unknown, opts?: AddJobOptions): Promise<void>;
}

const quote = (schema: string) => `"${schema.replaceAll('"', '""')}"`;

/** The queue of a service's schema; `maxAttempts` per task from its definitions. */
export function jobQueue(schema: string, definitions: JobDefinitions = {}): JobQueue {
  return {
    async add(em, task, payload, opts = {}) {
      await em.execute(
        `select ${quote(schema)}.add_job(?::text, ?::json, job_key => ?::text, max_attempts => ?::int, run_at => ?::timestamptz)`,
        [task, JSON.stringify(payload ?? {}), opts.key ?? null, opts.maxAttempts ?? definitions[task]?.maxAttempts ?? 5, opts.runAt ?? null],
      );
    },
  };
}

/**
 * Installs or upgrades the queue's tables and functions in the service's schema (idempotent; every replica and the
 * migration Job may run it). graphile-worker would first `create schema if not exists`, which a role without
 * CREATE on the database may not run even for a schema it owns, so its bookkeeping table is made here first.
 */
export async function installJobQueue(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`create table if not exists ${quote(schema)}.migrations (id int primary key, ts timestamptz default now() not null, breaking boolean not null default false)`);
  } finally {
    await client.end().catch(() => undefined);
  }
  await runMigrations({ connectionString, schema, logger: quietLogger });
}

const quietLogger = new GraphileLogger(() => () => undefined);

/** graphile-worker's log lines through the service's logger; connection trouble once per outage, at warn. */
function loggerFor(log: Log) {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const o = { component: 'jobs', ...(scope.taskIdentifier ? { task: scope.taskIdentifier } : {}), ...(scope.jobId ? { jobId: scope.jobId } : {}) };
    const err = (meta as { error?: unknown } | undefined)?.error;
    if (level === 'error' && !(err !== undefined && isUnavailable(err)) && !/Connection terminated|ECONNREFUSED|connection error/i.test(message)) log.error(o, message);
    else if (level === 'error' || level === 'warning') log.warn(o, message);
    else if (level === 'info') log.debug?.(o, message);
  });
}

export interface RunningJobs {
  stop(): Promise<void>;
  /** One supervision round now (tests): answers the ids of dead workers whose jobs were handed back. */
  supervise(): Promise<string[]>;
}

export interface StartJobsOptions {
  orm: MikroORM;
  schema: string;
  definitions: JobDefinitions;
  log: Log;
  config?: Partial<JobsConfig>;
}

/**
 * Starts the workers of a service: graphile-worker on the service's schema with its tasks, the presence
 * locks of its workers, the supervisor that hands back dead workers' jobs, and the recurring jobs.
 * Waits for the database at start (`isUnavailable`), and restarts graphile-worker if it ever ends by an error.
 */
export async function startJobs(opts: StartJobsOptions): Promise<RunningJobs> {
  const { orm, schema, definitions, log } = opts;
  const config = { JOBS_SUPERVISE_MS: 5000, JOBS_CONCURRENCY: 4, JOBS_POLL_MS: 1000, ...opts.config };
  const connectionString = orm.config.getClientUrl();
  const stopping = new AbortController();
  const lockKey = `${schema}:jobs-worker`;

  // presence: one advisory lock per live worker, held on a connection of this process
  const workers = new Set<string>();
  let presence: pg.Client | null = null;
  let presenceReady: Promise<void> | null = null;
  const connectPresence = (): Promise<void> => (presenceReady ??= (async () => {
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      const client = new pg.Client({ connectionString, application_name: `${schema}-jobs-presence` });
      client.on('error', () => undefined);
      try {
        await client.connect();
        for (const id of workers) await client.query(`select pg_advisory_lock(hashtext($1), hashtext($2))`, [lockKey, id]);
        client.on('end', () => {
          if (presence === client) { presence = null; presenceReady = null; if (!stopping.signal.aborted) void connectPresence(); }
        });
        presence = client;
        return;
      } catch (err) {
        await client.end().catch(() => undefined);
        if (!isUnavailable(err)) log.error({ err }, 'job worker presence failed; retrying');
        await sleep(backoffMs(attempt, 500, 5000));
      }
    }
  })());
  const lockWorker = async (id: string) => {
    workers.add(id);
    try { await presence?.query(`select pg_advisory_lock(hashtext($1), hashtext($2))`, [lockKey, id]); } catch { /* re-taken on reconnect */ }
  };
  const unlockWorker = async (id: string) => {
    workers.delete(id);
    try { await presence?.query(`select pg_advisory_unlock(hashtext($1), hashtext($2))`, [lockKey, id]); } catch { /* the session ends anyway */ }
  };

  const tasks: Record<string, Task> = {};
  for (const [name, def] of Object.entries(definitions)) tasks[name] = taskOf(name, def, { orm, log, schema, signal: stopping.signal, queue: jobQueue(schema, definitions) });

  const pool = new pg.Pool({ connectionString, max: config.JOBS_CONCURRENCY! + 2, connectionTimeoutMillis: 3000, keepAlive: true });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => { client.on('error', () => undefined); });

  let runner: Runner | null = null;
  const startRunner = async () => {
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      try {
        await connectPresence();
        await installJobQueue(connectionString, schema);
        const events = new (await import('node:events')).EventEmitter() as WorkerEvents;
        // a worker must hold its lock before it can take a job: the lock is taken as the worker is created
        events.on('worker:create', ({ worker }) => { void lockWorker(worker.workerId); });
        events.on('worker:release', ({ worker }) => { void unlockWorker(worker.workerId); });
        // graphile-worker 0.17 fetches jobs for its pool: `locked_by` is the pool's id, so the pool holds a lock too
        events.on('pool:create', ({ workerPool }) => { void lockWorker(workerPool.id); });
        events.on('pool:release', ({ workerPool }) => { void unlockWorker(workerPool.id); });
        const r = await run({
          pgPool: pool, schema, taskList: tasks, concurrency: config.JOBS_CONCURRENCY, pollInterval: config.JOBS_POLL_MS,
          noHandleSignals: true, logger: loggerFor(log), events,
        });
        runner = r;
        r.promise.catch((err: unknown) => {
          if (stopping.signal.aborted || runner !== r) return;
          log.warn({ err: { message: (err as Error)?.message } }, 'job workers ended; restarting');
          runner = null;
          void startRunner();
        });
        for (const [name, def] of Object.entries(definitions)) if (def.everyMs) await ensureRecurring(orm, schema, name);
        return;
      } catch (err) {
        if (!isUnavailable(err) && attempt > 3) log.error({ err }, 'job workers could not start; retrying');
        await sleep(backoffMs(attempt, 500, 10_000));
      }
    }
  };

  // the supervisor: a worker is dead when no session holds its lock, twice in a row (a worker's lock is
  // taken a moment after it is created)
  let suspects = new Set<string>();
  const supervise = async (): Promise<string[]> => {
    const rows = await orm.em.fork().execute<{ worker: string }[]>(
      `select distinct j.locked_by as worker from ${quote(schema)}._private_jobs j
        where j.locked_by is not null and not exists (
          select 1 from pg_locks l where l.locktype = 'advisory' and l.granted and l.objsubid = 2
             and l.classid = hashtext(?)::oid and l.objid = hashtext(j.locked_by)::oid)`, [lockKey]);
    const now = new Set(rows.map((r) => r.worker));
    const dead = [...now].filter((w) => suspects.has(w));
    suspects = now;
    if (!dead.length) return [];
    await handBack(orm, schema, definitions, log, dead);
    return dead;
  };
  let supervising = false;
  let failing = false;
  const timer = setInterval(() => {
    if (supervising || stopping.signal.aborted) return;
    supervising = true;
    supervise().then(() => { failing = false; }, (err) => {
      if (!failing || !isUnavailable(err)) log.warn({ err: { message: (err as Error).message } }, 'job supervision failed; retrying');
      failing = true;
    }).finally(() => { supervising = false; });
  }, config.JOBS_SUPERVISE_MS);
  timer.unref();

  await startRunner();

  return {
    supervise,
    async stop() {
      stopping.abort();
      clearInterval(timer);
      await runner?.stop().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await presence?.end().catch(() => undefined);
    },
  };
}

/** Makes sure one instance of a recurring job exists (not a second one beside a running instance). */
async function ensureRecurring(orm: MikroORM, schema: string, name: string) {
  await orm.em.fork().execute(
    `select ${quote(schema)}.add_job(?::text, '{}'::json, job_key => ?::text, max_attempts => 1000)
      where not exists (select 1 from ${quote(schema)}._private_jobs where key = ?)`, [name, name, name]);
}

/** Hands the jobs of dead workers back to the queue; a job that was on its last attempt is given up. */
async function handBack(orm: MikroORM, schema: string, definitions: JobDefinitions, log: Log, dead: string[]) {
  const jobs = await orm.em.fork().execute<{ id: string; task: string; payload: unknown; attempts: number; max_attempts: number }[]>(
    // (the public `jobs` view has no payload)
    `select j.id::text, t.identifier as task, j.payload, j.attempts, j.max_attempts
       from ${quote(schema)}._private_jobs j join ${quote(schema)}._private_tasks t on t.id = j.task_id
      where j.locked_by in (select jsonb_array_elements_text(?::jsonb))`, [JSON.stringify(dead)]);
  // (knex binds a JS array as a list, not as one array value: the ids go as JSON)
  await orm.em.fork().execute(`select ${quote(schema)}.force_unlock_workers(array(select jsonb_array_elements_text(?::jsonb)))`, [JSON.stringify(dead)]);
  for (const job of jobs) {
    if (job.attempts < job.max_attempts) {
      log.info({ jobId: job.id, task: job.task, attempt: job.attempts }, 'resuming a job whose worker stopped');
      continue;
    }
    const reason = `its worker stopped on the last of ${job.max_attempts} attempts`;
    log.error({ jobId: job.id, task: job.task }, `giving up a job: ${reason}`);
    await definitions[job.task]?.onGivenUp?.(job.payload, reason, { orm, log });
    await orm.em.fork().execute(`select ${quote(schema)}.permanently_fail_jobs(array[?::bigint], ?)`, [job.id, reason]);
  }
}

/** The graphile-worker task around a handler: outages are waited out in place, a stop hands the job on. */
function taskOf(name: string, def: JobDefinition, env: { orm: MikroORM; log: Log; schema: string; signal: AbortSignal; queue: JobQueue }): Task {
  return async (payload: unknown, helpers: JobHelpers) => {
    const job: Job = helpers.job;
    const signal = AbortSignal.any([env.signal, helpers.abortSignal ?? new AbortController().signal]);
    const ctx: JobContext = { orm: env.orm, log: env.log, jobId: job.id, attempt: job.attempts, maxAttempts: job.max_attempts, signal };
    let outage = false;
    try {
      for (let wait = 1; ; wait++) {
        try {
          await def.run(payload, ctx);
          if (outage) env.log.info({ task: name, jobId: job.id }, `job ${name} running again`);
          break;
        } catch (err) {
          // the database (or another server the job needs) is down: not the job's fault, not an attempt
          if (isUnavailable(err) && !signal.aborted) {
            if (!outage) env.log.warn({ task: name, jobId: job.id, err: { message: (err as Error).message } }, `job ${name} waiting for its servers`);
            outage = true;
            await sleep(backoffMs(wait, 500, 10_000));
            continue;
          }
          throw err;
        }
      }
    } catch (err) {
      if (err instanceof JobStopped || (signal.aborted && isUnavailable(err))) {
        // stopping: the work is handed on as a new job, this one ends (a worker of any replica takes it)
        if (!def.everyMs) await env.queue.add(env.orm.em.fork(), name, payload, { ...(job.key ? { key: job.key } : {}), maxAttempts: job.max_attempts });
        return;
      }
      if (def.everyMs) env.log.error({ err, task: name }, `recurring job ${name} failed; it runs again`);
      else {
        if (job.attempts >= job.max_attempts) await def.onGivenUp?.(payload, (err as Error)?.message ?? String(err), { orm: env.orm, log: env.log });
        throw err;
      }
    } finally {
      if (def.everyMs) {
        // the next run: this job still holds the key while it runs, so a new job takes it over
        await env.queue.add(env.orm.em.fork(), name, payload, { key: name, maxAttempts: 1000, runAt: new Date(Date.now() + def.everyMs) }).catch(() => undefined);
      }
    }
  };
}
