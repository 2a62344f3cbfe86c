import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { authAs, databaseUrlAs, env, freePort, freshDatabase, startNodeEntry, stopProcesses, waitFor, type TestProcess } from '@kapocs/kit/testing';

// Imports as jobs of the kit's queue, on real partners processes (main.ts) sharing one database like replicas.
// The relay is off: events are counted in the outbox, and nothing reaches the shared stack's NATS.
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let url: string;
let db: pg.Client;
let admin: pg.Client;

beforeAll(async () => {
  url = await freshDatabase('partners_import_jobs', { as: 'partners' });
  db = new pg.Client({ connectionString: url });
  await db.connect();
  admin = new pg.Client({ connectionString: databaseUrlAs(url, new URL(env('DATABASE_URL')).username) });
  await admin.connect();
});
afterAll(async () => {
  await stopProcesses();
  await db?.end();
  await admin?.end();
});

async function startPartners(extra: Record<string, string> = {}): Promise<{ port: number; proc: TestProcess }> {
  const port = await freePort();
  const proc = await startNodeEntry('partners', main, {
    env: { DATABASE_URL: url, PORT: String(port), OUTBOX_RELAY: 'off', CONSUMERS: 'off', LOG_LEVEL: 'warn', JOBS_SUPERVISE_MS: '300', ...extra },
    readyUrl: `http://127.0.0.1:${port}/readyz`,
  });
  return { port, proc };
}

// names as varied as real ones (as deploy/bench/import.mjs makes them): "Cég 000123"-like names are all alike to the
// duplicate finder's trigram search, which then pairs every row with every other
const SYLLABLES = ['ka', 'ro', 'mi', 'te', 'lo', 'sa', 'bu', 'né', 'gyo', 'zs', 'vá', 'pe', 'hu', 'dor', 'ti', 'ár', 'fé', 'no', 'csi', 'le',
  'ba', 'ko', 'ri', 'sze', 'mó', 'ta', 'gu', 'vi', 'pa', 'ho', 'dé', 'fa', 'ny', 'ce', 'zo', 'jó', 'ki', 'lu', 'ma', 'őr'];
const word = (n: number, len: number) => Array.from({ length: len }, (_, k) => SYLLABLES[Math.floor(n / 40 ** k) % 40]).join('');
const csvOf = (rows: number, prefix: string) =>
  ['Név,Típus', ...Array.from({ length: rows }, (_, i) => `${prefix} ${word(i, 4)} ${word((i * 2_654_435_761) % 2_560_000, 4)} Kft.,customer`)].join('\r\n') + '\r\n';

async function call(port: number, method: string, path: string, body?: FormData | object) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { ...(await authAs('anna.sales')), ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: body instanceof FormData ? body : JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

async function upload(port: number, rows: number, prefix: string): Promise<string> {
  const form = new FormData();
  form.append('entity', 'company');
  form.append('file', new Blob([csvOf(rows, prefix)], { type: 'text/csv' }), `${prefix}.csv`);
  const res = await call(port, 'POST', '/imports', form);
  expect(res.status, JSON.stringify(res.json)).toBe(202);
  return res.json.id as string;
}

const job = async (id: string) =>
  (await db.query<{ status: string; attempts: number; processed: number; failed_in: string | null; failure: string | null }>(
    'select status, attempts, processed, failed_in, failure from partners.import_job where id = $1', [id])).rows[0]!;
const until = (id: string, status: string, timeoutMs = 120_000) =>
  waitFor(async () => (await job(id)).status === status, { what: `import ${status}`, timeoutMs, intervalMs: 200 });
const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);
const companies = (prefix: string) => count(`select count(*) as n from partners.company where name like $1 and deleted_at is null`, [`${prefix} %`]);
const created = (prefix: string) => count(
  `select count(*) as n from partners.outbox where subject = 'crm.partners.company.created' and envelope->'data'->>'name' like $1`, [`${prefix} %`]);
const queued = () => count(`select count(*) as n from partners.jobs where task_identifier = 'imports.run'`);

