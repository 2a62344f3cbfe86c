import Fastify, { type FastifyInstance } from 'fastify';
import { env, freePort, requireServer } from '@kapocs/kit/testing';
import { SERVICES, loadGatewayConfig, type GatewayConfig, type ServiceName } from '../src/config';
import { buildApp, type GatewayDeps } from '../src/app';

/** Fails with how to start the stack when the realm does not answer. */
export async function requireKeycloak(): Promise<void> {
  await requireServer('Keycloak', `${env('KEYCLOAK_URL')}/realms/crm/.well-known/openid-configuration`);
}

export interface Upstream {
  url: string;
  app: FastifyInstance;
  close: () => Promise<void>;
}

/**
 * A small real HTTP server standing in for a service (a test fixture on a loopback port). It answers
 * /readyz (unless `setup` defines its own), takes every body as a raw stream, and `echo` routes answer what
 * they received.
 */
export async function startUpstream(setup: (app: FastifyInstance) => unknown = () => undefined): Promise<Upstream> {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  await setup(app);
  if (!app.hasRoute({ method: 'GET', url: '/readyz' })) app.get('/readyz', async () => ({ status: 'ok' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, app, close: () => app.close() };
}

/** Answers the method, URL and headers it received, and the body as text. */
export function echo(app: FastifyInstance, path = '/*'): void {
  app.all(path, async (request) => {
    let body = '';
    if (request.body && typeof (request.body as NodeJS.ReadableStream).on === 'function') {
      for await (const chunk of request.body as AsyncIterable<Buffer>) body += chunk.toString();
    }
    return { method: request.method, url: request.url, headers: request.headers, body };
  });
}

/** A loopback URL where nothing listens. */
export const deadUrl = async () => `http://127.0.0.1:${await freePort()}`;

/** The gateway's configuration from the test environment (deploy/local/env.mjs) with overrides. */
export function gatewayConfig(overrides: Record<string, string> = {}): GatewayConfig {
  return loadGatewayConfig({ ...process.env, ...overrides });
}

/** Every service URL pointed at the given upstreams; those not given point where nothing listens. */
export async function upstreamUrls(given: Partial<Record<ServiceName, string>>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const s of SERVICES) out[`${s.toUpperCase()}_URL`] = given[s] ?? (await deadUrl());
  return out;
}

/** A gateway listening on an ephemeral loopback port; `url` is its base. */
export async function startGateway(deps: GatewayDeps) {
  const app = await buildApp(deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Reads a JSON body, failing with the text when it is not JSON. */
export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`not JSON (${res.status}): ${text.slice(0, 300)}`);
  }
}
