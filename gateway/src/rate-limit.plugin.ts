import rateLimit from '@fastify/rate-limit';
import { ProblemTypes } from '@kapocs/contracts';
import { ProblemError, type ServiceApp } from '@kapocs/kit';
import type { FastifyRequest } from 'fastify';

export interface RateLimitOptions {
  /** Requests per minute per user (per IP without a token) on /api. */
  apiPerMinute: number;
  /** Requests per minute per IP on /public. */
  publicPerMinute: number;
  /** Benchmarks: loopback callers are not counted. */
  exemptLoopback: boolean;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** The public pages are counted apart from the API, with their own (stricter) limit. */
const bucketOf = (request: FastifyRequest) => (request.routeOptions.url?.startsWith('/public') ? 'public' : 'api');

/**
 * Per-user rate limits. It runs after the token check (the kit registers that first), so the key is the
 * verified subject, never a claim a caller could forge to drain someone else's quota.
 */
export async function registerRateLimit(app: ServiceApp, opts: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const principal = request.principal as typeof request.principal | null;
      return `${bucketOf(request)}:${principal ? `user:${principal.id}` : `ip:${request.ip}`}`;
    },
    max: (_request, key) => (key.startsWith('public:') ? opts.publicPerMinute : opts.apiPerMinute),
    ...(opts.exemptLoopback ? { allowList: (request: FastifyRequest) => LOOPBACK.test(request.ip) } : {}),
    errorResponseBuilder: (_request, ctx) =>
      new ProblemError({
        type: ProblemTypes.tooManyRequests,
        title: 'Too many requests',
        status: 429,
        detail: `At most ${ctx.max} requests a minute; retry in ${ctx.after}.`,
      }),
  });
}
