import type { EntitySchema, MikroORM } from '@mikro-orm/postgresql';
import type { MigrationObject } from '@mikro-orm/core';
import { z } from 'zod';
import { createTokenVerifier, type TokenVerifier } from './auth';
import { baseConfigShape, loadConfig } from './config';
import { createOrm, migrate } from './db';
import { idempotencyPlugin } from './idempotency';
import { replayDeadLetters, startConsumer, type EventHandler, type RunningConsumer } from './inbox';
import { useCursorSecret } from './list';
import { connectNats, ensureStreams, type Nats } from './nats';
import { startOutboxRelay } from './outbox';
import { createService, serve, type ServiceApp } from './service';
import { retryWhileUnavailable } from './availability';
export * from './jobs';
import { installJobQueue, jobQueue, jobsConfigShape, startJobs, type JobDefinitions, type JobQueue, type RunningJobs } from './jobs';

/** A consumer a service runs: a durable on another service's stream. */
export interface ConsumerDefinition {
  stream: string;
  durable: string;
  handlers: Record<string, EventHandler>;
}

export interface ServiceDeps {
  orm: MikroORM;
  verify: TokenVerifier;
  nats?: Nats;
  logLevel?: string;
  /** The environment main.ts read; a service parses its own keys from it with `loadConfig` (tests pass their own). */
  env?: Record<string, string | undefined>;
}

/** A service's own configuration, parsed from the environment once at start. */
export type ServiceConfig<S extends z.ZodRawShape> = Readonly<z.infer<z.ZodObject<S>>>;

/** What routes and workers are given: the deps, the service's parsed config and its job queue. */
export interface ServiceContext<S extends z.ZodRawShape = z.ZodRawShape> extends ServiceDeps {
  config: ServiceConfig<S>;
  /** Enqueues background jobs inside the caller's transaction (`jobs.add(tx, task, payload)`). */
  jobs: JobQueue;
}

/** What workers are given: no app, a logger of their own. */
export interface WorkerContext<S extends z.ZodRawShape = z.ZodRawShape> extends Omit<ServiceContext<S>, 'verify'> {
  log: ServiceApp['log'];
}

/** What makes one service: its schema, its config, its routes, its background jobs, the events it consumes. The kit does the rest. */
export interface ServiceDefinition<S extends z.ZodRawShape = z.ZodRawShape> {
  /** Name and schema (`partners`). */
  name: string;
  defaultPort: number;
  entities: EntitySchema<any, any>[];
  migrations: MigrationObject[];
  /** The service's own environment keys (zod), read once at start; a missing or bad key stops the start naming it. */
  config?: S;
  /** Registers the service's routes. */
  routes?(app: ServiceApp, ctx: ServiceContext<S>): void | Promise<void>;
  /**
   * The service's background jobs by task name (`jobs.ts`): run by every replica unless `WORKERS=off`, started
   * when the app is ready and stopped when it closes.
   */
  workers?(ctx: WorkerContext<S>): JobDefinitions;
  consumers?: ConsumerDefinition[];
  bodyLimit?: number;
  /**
   * Servers the service uses besides PostgreSQL and NATS (object storage…), as readiness checks reported in
   * /readyz that never make it unready: what does not need them goes on working, what does answers 503.
   */
  degradable?(config: Readonly<z.infer<z.ZodObject<S>>>): Record<string, () => Promise<unknown>>;
}

/** Declares a service, keeping its config's type for its routes and workers. */
export const defineService = <S extends z.ZodRawShape>(def: ServiceDefinition<S>): ServiceDefinition<S> => def;

/** The service's ORM on a database URL (tests pass their own). */
export const ormFor = (def: ServiceDefinition, clientUrl: string, opts: { poolMax?: number } = {}) =>
  createOrm({ clientUrl, schema: def.name, entities: def.entities, migrations: def.migrations, ...opts });

/** The service's Fastify app, not listening: what tests `inject` into. Its workers run while it is ready (`WORKERS=off`: none). */
export async function buildServiceApp<S extends z.ZodRawShape>(def: ServiceDefinition<S>, deps: ServiceDeps): Promise<ServiceApp> {
  const env = deps.env ?? {};
  const config = loadConfig(def.config ?? ({} as S), env);
  const jobsConfig = loadConfig(jobsConfigShape, env);
  const app = await createService({
    name: def.name,
    verify: deps.verify,
    logLevel: deps.logLevel ?? 'info',
    ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
    readiness: { postgres: () => deps.orm.em.getConnection().execute('select 1') },
    // without NATS a service still answers and writes (its events wait in the outbox): reported, never unready
    degradable: { ...(deps.nats ? { nats: () => deps.nats!.nc.flush() } : {}), ...def.degradable?.(config) },
  });
  await app.register(idempotencyPlugin, { orm: deps.orm });
  // list cursors are signed: every replica must sign alike (without CURSOR_SECRET, the key follows DATABASE_URL)
  const cursorSecret = deps.env?.CURSOR_SECRET || deps.env?.DATABASE_URL;
  if (cursorSecret) useCursorSecret(cursorSecret);
  const log = app.log.child({ component: 'workers' });
  const definitions = def.workers?.({ orm: deps.orm, nats: deps.nats, logLevel: deps.logLevel, env, config, jobs: jobQueue(def.name), log }) ?? {};
  const jobs = jobQueue(def.name, definitions);
  await def.routes?.(app, { ...deps, config, jobs });
  let running: RunningJobs | null = null;
  const start = async () => {
    if (!running && jobsConfig.WORKERS === 'on' && Object.keys(definitions).length) {
      running = await startJobs({ orm: deps.orm, schema: def.name, definitions, log, config: jobsConfig });
    }
  };
  app.addHook('onReady', async () => {
    // the queue's functions exist on every replica (routes enqueue), its workers only where WORKERS=on
    await installJobQueue(deps.orm.config.getClientUrl(), def.name);
    await start();
  });
  app.addHook('onClose', async () => { await running?.stop(); running = null; });
  workersByApp.set(app, { start, stop: async () => { const r = running; running = null; await r?.stop(); } });
  return app;
}

