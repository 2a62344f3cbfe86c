import pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';

export * from './processes';
export * from './load';
export * from './otlp';
export * from './schemathesis';
export * from './service';

/** The demo users of the realm (password `kapocs`). */
export const demoUsers = ['admin', 'dora.director', 'csilla.manager', 'anna.sales', 'bela.sales', 'erik.marketing'] as const;
export type DemoUser = (typeof demoUsers)[number];

/** Reads a variable the test setup put in the environment (from deploy/local/env.mjs). */
export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run tests through vitest at the repo root (it loads deploy/local/env.mjs).`);
  return v;
}

/** Fails with a message saying how to start the server when it does not answer. */
export async function requireServer(name: string, url: string): Promise<void> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    if (res.status >= 500) throw new Error(`status ${res.status}`);
  } catch (err) {
    throw new Error(`${name} is not reachable at ${url} (${(err as Error).message}). Start the local stack: npm run stack:up`);
  }
}

const tokens = new Map<string, { token: string; expires: number }>();

/** A real access token for a demo user, from Keycloak's password grant on client `crm-cli`. */
export async function tokenFor(username: DemoUser | string, password = 'kapocs'): Promise<string> {
  const cached = tokens.get(username);
  if (cached && cached.expires > Date.now() + 30_000) return cached.token;
  const url = `${env('KEYCLOAK_URL')}/realms/crm/protocol/openid-connect/token`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: 'crm-cli', username, password, scope: 'openid' }),
    });
  } catch (err) {
    throw new Error(`Keycloak is not reachable at ${url} (${(err as Error).message}). Start the local stack: npm run stack:up`);
  }
  if (!res.ok) throw new Error(`Keycloak refused a token for ${username}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { access_token: string; expires_in: number };
  tokens.set(username, { token: body.access_token, expires: Date.now() + body.expires_in * 1000 });
  return body.access_token;
}

/** `{ authorization: 'Bearer …' }` for a demo user. */
export async function authAs(username: DemoUser | string): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await tokenFor(username)}` };
}

/** The subject (user id) in a user's token. */
export async function userIdOf(username: DemoUser | string): Promise<string> {
  const token = await tokenFor(username);
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub as string;
}

/**
 * A database of its own for this Vitest worker (`kapocs_t_<name>_<worker>`), created fresh, so workers never
 * share rows. Answers its URL: as the administrator, or with `{ as: 'partners' }` as that service's role, which
 * owns its schema there (made from template1 by the local stack) and may use nothing else. Commits in it are not
 * waited for on disk (`synchronous_commit = off` for this database only; the cluster stays durable).
 */
export async function freshDatabase(name: string, opts: { as?: string } = {}): Promise<string> {
  const base = new URL(env('DATABASE_URL'));
  const worker = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0';
  // KAPOCS_TEST_DB_TAG keeps concurrent runs (several engineers on one stack) off each other's databases
  const tag = (process.env.KAPOCS_TEST_DB_TAG ?? '').replace(/\W/g, '_').slice(0, 20);
  const db = `kapocs_t_${name.replace(/\W/g, '_')}_${worker}${tag ? `_${tag}` : ''}`;
  const admin = new pg.Client({ connectionString: Object.assign(new URL(base), { pathname: '/postgres' }).toString() });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${base.host} (${(err as Error).message}). Start the local stack: npm run stack:up`);
  }
  try {
    await admin.query(`drop database if exists "${db}" with (force)`);
    await admin.query(`create database "${db}"`);
    await admin.query(`alter database "${db}" set synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${db}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  await c.query('create extension if not exists unaccent; create extension if not exists pg_trgm');
  await c.end();
  return opts.as ? databaseUrlAs(url.toString(), opts.as) : url.toString();
}

/** The same database as another role (locally PostgreSQL trusts loopback: no password). */
export function databaseUrlAs(url: string, role: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = '';
  return u.toString();
}

/** Empties every table of the ORM's schema except the migrations table. */
export async function truncateAll(orm: MikroORM): Promise<void> {
  const schema = orm.config.get('schema');
  const rows = await orm.em.getConnection().execute<{ tablename: string }[]>(
    // the job queue's bookkeeping stays (its migrations and task names, cached by running workers); its jobs go
    `select tablename from pg_tables where schemaname = ? and tablename not in ('mikro_orm_migrations', 'migrations', '_private_tasks')`,
    [schema],
  );
  if (!rows.length) return;
  const sql = `truncate ${rows.map((r) => `"${schema}"."${r.tablename}"`).join(', ')} cascade`;
  // a service's background workers (relay, duplicate refresh) may hold row locks: a deadlock is retried
  for (let attempt = 1; ; attempt++) {
    try {
      await orm.em.getConnection().execute(sql);
      return;
    } catch (err) {
      if (attempt >= 5 || !/deadlock detected/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

/** Polls until the function answers a truthy value, or fails after the timeout. */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, { timeoutMs = 10_000, intervalMs = 100, what = 'condition' } = {}): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** How many messages on a stream's subject since a time carry the given event id. */
export async function copiesOfEvent(js: import('@nats-io/jetstream').JetStreamClient, stream: string, subject: string, eventId: string, since: Date): Promise<number> {
  const { DeliverPolicy } = await import('@nats-io/jetstream');
  const c = await js.consumers.get(stream, { filter_subjects: [subject], deliver_policy: DeliverPolicy.StartTime, opt_start_time: since.toISOString() });
  let n = 0;
  for (;;) {
    const m = await c.next({ expires: 1000 });
    if (!m) break;
    if ((JSON.parse(m.string()) as { id: string }).id === eventId) n++;
    if (m.info.pending === 0) break;
  }
  return n;
}
