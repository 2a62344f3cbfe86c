import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '@kapocs/kit';
import { SERVICES } from '../src/config';
import { buildApp } from '../src/app';
import { deadUrl, gatewayConfig, requireKeycloak, startUpstream, upstreamUrls, type Upstream } from './fixtures';

describe('/healthz and /readyz', () => {
  let up: Upstream;
  const apps: ServiceApp[] = [];

  beforeAll(async () => {
    await requireKeycloak();
    up = await startUpstream();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await up?.close();
  });

  /** A gateway whose services all answer, except the one named. */
  const gateway = async (down?: string, overrides: Record<string, string> = {}) => {
    const given = Object.fromEntries(SERVICES.filter((s) => s !== down).map((s) => [s, up.url]));
    const app = await buildApp({ config: gatewayConfig({ ...(await upstreamUrls(given)), ...overrides }) });
    apps.push(app);
    return app;
  };

  it('/healthz answers 200 without a token while the process lives, whatever is down', async () => {
    const app = await gateway('sales', { OIDC_JWKS_URL: await deadUrl() });
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', service: 'gateway' });
  });

  it('/readyz answers 200 when every service is ready and the realm’s JWKS answers', async () => {
    const app = await gateway();
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json().checks).toEqual({ ...Object.fromEntries(SERVICES.map((s) => [s, 'ok'])), keycloak: 'ok' });
  });

  it('/readyz answers 503 naming the service that is down, the others ok', async () => {
    const app = await gateway('sales');
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    const { checks } = res.json() as { checks: Record<string, string> };
    expect(checks.sales).toMatch(/not reachable/);
    expect(checks.partners).toBe('ok');
    expect(checks.keycloak).toBe('ok');
  });

  it('/readyz answers 503 when the realm’s JWKS cannot be fetched (no token could be verified)', async () => {
    const app = await gateway(undefined, { OIDC_JWKS_URL: await deadUrl() });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.keycloak).toMatch(/not reachable/);
  });
});
