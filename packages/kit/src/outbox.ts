import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { subjectOf, type EventEnvelope, type EventScope } from '@kapocs/contracts';
import type { Principal } from './auth';
import { OutboxMessage } from './db';
import { backoffMs, isUnavailable } from './availability';

export interface RecordEventInput<TData> {
  type: string;
  aggregate: { type: string; id: string };
  data: TData;
  scope: EventScope;
  /** The user who caused it; background work passes `{ id: 'system:<service>', name }`. */
  actor: Pick<Principal, 'id' | 'name'>;
  version?: number;
}

/**
 * Records a domain event in the outbox of the current transaction: it commits with the change that caused
 * it, or not at all. The relay publishes it later.
 */
export function recordEvent<TData>(em: EntityManager, input: RecordEventInput<TData>): EventEnvelope<string, TData> {
  const envelope: EventEnvelope<string, TData> = {
    id: uuidv7(),
    type: input.type,
    version: input.version ?? 1,
    occurredAt: new Date().toISOString(),
    actor: { sub: input.actor.id, name: input.actor.name },
    aggregate: input.aggregate,
    data: input.data,
    scope: input.scope,
  };
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  em.create(OutboxMessage, {
    id: envelope.id,
    subject: subjectOf(input.type),
    envelope: envelope as unknown as Record<string, unknown>,
    headers,
    publishedAt: null,
  });
  return envelope;
}

const tracer = trace.getTracer('@kapocs/kit');

/**
 * Publishes one outbox row inside a PRODUCER span whose parent is the context recorded with the row (the
 * request that caused the event), and hands that span's context on in the NATS headers, so the consumer's
 * span joins the same trace. Without the SDK the recorded headers pass on unchanged.
 */
async function publishRow(js: JetStreamClient, row: { id: string; subject: string; envelope: unknown; headers: Record<string, string> | null }) {
  const carrier: Record<string, string> = { ...(row.headers ?? {}) };
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  const span = tracer.startSpan(
    `publish ${row.subject}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'nats',
        'messaging.destination.name': row.subject,
        'messaging.message.id': row.id,
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'publish',
      },
    },
    parent,
  );
  const ctx = trace.setSpan(parent, span);
  try {
    propagation.inject(ctx, carrier);
    const h = natsHeaders();
    for (const [k, v] of Object.entries(carrier)) h.set(k, v);
    await context.with(ctx, () => js.publish(row.subject, JSON.stringify(row.envelope), { msgID: row.id, headers: h }));
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}

export interface OutboxRelayOptions {
  clientUrl: string;
  schema: string;
  js: JetStreamClient;
  log: { info: (o: object, m?: string) => void; warn: (o: object, m?: string) => void; error: (o: object, m?: string) => void };
  batchSize?: number;
  /** Fallback poll in case a NOTIFY is missed (e.g. while the LISTEN connection reconnects). */
  pollMs?: number;
  /** Published rows older than this are deleted. */
  keepPublishedMs?: number;
}

export interface OutboxRelay {
  /** Publishes everything pending now; answers how many were published. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Publishes outbox rows to JetStream. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so several replicas
 * share the work without publishing a row twice at once; each is published with `Nats-Msg-Id` = event id
 * and marked after the PubAck, so a crash between the two only leads to a duplicate publish that JetStream
 * drops inside its de-duplication window.
 */
export function startOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const pool = new pg.Pool({ connectionString: opts.clientUrl, max: 2, connectionTimeoutMillis: 3_000, keepAlive: true });
  // an idle client whose server went away emits `error` on the pool; unhandled, it would end the process
  pool.on('error', (err) => opts.log.warn({ err: { message: err.message } }, 'outbox relay: idle PostgreSQL connection lost'));
  const batch = opts.batchSize ?? 200;
  const table = `"${opts.schema}"."outbox"`;
  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;
  let listener: pg.Client | null = null;
  let listenAttempt = 0;
  let failing = false;

  const publishBatch = async (): Promise<number> => {
    const client = await pool.connect();
    // a checked-out client has no listener of the pool's: its connection dying would be an unhandled
    // `error` event (the process ends); the query in flight fails anyway and the client is discarded below
    let broken: Error | undefined;
    const onError = (err: Error) => { broken = err; };
    client.on('error', onError);
    try {
      await client.query('begin');
      const { rows } = await client.query<{ id: string; subject: string; envelope: unknown; headers: Record<string, string> | null }>(
        `select id, subject, envelope, headers from ${table} where published_at is null order by id limit $1 for update skip locked`,
        [batch],
      );
      for (const row of rows) await publishRow(opts.js, row);
      if (rows.length) await client.query(`update ${table} set published_at = now() where id = any($1::uuid[])`, [rows.map((r) => r.id)]);
      await client.query('commit');
      return rows.length;
    } catch (err) {
      broken ??= err as Error;
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(broken); // with an error, the pool closes the client instead of reusing it
    }
  };

  const drain = async (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        for (let n = await publishBatch(); n > 0; n = n === batch ? await publishBatch() : 0) total += n;
      } while (again && !stopped);
      return total;
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const kick = () => {
    if (stopped) return;
    drain().then(
      (n) => {
        if (failing) opts.log.info({ published: n }, 'outbox relay publishing again');
        failing = false;
      },
      (err) => {
        // one line per outage, not one per poll: PostgreSQL or NATS down is retried on every tick anyway
        if (!failing || !isUnavailable(err)) opts.log.error({ err }, 'outbox relay failed; retrying on the next tick');
        failing = true;
      },
    );
  };

  // LISTEN on a connection of its own, re-established with backoff whenever it drops; the poll covers the gap
  const listen = async () => {
    if (stopped) return;
    const client = new pg.Client({ connectionString: opts.clientUrl, connectionTimeoutMillis: 3_000, keepAlive: true });
    let lost = false;
    const reconnect = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (listener === client) listener = null;
      client.end().catch(() => undefined);
      if (stopped) return;
      listenAttempt++;
      if (listenAttempt === 1) opts.log.warn({ err: err && { message: err.message } }, 'outbox LISTEN connection lost; polling until it reconnects');
      setTimeout(() => void listen(), backoffMs(listenAttempt, 500, 5_000)).unref();
    };
    client.on('error', reconnect);
    client.on('end', () => reconnect());
    try {
      await client.connect();
      client.on('notification', kick);
      await client.query(`listen "${opts.schema}_outbox"`);
      if (stopped) return void client.end().catch(() => undefined);
      listener = client;
      if (listenAttempt > 0) opts.log.info({ attempts: listenAttempt }, 'outbox LISTEN reconnected');
      listenAttempt = 0;
      kick();
    } catch (err) {
      reconnect(err as Error);
    }
  };

  const poll = setInterval(kick, opts.pollMs ?? 2000);
  const cleanup = setInterval(() => {
    pool
      .query(`delete from ${table} where published_at < now() - ($1 || ' milliseconds')::interval`, [String(opts.keepPublishedMs ?? 7 * 86_400_000)])
      .catch((err) => opts.log.error({ err }, 'outbox cleanup failed'));
  }, 3_600_000);
  poll.unref();
  cleanup.unref();
  void listen();
  opts.log.info({ schema: opts.schema }, 'outbox relay started');

  return {
    drain,
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearInterval(cleanup);
      await running?.catch(() => undefined);
      const l = listener;
      listener = null;
      await l?.end().catch(() => undefined);
      await pool.end();
    },
  };
}
