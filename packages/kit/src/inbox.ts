import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import { AckPolicy, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { EventEnvelope } from '@kapocs/contracts';
import type { Nats } from './nats';
import { DEAD_LETTER_STREAM } from './nats';
import { backoffMs, isUnavailable, sleep } from './availability';

/** Applies one event inside the transaction that also records it in the inbox. */
export type EventHandler = (em: EntityManager, event: EventEnvelope<string, any>) => Promise<void>;

export interface ConsumerOptions {
  orm: MikroORM;
  nats: Nats;
  /** Stream to read (`PARTNERS`). */
  stream: string;
  /** Durable name `<consumer-service>-<purpose>`, shared by every replica. */
  durable: string;
  /** Handlers by event type; other types are acknowledged and ignored. */
  handlers: Record<string, EventHandler>;
  /** Deliveries before a message goes to the dead-letter subject. */
  maxDeliver?: number;
  /** Redelivery delays in ms, by attempt. */
  backoffMs?: number[];
  /** Where a new durable starts: every stored event (default, rebuilds read models) or only new ones. */
  deliverPolicy?: 'all' | 'new';
  log: { info: (o: object, m?: string) => void; warn: (o: object, m?: string) => void; error: (o: object, m?: string) => void };
}

export type HandleResult = 'applied' | 'duplicate' | 'ignored';

const tracer = trace.getTracer('@kapocs/kit');

const failed = (span: Span, err: unknown) => {
  span.recordException(err as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: String((err as Error)?.message ?? err) });
};

/**
 * Runs a handler for an envelope exactly once per consumer: the inbox insert and the handler's effect
 * commit in one transaction; a second delivery finds the inbox row and changes nothing.
 */
