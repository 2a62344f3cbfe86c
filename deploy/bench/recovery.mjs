// npm run bench:recovery: what durability costs and how the system comes back from a crash of its servers.
// 1. Throughput and p50/p95 of POST /api/partners/companies through the gateway, `--writers` closed-loop writers for
//    `--seconds` each, against PostgreSQL durable (fsync, synchronous_commit, full_page_writes on: the local stack's
//    settings) and the same cluster restarted with all three off; in the order durable, non-durable, durable (half
//    the time each durable part), so that a drift of the machine weighs on both alike. CPU ms per company from /proc.
// 2. PostgreSQL SIGKILLed under writes, `--rounds` times: restart → first 201, the answers during the outage,
//    no process exiting; afterwards every company answered 201 is in partners and projected exactly once.
// 3. NATS SIGKILLed under writes: every write 201, restart → the companies written during the outage projected.
// Like gateway/test/server-restarts.test.ts: the real gateway, partners and reporting main.ts on a PostgreSQL and
// a NATS of the benchmark's own (free loopback ports, temporary folders); the local stack's Keycloak only gives
// the tokens. Stops by itself (a watchdog ends it after `--budget` s) and stops its processes on failure or Ctrl-C.
//   node --import tsx deploy/bench/recovery.mjs [--writers 8] [--seconds 20] [--warmup 5] [--rounds 3] [--outage 3] [--budget 420]
import pg from 'pg';
import fs from 'node:fs';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  DURABLE_POSTGRES, authAs, closedLoop, freePort, percentile, startNatsServer, startNodeEntry, startPostgresServer,
  stopProcesses, waitFor,
} from '@kapocs/kit/testing';
import { localEnv, SERVICES } from '../local/env.mjs';

const { values } = parseArgs({
  options: {
    writers: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    outage: { type: 'string', default: '3' },
    budget: { type: 'string', default: '420' },
  },
});
const writers = Number(values.writers);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const rounds = Number(values.rounds);
const outageSeconds = Number(values.outage);
const NON_DURABLE = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };

// Keycloak of the local stack for the tokens (tokenFor reads KEYCLOAK_URL); everything else is the benchmark's own
const local = localEnv(process.env);
process.env.KEYCLOAK_URL = local.KEYCLOAK_URL;
const entry = (path) => fileURLToPath(new URL(path, import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const problems = [];
const check = (ok, what) => {
  if (!ok) problems.push(what);
  return ok;
};

let db;
let nats;
let apps = [];
let cleaning;
const cleanup = () => (cleaning ??= (async () => {
  await Promise.allSettled(apps.map((p) => p.stop()));
  await Promise.allSettled([nats?.stop(), db?.stop()]);
  await stopProcesses();
})());
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the benchmark's processes`);
    void cleanup().finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  console.error(`\nthe benchmark took longer than ${values.budget} s: stopping it`);
  void cleanup().finally(() => process.exit(1));
}, Number(values.budget) * 1000);
watchdog.unref();

// a fresh client per query: the benchmark's own connections die with the server too
let database;
const sql = async (text, params = []) => {
  const c = new pg.Client({ connectionString: database });
  await c.connect();
  try { return (await c.query(text, params)).rows; } finally { await c.end(); }
};

let gatewayUrl;
let partnersUrl;
/** Every company answered 201, in whichever phase. */
const answered = [];

