import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createService, createTokenVerifier, type ServiceApp } from '@kapocs/kit';
import { env } from '@kapocs/kit/testing';
import { buildApp } from '../src/app';
import type { OpenApiDocument } from '../src/docs/docs.merge';
import { gatewayConfig, requireKeycloak, startUpstream, upstreamUrls, type Upstream } from './fixtures';

/** A service document with named components that refer to each other. */
const partnersDoc = {
  openapi: '3.0.3',
  info: { title: 'Kapocs CRM — partners', version: '0.1.0' },
  paths: {
    '/companies': {
      get: { operationId: 'listCompanies', tags: ['companies'], responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/CompanyList' } } } } } },
    },
    '/companies/{id}': {
      get: { operationId: 'getCompany', responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Company' } } } } } },
    },
    '/healthz': { get: { responses: { 200: { description: 'ok' } } } },
  },
  components: {
    schemas: {
      Company: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
      CompanyList: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Company' } } } },
    },
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
  },
};

const marketingDoc = {
  openapi: '3.0.3',
  info: { title: 'Kapocs CRM — marketing', version: '0.1.0' },
  paths: {
    '/events': { get: { operationId: 'listEvents', responses: { 200: { description: 'ok' } } } },
    '/public/events/{token}': { get: { operationId: 'publicEvent', responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Company' } } } } } } },
  },
  // same component name as in partners: the namespaces keep them apart
  components: { schemas: { Company: { type: 'object', properties: { title: { type: 'string' } } } } },
};

describe('/api/docs: the merged OpenAPI document', () => {
  let partners: Upstream;
  let marketing: Upstream;
  let reporting: ServiceApp;
  let reportingUrl: string;
  let app: ServiceApp;

  beforeAll(async () => {
    await requireKeycloak();
    partners = await startUpstream((u) => u.get('/openapi.json', async () => partnersDoc));
    marketing = await startUpstream((u) => u.get('/openapi.json', async () => marketingDoc));
    // a service built with the kit, as the real ones are
    reporting = await createService({
      name: 'reporting',
      logLevel: 'silent',
      verify: createTokenVerifier({ issuer: env('OIDC_ISSUER'), jwksUrl: env('OIDC_JWKS_URL'), audience: env('OIDC_AUDIENCE') }),
    });
    reporting.get('/dashboard', { schema: { querystring: z.object({ period: z.string().optional() }), response: { 200: z.object({ total: z.number() }) } } }, async () => ({ total: 1 }));
    await reporting.listen({ host: '127.0.0.1', port: 0 });
    reportingUrl = `http://127.0.0.1:${(reporting.server.address() as { port: number }).port}`;
    // activities and documents answer too; sales is down
    app = await buildApp({
      config: gatewayConfig(await upstreamUrls({ partners: partners.url, marketing: marketing.url, reporting: reportingUrl, activities: partners.url, documents: partners.url })),
    });
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([partners?.close(), marketing?.close(), reporting?.close()]);
  });

  it('needs no token, and /api/docs/openapi.json is the same document', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const again = await app.inject({ method: 'GET', url: '/api/docs/openapi.json' });
    expect(again.json()).toEqual(res.json());
  });

  it('prefixes each service’s paths with /api/<service> and namespaces its component schemas', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs' })).json() as OpenApiDocument & { paths: Record<string, any>; components: Record<string, any> };
    expect(doc.openapi).toMatch(/^3\./);
    const list = doc.paths['/api/partners/companies'].get;
    expect(list.operationId).toBe('partners.listCompanies');
    expect(list.tags).toEqual(['partners/companies']);
    expect(list.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/partners.CompanyList');
    expect(doc.components.schemas['partners.CompanyList'].properties.items.items.$ref).toBe('#/components/schemas/partners.Company');
    expect(doc.components.schemas['partners.Company'].properties).toHaveProperty('name');
    expect(doc.components.schemas['marketing.Company'].properties).toHaveProperty('title');
    expect(doc.paths['/api/partners/companies/{id}']).toBeDefined();
    expect(doc.paths['/api/partners/healthz']).toBeUndefined();
    expect(doc.paths['/api/reporting/dashboard'].get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'period', in: 'query' })]));
  });

  it('lists marketing’s public pages under /public without a security requirement', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs' })).json() as { paths: Record<string, any> };
    expect(doc.paths['/public/events/{token}'].get.security).toEqual([]);
    expect(doc.paths['/api/marketing/events']).toBeDefined();
    expect(doc.paths['/api/marketing/public/events/{token}']).toBeUndefined();
  });

  it('adds the gateway’s own routes', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs' })).json() as { paths: Record<string, any> };
    expect(doc.paths['/api/me'].get).toBeDefined();
    expect(doc.paths['/api/directory/users'].get).toBeDefined();
    expect(Object.keys(doc.paths).some((p) => p.includes('*'))).toBe(false);
  });

  it('a service that is down is named in info.x-unavailable instead of failing the document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs' })).json() as { info: Record<string, unknown>; paths: Record<string, unknown> };
    expect(doc.info['x-unavailable']).toEqual(['sales']);
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/api/sales'))).toBe(false);
  });
});
