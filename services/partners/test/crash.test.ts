import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectNats, type Nats } from '@kapocs/kit';
import { authAs, copiesOfEvent, env, freePort, freshDatabase, waitFor } from '@kapocs/kit/testing';
import pg from 'pg';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let url: string;
let nats: Nats;
let db: pg.Client;
const children: ChildProcess[] = [];

beforeAll(async () => {
  url = await freshDatabase('partners_crash');
  nats = await connectNats(env('NATS_URL'), 'partners-crash-test');
  db = new pg.Client({ connectionString: url });
  await db.connect();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && !c.signalCode) c.kill('SIGKILL');
  await db?.end();
  await nats?.nc.drain();
});

/** The real partners process (main.ts), as a deployment would run it. */
async function startProcess(port: number, relay: 'on' | 'off'): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), OUTBOX_RELAY: relay, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, { timeoutMs: 60_000, what: 'partners ready' });
  return child;
}

const exited = (child: ChildProcess) => new Promise((r) => (child.exitCode !== null || child.signalCode ? r(null) : child.once('exit', r)));

it('when the process is killed right after a commit, the event is published exactly once after restart', async () => {
  const port = await freePort();
  const since = new Date();
  // relay off: the commit lands, the process dies before anything is published
  const first = await startProcess(port, 'off');
  const res = await fetch(`http://127.0.0.1:${port}/companies`, {
    method: 'POST',
    headers: { ...(await authAs('anna.sales')), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Összeomlás Kft.', kind: 'prospect' }),
  });
  expect(res.status).toBe(201);
  first.kill('SIGKILL');
  await exited(first);

  const { rows } = await db.query<{ id: string; published_at: Date | null }>(`select id, published_at from partners.outbox`);
  expect(rows).toHaveLength(1);
  expect(rows[0]!.published_at).toBeNull();
  const eventId = rows[0]!.id;
  expect(await copiesOfEvent(nats.js, 'PARTNERS', 'crm.partners.company.created', eventId, since)).toBe(0);

  const second = await startProcess(port, 'on');
  try {
    await waitFor(async () => (await db.query(`select 1 from partners.outbox where id = $1 and published_at is not null`, [eventId])).rowCount === 1, { what: 'event published' });
  } finally {
    second.kill('SIGTERM');
    await exited(second);
  }
  expect(await copiesOfEvent(nats.js, 'PARTNERS', 'crm.partners.company.created', eventId, since)).toBe(1);
});
