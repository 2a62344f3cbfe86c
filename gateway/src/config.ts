import { z } from 'zod';
import { baseConfigShape, loadConfig } from '@kapocs/kit';

/** The services behind the gateway, each at `/api/<service>`. */
export const SERVICES = ['partners', 'activities', 'sales', 'marketing', 'documents', 'reporting'] as const;
export type ServiceName = (typeof SERVICES)[number];

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

  PARTNERS_URL: z.string().url(),
  ACTIVITIES_URL: z.string().url(),
  SALES_URL: z.string().url(),
  MARKETING_URL: z.string().url(),
  DOCUMENTS_URL: z.string().url(),
  REPORTING_URL: z.string().url(),
  /** How long an upstream may take to answer with headers (and between body chunks) before 504. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),

  PORTAL_URL: z.string().url().default('http://localhost:3000'),
  /** More browser origins, comma-separated, besides the portal's. */
  CORS_ORIGINS: z.string().default(''),

  RATE_LIMIT_PER_MINUTE: perMinute(1200),
  PUBLIC_RATE_LIMIT_PER_MINUTE: perMinute(60),
  /** Benchmarks: requests from loopback are not counted. */
  RATE_LIMIT_DISABLED: flag,
  /**
   * Peers whose X-Forwarded-For is believed (Fastify trustProxy): `true`, `false`, or addresses, CIDRs and
   * the names loopback/linklocal/uniquelocal, comma-separated. The default trusts private networks only, so a client
   * on the internet cannot pick its own address to dodge the per-IP limits.
   */
  TRUST_PROXY: z.string().default('loopback,linklocal,uniquelocal'),

  DIRECTORY_TTL_SECONDS: z.coerce.number().int().min(0).default(60),
  DOCS_TTL_SECONDS: z.coerce.number().int().min(0).default(30),
};

export type GatewayConfig = Readonly<z.infer<z.ZodObject<typeof gatewayConfigShape>>>;

/** Parses and freezes the gateway's configuration; a missing key fails with its name. */
export const loadGatewayConfig = (env: Record<string, string | undefined>): GatewayConfig => loadConfig(gatewayConfigShape, env);

/** The base URL of each service. */
export function upstreamsOf(config: GatewayConfig): Record<ServiceName, string> {
  return {
    partners: config.PARTNERS_URL,
    activities: config.ACTIVITIES_URL,
    sales: config.SALES_URL,
    marketing: config.MARKETING_URL,
    documents: config.DOCUMENTS_URL,
    reporting: config.REPORTING_URL,
  };
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

/** TRUST_PROXY as Fastify takes it. */
export function trustProxyOf(config: GatewayConfig): boolean | string {
  const v = config.TRUST_PROXY.trim();
  if (v === 'true') return true;
  if (v === 'false' || v === '') return false;
  return v;
}
