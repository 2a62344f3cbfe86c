import { serviceNamed } from '@kapocs/contracts';
import { SERVICES, type ServiceName } from '../config';

/** The parts of an OpenAPI 3 document the merge touches; the rest passes through as it is. */
export interface OpenApiDocument {
  openapi?: string;
  info?: Record<string, unknown>;
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown> | undefined>;
  tags?: { name: string; description?: string }[];
  [key: string]: unknown;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const OPERATIONAL = new Set(['/healthz', '/readyz', '/openapi.json']);
const BEARER = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };

/** `#/components/<section>/<name>` refs of one document renamed to `<namespace>.<name>`. */
function namespaceRefs<T>(node: T, namespace: string): T {
  if (Array.isArray(node)) return node.map((n) => namespaceRefs(n, namespace)) as T;
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') {
      const m = /^#\/components\/([^/]+)\/(.+)$/.exec(v);
      out[k] = m && m[1] !== 'securitySchemes' ? `#/components/${m[1]}/${namespace}.${m[2]}` : v;
    } else out[k] = namespaceRefs(v, namespace);
  }
  return out as T;
}

/** Adds one document's components to the merged ones under its namespace. */
function addComponents(target: Record<string, Record<string, unknown>>, doc: OpenApiDocument, namespace: string) {
  for (const [section, entries] of Object.entries(doc.components ?? {})) {
    if (section === 'securitySchemes' || !entries) continue;
    target[section] ??= {};
    for (const [name, value] of Object.entries(entries)) target[section][`${namespace}.${name}`] = value;
  }
}

/** Tags and operation ids made unique across services. */
function namespaceOperations(pathItem: Record<string, unknown>, service: string, isPublic: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pathItem)) {
    if (!METHODS.has(key) || !value || typeof value !== 'object') {
      out[key] = value;
      continue;
    }
    const op = { ...(value as Record<string, unknown>) };
    const tags = Array.isArray(op.tags) && op.tags.length ? (op.tags as string[]).map((t) => `${service}/${t}`) : [service];
    op.tags = tags;
    if (typeof op.operationId === 'string') op.operationId = `${service}.${op.operationId}`;
    if (isPublic) op.security = [];
    out[key] = op;
  }
  return out;
}

/** The gateway path of a service path: `/companies` of partners is `/api/partners/companies`; marketing's `/public/…` stays. */
function gatewayPath(service: ServiceName, path: string): { path: string; isPublic: boolean } {
  const { pathPrefix, publicPrefix } = serviceNamed(service);
  if (publicPrefix && (path === publicPrefix || path.startsWith(`${publicPrefix}/`))) return { path, isPublic: true };
  return { path: `${pathPrefix}${path === '/' ? '' : path}`, isPublic: false };
}

/** The gateway's own operations: `/api/...` paths that are neither a proxied service nor the docs. */
function isGatewayOwn(path: string): boolean {
  const [, first, second] = path.split('/');
  const proxied = SERVICES.some((s) => path === serviceNamed(s).pathPrefix || path.startsWith(`${serviceNamed(s).pathPrefix}/`));
  return first === 'api' && !!second && second !== 'docs' && !proxied;
}

/**
 * One OpenAPI 3 document for the whole API as clients see it at the gateway: each service's paths under
 * `/api/<service>`, its components as `<service>.<Name>`, plus the gateway's own routes. Services that
 * could not be read are named in `info.x-unavailable`.
 */
export function mergeOpenApi(input: {
  gateway: OpenApiDocument;
  services: Partial<Record<ServiceName, OpenApiDocument>>;
  unavailable: ServiceName[];
  version?: string;
}): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Record<string, Record<string, unknown>> = {};

  for (const [path, item] of Object.entries(input.gateway.paths ?? {})) {
    if (isGatewayOwn(path)) paths[path] = namespaceRefs(item, 'gateway');
  }
  addComponents(components, namespaceRefs(input.gateway, 'gateway'), 'gateway');

  for (const service of SERVICES) {
    const doc = input.services[service];
    if (!doc) continue;
    const renamed = namespaceRefs(doc, service);
    for (const [path, item] of Object.entries(renamed.paths ?? {})) {
      if (OPERATIONAL.has(path)) continue;
      const target = gatewayPath(service, path);
      paths[target.path] = namespaceOperations(item, service, target.isPublic);
    }
    addComponents(components, renamed, service);
  }

  return {
    openapi: '3.0.3',
    info: {
      title: 'Kapocs CRM API',
      version: input.version ?? '0.1.0',
      description:
        'Every service of Kapocs CRM through its gateway: `/api/<service>/…` with a bearer token from Keycloak realm `crm`, `/public/…` without one.',
      'x-unavailable': [...input.unavailable],
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'gateway', description: 'The caller, the user directory' }, ...SERVICES.map((name) => ({ name }))],
    security: [{ bearer: [] }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: { ...components, securitySchemes: { bearer: BEARER } },
  };
}
