import list from './services.json';

/**
 * One service of Kapocs, as `services.json` lists it: the one place a service is named. The gateway routes it,
 * `npm start` starts it, eslint fences it, the portal shows its navigation section, and the deployment tests
 * (`deploy/test`) fail naming what compose, Kubernetes, the Dockerfile or the database roles lack for it.
 */
export interface ServiceEntry {
  /** The folder `services/<name>`, the package `@kapocs/<name>`, the `ServiceDefinition` name: lower-case letters. */
  name: string;
  /** Its local port (`<NAME>_PORT` overrides it) and the `defaultPort` of its definition. */
  port: number;
  /** Its PostgreSQL schema, owned by the role of the same name. */
  schema: string;
  /** Where the gateway serves it, token required: `/api/<name>/*` with the prefix stripped. */
  pathPrefix: string;
  /** A path the gateway passes on unchanged and without a token (marketing's public registration). */
  publicPrefix?: string;
  /** The portal's navigation section its pages belong to. */
  nav: string;
  /** What it holds, in a few words (comments and docs). */
  about: string;
}

/** Every service, in the order they start and appear in the navigation. JSON so the .mjs scripts read it too. */
export const SERVICES: readonly ServiceEntry[] = list;

/** The services' names, in list order. */
export const SERVICE_NAMES: readonly string[] = SERVICES.map((s) => s.name);

/** A service by name; throws naming the list when it is not there. */
export function serviceNamed(name: string): ServiceEntry {
  const found = SERVICES.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name} in packages/contracts/src/services.json (${SERVICE_NAMES.join(', ')})`);
  return found;
}

/** The environment variable prefix of a service: `<NAME>_URL`, `<NAME>_PORT`, `<NAME>_DATABASE_URL`. */
export const envPrefixOf = (name: string) => name.toUpperCase();
