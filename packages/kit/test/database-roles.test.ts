import { beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { SERVICE_NAMES } from '@kapocs/contracts';
import { migrate, ormFor, type ServiceDefinition } from '../src';
import { databaseUrlAs, env, freshDatabase } from '../src/testing';

// What deploy/local/stack.mjs sets up on the stack's cluster: durable settings, and a role per service that owns
// that service's schema (in the `kapocs` database and in template1, so every test database has them too).
const SERVICES = SERVICE_NAMES;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
const one = async (url: string, sql: string) => withClient(url, async (c) => (await c.query(sql)).rows[0] as Record<string, unknown>);
/** The error message a statement fails with, or 'ok'. */
const outcome = (url: string, sql: string) => withClient(url, (c) => c.query(sql).then(() => 'ok', (err: Error) => err.message));

describe("the local stack's servers", () => {
  it('runs the cluster durably: fsync, synchronous_commit and full_page_writes are on', async () => {
    // the stack's own `postgres` database, not a test database (those turn synchronous_commit off for themselves)
    const url = Object.assign(new URL(env('DATABASE_URL')), { pathname: '/postgres' }).toString();
    for (const setting of ['fsync', 'synchronous_commit', 'full_page_writes']) {
      expect(await one(url, `show ${setting}`), setting).toEqual({ [setting]: 'on' });
    }
  });

  it("runs NATS JetStream syncing every write to disk before it acknowledges it (sync_interval: always)", async () => {
    const varz = await (await fetch(`http://127.0.0.1:${env('NATS_MONITOR_PORT')}/varz`)).json() as { jetstream?: { config?: { sync_always?: boolean } } };
    expect(varz.jetstream?.config?.sync_always).toBe(true);
  });

  it('gives each service its own role, owner of its schema in the kapocs database, and its own DATABASE_URL', async () => {
    const admin = env('DATABASE_URL');
    for (const service of SERVICES) {
      const own = env(`${service.toUpperCase()}_DATABASE_URL`);
      expect(new URL(own).username).toBe(service);
      expect(new URL(own).pathname).toBe(new URL(admin).pathname);
      expect(await one(own, 'select current_user as "user", (select rolsuper from pg_roles where rolname = current_user) as super'))
        .toEqual({ user: service, super: false });
      expect(await one(admin, `select pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = '${service}'`)).toEqual({ owner: service });
      // nothing in its schema belongs to anyone else
      expect(await one(admin, `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = '${service}' and pg_get_userbyid(c.relowner) <> '${service}'`)).toEqual({ n: 0 });
    }
  });
});

describe('a service role on a test database (made from template1)', () => {
  let url: string;
  const as = (role: string) => databaseUrlAs(url, role);

  beforeAll(async () => {
    url = await freshDatabase('roles');
    // each service's migrations as the owner of its schema: the kit's tables (outbox, inbox, audit, …) and a
    // table named like partners' and reporting's own
    for (const service of SERVICES) {
      const def: ServiceDefinition = { name: service, defaultPort: 0, entities: [], migrations: [] };
      const orm = await ormFor(def, as(service), { poolMax: 1 });
      try {
        await migrate(orm, service, as(service));
      } finally {
        await orm.close();
      }
    }
    await outcome(as('partners'), 'create table partners.company (id uuid primary key, name text not null)');
    await outcome(as('reporting'), 'create table reporting.company_projection (id uuid primary key, name text not null)');
  });

  it('migrations ran as the schema owner: every table of a schema belongs to its service role', async () => {
    const rows = await withClient(url, async (c) => (await c.query(
      `select n.nspname as schema, pg_get_userbyid(c.relowner) as owner, count(*)::int as tables from pg_class c
       join pg_namespace n on n.oid = c.relnamespace where n.nspname = any($1) and c.relkind = 'r' group by 1, 2 order by 1`,
      [SERVICES])).rows);
    expect(rows.map((r) => [r.schema, r.owner])).toEqual([...SERVICES].sort().map((s) => [s, s]));
    expect(rows.every((r) => r.tables >= 5)).toBe(true);
  });

  it('the partners role cannot read another service\'s schema, and the reporting role cannot read partners.company', async () => {
    expect(await outcome(as('partners'), 'select count(*) from partners.company')).toBe('ok');
    expect(await outcome(as('partners'), 'select count(*) from reporting.company_projection')).toBe('permission denied for schema reporting');
    expect(await outcome(as('reporting'), 'select count(*) from reporting.company_projection')).toBe('ok');
    expect(await outcome(as('reporting'), 'select count(*) from partners.company')).toBe('permission denied for schema partners');
    expect(await outcome(as('reporting'), `insert into partners.company values (gen_random_uuid(), 'x')`)).toBe('permission denied for schema partners');
  });

  it('no service role can read or write any other service\'s tables, create schemas or create in public', async () => {
    for (const role of SERVICES) {
      for (const schema of SERVICES) {
        const read = await outcome(as(role), `select count(*) from "${schema}".outbox`);
        expect(read, `${role} reading ${schema}.outbox`).toBe(role === schema ? 'ok' : `permission denied for schema ${schema}`);
      }
      expect(await outcome(as(role), `create schema ${role}_extra`)).toMatch(/^permission denied for database/);
      expect(await outcome(as(role), 'create table public.stray (id int)')).toBe('permission denied for schema public');
      // the extensions in public stay usable (partners' search calls unaccent and the trigram operators)
      expect(await outcome(as(role), `select unaccent('Árvíztűrő'), similarity('kapocs', 'kapocsok')`)).toBe('ok');
    }
  });

  it('trades durability for speed on this database only: synchronous_commit off here, on in the cluster', async () => {
    expect(await one(as('partners'), 'show synchronous_commit')).toEqual({ synchronous_commit: 'off' });
    expect(await one(as('partners'), 'show fsync')).toEqual({ fsync: 'on' });
  });

});