// CPU time (user + system, and of reaped children) of a process and its descendants, from /proc: per company written
const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
function cpuMs(rootPid) {
  const procs = [];
  for (const dir of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(dir)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${dir}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.push({ pid: Number(dir), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {}
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!tree.has(p.pid) && tree.has(p.ppid)) { tree.add(p.pid); grew = true; }
  }
  return procs.filter((p) => tree.has(p.pid)).reduce((sum, p) => sum + p.ticks, 0) * (1000 / ticksPerSecond);
}
// the whole machine's busy CPU time (all cores), to tell how much went to processes not of this benchmark
const machineBusyMs = () => {
  const [, ...f] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (f.slice(0, 8).reduce((a, b) => a + b, 0) - f[3] - f[4]) * (1000 / ticksPerSecond);
};
const cpuNow = () => ({
  ...Object.fromEntries(apps.map((p) => [p.name, cpuMs(p.child.pid)])),
  postgres: cpuMs(db.process().child.pid),
  load: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
  machine: machineBusyMs(),
});
const cores = os.availableParallelism();
/** The share of the machine's CPU that went to other processes (another engineer's build, Keycloak) during a measurement. */
const othersShare = (cpu, elapsedS) => (cpu.machine - Object.entries(cpu).filter(([k]) => k !== 'machine').reduce((a, [, v]) => a + v, 0)) / (elapsedS * 1000 * cores);

/** One company through the gateway; over 5 s counts as hung (status 0). `at` is when the answer came. */
async function createCompany(name) {
  const started = performance.now();
  try {
    const res = await fetch(`${gatewayUrl}/api/partners/companies`, {
      method: 'POST',
      headers: { ...(await authAs('anna.sales')), 'content-type': 'application/json' },
      body: JSON.stringify({ name, kind: 'prospect' }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = await res.json().catch(() => ({}));
    const at = performance.now();
    if (res.status === 201) answered.push(body.id);
    return { status: res.status, ms: at - started, at, id: res.status === 201 ? body.id : undefined };
  } catch (err) {
    const at = performance.now();
    return { status: 0, ms: at - started, at, error: err.message };
  }
}

/** `writers` loops creating companies; after a refusal a loop waits 50 ms, as a client honouring 503 would (a little). */
function startWriters(prefix) {
  const load = closedLoop(writers, (n) => createCompany(`${prefix} ${n} Kft.`), { pauseMs: (o) => (o.status === 201 ? 0 : 50) });
  return { ...load, created: () => load.outcomes.filter((o) => o.status === 201).length };
}

const exitedApps = () => apps.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null).map((p) => p.name);
const statuses = (outcomes) => {
  const counts = new Map();
  for (const o of outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${s}×${n}`).join(' ');
};

const fmt = (v, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

/** Closed-loop writes for `s` seconds: the outcomes, the time they took, and the CPU the processes spent. */
async function measure(prefix, s) {
  const cpuBefore = cpuNow();
  const w = startWriters(prefix);
  const started = performance.now();
  await sleep(s * 1000);
  const outcomes = await w.stop();
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = cpuNow();
  const cpu = Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, cpuAfter[k] - cpuBefore[k]]));
  const n = outcomes.filter((o) => o.status === 201).length;
  console.log(`  ${prefix}: ${fmt(n / elapsed)} companies/s over ${fmt(elapsed, 1)} s; other processes used ${fmt(100 * othersShare(cpu, elapsed))}% of the machine`);
  return { outcomes, elapsed, cpu };
}

/** Throughput of 201s, their latency, and CPU ms per company over one or more measurements. */
function summary(...parts) {
  const outcomes = parts.flatMap((p) => p.outcomes);
  const ok = outcomes.filter((o) => o.status === 201);
  const ms = ok.map((o) => o.ms);
  const elapsed = parts.reduce((sum, p) => sum + p.elapsed, 0);
  const cpuPerCompany = Object.fromEntries(Object.keys(parts[0].cpu).map((k) => [k, parts.reduce((sum, p) => sum + p.cpu[k], 0) / ok.length]));
  const cpu = Object.fromEntries(Object.keys(parts[0].cpu).map((k) => [k, parts.reduce((sum, p) => sum + p.cpu[k], 0)]));
  return { n: ok.length, rps: ok.length / elapsed, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), other: outcomes.length - ok.length, statuses: statuses(outcomes), cpuPerCompany, others: othersShare(cpu, elapsed) };
}

/** A clean restart of PostgreSQL (fast shutdown, everything written out) with other settings, then writes flowing again. */
async function restartPostgres(settings) {
  await db.process().stop('SIGINT');
  await db.start(settings);
  await writable();
  await sleep(2_000); // caches and pools settle before the next measurement
  return settingsNow();
}

/** After a planned restart: a write answers 201 again (the gateway's readiness check may still hold partners back). */
const writable = () => waitFor(async () => (await createCompany('Újraindítás utáni próba Kft.')).status === 201, { timeoutMs: 30_000, intervalMs: 200, what: 'a write answering 201' });

const settingsNow = async () => (await sql(`select string_agg(name || '=' || setting, ', ' order by name) as s from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes')`))[0].s;

/** Every company answered 201 is in partners; partners, the projection and the sum of the department counters agree. */
async function verifyProjection(what) {
  const ids = [...answered];
  const inPartners = new Set((await sql('select id from partners.company')).map((r) => r.id));
  const missing = ids.filter((id) => !inPartners.has(id));
  check(missing.length === 0, `${what}: ${missing.length} companies answered 201 are missing from partners (${missing.slice(0, 3).join(', ')})`);
  try {
    await waitFor(async () => (await sql('select count(*)::int as n from partners.outbox where published_at is null'))[0].n === 0, { timeoutMs: 60_000, what: 'the outbox drained' });
    await waitFor(async () => (await sql('select count(*)::int as n from reporting.company_projection'))[0].n >= inPartners.size, { timeoutMs: 60_000, what: 'every company projected' });
  } catch (err) {
    check(false, `${what}: ${err.message}`);
  }
  const projected = new Set((await sql('select id from reporting.company_projection')).map((r) => r.id));
  const notProjected = [...inPartners].filter((id) => !projected.has(id)).length;
  // the counter is incremented once per applied event: an event applied twice would make the sum larger
  const sum = (await sql('select coalesce(sum(companies), 0)::int as n from reporting.department_company_count'))[0].n;
  check(notProjected === 0, `${what}: ${notProjected} companies of partners are not projected`);
  check(projected.size === inPartners.size, `${what}: ${projected.size} projected rows for ${inPartners.size} companies`);
  check(sum === inPartners.size, `${what}: department counters add up to ${sum} for ${inPartners.size} companies (applied twice or lost)`);
  return { answered201: ids.length, missing: missing.length, inPartners: inPartners.size, projected: projected.size, counterSum: sum };
}
const verified = (v) => `${v.answered201} answered 201, ${v.missing} of them missing in partners; partners ${v.inPartners} (${v.inPartners - v.answered201 + v.missing} committed without a 201: in flight at a kill), projected ${v.projected}, department counters add up to ${v.counterSum}`;

const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

try {
  const t0 = performance.now();
  await authAs('anna.sales'); // fails early, naming Keycloak, when the local stack is not up
  db = await startPostgresServer(DURABLE_POSTGRES);
  nats = await startNatsServer();
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query('create database kapocs');
  await admin.end();
  database = db.urlOf('kapocs');
  await sql('create extension if not exists unaccent; create extension if not exists pg_trgm');

  const [partnersPort, reportingPort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
  const service = (name, port) =>
    startNodeEntry(name, entry(`../../services/${name}/src/main.ts`), {
      env: { ...local, PORT: String(port), DATABASE_URL: database, NATS_URL: nats.url, LOG_LEVEL: 'warn' },
      readyUrl: `http://127.0.0.1:${port}/readyz`,
      timeoutMs: 120_000,
    });
  const started = await Promise.allSettled([service('partners', partnersPort), service('reporting', reportingPort)]);
  apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  partnersUrl = `http://127.0.0.1:${partnersPort}`;
  // the other services' addresses lead nowhere: only partners and reporting run
  const upstreams = {};
  for (const s of SERVICES) upstreams[`${s.toUpperCase()}_URL`] = `http://127.0.0.1:${await freePort()}`;
  upstreams.PARTNERS_URL = partnersUrl;
  upstreams.REPORTING_URL = `http://127.0.0.1:${reportingPort}`;
  gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  // rate limit off for loopback (as `npm run bench`): 8 writers exceed 1,200 requests a minute of one user
  apps.push(await startNodeEntry('gateway', entry('../../gateway/src/main.ts'), {
    env: { ...local, ...upstreams, GATEWAY_PORT: String(gatewayPort), LOG_LEVEL: 'warn', RATE_LIMIT_DISABLED: 'true' },
    readyUrl: `${gatewayUrl}/healthz`,
    timeoutMs: 120_000,
  }));
  await writable();
  const setupSeconds = (performance.now() - t0) / 1000;
  console.log(`set up in ${setupSeconds.toFixed(0)} s: PostgreSQL ${db.url.replace(/\/postgres$/, '')}, NATS ${nats.url}, gateway ${gatewayUrl}; ${writers} writers`);

  // 1. write cost, `seconds` of each: durable half, non-durable whole, durable half (ABBA, so that a drift of the
  // machine or the growing tables weigh on both alike); between them the same cluster restarted cleanly
  await measure('warm-up', warmup);
  const durableSettings = await settingsNow();
  const durableA = await measure('durable, first half', seconds / 2);
  const nonDurableSettings = await restartPostgres(NON_DURABLE);
  const nonDurableRun = await measure('non-durable', seconds);
  check((await restartPostgres(DURABLE_POSTGRES)) === durableSettings, 'PostgreSQL did not come back durable');
  const durableB = await measure('durable, second half', seconds / 2);
  const durable = summary(durableA, durableB);
  const nonDurable = summary(nonDurableRun);
  check(/=on.*=on.*=on/.test(durableSettings) && !/=on/.test(nonDurableSettings), `unexpected settings: ${durableSettings} / ${nonDurableSettings}`);

  // 2. PostgreSQL SIGKILLed under writes
  const pgRounds = [];
  for (let round = 1; round <= rounds; round++) {
    const w = startWriters(`Adatbázis-leállás ${round}.`);
    await waitFor(async () => w.created() >= 30, { timeoutMs: 30_000, what: '30 companies written before the crash' });
    const killedAt = performance.now();
    await db.kill();
    await sleep(outageSeconds * 1000);
    const readyz = (await fetch(`${partnersUrl}/readyz`).catch(() => ({ status: 0 }))).status;
    const restartAt = performance.now();
    await db.start();
    const backAt = performance.now();
    // partners' own readiness, apart from the gateway's view of it (asked every UPSTREAM_CHECK_INTERVAL_MS)
    const partnersReady = waitFor(async () => (await fetch(`${partnersUrl}/readyz`)).ok && performance.now(), { timeoutMs: 30_000, intervalMs: 20, what: 'partners ready after the restart' }).catch(() => NaN);
    let firstOk;
    try {
      firstOk = await waitFor(async () => w.outcomes.find((o) => o.status === 201 && o.at > backAt), { timeoutMs: 30_000, intervalMs: 20, what: 'a write answering 201 after the restart' });
    } catch (err) {
      check(false, `PostgreSQL round ${round}: ${err.message}`);
    }
    const createdBack = w.created();
    await waitFor(async () => w.created() >= createdBack + 30, { timeoutMs: 30_000, what: '30 more companies after the restart' }).catch((err) => check(false, `PostgreSQL round ${round}: ${err.message}`));
    const outcomes = await w.stop();
    const readyAt = await partnersReady;
    // answered while PostgreSQL was down or starting, leaving out what was in flight at the kill (3 per writer at most)
    const outage = outcomes.filter((o) => o.at > killedAt + 100 && o.at <= (firstOk?.at ?? backAt));
    const refused = outage.filter((o) => o.status === 503);
    const others = outcomes.filter((o) => o.status !== 201 && o.status !== 503);
    const exited = exitedApps();
    check(exited.length === 0, `PostgreSQL round ${round}: ${exited.join(', ')} exited`);
    check(others.length === 0, `PostgreSQL round ${round}: answers other than 201 and 503: ${statuses(others)} ${others.slice(0, 3).map((o) => o.error ?? '').join(' ')}`);
    check(readyz === 503, `PostgreSQL round ${round}: partners /readyz answered ${readyz} while PostgreSQL was down`);
    pgRounds.push({
      round,
      recoveryMs: backAt - restartAt,
      readyMs: readyAt - backAt,
      firstOkMs: firstOk ? firstOk.at - backAt : NaN,
      refused: refused.length,
      refusedMax: Math.max(0, ...refused.map((o) => o.ms)),
      others: others.length,
      created: outcomes.filter((o) => o.status === 201).length,
      exited: exited.length ? exited.join(', ') : 'none',
    });
    console.log(`PostgreSQL round ${round}: first 201 ${fmt(pgRounds.at(-1).firstOkMs)} ms after it accepted connections, ${refused.length} × 503`);
  }
  const afterPg = await verifyProjection('after the PostgreSQL kills');

  // 3. NATS SIGKILLed under writes: the outbox keeps the events until NATS is back
  const w = startWriters('Üzenetsor-leállás');
  await waitFor(async () => w.created() >= 20, { timeoutMs: 30_000, what: '20 companies written before the crash' });
  await nats.kill();
  const downFrom = w.outcomes.length;
  const createdAtKill = w.created();
  await sleep(outageSeconds * 1000);
  await waitFor(async () => w.created() >= createdAtKill + 20, { timeoutMs: 30_000, what: '20 companies written while NATS is down' }).catch((err) => check(false, `NATS: ${err.message}`));
  const writtenWhileDown = w.outcomes.slice(downFrom).filter((o) => o.status === 201).map((o) => o.id);
  const natsRestartAt = performance.now();
  const restartClock = new Date();
  const unpublished = async () => (await sql('select count(*)::int as n from partners.outbox where published_at is null and created_at <= $1', [restartClock]))[0].n;
  const outboxBacklog = await unpublished();
  await nats.start();
  const natsBackAt = performance.now();
  let backlogMs = NaN;
  let publishedMs = NaN;
  try {
    await waitFor(async () => (await unpublished()) === 0, { timeoutMs: 60_000, intervalMs: 50, what: 'the events of the outage published' });
    publishedMs = performance.now() - natsBackAt;
    await waitFor(async () => (await sql('select count(*)::int as n from reporting.company_projection where id = any($1::uuid[])', [writtenWhileDown]))[0].n === writtenWhileDown.length, { timeoutMs: 60_000, intervalMs: 50, what: 'the companies written while NATS was down projected' });
    backlogMs = performance.now() - natsBackAt;
  } catch (err) {
    check(false, `NATS: ${err.message}`);
  }
  await sleep(2_000);
  const natsOutcomes = await w.stop();
  const stopAt = performance.now();
  const notCreated = natsOutcomes.filter((o) => o.status !== 201);
  check(notCreated.length === 0, `NATS: answers other than 201: ${statuses(notCreated)}`);
  const natsOk = natsOutcomes.filter((o) => o.status === 201);
  let drainMs = NaN;
  try {
    await waitFor(async () => {
      const [{ n }] = await sql('select (select count(*) from partners.company) - (select count(*) from reporting.company_projection) as n');
      return Number(n) === 0;
    }, { timeoutMs: 60_000, intervalMs: 50, what: 'every company projected after the writes stopped' });
    drainMs = performance.now() - stopAt;
  } catch (err) {
    check(false, `NATS: ${err.message}`);
  }
  const final = await verifyProjection('after the NATS kill');
  const natsExited = exitedApps();
  check(natsExited.length === 0, `NATS: ${natsExited.join(', ')} exited`);
  const natsMs = natsOk.map((o) => o.ms);

  const cpu = (r) => ['gateway', 'partners', 'reporting', 'postgres', 'load'].map((k) => fmt(r.cpuPerCompany[k], 1));
  const git = (...args) => spawnSync('git', args, { cwd: entry('../..'), encoding: 'utf8' }).stdout.trim();
  const commit = `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'services', 'packages', 'gateway') ? ' + uncommitted changes to the code measured' : ''}`;
  console.log(`\nRecovery benchmark at ${commit}, ${new Date().toISOString().slice(0, 16)}Z: ${writers} closed-loop writers, POST /api/partners/companies through the gateway; total ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  console.log(`1. Write cost of durability (${seconds} s each: durable ${seconds / 2} s, non-durable ${seconds} s, durable ${seconds / 2} s, after a ${warmup} s warm-up)\n`);
  const row = (name, r) => [name, fmt(r.rps), fmt(r.p50, 1), fmt(r.p95, 1), fmt(r.p99, 1), r.n, r.other, `${fmt(100 * r.others)}%`];
  console.log(table(['PostgreSQL', 'companies/s', 'p50 ms', 'p95 ms', 'p99 ms', 'created', 'not 201', 'CPU of other processes'], [
    row(`durable (${durableSettings})`, durable),
    row(`non-durable (${nonDurableSettings})`, nonDurable),
  ]));
  console.log(`\ndurable / non-durable: throughput ${fmt(durable.rps / nonDurable.rps, 2)}×, p50 ${fmt(durable.p50 / nonDurable.p50, 2)}×, p95 ${fmt(durable.p95 / nonDurable.p95, 2)}×\n`);
  console.log(table(['CPU ms per company', 'gateway', 'partners', 'reporting', 'PostgreSQL', 'load generator'], [['durable', ...cpu(durable)], ['non-durable', ...cpu(nonDurable)]]));
  console.log(`\n(${cores} cores; CPU of other processes: the share of the machine busy outside this benchmark's processes)`);
  console.log(`\n2. PostgreSQL SIGKILLed under writes, ${outageSeconds} s down (gateway asks /readyz every 5 s, every second while a service is not ready)\n`);
  console.log(table(['round', 'PG start → accepts ms', 'accepts → partners ready ms', 'accepts → first 201 ms', '503 in outage', 'slowest 503 ms', 'other answers', 'created', 'exited'],
    pgRounds.map((r) => [r.round, fmt(r.recoveryMs), fmt(r.readyMs), fmt(r.firstOkMs), r.refused, fmt(r.refusedMax), r.others, r.created, r.exited])));
  console.log(`\nafter the PostgreSQL rounds: ${verified(afterPg)}`);
  console.log(`\n3. NATS SIGKILLed under writes, ${outageSeconds} s down\n`);
  console.log(table(['writes', '201', 'not 201', 'p95 ms', 'written while down', 'events unpublished at restart', 'NATS start ms', 'start → published ms', 'start → projected ms', 'writes stopped → all projected ms'], [
    [natsOutcomes.length, natsOk.length, notCreated.length, fmt(percentile(natsMs, 95), 1), writtenWhileDown.length, outboxBacklog, fmt(natsBackAt - natsRestartAt), fmt(publishedMs), fmt(backlogMs), fmt(drainMs)],
  ]));
  console.log(`\nat the end: ${verified(final)}; processes exited: ${natsExited.length ? natsExited.join(', ') : 'none'}`);
} catch (err) {
  problems.push(`the benchmark failed: ${err.stack ?? err}`);
  for (const p of apps) if (p.child.exitCode !== null || p.child.signalCode !== null) console.error(`${p.name} exited:\n${p.output().slice(-3000)}`);
} finally {
  await cleanup();
}
if (problems.length) {
  console.error(`\nFAILED:\n- ${problems.join('\n- ')}`);
  process.exitCode = 1;
} else {
  console.log('\nall checks passed');
}
