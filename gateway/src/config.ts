import { z } from 'zod';
import { baseConfigShape, loadConfig } from '@kapocs/kit';
import { envPrefixOf, SERVICE_NAMES } from '@kapocs/contracts';

/** The services behind the gateway, each at its `pathPrefix` (packages/contracts/src/services.json). */
export const SERVICES = SERVICE_NAMES;
export type ServiceName = string;

/** `<NAME>_URL`: where the gateway finds a service. */
export const upstreamKeyOf = (service: ServiceName) => `${envPrefixOf(service)}_URL` as const;


const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1');
const perMinute = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Every key the gateway reads from the environment. */
export const gatewayConfigShape = {
  HOST: baseConfigShape.HOST,
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: baseConfigShape.LOG_LEVEL,
  OTEL_EXPORTER_OTLP_ENDPOINT: baseConfigShape.OTEL_EXPORTER_OTLP_ENDPOINT,

  OIDC_ISSUER: baseConfigShape.OIDC_ISSUER,
  OIDC_JWKS_URL: baseConfigShape.OIDC_JWKS_URL,
  OIDC_AUDIENCE: baseConfigShape.OIDC_AUDIENCE,
  KEYCLOAK_URL: z.string().url(),
  KEYCLOAK_REALM: z.string().default('crm'),
  KEYCLOAK_GATEWAY_CLIENT_ID: z.string().default('crm-gateway'),
  KEYCLOAK_GATEWAY_CLIENT_SECRET: z.string().min(1),

  /** How long an upstream may take to answer with headers (and between body chunks) before 504. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /**
   * How often each service's /readyz is asked (every second while one is not ready). A service whose /readyz answers 503 gets no requests until it
   * is ready again (its callers get 503 with Retry-After of this interval, rounded up to seconds).
   */
  UPSTREAM_CHECK_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
  /** Largest request body on routes without a BODY_LIMITS rule: the services' own JSON body limit (kit's bodyLimit). */
  BODY_LIMIT: z.string().default('1mb'),
  /**
   * Larger (or smaller) limits by path prefix, comma-separated `<prefix>=<size>`, the longest prefix wins; sizes
   * like `16mb`, `512kb`, a byte count, or `none`. Replaces the defaults, which follow the services: partners'
   * bulk upserts take 16 MiB of JSON, its imports a 50 MiB file (IMPORT_MAX_BYTES) plus the form's fields.
   */
  BODY_LIMITS: z.string().default('POST /api/partners/external/=16mb,/api/partners/imports=51mb'),

  PORTAL_URL: z.string().url().default('http://localhost:3000'),
  /** More browser origins, comma-separated, besides the portal's. */
  CORS_ORIGINS: z.string().default(''),

  RATE_LIMIT_PER_MINUTE: perMinute(1200),
  PUBLIC_RATE_LIMIT_PER_MINUTE: perMinute(60),
  /** Benchmarks: requests from loopback are not counted. */
  RATE_LIMIT_DISABLED: flag,
  /**
   * The reverse proxies (load balancer, ingress controller) in front of the gateway whose X-Forwarded-For is
   * believed: addresses and CIDRs, comma-separated (also `loopback`, `linklocal`, `uniquelocal`). Empty (the
   * default): no peer is believed, the client address is the TCP peer's, so no caller can pick its own address
   * (and a fresh per-IP rate-limit bucket) by sending the header.
   */
  TRUSTED_PROXIES: z.string().default(''),

  DIRECTORY_TTL_SECONDS: z.coerce.number().int().min(0).default(60),
  DOCS_TTL_SECONDS: z.coerce.number().int().min(0).default(30),
};

/** PARTNERS_URL, ACTIVITIES_URL, …: the base URL of every service of the list, each required. */
export const upstreamConfigShape: Record<string, z.ZodString> = Object.fromEntries(SERVICES.map((s) => [upstreamKeyOf(s), z.string().url()]));

export type GatewayConfig = Readonly<z.infer<z.ZodObject<typeof gatewayConfigShape>> & { [upstream: `${string}_URL`]: string }>;

/** Parses and freezes the gateway's configuration; a missing key fails with its name. */
export const loadGatewayConfig = (env: Record<string, string | undefined>): GatewayConfig =>
  loadConfig({ ...gatewayConfigShape, ...upstreamConfigShape }, env) as GatewayConfig;

/** The base URL of each service. */
export function upstreamsOf(config: GatewayConfig): Record<ServiceName, string> {
  return Object.fromEntries(SERVICES.map((s) => [s, config[upstreamKeyOf(s)]!]));
}

/** The portal's origin under both local host names (localhost and 127.0.0.1), plus CORS_ORIGINS. */
export function corsOriginsOf(config: GatewayConfig): string[] {
  const portal = new URL(config.PORTAL_URL);
  const origins = [portal.origin];
  const twin = portal.hostname === 'localhost' ? '127.0.0.1' : portal.hostname === '127.0.0.1' ? 'localhost' : null;
  if (twin) origins.push(Object.assign(new URL(portal.origin), { hostname: twin }).origin);
  for (const o of config.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean)) origins.push(new URL(o).origin);
  return [...new Set(origins)];
}

/** TRUSTED_PROXIES as Fastify's trustProxy takes it: comma-separated addresses, or false for none. */
export function trustProxyOf(config: GatewayConfig): false | string {
  const list = config.TRUSTED_PROXIES.split(',').map((s) => s.trim()).filter(Boolean);
  return list.length ? list.join(',') : false;
}
