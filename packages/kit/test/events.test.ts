import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@kapocs/contracts';
import {
  connectNats, DEAD_LETTER_STREAM, ensureStreams, migrate, ormFor, recordEvent, replayDeadLetters, startConsumer,
  startOutboxRelay, type Nats, type ServiceDefinition,
} from '../src';
import { copiesOfEvent, env, freshDatabase, waitFor } from '../src/testing';

// A throwaway service of our own, so the kit is tested on real PostgreSQL and NATS without any service's code.
const kittest: ServiceDefinition = { name: 'kittest', defaultPort: 0, entities: [], migrations: [] };
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };

let orm: MikroORM;
let nats: Nats;
let url: string;

beforeAll(async () => {
  url = await freshDatabase('kit');
  orm = await ormFor(kittest, url, { poolMax: 4 });
  await migrate(orm, 'kittest', url);
  nats = await connectNats(env('NATS_URL'), 'kit-test');
  await ensureStreams(nats.jsm, 'kittest');
});
afterAll(async () => {
  await nats?.nc.drain();
  await orm?.close();
});

const envelope = (type: string, data: unknown): EventEnvelope => ({
  id: uuidv7(), type, version: 1, occurredAt: new Date().toISOString(), actor: { sub: 'test', name: 'Test' },
  aggregate: { type: 'thing', id: uuidv7() }, data, scope: { ownerId: 'test', departmentId: null },
});

describe('outbox relay', () => {
  it('publishes a committed event once, even when it is relayed again after a crash before marking it', async () => {
    const type = `kittest.thing.${uuidv7().slice(-8)}`;
    const since = new Date();
    const event = await orm.em.fork().transactional(async (tx) =>
      recordEvent(tx, { type, aggregate: { type: 'thing', id: uuidv7() }, data: { n: 1 }, scope: { ownerId: 'u', departmentId: null }, actor: { id: 'u', name: 'U' } }));
    const relay = startOutboxRelay({ clientUrl: url, schema: 'kittest', js: nats.js, log, pollMs: 60_000 });
    try {
      await waitFor(async () => (await orm.em.fork().execute<{ n: number }[]>(`select count(*)::int n from kittest.outbox where published_at is null`))[0]!.n === 0, { what: 'outbox drained' });
      // as if the relay died after the PubAck but before marking the row
      await orm.em.fork().execute(`update kittest.outbox set published_at = null where id = ?`, [event.id]);
      expect(await relay.drain()).toBe(1);
    } finally {
      await relay.stop();
    }
    expect(await copiesOfEvent(nats.js, 'KITTEST', `crm.${type}`, event.id, since)).toBe(1);
  });

  it('does not publish an event whose transaction rolled back', async () => {
    const type = `kittest.thing.${uuidv7().slice(-8)}`;
    await expect(orm.em.fork().transactional(async (tx) => {
      recordEvent(tx, { type, aggregate: { type: 'thing', id: uuidv7() }, data: {}, scope: { ownerId: 'u', departmentId: null }, actor: { id: 'u', name: 'U' } });
      await tx.flush();
      throw new Error('rollback');
    })).rejects.toThrow('rollback');
    const [row] = await orm.em.fork().execute<{ n: number }[]>(`select count(*)::int n from kittest.outbox where subject = ?`, [`crm.${type}`]);
    expect(row!.n).toBe(0);
  });
});

describe('idempotent consumer', () => {
  it('applies an event delivered twice once', async () => {
    const type = `kittest.counted.${uuidv7().slice(-8)}`;
    let applied = 0;
    const consumer = await startConsumer({
      orm, nats, stream: 'KITTEST', durable: `kittest-once-${uuidv7().slice(-8)}`, deliverPolicy: 'new', log,
      handlers: { [type]: async (em) => { applied++; await em.execute('select 1'); } },
    });
    try {
      const e = envelope(type, {});
      // two publishes with different message ids: a redelivery JetStream's de-duplication cannot catch
      await nats.js.publish(`crm.${type}`, JSON.stringify(e), { msgID: `${e.id}-a` });
      await nats.js.publish(`crm.${type}`, JSON.stringify(e), { msgID: `${e.id}-b` });
      await waitFor(async () => {
        const [row] = await orm.em.fork().execute<{ n: number }[]>(`select count(*)::int n from kittest.inbox where event_id = ?`, [e.id]);
        return row!.n === 1;
      }, { what: 'inbox row' });
      const info = async () => (await nats.jsm.consumers.list('KITTEST').next()).find((c) => c.name.startsWith('kittest-once'));
      await waitFor(async () => { const i = await info(); return i && i.num_pending === 0 && i.num_ack_pending === 0; }, { what: 'both deliveries handled' });
      expect(applied).toBe(1);
    } finally {
      await consumer.stop();
    }
  });

  it('retries a failing event, dead-letters it, and a replay applies it once it can succeed', async () => {
    const type = `kittest.flaky.${uuidv7().slice(-8)}`;
    const durable = `kittest-flaky-${uuidv7().slice(-8)}`;
    let failing = true;
    let attempts = 0;
    let applied = 0;
    const handlers = {
      [type]: async () => {
        attempts++;
        if (failing) throw new Error('downstream not ready');
        applied++;
      },
    };
    const consumer = await startConsumer({ orm, nats, stream: 'KITTEST', durable, deliverPolicy: 'new', log, maxDeliver: 3, backoffMs: [50], handlers });
    const e = envelope(type, {});
    try {
      await nats.js.publish(`crm.${type}`, JSON.stringify(e), { msgID: e.id });
      await waitFor(async () => {
        const c = await nats.js.consumers.get(DEAD_LETTER_STREAM.name, { filter_subjects: [`crm.deadletter.${durable}`] });
        return (await c.info()).num_pending === 1;
      }, { what: 'dead letter', timeoutMs: 15_000 });
      expect(attempts).toBe(3);
      expect(applied).toBe(0);
    } finally {
      await consumer.stop();
    }
    failing = false;
    expect(await replayDeadLetters({ orm, nats, durable, handlers })).toEqual({ replayed: 1, failed: 0 });
    expect(applied).toBe(1);
    expect(await replayDeadLetters({ orm, nats, durable, handlers })).toEqual({ replayed: 0, failed: 0 });
  });
});
