// The single source of local configuration: every server of the local stack, every service,
// the gateway, the portal and the tests read their addresses from here.
// Each value can be overridden by the environment variable of the same name.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dataDir = process.env.KAPOCS_DATA ?? join(repoRoot, '.data');
export const cacheDir = process.env.KAPOCS_CACHE ?? join(homedir(), '.cache', 'kapocs');

/**
 * The one list of services (packages/contracts/src/services.json): name, port, schema, path prefix, navigation.
 * @type {Array<{ name: string, port: number, schema: string, pathPrefix: string, publicPrefix?: string, nav: string, about: string }>}
 */
export const SERVICE_LIST = JSON.parse(readFileSync(join(repoRoot, 'packages', 'contracts', 'src', 'services.json'), 'utf8'));
export const SERVICES = SERVICE_LIST.map((s) => s.name);

/**
 * The local environment as a plain object of env vars.
 * Ports are resolved first so that a changed port also moves the URLs built from it,
 * unless the URL itself is overridden.
 * @param {Record<string, string | undefined>} [overrides]
 * @returns {Record<string, string>}
 */
export function localEnv(overrides = process.env) {
  const env = {};
  const set = (name, fallback) => {
    const given = overrides[name];
    env[name] = given !== undefined && given !== '' ? String(given) : String(fallback);
    return env[name];
  };

  const pg = set('PG_PORT', 55432);
  // the administrator's URL (superuser `kapocs`: the stack, tests creating databases, benchmarks); each service
  // connects as its own role instead, <SERVICE>_DATABASE_URL below
  const databaseUrl = set('DATABASE_URL', `postgres://kapocs@127.0.0.1:${pg}/kapocs`);

  const nats = set('NATS_PORT', 4222);
  set('NATS_MONITOR_PORT', 8222);
  set('NATS_URL', `nats://127.0.0.1:${nats}`);

  const minio = set('MINIO_PORT', 9100);
  set('MINIO_CONSOLE_PORT', 9101);
  set('S3_ENDPOINT', `http://127.0.0.1:${minio}`);
  set('S3_REGION', 'us-east-1');
  set('S3_ACCESS_KEY', 'kapocs');
  set('S3_SECRET_KEY', 'kapocs-secret-key');
  set('S3_BUCKET', 'kapocs-documents');

  const kc = set('KEYCLOAK_PORT', 8180);
  set('KEYCLOAK_MANAGEMENT_PORT', 9180);
  set('KEYCLOAK_URL', `http://127.0.0.1:${kc}`);
  set('KEYCLOAK_REALM', 'crm');
  set('OIDC_ISSUER', `http://localhost:${kc}/realms/crm`);
  set('OIDC_JWKS_URL', `http://127.0.0.1:${kc}/realms/crm/protocol/openid-connect/certs`);
  set('OIDC_AUDIENCE', 'crm-api');
  set('KEYCLOAK_GATEWAY_CLIENT_ID', 'crm-gateway');
  set('KEYCLOAK_GATEWAY_CLIENT_SECRET', 'kapocs-gateway-secret');
  // partners reads the directory (owners in imports and exports) as a client of its own
  set('KEYCLOAK_PARTNERS_CLIENT_ID', 'crm-partners');
  set('KEYCLOAK_PARTNERS_CLIENT_SECRET', 'kapocs-partners-secret');
  // services sign list cursors with it (every replica alike); a development value, never a production one
  set('CURSOR_SECRET', 'kapocs-local-cursor-secret-not-for-production');

  set('SMTP_HOST', '127.0.0.1');
  set('SMTP_PORT', 1025);
  const maildev = set('MAILDEV_WEB_PORT', 1080);
  set('MAILDEV_URL', `http://127.0.0.1:${maildev}`);

  const gateway = set('GATEWAY_PORT', 8080);
  set('GATEWAY_URL', `http://127.0.0.1:${gateway}`);
  const portal = set('PORTAL_PORT', 3000);
  set('PORTAL_URL', `http://localhost:${portal}`);

  for (const service of SERVICES) {
    const NAME = service.toUpperCase();
    const port = set(`${NAME}_PORT`, SERVICE_LIST.find((s) => s.name === service).port);
    set(`${NAME}_URL`, `http://127.0.0.1:${port}`);
    // the service's role owns its schema and may use nothing else (stack.mjs creates it); apps.mjs passes
    // this as the service's DATABASE_URL
    set(`${NAME}_DATABASE_URL`, databaseUrlAs(databaseUrl, service));
  }
  return env;
}

/**
 * The same database as another role: `databaseUrlAs('postgres://kapocs@h:5432/db', 'partners')` →
 * `postgres://partners@h:5432/db`. Locally PostgreSQL trusts loopback, so no password is needed.
 * @param {string} url
 * @param {string} role
 * @param {string} [password]
 */
export function databaseUrlAs(url, role, password = '') {
  const u = new URL(url);
  u.username = role;
  u.password = password;
  return u.toString();
}
