import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { authAs } from '@kapocs/kit/testing';
import { echo, gatewayConfig, json, requireKeycloak, startGateway, startUpstream, upstreamUrls, type Upstream } from './fixtures';

const MB = 1024 * 1024;

/** Deterministic bytes, different in every chunk, so a lost or reordered chunk changes the hash. */
function* chunks(count: number, size = MB) {
  for (let i = 0; i < count; i++) yield Buffer.alloc(size, i % 251);
}

/** A small deferred: the test and the fixture upstream hand each other signals. */
function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('proxying /api/<service>/* and /public/*', () => {
  let partners: Upstream;
  let marketing: Upstream;
  let others: Upstream;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let auth: Record<string, string>;
  let streamRelease = signal();
  let uploadStarted = signal();
  /** Body sizes the fixture's echo-body routes received. */
  const seen: number[] = [];

  beforeAll(async () => {
    await requireKeycloak();
    partners = await startUpstream((u) => {
      u.post('/companies', async (_req, reply) => reply.code(201).header('location', '/companies/abc').header('etag', '"1"').send({ id: 'abc', version: 1 }));
      u.get('/companies/abc', async (_req, reply) => reply.header('etag', '"3"').send({ id: 'abc', version: 3 }));
      u.patch('/companies/abc', async (request, reply) => {
        if (request.headers['if-match'] !== '"3"') {
          return reply.code(412).type('application/problem+json').send({ type: 'https://kapocs.dev/problems/precondition-failed', title: 'The record has changed', status: 412 });
        }
        let body = '';
        for await (const c of request.body as AsyncIterable<Buffer>) body += c.toString();
        return { contentType: request.headers['content-type'], body };
      });
      u.get('/moved', async (_req, reply) => reply.code(303).header('location', `${partners.url}/companies/abc`).send());
      u.post('/imports', async (request) => {
        const hash = createHash('sha256');
        let bytes = 0;
        for await (const c of request.body as AsyncIterable<Buffer>) {
          if (bytes === 0) uploadStarted.resolve();
          hash.update(c);
          bytes += c.length;
        }
        return { bytes, sha256: hash.digest('hex'), contentType: request.headers['content-type'] };
      });
      u.get('/export', async (_req, reply) => {
        reply.raw.writeHead(200, { 'content-type': 'text/plain' });
        reply.raw.write('first\n');
        await streamRelease.promise;
        reply.raw.end('last\n');
        return reply;
      });
      u.post('/small/refused', async (_req, reply) =>
        reply.code(415).type('application/problem+json').send({ type: 'https://kapocs.dev/problems/unsupported-media-type', title: 'Unsupported media type', status: 415 }));
      u.post('/companies/too-large', async (_req, reply) =>
        reply.code(413).type('application/problem+json').send({ type: 'https://kapocs.dev/problems/payload-too-large', title: 'Request body too large', status: 413, detail: 'at most 1000 items' }));
      u.get('/slow', async () => {
        await new Promise((r) => setTimeout(r, 1500));
        return { late: true };
      });
      const record = async (request: { body: unknown }) => {
        let bytes = 0;
        for await (const c of request.body as AsyncIterable<Buffer>) bytes += c.length;
        seen.push(bytes);
        return { bytes };
      };
      u.post('/echo-body', record);
      u.post('/small/echo-body', record);
      echo(u);
    });
    marketing = await startUpstream((u) => echo(u));
    others = await startUpstream((u) => echo(u));
    gateway = await startGateway({
      config: gatewayConfig({
        ...(await upstreamUrls({ partners: partners.url, marketing: marketing.url, activities: others.url, documents: others.url, reporting: others.url })),
        UPSTREAM_TIMEOUT_MS: '500',
        // the fixture's /imports takes more than partners' 51 MiB: the streaming tests send 100 MB
        BODY_LIMITS: '/api/partners/imports=none,/api/partners/small=2kb',
      }),
    });
    auth = await authAs('anna.sales');
  });
  afterAll(async () => {
    streamRelease.resolve();
    await gateway?.close();
    await Promise.all([partners?.close(), marketing?.close(), others?.close()]);
  });

  it('strips /api/<service> and keeps the query string, for each service', async () => {
    const res = await fetch(`${gateway.url}/api/partners/companies?x=1&q=Kov%C3%A1cs`, { headers: auth });
    expect(res.status).toBe(200);
    expect((await json(res)).url).toBe('/companies?x=1&q=Kov%C3%A1cs');
    for (const service of ['activities', 'documents', 'reporting']) {
      const r = await fetch(`${gateway.url}/api/${service}/things/1`, { headers: auth });
      expect((await json(r)).url).toBe('/things/1');
    }
  });

  it('passes the Authorization header unchanged, the request id and traceparent upstream, and returns the id', async () => {
    const requestId = randomUUID();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const res = await fetch(`${gateway.url}/api/partners/companies`, { headers: { ...auth, 'x-request-id': requestId, traceparent } });
    const seen = (await json<{ headers: Record<string, string> }>(res)).headers;
    expect(seen.authorization).toBe(auth.authorization);
    expect(seen['x-request-id']).toBe(requestId);
    expect(seen.traceparent).toBe(traceparent);
    expect(res.headers.get('x-request-id')).toBe(requestId);
  });

  it('without an X-Request-Id, makes one, gives it to the service and returns it', async () => {
    const res = await fetch(`${gateway.url}/api/partners/companies`, { headers: auth });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await json<{ headers: Record<string, string> }>(res)).headers['x-request-id']).toBe(id);
  });

  it('passes 201 with ETag and Location, the Location as the gateway path', async () => {
    const res = await fetch(`${gateway.url}/api/partners/companies`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"name":"Kft"}' });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('location')).toBe('/api/partners/companies/abc');
  });

  it('an absolute Location pointing at the service becomes the gateway path, so no internal address leaks', async () => {
    const res = await fetch(`${gateway.url}/api/partners/moved`, { headers: auth, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/api/partners/companies/abc');
  });

  it('passes the ETag of a GET, and a 412 problem+json untouched', async () => {
    const get = await fetch(`${gateway.url}/api/partners/companies/abc`, { headers: auth });
    expect(get.headers.get('etag')).toBe('"3"');
    const res = await fetch(`${gateway.url}/api/partners/companies/abc`, {
      method: 'PATCH',
      headers: { ...auth, 'if-match': '"2"', 'content-type': 'application/merge-patch+json' },
      body: '{"name":"x"}',
    });
    expect(res.status).toBe(412);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await json(res)).toEqual({ type: 'https://kapocs.dev/problems/precondition-failed', title: 'The record has changed', status: 412 });
  });

  it('passes a merge-patch+json body byte for byte (the gateway parses no proxied body)', async () => {
    const body = '{ "name" : "Kapocs Kft",  "custom": {"region": null} }';
    const res = await fetch(`${gateway.url}/api/partners/companies/abc`, { method: 'PATCH', headers: { ...auth, 'if-match': '"3"', 'content-type': 'application/merge-patch+json' }, body });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ contentType: 'application/merge-patch+json', body });
  });

  it('streams a 100 MB multipart upload through to the service intact', async () => {
    const boundary = `----kapocs${randomUUID()}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="entity"\r\n\r\ncompany\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const expected = createHash('sha256');
    let length = 0;
    const parts = [head, ...chunks(100), tail];
    for (const p of parts) {
      expected.update(p);
      length += p.length;
    }
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${gateway.url}/api/partners/imports`, {
        method: 'POST',
        headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      Readable.from(parts).pipe(req);
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ bytes: length, sha256: expected.digest('hex'), contentType: `multipart/form-data; boundary=${boundary}` });
    expect(length).toBeGreaterThan(100 * MB);
  });

  it('the upload reaches the service while the client is still sending (the body is not buffered)', async () => {
    uploadStarted = signal();
    const answer = new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${gateway.url}/api/partners/imports`, { method: 'POST', headers: { ...auth, 'content-type': 'application/octet-stream' } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.write(Buffer.alloc(64 * 1024, 1));
      // the rest only once the service has seen the first bytes: a buffering gateway would hang here
      void uploadStarted.promise.then(() => req.end(Buffer.alloc(1024, 2)));
    });
    expect(await answer).toBe(200);
  });

  it('streams a response as the service writes it', async () => {
    streamRelease = signal();
    const res = await fetch(`${gateway.url}/api/partners/export`, { headers: auth });
    const reader = res.body!.getReader();
    const first = await reader.read();
    // the service has not finished yet: the first chunk arrived on its own
    expect(Buffer.from(first.value!).toString()).toBe('first\n');
    streamRelease.resolve();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += Buffer.from(r.value).toString();
    expect(rest).toBe('last\n');
  });

  it('a service that is down (connection refused) answers 503 problem+json with Retry-After naming it, without internals', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await fetch(`${gateway.url}/api/sales/opportunities`, { method, headers: { ...auth, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{"title":"x"}' } : {}) });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('retry-after')).toBe('5');
      const body = await res.text();
      expect(JSON.parse(body)).toMatchObject({ type: 'https://kapocs.dev/problems/service-unavailable', status: 503, detail: expect.stringContaining('The sales service is unavailable') });
      expect(body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack|at /);
    }
  });

  it('a 413 or 415 problem+json the service answered passes through as it is', async () => {
    const tooLarge = await fetch(`${gateway.url}/api/partners/companies/too-large`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"items":[]}' });
    expect(tooLarge.status).toBe(413);
    expect(await json(tooLarge)).toEqual({ type: 'https://kapocs.dev/problems/payload-too-large', title: 'Request body too large', status: 413, detail: 'at most 1000 items' });
    const refused = await fetch(`${gateway.url}/api/partners/small/refused`, { method: 'POST', headers: { ...auth, 'content-type': 'text/xml' }, body: '<a/>' });
    expect(refused.status).toBe(415);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await json(refused)).toEqual({ type: 'https://kapocs.dev/problems/unsupported-media-type', title: 'Unsupported media type', status: 415 });
  });

  it('a body over the route’s limit (BODY_LIMIT, BODY_LIMITS) is refused with 413 problem+json before it reaches the service', async () => {
    seen.length = 0;
    // Content-Length over the default 1 MiB: refused from the headers
    const big = await fetch(`${gateway.url}/api/partners/echo-body`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: `{"name":"${'x'.repeat(3 * MB)}"}` });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await json(big)).toMatchObject({ type: 'https://kapocs.dev/problems/payload-too-large', status: 413, detail: 'This route takes a request body of at most 1 MiB.' });
    // a rule of BODY_LIMITS (2 KiB here), a chunked body without Content-Length: counted as it streams
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${gateway.url}/api/partners/small/echo-body`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      Readable.from(chunks(3, 1024)).pipe(req);
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ type: 'https://kapocs.dev/problems/payload-too-large', status: 413, detail: 'This route takes a request body of at most 2 KiB.' });
    // under the limit, both pass
    const small = await fetch(`${gateway.url}/api/partners/small/echo-body`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(small.status).toBe(200);
    expect(seen).toEqual([7]);
  });

  it('a service slower than UPSTREAM_TIMEOUT_MS answers 504 problem+json', async () => {
    const res = await fetch(`${gateway.url}/api/partners/slow`, { headers: auth });
    expect(res.status).toBe(504);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await json(res)).toMatchObject({ type: 'https://kapocs.dev/problems/gateway-timeout', status: 504, detail: expect.stringContaining('partners') });
  });

  it('/public/events/abc reaches marketing at /public/events/abc without a token', async () => {
    const res = await fetch(`${gateway.url}/public/events/abc?lang=hu`);
    expect(res.status).toBe(200);
    const seen = await json<{ url: string; headers: Record<string, string> }>(res);
    expect(seen.url).toBe('/public/events/abc?lang=hu');
    expect(seen.headers.authorization).toBeUndefined();
    const post = await fetch(`${gateway.url}/public/events/abc/registration`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"attending":true}' });
    expect(await json(post)).toMatchObject({ method: 'POST', url: '/public/events/abc/registration', body: '{"attending":true}' });
  });

  it('an unknown /api path answers 404 problem+json', async () => {
    const res = await fetch(`${gateway.url}/api/nothing-here`, { headers: auth });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
