import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { RetentionPolicy, StorageType, DiscardPolicy } from '@nats-io/jetstream';
import { streamOf } from '@kapocs/contracts';
import { retryWhileUnavailable } from './availability';

export interface Nats {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

/** Connects to NATS (waiting for a server that is not up yet, reconnecting forever) and opens JetStream. */
export async function connectNats(url: string, name: string): Promise<Nats> {
  const nc = await connect({ servers: url.split(','), name, maxReconnectAttempts: -1, reconnectTimeWait: 500, waitOnFirstConnect: true });
  // JetStream answers a moment after the server does (it recovers its store first)
  const jsm = await retryWhileUnavailable('JetStream', () => jetstreamManager(nc));
  return { nc, jsm, js: jetstream(nc) };
}

/** Dead letters of every consumer: `crm.deadletter.<consumer>`. */
export const DEAD_LETTER_STREAM = { name: 'DEADLETTER', subjects: ['crm.deadletter.>'] };

/** The window in which JetStream drops a second publish with the same Nats-Msg-Id. */
export const DEDUPE_WINDOW_NS = 2 * 60 * 60 * 1_000_000_000;

async function ensure(jsm: JetStreamManager, name: string, subjects: string[]) {
  const config = {
    name,
    subjects,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    duplicate_window: DEDUPE_WINDOW_NS,
    max_age: 0,
  };
  try {
    await jsm.streams.info(name);
    await jsm.streams.update(name, { subjects, duplicate_window: DEDUPE_WINDOW_NS });
  } catch (err) {
    if ((err as Error).message.includes('not found')) await jsm.streams.add(config);
    else throw err;
  }
}

/** Creates or updates the stream a service publishes to (`PARTNERS` on `crm.partners.>`), and the dead-letter stream. */
export async function ensureStreams(jsm: JetStreamManager, service: string): Promise<void> {
  const s = streamOf(service);
  await ensure(jsm, s.name, s.subjects);
  await ensure(jsm, DEAD_LETTER_STREAM.name, DEAD_LETTER_STREAM.subjects);
}
