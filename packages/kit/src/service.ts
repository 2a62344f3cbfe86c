import Fastify, { type FastifyInstance, type FastifyError } from 'fastify';
import swagger from '@fastify/swagger';
import helmet from '@fastify/helmet';
import closeWithGrace from 'close-with-grace';
import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { ProblemTypes, type Problem } from '@kapocs/contracts';
import { ProblemError } from './problems';
import { isUnavailable, serviceUnavailable } from './availability';
import { authPlugin, type TokenVerifier } from './auth';
import { stopTelemetry, traceFields } from './telemetry';
import { openApiTransform, zodValidatorCompiler, type ZodTypeProvider } from './validation';

export type ServiceApp = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  ZodTypeProvider
>;

export interface CreateServiceOptions {
  /** Service name as in ARCHITECTURE.md (`partners`). */
  name: string;
  version?: string;
  logLevel?: string;
  /** Token verifier; every route not marked public requires a valid token. */
  verify: TokenVerifier;
  /** Readiness checks by name (PostgreSQL, …); /readyz answers 503 naming those that fail. */
  readiness?: Record<string, () => Promise<unknown>>;
  /**
   * Checks /readyz reports for operators without turning unready: servers whose outage the service rides out
   * (NATS: events wait in the outbox, so writes go on).
   */
  degradable?: Record<string, () => Promise<unknown>>;
  /** Largest request body in bytes. */
  bodyLimit?: number;
  /**
   * Which proxies to trust for the client address (Fastify `trustProxy`): `true` (default) or addresses,
   * CIDRs and `loopback`/`linklocal`/`uniquelocal`, comma-separated. The gateway narrows it, since its
   * per-IP rate limits must not be dodged with a forged `X-Forwarded-For`.
   */
  trustProxy?: boolean | string;
  /**
   * Registers plugins whose hooks must run before the token check, e.g. the gateway's CORS, so a browser's
   * preflight (which never carries a token) is answered instead of refused with 401.
   */
  beforeAuth?: (app: ServiceApp) => void | Promise<void>;
}

const currentTraceId = () => trace.getActiveSpan()?.spanContext().traceId;

/** Sends a problem+json answer. */
export function problemReply(status: number, problem: Omit<Problem, 'status'>): Problem {
  return { ...problem, status };
}

/** Maps any thrown error to a problem; 5xx keep their detail to the logs only. */
export function toProblem(err: FastifyError | ProblemError | Error, instance: string): { problem: Problem; headers?: Record<string, string> } {
  const traceId = currentTraceId();
  // PostgreSQL or another server restarting is not the request's fault: 503 + Retry-After, never a 500
  if (!(err instanceof ProblemError) && isUnavailable(err)) err = serviceUnavailable();
  if (err instanceof ProblemError) {
    // extension members first, so they can never overwrite the standard ones
    const problem: Problem = { ...err.extensions, type: err.type, title: err.title, status: err.status, instance };
    if (err.detail) problem.detail = err.detail;
    if (err.errors) problem.errors = err.errors;
    if (traceId) problem.traceId = traceId;
    return err.headers ? { problem, headers: err.headers } : { problem };
  }
  const status = (err as FastifyError).statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const byStatus: Record<number, [string, string]> = {
      400: [ProblemTypes.validation, 'Invalid request'],
      404: [ProblemTypes.notFound, 'Not found'],
      413: [ProblemTypes.payloadTooLarge, 'Request body too large'],
      415: [ProblemTypes.unsupportedMediaType, 'Unsupported media type'],
      429: [ProblemTypes.tooManyRequests, 'Too many requests'],
    };
    const [type, title] = byStatus[status] ?? [`${ProblemTypes.validation}`, 'Bad request'];
    const problem: Problem = { type, title, status, detail: err.message, instance };
    if (traceId) problem.traceId = traceId;
    return { problem };
  }
  const problem: Problem = { type: ProblemTypes.internal, title: 'Internal error', status: 500, instance };
  if (traceId) problem.traceId = traceId;
  return { problem };
}

/**
 * A Fastify app with everything a Kapocs service shares: pino with request ids, zod validation,
 * problem+json errors, token verification, /healthz, /readyz and /openapi.json. It does not listen;
 * `main.ts` does (see `serve`).
 */
