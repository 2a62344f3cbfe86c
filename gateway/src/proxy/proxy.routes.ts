import proxy, { type FastifyHttpProxyOptions } from '@fastify/http-proxy';
import { serviceNamed } from '@kapocs/contracts';
import { ProblemError, tracingEnabled, type ServiceApp } from '@kapocs/kit';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { ServiceName } from '../config';
import type { UpstreamMonitor } from '../health/upstreams';
import { forwardedBody } from './body-limits';
import { badGateway, gatewayTimeout, payloadTooLarge, serviceUnavailable } from './proxy.problems';

export interface ProxyOptions {
  upstreams: Record<ServiceName, string>;
  timeoutMs: number;
  /** The largest request body for a method and URL (null: no limit); see BODY_LIMIT, BODY_LIMITS. */
  bodyLimit: (method: string, url: string) => number | null;
  /** Background readiness of the services: an unready one gets no requests. */
  monitor: UpstreamMonitor;
  /** Retry-After of a 503, in seconds. */
  retryAfterSeconds: number;
}

type ReplyOptions = NonNullable<FastifyHttpProxyOptions['replyOptions']>;

/** Request id, client address and trace context for the upstream; Authorization travels unchanged. */
const upstreamHeaders: NonNullable<ReplyOptions['rewriteRequestHeaders']> = (request, headers) => {
  const out: typeof headers = {
    ...headers,
    'x-request-id': request.id,
    'x-forwarded-for': request.ip,
    'x-forwarded-proto': request.protocol,
    'x-forwarded-host': request.host,
  };
  // With the OpenTelemetry SDK running, the undici instrumentation adds the traceparent of the proxy's client
  // span (a child of this request's server span) to the outgoing request; a second copy from here would make
  // the header unparseable upstream. Without the SDK the incoming trace context (already in `headers`) passes
  // on as it came.
  if (tracingEnabled()) {
    delete out.traceparent;
    delete out.tracestate;
  }
  // Hop-by-hop headers belong to the client's connection, and undici refuses to send them (an `Expect:
  // 100-continue`, which curl sends for bodies over 1 MB, failed every such upload with 502). Node's server has
  // already answered the client's 100 Continue; the upstream gets the body straight away.
  delete out.expect;
  delete out['keep-alive'];
  delete out['proxy-connection'];
  delete out.upgrade;
  return out;
};

/** An upstream's own absolute URL in Location becomes the gateway path, so no internal address leaks. */
function publicLocation(upstream: string, prefix: string): NonNullable<ReplyOptions['rewriteHeaders']> {
  const origin = new URL(upstream).origin;
  return (headers) => {
    const location = headers.location;
    if (typeof location === 'string' && location.startsWith(`${origin}/`)) headers.location = `${prefix}${location.slice(origin.length)}`;
    return headers;
  };
}

/** The error itself and its causes (reply-from wraps undici's errors, undici wraps the body stream's). */
function* causes(error: unknown): Generator<Error & { code?: string; statusCode?: number }> {
  for (let e = error as (Error & { cause?: unknown }) | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) yield e;
}

/**
 * Maps the proxy's transport errors, which all mean that the service gave no answer, to our problems: 503 when
 * it refuses connections, 504 when it is too slow, 502 otherwise. Whatever the service did answer (413, 415, a
 * 503 of its own…) never comes here: it passes through as it is. The cause goes to the log, never to the client.
 */