it('a job whose batches are slower than any staleness window is never taken over while its worker lives, with two replicas watching', { timeout: 180_000 }, async () => {
  // every batch sleeps 2 s; each replica looks for dead workers every 0.3 s
  const slow = { IMPORT_BATCH_ROWS: '100', IMPORT_TEST_BATCH_DELAY_MS: '2000' };
  const [a, b] = [await startPartners(slow), await startPartners(slow)];
  const id = await upload(a.port, 500, 'Lassú');
  await until(id, 'validated');
  expect((await job(id)).attempts).toBe(1);
  expect((await call(a.port, 'POST', `/imports/${id}/commit`, {})).status).toBe(202);
  await until(id, 'committed');
  // one run for the dry run, one for the commit: never claimed again
  expect((await job(id)).attempts).toBe(2);
  expect(await companies('Lassú')).toBe(500);
  expect(await created('Lassú')).toBe(500);
  await waitFor(async () => (await queued()) === 0, { what: 'no job left' });
  // the next tests kill the replica running a job: no other replica may be left to take it
  await Promise.all([a.proc.stop(), b.proc.stop()]);
});

it('when the process running a 20,000-row commit is SIGKILLed, another replica resumes it once and it ends with exactly 20,000 companies and events', { timeout: 1_500_000 }, async () => {
  const first = await startPartners();
  const id = await upload(first.port, 20_000, 'Húszezer');
  await until(id, 'validated', 600_000);
  expect((await call(first.port, 'POST', `/imports/${id}/commit`, {})).status).toBe(202);
  await waitFor(async () => (await job(id)).processed >= 2000, { what: 'part of the commit written', timeoutMs: 300_000, intervalMs: 100 });
  await first.proc.stop('SIGKILL');
  const before = await job(id);
  expect(before.status).toBe('committing');
  expect(await companies('Húszezer')).toBeLessThan(20_000);

  const second = await startPartners();
  await until(id, 'committed', 600_000);
  const after = await job(id);
  // resumed once: one more claim than the killed run had
  expect(after.attempts).toBe(before.attempts + 1);
  expect(after.processed).toBe(20_000);
  expect(await companies('Húszezer')).toBe(20_000);
  expect(await created('Húszezer')).toBe(20_000);
  await second.proc.stop();
});

it('a commit and an undo that failed are retried with the same route and end with exactly the records they should', { timeout: 180_000 }, async () => {
  const { port } = await startPartners({ IMPORT_BATCH_ROWS: '100', IMPORT_JOB_ATTEMPTS: '1' });
  const id = await upload(port, 500, 'Újra');
  await until(id, 'validated');
  // the third batch fails (rows 201-300), as a bug or a broken constraint would
  await admin.query(`create or replace function public.fail_import_row() returns trigger language plpgsql as $$
    begin raise exception 'broken on purpose'; end $$`);
  await admin.query(`create trigger fail_commit before update on partners.import_row for each row
    when (new.row = 250 and new.action is not null and old.action is null) execute function public.fail_import_row()`);
  expect((await call(port, 'POST', `/imports/${id}/commit`, { onDuplicate: 'skip' })).status).toBe(202);
  await until(id, 'failed');
  expect(await job(id)).toMatchObject({ failed_in: 'committing', failure: expect.stringContaining('POST /imports/{id}/commit') });
  expect(await companies('Újra')).toBe(200);

  await admin.query(`drop trigger fail_commit on partners.import_row`);
  expect((await call(port, 'POST', `/imports/${id}/commit`, {})).status).toBe(202);
  await until(id, 'committed');
  expect(await companies('Újra')).toBe(500);
  expect(await created('Újra')).toBe(500);
  const report = (await call(port, 'GET', `/imports/${id}`)).json;
  expect(report).toMatchObject({ status: 'committed', created: 500, updated: 0, failed: 0 });

  // undo goes newest first: rows 500-301 are undone, then the batch holding row 250 fails
  await admin.query(`create trigger fail_undo before update on partners.import_row for each row
    when (new.row = 250 and new.undo is not null and old.undo is null) execute function public.fail_import_row()`);
  expect((await call(port, 'POST', `/imports/${id}/undo`)).status).toBe(202);
  await until(id, 'failed');
  expect(await job(id)).toMatchObject({ failed_in: 'undoing' });
  expect(await companies('Újra')).toBe(300);
  // a failed undo is not a commit to retry
  expect((await call(port, 'POST', `/imports/${id}/commit`, {})).status).toBe(409);

  await admin.query(`drop trigger fail_undo on partners.import_row`);
  expect((await call(port, 'POST', `/imports/${id}/undo`)).status).toBe(202);
  await until(id, 'undone');
  expect(await companies('Újra')).toBe(0);
  expect(await count(`select count(*) as n from partners.outbox where subject = 'crm.partners.company.deleted'`)).toBe(500);
});
