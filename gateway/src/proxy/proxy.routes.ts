import proxy, { type FastifyHttpProxyOptions } from '@fastify/http-proxy';
import { tracingEnabled, type ServiceApp } from '@kapocs/kit';
import type { ServiceName } from '../config';
import { badGateway, gatewayTimeout } from './proxy.problems';

export interface ProxyOptions {
  upstreams: Record<ServiceName, string>;
  timeoutMs: number;
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

/** Maps the proxy's transport errors to our problems; the cause goes to the log, never to the client. */
function upstreamFailure(service: string, timeoutMs: number): NonNullable<ReplyOptions['onError']> {
  return (reply, { error }) => {
    reply.request.log.warn({ err: error, service }, 'upstream failed');
    reply.send((error as { statusCode?: number }).statusCode === 504 ? gatewayTimeout(service, timeoutMs) : badGateway(service));
  };
}

/** One retry of a GET/HEAD whose pooled connection was closed under it; nothing else is retried. */
const retryDelay = ({ err, req, attempt }: { err: (Error & { code?: string }) | null; req: { method: string }; attempt: number }) =>
  err && attempt < 1 && (req.method === 'GET' || req.method === 'HEAD') && (err.code === 'UND_ERR_SOCKET' || err.code === 'ECONNRESET') ? 5 : null;

async function registerProxy(
  app: ServiceApp,
  opts: { service: string; upstream: string; prefix: string; rewritePrefix?: string; timeoutMs: number; isPublic?: boolean; methods?: string[] },
) {
  // A scope of its own: the proxy must see every body as a raw stream (uploads of 100 MB pass through
  // unparsed), so the JSON/merge-patch parsers of the app are dropped here.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
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
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
        connect: { timeout: 5_000 },
      },
      replyOptions: {
        rewriteRequestHeaders: upstreamHeaders,
        rewriteHeaders: publicLocation(opts.upstream, opts.prefix),
        onError: upstreamFailure(opts.service, opts.timeoutMs),
        retryDelay,
      },
    };
    await scope.register(proxy, options);
  });
}

/**
 * `/api/<service>/*` to each service with the prefix stripped (token required), and `/public/*` to marketing
 * unchanged (no token; the stricter public rate limit applies).
 */
export async function registerProxies(app: ServiceApp, { upstreams, timeoutMs }: ProxyOptions): Promise<void> {
  for (const [service, upstream] of Object.entries(upstreams)) {
    await registerProxy(app, { service, upstream, prefix: `/api/${service}`, timeoutMs });
  }
  await registerProxy(app, {
    service: 'marketing',
    upstream: upstreams.marketing,
    prefix: '/public',
    rewritePrefix: '/public',
    timeoutMs,
    isPublic: true,
    methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
  });
}
