import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '@kapocs/kit';
import { authAs } from '@kapocs/kit/testing';
import { buildApp } from '../src/app';
import { gatewayConfig, requireKeycloak, startUpstream, upstreamUrls, type Upstream } from './fixtures';

describe('CORS for the portal', () => {
  let partners: Upstream;
  let app: ServiceApp;

  beforeAll(async () => {
    await requireKeycloak();
    partners = await startUpstream((u) => u.get('/companies/abc', async (_req, reply) => reply.header('etag', '"3"').send({ id: 'abc' })));
    app = await buildApp({ config: gatewayConfig({ ...(await upstreamUrls({ partners: partners.url })), PORTAL_URL: 'http://localhost:3000' }) });
  });
  afterAll(async () => {
    await app?.close();
    await partners?.close();
  });

  const preflight = (origin: string, url = '/api/partners/companies/abc') =>
    app.inject({
      method: 'OPTIONS',
      url,
      headers: { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type,if-match,idempotency-key,x-request-id' },
    });

  it('a preflight from http://localhost:3000 is answered without a token', async () => {
    const res = await preflight('http://localhost:3000');
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(String(res.headers['access-control-allow-methods'])).toMatch(/PATCH/);
    const allowed = String(res.headers['access-control-allow-headers']).toLowerCase();
    for (const h of ['authorization', 'content-type', 'if-match', 'idempotency-key', 'x-request-id']) expect(allowed).toContain(h);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('a preflight from http://127.0.0.1:3000 is answered too, also for the gateway’s own routes', async () => {
    const res = await preflight('http://127.0.0.1:3000', '/api/me');
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://127.0.0.1:3000');
  });

  it('another origin gets no CORS permission', async () => {
    const res = await preflight('https://evil.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers expose ETag, Location and X-Request-Id to the portal, and a 401 is readable by it', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/partners/companies/abc', headers: { origin: 'http://localhost:3000', ...(await authAs('anna.sales')) } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    const exposed = String(res.headers['access-control-expose-headers']).toLowerCase();
    for (const h of ['etag', 'location', 'x-request-id']) expect(exposed).toContain(h);
    const refused = await app.inject({ method: 'GET', url: '/api/partners/companies/abc', headers: { origin: 'http://localhost:3000' } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  });
});