const PROBES = new Set(['/healthz', '/readyz']);
const READINESS_TIMEOUT_MS = 2_000;

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); })]).finally(() => clearTimeout(timer));
}

export async function createService(opts: CreateServiceOptions): Promise<ServiceApp> {
  const app = Fastify({
    // every line logged inside a span (requests, consumed events) carries trace_id and span_id
    logger: { level: opts.logLevel ?? 'info', redact: ['req.headers.authorization'], mixin: traceFields },
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: opts.bodyLimit ?? 1_048_576,
    trustProxy: opts.trustProxy ?? true,
    // path parameters as long as any schema allows (ids from other systems): Fastify's default of 100 answered 414
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    // a list's `filter` may be 20,000 characters in the query string; Node's 16 KiB default answered 431
    http: { maxHeaderSize: 96 * 1024 },
    // one access line per request (onResponse below) instead of Fastify's two: logging was a third of the
    // gateway's CPU per proxied request (docs/benchmarks.md)
    disableRequestLogging: true,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addContentTypeParser(['application/merge-patch+json'], { parseAs: 'string' }, (_req, body, done) => {
    try { done(null, JSON.parse(body as string)); } catch (e) { (e as FastifyError).statusCode = 400; done(e as Error); }
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.addHook('onResponse', async (request, reply) => {
    const line = { req: request, res: reply, responseTime: reply.elapsedTime }; // Fastify's serializers pick the fields
    // probes every few seconds from the orchestrator are noise unless they fail
    if (PROBES.has(request.routeOptions.url ?? '') && reply.statusCode < 400) request.log.debug(line, 'request completed');
    else request.log.info(line, 'request completed');
  });

  app.setErrorHandler((err, request, reply) => {
    const { problem, headers } = toProblem(err as FastifyError, request.url);
    if (problem.status === 503) request.log.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'request failed: server unavailable');
    else if (problem.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ status: problem.status, type: problem.type }, 'request refused');
    if (headers) reply.headers(headers);
    return reply.code(problem.status).type('application/problem+json').send(problem);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).type('application/problem+json').send({
      type: ProblemTypes.notFound, title: 'Not found', status: 404, detail: `No route ${request.method} ${request.url}`, instance: request.url,
    } satisfies Problem),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: `Kapocs CRM — ${opts.name}`, version: opts.version ?? '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: openApiTransform,
  });

  // JSON APIs: no sniffing, no framing, no referrer, a CSP that lets nothing load (answers are data, never pages)
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-site' },
    hsts: false, // TLS ends at the Ingress, which sets HSTS for the public host
  });

  await opts.beforeAuth?.(app);
  await app.register(authPlugin, { verify: opts.verify });

  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok', service: opts.name }));
  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    let ok = true;
    const required = new Set(Object.keys(opts.readiness ?? {}));
    await Promise.all(
      Object.entries({ ...opts.degradable, ...opts.readiness }).map(async ([name, check]) => {
        try {
          // a probe must answer within the orchestrator's timeout even when a server hangs instead of refusing
          await withTimeout(check(), READINESS_TIMEOUT_MS, `no answer within ${READINESS_TIMEOUT_MS} ms`);
          checks[name] = 'ok';
        } catch (e) {
          if (required.has(name)) ok = false;
          checks[name] = (e as Error).message || 'failed';
        }
      }),
    );
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', service: opts.name, checks });
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  return app;
}

/**
 * Listens and shuts down gracefully (close-with-grace) on SIGTERM, SIGINT and the other terminating signals, and on
 * an uncaught error: stop accepting, finish in-flight requests, then run `onStop` (relay, consumers, database,
 * NATS) in order and flush the traces. A second signal, or 15 s without an end, exits at once with code 1.
 */
export async function serve(app: ServiceApp, { host, port, onStop = [] }: { host: string; port: number; onStop?: Array<() => Promise<unknown>> }) {
  closeWithGrace({
    delay: 15_000,
    logger: { error: (m: unknown) => (m instanceof Error ? app.log.error({ err: m }, 'shutdown failed') : app.log.error(String(m))) },
  }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an uncaught error');
    else app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
      for (const fn of onStop) await fn();
    } finally {
      // the spans of the last requests are still in the exporter's buffer
      await stopTelemetry();
    }
  });
  await app.listen({ host, port });
}
