import type { FastifyBaseLogger } from 'fastify';
import { SERVICES, type ServiceName } from '../config';
import { mergeOpenApi, type OpenApiDocument } from './docs.merge';

export interface ApiDocs {
  /** The merged document, rebuilt at most once per TTL (every few seconds while a service is missing). */
  document(): Promise<OpenApiDocument>;
}

const RETRY_MISSING_MS = 5_000;

async function fetchDocument(url: string, timeoutMs: number): Promise<OpenApiDocument> {
  const res = await fetch(`${url.replace(/\/$/, '')}/openapi.json`, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`answered ${res.status}`);
  }
  const doc = (await res.json()) as OpenApiDocument;
  if (!doc || typeof doc !== 'object' || typeof doc.paths !== 'object') throw new Error('not an OpenAPI document');
  return doc;
}

export function createApiDocs(opts: {
  upstreams: Record<ServiceName, string>;
  /** The gateway's own document (its Fastify routes). */
  own: () => OpenApiDocument;
  ttlMs: number;
  timeoutMs?: number;
  log?: FastifyBaseLogger;
}): ApiDocs {
  let cached: { doc: OpenApiDocument; until: number } | null = null;
  let building: Promise<OpenApiDocument> | null = null;

  async function build(): Promise<OpenApiDocument> {
    const services: Partial<Record<ServiceName, OpenApiDocument>> = {};
    const unavailable: ServiceName[] = [];
    await Promise.all(
      SERVICES.map(async (service) => {
        try {
          services[service] = await fetchDocument(opts.upstreams[service]!, opts.timeoutMs ?? 3_000);
        } catch (err) {
          unavailable.push(service);
          opts.log?.warn({ service, err: (err as Error).message }, 'service OpenAPI document unavailable');
        }
      }),
    );
    unavailable.sort((a, b) => SERVICES.indexOf(a) - SERVICES.indexOf(b));
    const doc = mergeOpenApi({ gateway: opts.own(), services, unavailable });
    cached = { doc, until: Date.now() + (unavailable.length ? Math.min(opts.ttlMs, RETRY_MISSING_MS) : opts.ttlMs) };
    return doc;
  }

  return {
    document() {
      if (cached && cached.until > Date.now()) return Promise.resolve(cached.doc);
      building ??= build().finally(() => {
        building = null;
      });
      return building;
    },
  };
}
