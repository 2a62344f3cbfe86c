// MinIO, built with `go install` into the cache; its objects in .data/minio, the documents' bucket made on up.
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import { join } from 'node:path';
import { cacheDir, dataDir } from '../env.mjs';
import { ensureGoBinary, env, httpOk, log, sleep, StackError } from './common.mjs';

export const MINIO_VERSION = 'v0.0.0-20260212201848-7aac2a2c5b7c';

const minioBin = join(cacheDir, `minio-${MINIO_VERSION}`, 'minio');

const sha256hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/**
 * A path-style S3 request to the local MinIO, signed with AWS Signature V4.
 * @param {string} method
 * @param {string} path e.g. `/kapocs-documents/some/key`
 * @param {{ body?: string | Buffer, headers?: Record<string, string> }} [options]
 */
export async function s3Request(method, path, { body = '', headers: extra = {} } = {}) {
  const url = new URL(path, env.S3_ENDPOINT);
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const region = env.S3_REGION;
  const payloadHash = sha256hex(body);
  const headers = {
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k.toLowerCase(), String(v).trim()])),
    host: url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate,
  };
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const query = [...url.searchParams].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).sort().join('&');
  const canonicalRequest = [
    method, url.pathname, query,
    ...names.map((k) => `${k}:${headers[k]}`), '',
    signedHeaders, payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${env.S3_SECRET_KEY}`, day), region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  const { host: _host, ...sent } = headers; // fetch sets Host itself
  const res = await fetch(url, {
    method,
    headers: {
      ...sent,
      authorization: `AWS4-HMAC-SHA256 Credential=${env.S3_ACCESS_KEY}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
    body: body.length > 0 ? body : undefined,
    signal: AbortSignal.timeout(10000),
  });
  return { status: res.status, body: await res.text() };
}

// A freshly formatted MinIO reports ready before its object layer is up and answers S3
// calls with 503 for a few seconds; a clean CI checkout hits exactly that window.
async function ensureBucket() {
  const bucket = env.S3_BUCKET;
  const deadline = Date.now() + 60000;
  let head = await s3Request('HEAD', `/${bucket}`);
  while (head.status === 503 && Date.now() < deadline) {
    await sleep(500);
    head = await s3Request('HEAD', `/${bucket}`);
  }
  if (head.status === 200) return;
  if (head.status !== 404) throw new StackError(`MinIO: HEAD /${bucket} answered ${head.status}`);
  const put = await s3Request('PUT', `/${bucket}`);
  if (put.status !== 200) throw new StackError(`MinIO: creating bucket ${bucket} answered ${put.status}: ${put.body}`);
  log(`created bucket ${bucket}`);
}

/** @type {import('./common.mjs').Server} */
export const minio = {
  name: 'minio',
  marker: 'minio',
  timeoutMs: 60000,
  url: () => `${env.S3_ENDPOINT} bucket ${env.S3_BUCKET} (console http://127.0.0.1:${env.MINIO_CONSOLE_PORT})`,
  healthy: () => httpOk(`${env.S3_ENDPOINT}/minio/health/ready`),
  ports: () => [env.MINIO_PORT, env.MINIO_CONSOLE_PORT],
  install: () => ensureGoBinary(minioBin, 'github.com/minio/minio', MINIO_VERSION),
  prepare: () => fs.mkdirSync(join(dataDir, 'minio'), { recursive: true }),
  after: ensureBucket,
  command: () => ({
    cmd: minioBin,
    args: ['server', join(dataDir, 'minio'),
      '--address', `127.0.0.1:${env.MINIO_PORT}`, '--console-address', `127.0.0.1:${env.MINIO_CONSOLE_PORT}`],
    env: {
      MINIO_ROOT_USER: env.S3_ACCESS_KEY,
      MINIO_ROOT_PASSWORD: env.S3_SECRET_KEY,
      MINIO_UPDATE: 'off',
      MINIO_BROWSER_REDIRECT: 'off',
    },
  }),
};
