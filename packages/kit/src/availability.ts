import { ProblemTypes } from '@kapocs/contracts';
import { ProblemError } from './problems';

// SQLSTATEs of a server going away or not taking connections yet (class 08 connection exceptions, 57P0x
// shutdown/crash/starting up, 53300 too many connections): the request is fine, the server is not.
const PG_CODES = new Set(['08000', '08001', '08003', '08004', '08006', '08P01', '57P01', '57P02', '57P03', '53300']);
// S3/MinIO: the storage is there but cannot serve now (starting, overloaded)
const STORAGE_CODES = new Set(['ServiceUnavailable', 'SlowDown', 'XMinioServerNotInitialized']);
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
// NATS client errors while the server is away or JetStream is still recovering its store after a restart
const NAMES = new Set(['ConnectionException', 'TimeoutError', 'NoRespondersError', 'ConnectionError', 'JetStreamNotEnabled']);
const MESSAGES = [
  /Connection terminated/i,
  /Timeout acquiring a connection/i,
  /Client has encountered a connection error/i,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
  /terminating connection due to/i,
  /server closed the connection unexpectedly/i,
  /Client was closed and is not queryable/i,
  /connect ECONNREFUSED/i,
  // knex's answer to the next query of a transaction whose connection died under it (the first error is
  // reported to the transaction, not to that query); nothing of the transaction was committed
  /Transaction query already complete/i,
];

/**
 * Whether an error means a server this process depends on (PostgreSQL, NATS, Keycloak, object storage) is down or restarting,
 * rather than a bug or a bad request: such errors answer 503 with Retry-After, are retried by workers and
 * consumers, and never dead-letter an event. Looks through wrapped causes (MikroORM, fetch).
 */
export function isUnavailable(err: unknown): boolean {
  for (let e = err as Record<string, unknown> | undefined, depth = 0; e && depth < 6; depth++) {
    if (e instanceof ProblemError) return e.status === 503;
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (PG_CODES.has(code) || NET_CODES.has(code) || STORAGE_CODES.has(code))) return true;
    if (typeof e.name === 'string' && NAMES.has(e.name)) return true; // MikroORM's ConnectionException, NATS, fetch
    if (typeof e.message === 'string' && MESSAGES.some((re) => re.test(e!.message as string))) return true;
    e = (e.cause ?? e.previous) as Record<string, unknown> | undefined;
  }
  return false;
}

/** Seconds a client should wait before retrying while a server is down. */
export const RETRY_AFTER_S = 5;

/** 503 with Retry-After: a server the answer depends on is down for now. */
export const serviceUnavailable = (detail = 'A server this service depends on is not reachable right now; retry shortly.', retryAfterS = RETRY_AFTER_S) =>
  new ProblemError({ type: ProblemTypes.unavailable, title: 'Service unavailable', status: 503, detail, headers: { 'retry-after': String(retryAfterS) } });

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

/** The delay before retry `attempt` (1-based): doubling from `baseMs`, capped, with jitter so replicas spread out. */
export const backoffMs = (attempt: number, baseMs = 500, maxMs = 10_000) =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1)) * (0.75 + Math.random() * 0.5);

/**
 * Runs `fn` until it succeeds while its errors mean "server unavailable" (start-up before PostgreSQL or NATS
 * is up, a restart in between), logging each wait; any other error, or running out of `timeoutMs`, throws.
 */
export async function retryWhileUnavailable<T>(
  what: string,
  fn: () => Promise<T>,
  opts: { log?: { warn: (o: object, m?: string) => void }; timeoutMs?: number } = {},
): Promise<T> {
  const until = Date.now() + (opts.timeoutMs ?? 120_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isUnavailable(err) || Date.now() > until) throw err;
      const wait = backoffMs(attempt);
      opts.log?.warn({ err: { message: (err as Error).message }, attempt, retryInMs: Math.round(wait) }, `${what}: server unavailable, retrying`);
      await sleep(wait);
    }
  }
}
