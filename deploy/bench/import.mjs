// npm run bench:import: a company import of --rows (100k) rows through the HTTP API of a partners process of its
// own (dry run, then commit), against a raw `COPY` of the same rows into the same table in the same run; the
// peak RSS of the partners process (VmHWM); then p50/p95 of GET /companies?filter=<custom field eq>&count=true
// over the imported companies. Own database (kapocs_bench_import) and port, so a running `npm start` is left
// alone. Prints a markdown table.
// P8's duplicate finder is a row trigger on partners.company that runs a trigram search per written row; at a few
// thousand companies it costs 30–90 ms a row (COPY included), so by default it is switched off for the run and
// the table says so; --duplicate-trigger on measures with it.
// --postgres durable,non-durable runs the whole measurement twice, one after the other, on a PostgreSQL cluster of
// its own (startPostgresServer, a temporary folder, a free loopback port): with fsync, synchronous_commit and
// full_page_writes on (the local stack's settings) and then restarted with all three off: what durability costs.
//   node --import tsx deploy/bench/import.mjs [--rows 100000] [--requests 200] [--duplicate-trigger off|on] [--postgres stack|durable,non-durable]
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
/* global FormData */
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { startApps } from '../local/apps.mjs';
import { freshBenchDatabase, startBenchNats } from './bench-env.mjs';
import { localEnv } from '../local/env.mjs';
import { DURABLE_POSTGRES, startPostgresServer } from '@kapocs/kit/testing';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' }, requests: { type: 'string', default: '200' }, 'duplicate-trigger': { type: 'string', default: 'off' },
    postgres: { type: 'string', default: 'stack' },
  },
});
const duplicateTrigger = values['duplicate-trigger'] === 'on';
const rows = Number(values.rows);
const requests = Number(values.requests);
const REGIONS = ['North', 'South', 'East', 'West'];

/** A valid Hungarian tax number for a serial (check digit computed), unique per serial. */
function taxNumber(n) {
  const d = String(1_000_000 + n).padStart(7, '0').slice(-7);
  const sum = [9, 7, 3, 1, 9, 7, 3].reduce((acc, w, i) => acc + w * Number(d[i]), 0);
  return `${d}${(10 - (sum % 10)) % 10}-2-41`;
}
// names as varied as real ones: a unique made-up word (the serial in base 40, as syllables) and a hashed one;
// the duplicate finder's trigram search would otherwise see every "Bench Kft. 000123" as alike
const SYLLABLES = ['ka', 'ro', 'mi', 'te', 'lo', 'sa', 'bu', 'né', 'gyo', 'zs', 'vá', 'pe', 'hu', 'dor', 'ti', 'ár', 'fé', 'no', 'csi', 'le',
  'ba', 'ko', 'ri', 'sze', 'mó', 'ta', 'gu', 'vi', 'pa', 'ho', 'dé', 'fa', 'ny', 'ce', 'zo', 'jó', 'ki', 'lu', 'ma', 'őr'];
const word = (n, len) => Array.from({ length: len }, (_, k) => SYLLABLES[Math.floor(n / 40 ** k) % 40]).join('');
const FORMS = ['Kft.', 'Zrt.', 'Bt.', 'Kkt.', 'Nyrt.'];
const rowOf = (i) => ({
  name: `${word(i, 4).replace(/^./, (c) => c.toUpperCase())} ${word((i * 2_654_435_761) % 2_560_000, 4)} ${FORMS[i % 5]}`, kind: ['customer', 'prospect', 'reseller', 'supplier'][i % 4],
  tax: taxNumber(i), city: ['Budapest', 'Győr', 'Pécs', 'Szeged'][i % 4], postalCode: String(1000 + (i % 8000)), street: `Fő utca ${1 + (i % 200)}.`,
  region: REGIONS[i % 4],
});

const NON_DURABLE = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
const modes = values.postgres.split(',').map((m) => m.trim());
for (const m of modes) if (!['stack', 'durable', 'non-durable'].includes(m)) throw new Error(`--postgres: "${m}" is not stack, durable or non-durable`);

