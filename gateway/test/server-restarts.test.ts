import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  authAs, closedLoop, freePort, startNatsServer, startNodeEntry, startPostgresServer, stopProcesses, waitFor,
  type TestPostgres, type TestProcess,
} from '@kapocs/kit/testing';
import { SERVICES } from '../src/config';

// The real processes (gateway, partners and reporting main.ts) on a PostgreSQL and a NATS of this test's own,
// which it SIGKILLs and restarts while companies are written through the gateway: nothing may exit, nothing
// may hang, nothing answered 201 may be lost, and no event may be applied twice.
const entry = (path: string) => fileURLToPath(new URL(path, import.meta.url));

let db: TestPostgres;
let nats: Awaited<ReturnType<typeof startNatsServer>>;
let gatewayUrl: string;
let partnersUrl: string;
let apps: TestProcess[];
let sql: (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>;

beforeAll(async () => {
  db = await startPostgresServer();
  nats = await startNatsServer();
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query('create database kapocs');
  await admin.end();
  const database = db.urlOf('kapocs');
  const setup = new pg.Client({ connectionString: database });
  await setup.connect();
  await setup.query('create extension if not exists unaccent; create extension if not exists pg_trgm');
  await setup.end();
  // a fresh client per query: the test's own connections die with the server too
  sql = async (text, values = []) => {
    const c = new pg.Client({ connectionString: database });
    await c.connect();
    try { return (await c.query(text, values as unknown[])).rows; } finally { await c.end(); }
  };

  const [partnersPort, reportingPort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
  const service = (name: string, port: number) =>
    startNodeEntry(name, entry(`../../services/${name}/src/main.ts`), {
      env: { PORT: String(port), DATABASE_URL: database, NATS_URL: nats.url, LOG_LEVEL: 'warn' },
      readyUrl: `http://127.0.0.1:${port}/readyz`,
    });
  const [partners, reporting] = await Promise.all([service('partners', partnersPort), service('reporting', reportingPort)]);
  partnersUrl = `http://127.0.0.1:${partnersPort}`;
  const upstreams: Record<string, string> = {};
  for (const s of SERVICES) upstreams[`${s.toUpperCase()}_URL`] = `http://127.0.0.1:${await freePort()}`;
  upstreams.PARTNERS_URL = partnersUrl;
  upstreams.REPORTING_URL = `http://127.0.0.1:${reportingPort}`;
  gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const gateway = await startNodeEntry('gateway', entry('../src/main.ts'), {
    env: { ...upstreams, GATEWAY_PORT: String(gatewayPort), LOG_LEVEL: 'warn' },
    readyUrl: `${gatewayUrl}/healthz`,
  });
  apps = [gateway, partners!, reporting!];
}, 180_000);

afterAll(async () => {
  await stopProcesses();
  await nats?.stop();
  await db?.stop();
});

interface Outcome { status: number; ms: number; id?: string; problem?: { type?: string; status?: number }; retryAfter?: string | null; error?: string }

/** One company created through the gateway; a request that takes longer than 5 s counts as hung. */
async function createCompany(name: string): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await fetch(`${gatewayUrl}/api/partners/companies`, {
      method: 'POST',
      headers: { ...(await authAs('anna.sales')), 'content-type': 'application/json' },
      body: JSON.stringify({ name, kind: 'prospect' }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await res.json().catch(() => ({}))) as { id?: string; type?: string; status?: number };
    const ms = performance.now() - started;
    return res.status === 201
      ? { status: 201, ms, id: body.id! }
      : { status: res.status, ms, problem: body, retryAfter: res.headers.get('retry-after') };
  } catch (err) {
    return { status: 0, ms: performance.now() - started, error: (err as Error).message };
  }
}

/** Writers that keep creating companies until told to stop, `concurrency` at a time. */
function writers(prefix: string, concurrency = 3) {
  const load = closedLoop(concurrency, (n) => createCompany(`${prefix} ${n} Kft.`), { pauseMs: (o) => (o.status === 201 ? 0 : 50) });
  return { outcomes: load.outcomes, stop: load.stop, created: () => load.outcomes.filter((o) => o.status === 201).length };
}

const alive = () => apps.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null).map((p) => `${p.name} exited:\n${p.output().slice(-3000)}`);

/** Every company partners holds is in reporting's projection once, and the department counts add up to them. */
async function expectProjectedExactlyOnce(ids: string[]) {
  const inPartners = new Set((await sql('select id from partners.company')).map((r) => r.id as string));
  for (const id of ids) expect(inPartners.has(id), `company ${id} answered 201 is in partners`).toBe(true);
  await waitFor(async () => (await sql('select count(*)::int as n from partners.outbox where published_at is null'))[0]!.n === 0, { timeoutMs: 30_000, what: 'the outbox drained' });
  await waitFor(async () => (await sql('select count(*)::int as n from reporting.company_projection'))[0]!.n === inPartners.size, { timeoutMs: 30_000, what: 'every company projected' });
  const projected = new Set((await sql('select id from reporting.company_projection')).map((r) => r.id as string));
  expect([...inPartners].filter((id) => !projected.has(id))).toEqual([]);
  // the counter is incremented once per applied event: a second application would make the sum larger
  const [sum] = await sql('select coalesce(sum(companies), 0)::int as n from reporting.department_company_count');
  expect(sum!.n).toBe(inPartners.size);
}

describe('PostgreSQL killed and restarted while writes go through the gateway', () => {
  it('no process exits, the outage answers 503 fast, writes resume within 10 s, nothing answered 201 is lost or projected twice', async () => {
    const w = writers('Adatbázis-leállás');
    await waitFor(async () => w.created() >= 30, { timeoutMs: 30_000, what: '30 companies written before the crash' });

    await db.kill();
    const killedAt = w.outcomes.length;
    await new Promise((r) => setTimeout(r, 3_000));
    expect(alive()).toEqual([]);
    const ready = await fetch(`${partnersUrl}/readyz`);
    expect(ready.status, 'partners is unready while PostgreSQL is down').toBe(503);
    const duringOutage = w.outcomes.slice(killedAt + 3); // requests in flight at the kill may still have been answered

    await db.start();
    const backAt = performance.now();
    const resumed = w.outcomes.length;
    await waitFor(async () => w.outcomes.slice(resumed).some((o) => o.status === 201), { timeoutMs: 20_000, intervalMs: 50, what: 'a write succeeding after the restart' });
    const recoveryMs = performance.now() - backAt;
    const createdBefore = w.created();
    await waitFor(async () => w.created() >= createdBefore + 30, { timeoutMs: 30_000, what: '30 more companies after the restart' });
    const outcomes = await w.stop();

    expect(alive()).toEqual([]);
    expect(duringOutage.length, 'writes were attempted during the outage').toBeGreaterThan(5);
    for (const o of duringOutage) {
      if (o.status === 201) continue;
      expect(o.status, JSON.stringify(o)).toBe(503);
      expect(o.problem?.type, JSON.stringify(o)).toMatch(/service-unavailable/);
      expect(o.retryAfter, JSON.stringify(o)).toBeTruthy();
    }
    const slowest = Math.max(...duringOutage.map((o) => o.ms));
    expect(slowest, 'the slowest answer during the outage (ms)').toBeLessThan(1_000);
    expect(outcomes.filter((o) => o.status !== 201 && o.status !== 503), 'only 201 and 503 answers').toEqual([]);
    expect(recoveryMs, 'PostgreSQL back → first 201 (ms)').toBeLessThan(10_000);

    await expectProjectedExactlyOnce(outcomes.filter((o) => o.status === 201).map((o) => o.id!));
    expect(alive()).toEqual([]);
  }, 150_000);
});

describe('NATS killed and restarted while writes go through the gateway', () => {
  it('every write answers 201, and every event reaches the projection exactly once after the restart', async () => {
    const w = writers('Üzenetsor-leállás');
    await waitFor(async () => w.created() >= 20, { timeoutMs: 30_000, what: '20 companies written before the crash' });
    await nats.kill();
    const during = w.created();
    await waitFor(async () => w.created() >= during + 20, { timeoutMs: 30_000, what: '20 companies written while NATS is down' });
    await nats.start();
    const after = w.created();
    await waitFor(async () => w.created() >= after + 20, { timeoutMs: 30_000, what: '20 companies written after the restart' });
    const outcomes = await w.stop();

    expect(outcomes.filter((o) => o.status !== 201), 'every write answered 201').toEqual([]);
    expect(alive()).toEqual([]);
    await expectProjectedExactlyOnce(outcomes.map((o) => o.id!));
  }, 150_000);
});
