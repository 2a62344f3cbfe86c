import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { createObjectStore, createService, ProblemError, type ObjectStore, type ServiceApp } from '../src';
import { startMinioServer, waitFor } from '../src/testing';

const text = async (stream: Readable) => {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
};

describe('object storage when MinIO is killed and restarted (a MinIO of the test’s own)', () => {
  let minio: Awaited<ReturnType<typeof startMinioServer>>;
  let store: ObjectStore;
  let app: ServiceApp;

  beforeAll(async () => {
    minio = await startMinioServer();
    store = createObjectStore({ S3_ENDPOINT: minio.endpoint, S3_REGION: 'us-east-1', S3_ACCESS_KEY: minio.accessKey, S3_SECRET_KEY: minio.secretKey, S3_BUCKET: 'kapocs-test' });
    await store.ensureBucket();
    // a route that reads an object, with the storage as a degradable readiness check, as a service would have it
    app = await createService({ name: 'storetest', verify: async () => { throw new Error('no tokens here'); }, logLevel: 'silent', readiness: {}, degradable: { objectStorage: () => store.ping() } });
    app.get('/files/:key', { config: { public: true } }, async (req) => text(await store.get((req.params as { key: string }).key)));
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await minio?.stop();
  });

  it('writes and reads; while MinIO is down every call fails fast with 503 problem+json (never 500) and the process lives; after the restart the same client works', async () => {
    await store.put('contract.txt', Buffer.from('szerződés v1'), undefined, 'text/plain');
    expect(await text(await store.get('contract.txt'))).toBe('szerződés v1');
    expect(await store.stat('contract.txt')).toMatchObject({ size: Buffer.byteLength('szerződés v1'), contentType: 'text/plain' });
    expect(await store.stat('missing.txt')).toBeNull();

    await minio.kill();
    const started = Date.now();
    for (const call of [() => store.put('offer.txt', Readable.from(['ajánlat'])), () => store.get('contract.txt'), () => store.stat('contract.txt'), () => store.ping()]) {
      const err = await call().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ProblemError);
      expect((err as ProblemError).status).toBe(503);
    }
    expect(Date.now() - started).toBeLessThan(5_000); // connection refused, not a hang
    const res = await app.inject({ method: 'GET', url: '/files/contract.txt' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBeDefined();
    // readiness reports the storage but stays ready: what does not need a file still works
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.objectStorage).not.toBe('ok');

    await minio.start();
    await waitFor(async () => (await app.inject({ method: 'GET', url: '/files/contract.txt' })).statusCode === 200, { timeoutMs: 20_000, what: 'reads after the restart' });
    expect(await text(await store.get('contract.txt'))).toBe('szerződés v1');
    await store.put('offer.txt', Readable.from(['ajánlat']));
    expect(await text(await store.get('offer.txt'))).toBe('ajánlat');
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json().checks.objectStorage).toBe('ok');
  }, 90_000);
});