/** The whole measurement on one database; `label` names the PostgreSQL it runs on. */
async function measure(databaseUrl, label, ownCluster) {
  const tmp = fs.mkdtempSync(join(os.tmpdir(), 'kapocs-bench-import-'));
  const benchNats = await startBenchNats();
  // on a cluster of its own, partners connects as its superuser (the service roles exist in the stack's cluster only)
  const extraEnv = { NATS_URL: benchNats.url, DATABASE_URL: databaseUrl, ...(ownCluster ? { PARTNERS_DATABASE_URL: databaseUrl } : {}), PARTNERS_PORT: '18111', LOG_LEVEL: 'warn', OUTBOX_RELAY: 'on', CONSUMERS: 'off', IMPORT_MAX_BYTES: String(200 * 1024 * 1024) };
  const env = localEnv({ ...process.env, ...extraEnv });
  const apps = await startApps({ extraEnv, only: ['partners'] });
  const pid = apps.pids.partners;
  const vm = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

  try {
    if (!pid) throw new Error('partners was already running on the bench port; stop it first');
    const token = async (username) => {
      const res = await fetch(`${env.KEYCLOAK_URL}/realms/crm/protocol/openid-connect/token`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', client_id: 'crm-cli', username, password: 'kapocs' }),
      });
      return (await res.json()).access_token;
    };
    const api = async (username, method, path, body) => {
      const res = await fetch(`${env.PARTNERS_URL}${path}`, {
        method, headers: { authorization: `Bearer ${await token(username)}`, ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) },
        body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : null;
    };
    const triggers = (await (async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        const { rows: t } = await c.query(`select tgname from pg_trigger where tgrelid = 'partners.company'::regclass and not tgisinternal`);
        if (!duplicateTrigger && t.length) await c.query('alter table partners.company disable trigger user');
        return t.map((r) => r.tgname);
      } finally { await c.end(); }
    })());
    await api('admin', 'POST', '/custom-fields', { entity: 'company', key: 'region', type: 'list', options: REGIONS, label: { hu: 'Régió', en: 'Region' } });

    // the import file (Hungarian headers, `;`) and the same rows in table form for COPY
    const csvPath = join(tmp, 'companies.csv');
    const copyPath = join(tmp, 'copy.csv');
    const csv = fs.createWriteStream(csvPath);
    const copy = fs.createWriteStream(copyPath);
    csv.write('Név;Típus;Adószám;Település;Irányítószám;Cím;Régió\n');
    const me = JSON.parse(Buffer.from((await token('csilla.manager')).split('.')[1], 'base64url').toString()).sub;
    const now = new Date().toISOString();
    for (let i = 1; i <= rows; i++) {
      const r = rowOf(i);
      if (!csv.write(`${r.name};${r.kind};${r.tax};${r.city};${r.postalCode};${r.street};${r.region}\n`)) await new Promise((ok) => csv.once('drain', ok));
      const address = JSON.stringify([{ kind: 'headquarters', country: 'HU', postalCode: r.postalCode, city: r.city, street: r.street }]).replace(/"/g, '""');
      const id = `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`;
      if (!copy.write(`${id},"${r.name} (copy)",${r.kind},active,${r.tax},HU,[],[],"${address}",${me},north,"{""region"":""${r.region}""}",1,${now},${now}\n`)) await new Promise((ok) => copy.once('drain', ok));
    }
    await new Promise((ok) => csv.end(ok));
    await new Promise((ok) => copy.end(ok));
    const fileMb = fs.statSync(csvPath).size / 1024 / 1024;

    const waitFor = async (id, status) => {
      for (;;) {
        const report = await api('csilla.manager', 'GET', `/imports/${id}`);
        if (report.status === status) return report;
        if (report.status === 'failed') throw new Error(`import failed: ${report.failure}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const rssBefore = vm('VmRSS');
    let t = performance.now();
    const form = new FormData();
    form.append('entity', 'company');
    form.append('file', await fs.openAsBlob(csvPath), 'companies.csv');
    const { id } = await api('csilla.manager', 'POST', '/imports', form);
    const uploadS = (performance.now() - t) / 1000;
    const dry = await waitFor(id, 'validated');
    const dryS = (performance.now() - t) / 1000;
    if (dry.valid !== rows) throw new Error(`expected ${rows} valid rows, got ${dry.valid}: ${JSON.stringify(dry.errors.slice(0, 3))}`);
    const peakAfterDry = vm('VmHWM');
    t = performance.now();
    await api('csilla.manager', 'POST', `/imports/${id}/commit`, {});
    const done = await waitFor(id, 'committed');
    const commitS = (performance.now() - t) / 1000;
    if (done.created !== rows) throw new Error(`expected ${rows} created, got ${done.created}`);
    const peak = vm('VmHWM');

    // the same rows, raw, into the same table: the floor of what PostgreSQL can take
    t = performance.now();
    const res = spawnSync('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-c',
      `\\copy partners.company (id, name, kind, status, tax_number, country, emails, phones, addresses, owner_id, department_id, custom, version, created_at, updated_at) from '${copyPath}' with (format csv)`], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`COPY failed: ${res.stderr}`);
    const copyS = (performance.now() - t) / 1000;

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query('analyze partners.company');
    const [{ companies, events }] = (await db.query(`select (select count(*)::int from partners.company where deleted_at is null) as companies, (select count(*)::int from partners.outbox) as events`)).rows;
    await db.end();

    // the list with a custom-field filter and a count, over everything that is now in the table
    const filter = encodeURIComponent(JSON.stringify({ field: 'custom.region', op: 'eq', value: 'North' }));
    const listToken = await token('csilla.manager');
    const latencies = [];
    let total = 0;
    for (let i = 0; i < requests + 10; i++) {
      const s = performance.now();
      const r = await fetch(`${env.PARTNERS_URL}/companies?filter=${filter}&count=true&limit=50`, { headers: { authorization: `Bearer ${listToken}` } });
      const body = await r.json();
      if (!r.ok) throw new Error(`list: ${r.status} ${JSON.stringify(body)}`);
      total = body.total;
      if (i >= 10) latencies.push(performance.now() - s);
    }
    latencies.sort((a, b) => a - b);
    const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];

    const rate = (n, s) => Math.round(n / s).toLocaleString('en');
    console.log(`\nCompany import of ${rows.toLocaleString('en')} rows (${fileMb.toFixed(1)} MB CSV, UTF-8, ';'), partners on its own database, PostgreSQL ${label}; ${os.cpus().length} CPUs`);
    console.log(`triggers on partners.company (${triggers.join(', ') || 'none'}): ${triggers.length ? (duplicateTrigger ? 'ON' : 'switched OFF for this run (--duplicate-trigger on to keep them)') : '-'}\n`);
    console.log('| step | seconds | rows/s | note |');
    console.log('|---|---|---|---|');
    console.log(`| upload (POST /imports → 202) | ${uploadS.toFixed(1)} | ${rate(rows, uploadS)} | file stored in 1 MB pieces, sniffed |`);
    console.log(`| dry run (upload → validated) | ${dryS.toFixed(1)} | ${rate(rows, dryS)} | parse, map, zod + custom rules, staging, duplicate check |`);
    console.log(`| commit (→ committed) | ${commitS.toFixed(1)} | ${rate(rows, commitS)} | createCompanies in 500-row transactions, audit + outbox per row |`);
    console.log(`| dry run + commit | ${(dryS + commitS).toFixed(1)} | ${rate(rows, dryS + commitS)} | |`);
    console.log(`| raw COPY of the same rows | ${copyS.toFixed(1)} | ${rate(rows, copyS)} | psql \\copy, no checks, no audit, no events |`);
    console.log(`\nratio (dry run + commit) / COPY: ${((dryS + commitS) / copyS).toFixed(1)}×; commit alone / COPY: ${(commitS / copyS).toFixed(1)}×`);
    console.log(`partners RSS: ${rssBefore.toFixed(0)} MB before, peak (VmHWM) ${peakAfterDry.toFixed(0)} MB after the dry run, ${peak.toFixed(0)} MB after the commit`);
    console.log(`table: ${companies.toLocaleString('en')} live companies, ${events.toLocaleString('en')} outbox events\n`);
    console.log(`| GET /companies?filter=custom.region eq North&count=true&limit=50 | p50 ms | p95 ms | requests | total |`);
    console.log('|---|---|---|---|---|');
    console.log(`| as csilla.manager (department scope), ${companies.toLocaleString('en')} companies | ${pct(50).toFixed(1)} | ${pct(95).toFixed(1)} | ${latencies.length} | ${total} |`);
  } finally {
    await apps.stop();
    await benchNats.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (modes.includes('stack')) await measure(await freshBenchDatabase('kapocs_bench_import'), 'of the local stack (durable)', false);
const own = modes.filter((m) => m !== 'stack');
if (own.length) {
  const settingsOf = (m) => (m === 'durable' ? DURABLE_POSTGRES : NON_DURABLE);
  const cluster = await startPostgresServer(settingsOf(own[0]));
  try {
    for (const [i, m] of own.entries()) {
      if (i > 0) {
        await cluster.process().stop('SIGINT'); // a clean restart with the other settings
        await cluster.start(settingsOf(m));
      }
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query('drop database if exists kapocs_bench_import with (force)');
      await admin.query('create database kapocs_bench_import');
      await admin.end();
      const databaseUrl = cluster.url.replace(/\/postgres$/, '/kapocs_bench_import');
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      await db.query('create extension if not exists unaccent; create extension if not exists pg_trgm');
      await db.end();
      const settings = Object.entries(settingsOf(m)).map(([k, v]) => `${k}=${v}`).join(', ');
      await measure(databaseUrl, `${m}, a cluster of the benchmark's own (${settings})`, true);
    }
  } finally {
    await cluster.stop();
  }
}
