import cors from '@fastify/cors';
import type { ServiceApp } from '@kapocs/kit';

/**
 * CORS for the portal's origins. Registered before the token check (kit's `beforeAuth`), so a preflight,
 * which never carries a token, is answered here; no credentials: the portal sends a bearer token.
 */
export async function registerCors(app: ServiceApp, origins: string[]): Promise<void> {
  await app.register(cors, {
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Request-Id', 'traceparent', 'tracestate'],
    exposedHeaders: ['ETag', 'Location', 'X-Request-Id', 'Retry-After', 'Content-Disposition'],
    credentials: false,
    maxAge: 600,
  });
}
