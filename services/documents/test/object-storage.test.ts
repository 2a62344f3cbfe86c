import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createObjectStore } from '@kapocs/kit';
import { databaseUrlAs, freePort, freshDatabase, startMinioServer, startNatsServer, startNodeEntry, stopProcesses, waitFor, type TestProcess } from '@kapocs/kit/testing';

// The real documents process on a MinIO of the test's own, which the test SIGKILLs: the process must live on,
// report the storage in /readyz without turning unready, and see it again once it is back.
let minio: Awaited<ReturnType<typeof startMinioServer>>;
let nats: Awaited<ReturnType<typeof startNatsServer>>;
let service: TestProcess;
let url: string;

beforeAll(async () => {
  minio = await startMinioServer();
  nats = await startNatsServer();
  const S3 = { S3_ENDPOINT: minio.endpoint, S3_REGION: 'us-east-1', S3_ACCESS_KEY: minio.accessKey, S3_SECRET_KEY: minio.secretKey, S3_BUCKET: 'kapocs-documents' };
  await createObjectStore(S3).ensureBucket();
  const database = await freshDatabase('documents_storage');
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  service = await startNodeEntry('documents', fileURLToPath(new URL('../src/main.ts', import.meta.url)), {
    env: { PORT: String(port), DATABASE_URL: databaseUrlAs(database, 'documents'), NATS_URL: nats.url, LOG_LEVEL: 'warn', ...S3 },
    readyUrl: `${url}/readyz`,
  });
}, 120_000);
afterAll(async () => {
  await stopProcesses();
  await nats?.stop();
  await minio?.stop();
});

const readyz = async () => {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, checks: ((await res.json()) as { checks: Record<string, string> }).checks };
};

it('MinIO SIGKILLed and restarted: documents stays up and ready, /readyz reports the storage, then sees it back', async () => {
  expect(await readyz()).toEqual({ status: 200, checks: { postgres: 'ok', nats: 'ok', objectStorage: 'ok' } });
  await minio.kill();
  const down = await readyz();
  expect(down.status).toBe(200);
  expect(down.checks.objectStorage).not.toBe('ok');
  expect(service.child.exitCode).toBeNull();
  await minio.start();
  await waitFor(async () => (await readyz()).checks.objectStorage === 'ok', { timeoutMs: 20_000, what: 'the storage reported ok again' });
  expect(service.child.exitCode).toBeNull();
  expect(service.child.signalCode).toBeNull();
}, 90_000);