export async function handleOnce(orm: MikroORM, consumer: string, handlers: Record<string, EventHandler>, event: EventEnvelope): Promise<HandleResult> {
  const handler = handlers[event.type];
  if (!handler) return 'ignored';
  const schema = orm.config.get('schema');
  return orm.em.fork().transactional(async (tx) => {
    const rows = await tx.execute<{ event_id: string }[]>(
      `insert into "${schema}"."inbox" (consumer, event_id) values (?, ?) on conflict do nothing returning event_id`,
      [consumer, event.id],
    );
    if (rows.length === 0) return 'duplicate';
    await handler(tx, event);
    return 'applied';
  });
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

/**
 * A durable pull consumer with idempotent handling, retry with backoff and a dead-letter subject
 * (`crm.deadletter.<durable>`). Several replicas share one durable, so each message goes to one of them.
 */
export async function startConsumer(opts: ConsumerOptions): Promise<RunningConsumer> {
  const maxDeliver = opts.maxDeliver ?? 5;
  const backoff = opts.backoffMs ?? [1_000, 5_000, 30_000, 120_000];
  const subjects = Object.keys(opts.handlers).map((t) => `crm.${t}`);
  const config = {
    durable_name: opts.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: opts.deliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
    filter_subjects: subjects,
    ack_wait: 30_000_000_000,
    max_ack_pending: 1000,
  };
  const ensureDurable = async () => {
    try {
      await opts.nats.jsm.consumers.info(opts.stream, opts.durable);
      await opts.nats.jsm.consumers.update(opts.stream, opts.durable, { filter_subjects: subjects });
    } catch (err) {
      if ((err as Error).message.includes('not found')) await opts.nats.jsm.consumers.add(opts.stream, config);
      else throw err;
    }
  };
  await ensureDurable();
  const open = async () => (await opts.nats.js.consumers.get(opts.stream, opts.durable)).consume({ max_messages: 100 });
  let messages = await open();
  let stopped = false;

  const deadLetter = async (m: JsMsg, err: unknown) => {
    const h = natsHeaders();
    h.set('Kapocs-Original-Subject', m.subject);
    h.set('Kapocs-Consumer', opts.durable);
    h.set('Kapocs-Error', String((err as Error)?.message ?? err).slice(0, 500));
    await opts.nats.js.publish(`crm.deadletter.${opts.durable}`, m.data, { headers: h });
  };

  const handle = async (m: JsMsg, span: Span) => {
    let event: EventEnvelope;
    try {
      event = m.json<EventEnvelope>();
    } catch (err) {
      failed(span, err);
      opts.log.error({ err, subject: m.subject }, 'undecodable event; dead-lettered');
      await deadLetter(m, err).catch(() => undefined);
      m.term();
      return;
    }
    span.setAttribute('messaging.message.id', event.id);
    try {
      const result = await handleOnce(opts.orm, opts.durable, opts.handlers, event);
      span.setAttribute('kapocs.inbox.result', result);
      m.ack();
      if (result === 'duplicate') opts.log.info({ eventId: event.id, type: event.type }, 'duplicate event skipped');
    } catch (err) {
      failed(span, err);
      const attempt = m.info.deliveryCount;
      if (isUnavailable(err)) {
        // our own database is down or restarting: not the event's fault, so it waits and never dead-letters
        opts.log.warn({ err: { message: (err as Error).message }, eventId: event.id, type: event.type, attempt }, 'event waits: server unavailable');
        m.nak(Math.round(backoffMs(attempt, 1_000, 10_000)));
      } else if (attempt >= maxDeliver) {
        opts.log.error({ err, eventId: event.id, type: event.type, attempt }, 'event failed for good; dead-lettered');
        try {
          await deadLetter(m, err);
          m.term();
        } catch {
          m.nak(backoff.at(-1));
        }
      } else {
        opts.log.warn({ err, eventId: event.id, type: event.type, attempt }, 'event failed; will retry');
        m.nak(backoff[Math.min(attempt - 1, backoff.length - 1)]);
      }
    }
  };

  const consumeAll = async () => {
    for await (const m of messages) {
      // a CONSUMER span, child of the publisher's span from the NATS headers, active while the handler runs
      const carrier: Record<string, string> = {};
      for (const [k] of m.headers ?? []) carrier[k] = m.headers?.get(k) ?? '';
      const parent = propagation.extract(ROOT_CONTEXT, carrier);
      const span = tracer.startSpan(
        `process ${m.subject}`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'messaging.system': 'nats',
            'messaging.destination.name': m.subject,
            'messaging.consumer.group.name': opts.durable,
            'messaging.operation.type': 'process',
            'messaging.operation.name': 'process',
            'messaging.nats.delivery_count': m.info.deliveryCount,
          },
        },
        parent,
      );
      try {
        await context.with(trace.setSpan(parent, span), () => handle(m, span));
      } finally {
        span.end();
      }
    }
  };

  // The client reconnects to NATS by itself and the pull resumes; should the iterator still end (the durable
  // deleted, the stream recreated, an error it gives up on), the durable is ensured and consumed again.
  const loop = (async () => {
    for (let attempt = 0; !stopped; ) {
      try {
        await consumeAll();
        attempt = 0;
      } catch (err) {
        opts.log.warn({ err: { message: (err as Error).message }, durable: opts.durable }, 'consumer stopped reading; reopening');
      }
      while (!stopped) {
        await sleep(backoffMs(++attempt, 500, 10_000));
        if (stopped) break;
        try {
          await ensureDurable();
          messages = await open();
          opts.log.info({ durable: opts.durable, attempt }, 'consumer reopened');
          break;
        } catch (err) {
          opts.log.warn({ err: { message: (err as Error).message }, durable: opts.durable, attempt }, 'consumer could not reopen; retrying');
        }
      }
    }
  })();
  opts.log.info({ stream: opts.stream, durable: opts.durable, subjects }, 'consumer started');

  return {
    async stop() {
      stopped = true;
      await messages.close();
      await loop.catch(() => undefined);
    },
  };
}

/**
 * Re-runs the dead letters of a consumer through the same idempotent path, deleting each one that now
 * succeeds. Answers how many were replayed and how many still fail.
 */
export async function replayDeadLetters(opts: Pick<ConsumerOptions, 'orm' | 'nats' | 'durable' | 'handlers'>): Promise<{ replayed: number; failed: number }> {
  const jsm = opts.nats.jsm;
  const info = await jsm.streams.info(DEAD_LETTER_STREAM.name).catch(() => null);
  if (!info) return { replayed: 0, failed: 0 };
  let replayed = 0;
  let failed = 0;
  const c = await opts.nats.js.consumers.get(DEAD_LETTER_STREAM.name, { filter_subjects: [`crm.deadletter.${opts.durable}`] });
  const pending = (await c.info()).num_pending;
  for (let i = 0; i < pending; i++) {
    const m = await c.next({ expires: 2000 });
    if (!m) break;
    try {
      await handleOnce(opts.orm, opts.durable, opts.handlers, m.json<EventEnvelope>());
      await jsm.streams.deleteMessage(DEAD_LETTER_STREAM.name, m.seq);
      replayed++;
    } catch {
      failed++;
    }
  }
  return { replayed, failed };
}
