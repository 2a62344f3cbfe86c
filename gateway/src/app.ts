import { createService, createTokenVerifier, type ServiceApp, type TokenVerifier } from '@kapocs/kit';
import { corsOriginsOf, trustProxyOf, upstreamsOf, type GatewayConfig } from './config';
import { registerCors } from './cors.plugin';
import { registerRateLimit } from './rate-limit.plugin';
import { registerProxies } from './proxy/proxy.routes';
import { registerMeRoutes } from './me/me.routes';
import { createDirectory, type Directory } from './directory/directory.service';
import { registerDirectoryRoutes } from './directory/directory.routes';
import { createApiDocs } from './docs/docs.service';
import { registerDocsRoutes } from './docs/docs.routes';
import type { OpenApiDocument } from './docs/docs.merge';
import { createUpstreamMonitor } from './health/upstreams';
import { registerHealthRoutes } from './health/health.routes';
import { bodyLimitsOf } from './proxy/body-limits';

export interface GatewayDeps {
  config: GatewayConfig;
  /** Token verifier; by default the realm's JWKS from the configuration. */
  verify?: TokenVerifier;
  /** User directory; by default Keycloak's admin API as the gateway's service account. */
  directory?: Directory;
}

/**
 * The gateway's Fastify app, not listening (main.ts listens; tests `inject` or listen on port 0).
 * Order matters: CORS before the token check (preflights carry no token), the rate limit after it (keyed
 * by the verified user), then the gateway's own routes and the proxies.
 */
export async function buildApp(deps: GatewayDeps): Promise<ServiceApp> {
  const { config } = deps;
  const upstreams = upstreamsOf(config);
  // parsed before anything starts: a bad rule stops the gateway naming the variable
  const bodyLimit = bodyLimitsOf(config.BODY_LIMIT, config.BODY_LIMITS);
  const monitor = createUpstreamMonitor(upstreams, { intervalMs: config.UPSTREAM_CHECK_INTERVAL_MS });
  const verify = deps.verify ?? createTokenVerifier({ issuer: config.OIDC_ISSUER, jwksUrl: config.OIDC_JWKS_URL, audience: config.OIDC_AUDIENCE });

  const app = await createService({
    name: 'gateway',
    verify,
    logLevel: config.LOG_LEVEL,
    trustProxy: trustProxyOf(config),
    // /readyz is the gateway alone (no checks: it is ready once it listens). Not the services: one unready service
    // would take every replica out of rotation; its own routes answer 503 instead (see the monitor). Not
    // Keycloak's JWKS either: with its keys cached the gateway verifies tokens without it, and the verifier
    // refetches once Keycloak is back.
    readiness: {},
    beforeAuth: (scope) => registerCors(scope, corsOriginsOf(config)),
  });

  await registerRateLimit(app, {
    apiPerMinute: config.RATE_LIMIT_PER_MINUTE,
    publicPerMinute: config.PUBLIC_RATE_LIMIT_PER_MINUTE,
    exemptLoopback: config.RATE_LIMIT_DISABLED,
  });

  registerMeRoutes(app);

  const directory =
    deps.directory ??
    createDirectory({
      keycloakUrl: config.KEYCLOAK_URL,
      realm: config.KEYCLOAK_REALM,
      clientId: config.KEYCLOAK_GATEWAY_CLIENT_ID,
      clientSecret: config.KEYCLOAK_GATEWAY_CLIENT_SECRET,
      ttlMs: config.DIRECTORY_TTL_SECONDS * 1000,
      log: app.log,
    });
  registerDirectoryRoutes(app, directory);

  registerDocsRoutes(
    app,
    createApiDocs({ upstreams, own: () => app.swagger() as OpenApiDocument, ttlMs: config.DOCS_TTL_SECONDS * 1000, log: app.log }),
  );

  registerHealthRoutes(app, monitor);
  app.addHook('onReady', async () => monitor.start());
  app.addHook('onClose', async () => monitor.stop());

  await registerProxies(app, {
    upstreams,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    bodyLimit,
    monitor,
    retryAfterSeconds: Math.max(1, Math.ceil(config.UPSTREAM_CHECK_INTERVAL_MS / 1000)),
  });
  return app;
}
