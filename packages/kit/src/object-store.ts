import { Client } from 'minio';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { isUnavailable, serviceUnavailable } from './availability';

/** The environment keys of the object storage (MinIO locally, any S3 in production), for a service's `config`. */
export const objectStoreConfigShape = {
  S3_ENDPOINT: z.string().url(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY: z.string().min(1),
  S3_SECRET_KEY: z.string().min(1),
  S3_BUCKET: z.string().min(3),
};
export type ObjectStoreConfig = z.infer<z.ZodObject<typeof objectStoreConfigShape>>;

export interface ObjectStore {
  readonly bucket: string;
  put(key: string, body: Buffer | Readable, size?: number, contentType?: string): Promise<void>;
  get(key: string): Promise<Readable>;
  /** Size and content type, or null when there is no such object. */
  stat(key: string): Promise<{ size: number; contentType: string | undefined } | null>;
  remove(key: string): Promise<void>;
  /** For readiness: the bucket answers. */
  ping(): Promise<void>;
  /** Creates the bucket when it is missing (local stack, tests; production buckets are made by the operator). */
  ensureBucket(): Promise<void>;
}

/**
 * The service's object storage. The client holds no connection of its own between requests, so a storage restart
 * needs no reconnect: requests while it is down fail fast and answer 503 problem+json with Retry-After (never
 * 500), and the next request after it is back succeeds.
 */
export function createObjectStore(config: ObjectStoreConfig): ObjectStore {
  const url = new URL(config.S3_ENDPOINT);
  const client = new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    useSSL: url.protocol === 'https:',
    accessKey: config.S3_ACCESS_KEY,
    secretKey: config.S3_SECRET_KEY,
    region: config.S3_REGION,
    pathStyle: true,
  });
  const bucket = config.S3_BUCKET;
  const guard = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (err) {
      if (isUnavailable(err)) throw serviceUnavailable('The document storage is not reachable right now; retry shortly.');
      throw err;
    }
  };
  return {
    bucket,
    put: (key, body, size, contentType) =>
      guard(async () => {
        await client.putObject(bucket, key, body, size, contentType ? { 'Content-Type': contentType } : {});
      }),
    get: (key) => guard(() => client.getObject(bucket, key)),
    stat: (key) =>
      guard(async () => {
        try {
          const s = await client.statObject(bucket, key);
          return { size: s.size, contentType: (s.metaData as Record<string, string> | undefined)?.['content-type'] };
        } catch (err) {
          if ((err as { code?: string }).code === 'NotFound' || (err as { code?: string }).code === 'NoSuchKey') return null;
          throw err;
        }
      }),
    remove: (key) => guard(() => client.removeObject(bucket, key)),
    ping: () =>
      guard(async () => {
        if (!(await client.bucketExists(bucket))) throw new Error(`bucket ${bucket} does not exist`);
      }),
    ensureBucket: () =>
      guard(async () => {
        if (!(await client.bucketExists(bucket))) await client.makeBucket(bucket, config.S3_REGION);
      }),
  };
}
