import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '@kapocs/kit';
import { authAs, waitFor } from '@kapocs/kit/testing';
import { SERVICES } from '../src/config';
import { buildApp } from '../src/app';
import { deadUrl, echo, gatewayConfig, requireKeycloak, startUpstream, upstreamUrls, type Upstream } from './fixtures';

describe('/healthz, /readyz and unavailable services', () => {
  let up: Upstream;
  // a service whose /readyz the test switches between ready and not (as the kit's /readyz answers when PostgreSQL is down)
  let flaky: Upstream;
  let flakyReady = true;
  const apps: ServiceApp[] = [];
  let auth: Record<string, string>;

  beforeAll(async () => {
    await requireKeycloak();
    up = await startUpstream((u) => echo(u));
    flaky = await startUpstream((u) => {
      u.get('/readyz', async (_req, reply) =>
        flakyReady ? { status: 'ok' } : reply.code(503).send({ status: 'unavailable', service: 'sales', checks: { postgres: 'connect ECONNREFUSED 10.0.0.7:5432', nats: 'ok' } }));
      echo(u);
    });
    auth = await authAs('anna.sales');
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await Promise.all([up?.close(), flaky?.close()]);
  });

  /** A gateway whose services all answer, except those named (nothing listens there) and sales when given. */
  const gateway = async ({ down = [], sales, overrides = {} }: { down?: string[]; sales?: string; overrides?: Record<string, string> } = {}) => {
    const given = Object.fromEntries(SERVICES.filter((s) => !down.includes(s)).map((s) => [s, up.url]));
    if (sales) given.sales = sales;
    const app = await buildApp({ config: gatewayConfig({ ...(await upstreamUrls(given)), UPSTREAM_CHECK_INTERVAL_MS: '100', ...overrides }) });
    apps.push(app);
    await app.ready();
    return app;
  };

  it('/healthz answers 200 without a token while the process lives, whatever is down', async () => {
    const app = await gateway({ down: ['sales'], overrides: { OIDC_JWKS_URL: await deadUrl() } });
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', service: 'gateway' });
  });

  it('/readyz reflects the gateway alone: 200 with every service down and the realm’s JWKS unreachable', async () => {
    const app = await gateway({ down: [...SERVICES], overrides: { OIDC_JWKS_URL: await deadUrl() } });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', service: 'gateway', checks: {} });
  });

  it('/healthz/upstreams lists each service’s state for operators, without addresses', async () => {
    flakyReady = false;
    const app = await gateway({ down: ['reporting'], sales: flaky.url });
    const res = await app.inject({ method: 'GET', url: '/healthz/upstreams' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { status: string; upstreams: Record<string, { state: string; detail?: string; checkedAt: string }> };
    expect(body.status).toBe('degraded');
    expect(Object.keys(body.upstreams).sort()).toEqual([...SERVICES].sort());
    expect(body.upstreams.partners).toMatchObject({ state: 'ready' });
    expect(body.upstreams.reporting).toMatchObject({ state: 'unreachable', detail: expect.stringMatching(/ECONNREFUSED/) });
    expect(body.upstreams.sales).toEqual({ state: 'unready', detail: 'not ready: postgres', checkedAt: expect.any(String) });
    expect(res.body).not.toMatch(/127\.0\.0\.1|10\.0\.0\.7/);
    flakyReady = true;
  });

  it('a service whose /readyz says 503: its routes answer 503 problem+json with Retry-After, the others and /readyz stay up, and it comes back', async () => {
    flakyReady = true;
    const app = await gateway({ sales: flaky.url });
    expect((await app.inject({ method: 'GET', url: '/api/sales/opportunities', headers: auth })).statusCode).toBe(200);
    flakyReady = false;
    const res = await waitFor(async () => {
      const r = await app.inject({ method: 'GET', url: '/api/sales/opportunities', headers: auth });
      return r.statusCode === 503 && r;
    }, { what: 'sales routes answering 503' });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ type: 'https://kapocs.dev/problems/service-unavailable', status: 503, detail: expect.stringContaining('sales') });
    expect((await app.inject({ method: 'GET', url: '/api/partners/companies', headers: auth })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    flakyReady = true;
    await waitFor(async () => (await app.inject({ method: 'GET', url: '/api/sales/opportunities', headers: auth })).statusCode === 200, { what: 'sales back' });
  });

  it('while a service is unready the gateway asks it again every second, not once per UPSTREAM_CHECK_INTERVAL_MS', async () => {
    flakyReady = false;
    const app = await gateway({ sales: flaky.url, overrides: { UPSTREAM_CHECK_INTERVAL_MS: '600000' } });
    await app.inject({ method: 'GET', url: '/healthz/upstreams' });
    expect((await app.inject({ method: 'GET', url: '/api/sales/opportunities', headers: auth })).statusCode).toBe(503);
    flakyReady = true;
    // an interval of 10 minutes: only the fast recheck can bring it back within the wait
    await waitFor(async () => (await app.inject({ method: 'GET', url: '/api/sales/opportunities', headers: auth })).statusCode === 200, { timeoutMs: 5_000, what: 'sales back within seconds' });
  });

  it('a stopped service (connection refused): its routes answer 503 problem+json with Retry-After while /readyz stays 200', async () => {
    const app = await gateway({ down: ['sales'], overrides: { UPSTREAM_CHECK_INTERVAL_MS: '5000' } });
    const res = await app.inject({ method: 'POST', url: '/api/sales/opportunities', headers: { ...auth, 'content-type': 'application/json' }, payload: '{}' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ type: 'https://kapocs.dev/problems/service-unavailable', status: 503, detail: expect.stringMatching(/sales service is unavailable/) });
    expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});
