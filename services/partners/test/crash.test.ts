import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { connectNats, type Nats } from '@kapocs/kit';
import { authAs, copiesOfEvent, env, freePort, freshDatabase, startNodeEntry, stopProcesses, waitFor, type TestProcess } from '@kapocs/kit/testing';
import pg from 'pg';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let url: string;
let nats: Nats;
let db: pg.Client;

beforeAll(async () => {
  url = await freshDatabase('partners_crash', { as: 'partners' });
  nats = await connectNats(env('NATS_URL'), 'partners-crash-test');
  db = new pg.Client({ connectionString: url });
  await db.connect();
});
afterAll(async () => {
  await stopProcesses();
  await db?.end();
  await nats?.nc.drain();
});

/** The real partners process (main.ts), as a deployment would run it. */
function startProcess(port: number, relay: 'on' | 'off'): Promise<TestProcess> {
  return startNodeEntry('partners', main, {
    env: { DATABASE_URL: url, PORT: String(port), OUTBOX_RELAY: relay, LOG_LEVEL: 'warn' },
    readyUrl: `http://127.0.0.1:${port}/readyz`,
  });
}

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
  await first.stop('SIGKILL');

  const { rows } = await db.query<{ id: string; published_at: Date | null }>(`select id, published_at from partners.outbox`);
  expect(rows).toHaveLength(1);
  expect(rows[0]!.published_at).toBeNull();
  const eventId = rows[0]!.id;
  expect(await copiesOfEvent(nats.js, 'PARTNERS', 'crm.partners.company.created', eventId, since)).toBe(0);

  const second = await startProcess(port, 'on');
  try {
    await waitFor(async () => (await db.query(`select 1 from partners.outbox where id = $1 and published_at is not null`, [eventId])).rowCount === 1, { what: 'event published' });
  } finally {
    await second.stop();
  }
  expect(await copiesOfEvent(nats.js, 'PARTNERS', 'crm.partners.company.created', eventId, since)).toBe(1);
});