function upstreamFailure(service: string, timeoutMs: number, retryAfterSeconds: number): NonNullable<ReplyOptions['onError']> {
  return (reply, { error }) => {
    const chain = [...causes(error)];
    const own = chain.find((e) => e instanceof ProblemError);
    // the gateway's own refusal (a chunked body over the limit) that ended the upstream request
    if (own) return reply.send(own);
    reply.request.log.warn({ err: error, service }, 'upstream failed');
    const code = chain.map((e) => e.code).find((c) => c && !c.startsWith('FST_')) ?? '';
    if (code === 'ECONNREFUSED') return reply.send(serviceUnavailable(service, retryAfterSeconds, 'it refuses connections'));
    if (chain.some((e) => e.statusCode === 504) || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return reply.send(gatewayTimeout(service, timeoutMs));
    if (['EPIPE', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(code)) {
      // A service that refuses a body before reading it all (its own size or type check) closes the connection
      // under the upload, and its answer is lost with it: the gateway's BODY_LIMITS should match the services'.
      const sending = reply.request.raw.readable && !reply.request.raw.readableEnded;
      return reply.send(badGateway(service, sending ? 'closed the connection while the request body was still being sent, without an answer' : 'closed the connection without an answer'));
    }
    return reply.send(badGateway(service));
  };
}

/** One retry of a GET/HEAD whose pooled connection was closed under it; nothing else is retried. */
const retryDelay = ({ err, req, attempt }: { err: (Error & { code?: string }) | null; req: { method: string }; attempt: number }) =>
  err && attempt < 1 && (req.method === 'GET' || req.method === 'HEAD') && (err.code === 'UND_ERR_SOCKET' || err.code === 'ECONNRESET') ? 5 : null;

interface RouteOptions {
  service: string;
  upstream: string;
  prefix: string;
  rewritePrefix?: string;
  isPublic?: boolean;
  methods?: string[];
}

async function registerProxy(app: ServiceApp, opts: RouteOptions, common: ProxyOptions) {
  const { timeoutMs, bodyLimit, monitor, retryAfterSeconds } = common;
  // A scope of its own: the proxy must see every body as a raw stream (uploads of 100 MB pass through
  // unparsed), so the JSON/merge-patch parsers of the app are dropped here.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();

    // A service whose /readyz says 503 would fail the request anyway; refusing here is fast and says when to retry.
    scope.addHook('onRequest', async () => {
      const upstream = monitor.state(opts.service);
      if (upstream.state === 'unready') throw serviceUnavailable(opts.service, retryAfterSeconds, upstream.detail ?? 'not ready');
    });

    // Bodies over the route's limit are refused before a byte goes upstream: a service refusing them itself would
    // close the connection under the upload and its 413 would be lost on the way back. Chunked bodies are counted.
    scope.addHook('preParsing', async (request: FastifyRequest, _reply, payload: Readable) => {
      const declared = request.headers['content-length'];
      if (declared === undefined ? !request.headers['transfer-encoding'] : Number(declared) === 0) return payload;
      const limit = bodyLimit(request.method, request.url);
      if (limit !== null && declared !== undefined && Number(declared) > limit) throw payloadTooLarge(limit);
      return forwardedBody(payload, declared === undefined ? limit : null, () => payloadTooLarge(limit ?? 0));
    });

    const options: FastifyHttpProxyOptions = {
      upstream: opts.upstream,
      prefix: opts.prefix,
      ...(opts.rewritePrefix ? { rewritePrefix: opts.rewritePrefix } : {}),
      ...(opts.methods ? { httpMethods: opts.methods } : {}),
      ...(opts.isPublic ? { config: { public: true } } : {}),
      // reply-from's own two lines per request; the kit logs one access line with the status and time
      disableRequestLogging: true,
      undici: {
        connections: 256,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connect: { timeout: 5_000 },
      },
      replyOptions: {
        rewriteRequestHeaders: upstreamHeaders,
        rewriteHeaders: publicLocation(opts.upstream, opts.prefix),
        onError: upstreamFailure(opts.service, timeoutMs, retryAfterSeconds),
        retryDelay,
      },
    };
    await scope.register(proxy, options);
  });
}

/**
 * Each service of the list at its `pathPrefix` (`/api/<service>/*`) with the prefix stripped (token required), and
 * at its `publicPrefix` (marketing's `/public/*`) unchanged (no token; the stricter public rate limit applies).
 */
export async function registerProxies(app: ServiceApp, options: ProxyOptions): Promise<void> {
  for (const [service, upstream] of Object.entries(options.upstreams)) {
    await registerProxy(app, { service, upstream, prefix: serviceNamed(service).pathPrefix }, options);
  }
  for (const [service, upstream] of Object.entries(options.upstreams)) {
    const { publicPrefix } = serviceNamed(service);
    if (!publicPrefix) continue;
    await registerProxy(app, {
      service,
      upstream,
      prefix: publicPrefix,
      rewritePrefix: publicPrefix,
      isPublic: true,
      methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    }, options);
  }
}