const workersByApp = new WeakMap<object, { start(): Promise<void>; stop(): Promise<void> }>();

/**
 * Stops the workers of an app built by `buildServiceApp` while it goes on answering, until `startServiceWorkers`
 * (tests: so that another app's workers alone take the jobs).
 */
export async function stopServiceWorkers(app: ServiceApp): Promise<void> {
  await workersByApp.get(app)?.stop();
}

export async function startServiceWorkers(app: ServiceApp): Promise<void> {
  await workersByApp.get(app)?.start();
}

const configFor = (def: ServiceDefinition, env: Record<string, string | undefined>) =>
  loadConfig({ ...baseConfigShape, PORT: z.coerce.number().int().min(0).max(65535).default(def.defaultPort) }, env);

/** `npm run migrate`: applies pending migrations and exits (the Kubernetes migration Job runs this too). */
export async function migrateService(def: ServiceDefinition, env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = configFor(def, env);
  const orm = await ormFor(def, config.DATABASE_URL);
  try {
    await migrate(orm, def.name, config.DATABASE_URL);
    await installJobQueue(config.DATABASE_URL, def.name);
  } finally {
    await orm.close();
  }
}

/**
 * `main.ts` of every service: config, migrations, NATS and its stream, the app, the outbox relay, the
 * consumers, then listen; on SIGTERM everything stops in reverse order.
 */
export async function runService(def: ServiceDefinition, env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = configFor(def, env);
  // start-up waits for PostgreSQL and NATS (a pod may start before them, or during their restart)
  const startLog = { warn: (o: object, m?: string) => console.warn(JSON.stringify({ level: 40, service: def.name, msg: m, ...o })) };
  const orm = await ormFor(def, config.DATABASE_URL);
  await retryWhileUnavailable('migrations', () => migrate(orm, def.name, config.DATABASE_URL), { log: startLog });
  await retryWhileUnavailable('job queue', () => installJobQueue(config.DATABASE_URL, def.name), { log: startLog });
  const nats = await connectNats(config.NATS_URL, def.name);
  await retryWhileUnavailable('JetStream streams', () => ensureStreams(nats.jsm, def.name), { log: startLog });
  const verify = createTokenVerifier({ issuer: config.OIDC_ISSUER, jwksUrl: config.OIDC_JWKS_URL, audience: config.OIDC_AUDIENCE });
  const app = await buildServiceApp(def, { orm, verify, nats, logLevel: config.LOG_LEVEL, env });
  const relay = config.OUTBOX_RELAY === 'on' ? startOutboxRelay({ clientUrl: config.DATABASE_URL, schema: def.name, js: nats.js, log: app.log }) : null;
  const consumers: RunningConsumer[] = [];
  if (config.CONSUMERS === 'on') {
    for (const c of def.consumers ?? []) {
      // the publisher's stream may not exist yet when this service starts first
      await retryWhileUnavailable('JetStream streams', () => ensureStreams(nats.jsm, c.stream.toLowerCase()), { log: app.log });
      consumers.push(await startConsumer({ orm, nats, stream: c.stream, durable: c.durable, handlers: c.handlers, log: app.log }));
    }
  }
  await serve(app, {
    host: config.HOST,
    port: config.PORT,
    onStop: [
      ...consumers.map((c) => () => c.stop()),
      async () => relay?.stop(),
      () => nats.nc.drain(),
      () => orm.close(),
    ],
  });
}

/**
 * The operator's replay command: runs every dead letter of the service's consumers through the same
 * idempotent path again (after the cause is fixed), and answers what happened per consumer.
 */
export async function replayServiceDeadLetters(def: ServiceDefinition, env: Record<string, string | undefined> = process.env) {
  const config = configFor(def, env);
  const orm = await ormFor(def, config.DATABASE_URL);
  const nats = await connectNats(config.NATS_URL, `${def.name}-replay`);
  try {
    const results: Record<string, { replayed: number; failed: number }> = {};
    for (const c of def.consumers ?? []) results[c.durable] = await replayDeadLetters({ orm, nats, durable: c.durable, handlers: c.handlers });
    return results;
  } finally {
    await nats.nc.drain();
    await orm.close();
  }
}
