import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '@kapocs/kit';
import { authAs } from '@kapocs/kit/testing';
import { buildApp } from '../src/app';
import { echo, gatewayConfig, requireKeycloak, startUpstream, upstreamUrls, type Upstream } from './fixtures';

describe('rate limits', () => {
  let marketing: Upstream;
  const apps: ServiceApp[] = [];

  const gateway = async (overrides: Record<string, string>) => {
    const app = await buildApp({ config: gatewayConfig({ ...(await upstreamUrls({ marketing: marketing.url })), ...overrides }) });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    await requireKeycloak();
    marketing = await startUpstream((u) => echo(u));
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await marketing?.close();
  });

  it('past RATE_LIMIT_PER_MINUTE a user gets 429 problem+json with Retry-After; another user is not affected', async () => {
    const app = await gateway({ RATE_LIMIT_PER_MINUTE: '3' });
    const anna = await authAs('anna.sales');
    for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/api/me', headers: anna })).statusCode).toBe(200);
    const res = await app.inject({ method: 'GET', url: '/api/me', headers: anna });
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.json()).toMatchObject({ type: 'https://kapocs.dev/problems/too-many-requests', status: 429 });
    // the same address, another user: counted apart
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: await authAs('bela.sales') })).statusCode).toBe(200);
  });

  it('/public has its own, stricter limit per client address', async () => {
    const app = await gateway({ PUBLIC_RATE_LIMIT_PER_MINUTE: '2', RATE_LIMIT_PER_MINUTE: '100' });
    const from = (remoteAddress: string) => app.inject({ method: 'GET', url: '/public/events/abc', remoteAddress });
    expect((await from('203.0.113.7')).statusCode).toBe(200);
    expect((await from('203.0.113.7')).statusCode).toBe(200);
    const res = await from('203.0.113.7');
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect((await from('203.0.113.8')).statusCode).toBe(200);
    // the API quota of that address is untouched
    expect((await app.inject({ method: 'GET', url: '/api/me', remoteAddress: '203.0.113.7', headers: await authAs('anna.sales') })).statusCode).toBe(200);
  });

  it('a client on the internet cannot dodge the limit with a forged X-Forwarded-For', async () => {
    const app = await gateway({ PUBLIC_RATE_LIMIT_PER_MINUTE: '2' });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) {
      codes.push((await app.inject({ method: 'GET', url: '/public/events/abc', remoteAddress: '198.51.100.9', headers: { 'x-forwarded-for': `192.0.2.${i}` } })).statusCode);
    }
    expect(codes).toEqual([200, 200, 429]);
  });

  it('by default no peer is a trusted proxy: a spoofed X-Forwarded-For from loopback or a private address gets no fresh bucket', async () => {
    const app = await gateway({ PUBLIC_RATE_LIMIT_PER_MINUTE: '2' });
    for (const peer of ['127.0.0.1', '10.1.2.3']) {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) {
        codes.push((await app.inject({ method: 'GET', url: '/public/events/abc', remoteAddress: peer, headers: { 'x-forwarded-for': `192.0.2.${i}` } })).statusCode);
      }
      expect(codes).toEqual([200, 200, 429]);
    }
  });

  it('with TRUSTED_PROXIES, only the listed proxy’s X-Forwarded-For names the client; another peer’s is ignored', async () => {
    const app = await gateway({ PUBLIC_RATE_LIMIT_PER_MINUTE: '1', TRUSTED_PROXIES: '10.0.0.5, 10.9.0.0/16' });
    const via = (peer: string, client: string) =>
      app.inject({ method: 'GET', url: '/public/events/abc', remoteAddress: peer, headers: { 'x-forwarded-for': client } });
    // through the ingress each client has its own bucket, and the service is told the client's address
    const first = await via('10.0.0.5', '203.0.113.1');
    expect(first.statusCode).toBe(200);
    expect(first.json().headers['x-forwarded-for']).toBe('203.0.113.1');
    expect((await via('10.9.4.4', '203.0.113.2')).statusCode).toBe(200);
    expect((await via('10.0.0.5', '203.0.113.1')).statusCode).toBe(429);
    // a peer that is not listed (here another private address) is the client itself, whatever it claims
    const direct = await via('10.0.0.6', '203.0.113.3');
    expect(direct.statusCode).toBe(200);
    expect(direct.json().headers['x-forwarded-for']).toBe('10.0.0.6');
    expect((await via('10.0.0.6', '203.0.113.4')).statusCode).toBe(429);
  });

  it('with RATE_LIMIT_DISABLED=true loopback callers are not counted, others still are', async () => {
    const app = await gateway({ PUBLIC_RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_DISABLED: 'true' });
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/public/events/abc', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/public/events/abc', remoteAddress: '203.0.113.20' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/public/events/abc', remoteAddress: '203.0.113.20' })).statusCode).toBe(429);
  });
});
