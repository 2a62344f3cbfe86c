import { createLocalJWKSet, jwtVerify, errors as joseErrors, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import type { FastifyRequest } from 'fastify';
import { DEPARTMENT_GROUP_PREFIX, Roles, type Role } from '@kapocs/contracts';
import { unauthorized } from './problems';
import { serviceUnavailable } from './availability';
import { pgArray } from './list';

/** The signed-in user as every service sees them, taken from a verified access token. */
export interface Principal {
  /** Keycloak subject (user id). */
  id: string;
  username: string;
  name: string;
  roles: Role[];
  /** Department ids: the group paths under `/departments/` without that prefix (`north`). */
  departments: string[];
}

export interface TokenVerifierOptions {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** How many verified tokens to remember, the least recently used forgotten first (default 10 000; 0 verifies every time). */
  cacheSize?: number;
  /** The clock, in ms (tests move it). */
  now?: () => number;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

const KNOWN_ROLES = new Set<string>(Object.values(Roles));

/** Turns verified claims into a principal. */
export function principalFromClaims(claims: JWTPayload & Record<string, unknown>): Principal {
  const realmAccess = claims.realm_access as { roles?: unknown } | undefined;
  const roles = Array.isArray(realmAccess?.roles) ? realmAccess.roles.filter((r): r is Role => typeof r === 'string' && KNOWN_ROLES.has(r)) : [];
  const groups = Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === 'string') : [];
  const departments = groups.filter((g) => g.startsWith(DEPARTMENT_GROUP_PREFIX)).map((g) => g.slice(DEPARTMENT_GROUP_PREFIX.length));
  const username = typeof claims.preferred_username === 'string' ? claims.preferred_username : String(claims.sub);
  return {
    id: String(claims.sub),
    username,
    name: typeof claims.name === 'string' && claims.name ? claims.name : username,
    roles,
    departments,
  };
}

export interface KeySetOptions {
  /** Least time between two fetches (an unknown `kid` refetches at most this often). */
  cooldownMs?: number;
  /** Keys older than this are refreshed in the background on the next verification. */
  maxAgeMs?: number;
  timeoutMs?: number;
  now?: () => number;
  /** Called after each fetch of the key set, with its outcome (for logs and tests). */
  onFetch?: (outcome: { ok: boolean; error?: string }) => void;
}

/**
 * The realm's signing keys, kept across Keycloak outages: fetched on first use, refreshed in the background
 * when old, and refetched at once (at most once per cooldown) when a token names a key id we do not have,
 * i.e. after a key rotation. A failed fetch keeps the keys we have, so tokens signed by them verify while
 * Keycloak is down; only with no keys at all does verification answer 503. (jose's remote set drops to an
 * error once its cache is stale and the fetch fails, which made a Keycloak restart fail every request.)
 */
export function remoteKeySet(url: string, opts: KeySetOptions = {}): JWTVerifyGetKey {
  const now = opts.now ?? Date.now;
  const cooldownMs = opts.cooldownMs ?? 30_000;
  const maxAgeMs = opts.maxAgeMs ?? 10 * 60_000;
  let local: JWTVerifyGetKey | null = null;
  let fetchedAt = 0;
  let attemptedAt = -Infinity;
  let inflight: Promise<void> | null = null;

  const fetchKeys = () => {
    inflight ??= (async () => {
      attemptedAt = now();
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000) });
        if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
        local = createLocalJWKSet((await res.json()) as JSONWebKeySet);
        fetchedAt = now();
        opts.onFetch?.({ ok: true });
      } catch (err) {
        opts.onFetch?.({ ok: false, error: (err as Error).message });
        throw err;
      }
    })().finally(() => {
      inflight = null;
    });
    return inflight;
  };
  const coolingDown = () => now() - attemptedAt < cooldownMs;

  return async (header, token) => {
    if (!local) {
      if (coolingDown() && !inflight) throw serviceUnavailable('The sign-in server (Keycloak) is not reachable; retry shortly.');
      await fetchKeys().catch(() => {
        throw serviceUnavailable('The sign-in server (Keycloak) is not reachable; retry shortly.');
      });
    } else if (now() - fetchedAt > maxAgeMs && !coolingDown()) {
      void fetchKeys().catch(() => undefined); // keep verifying with what we have
    }
    try {
      return await local!(header, token);
    } catch (err) {
      if (!(err instanceof joseErrors.JWKSNoMatchingKey)) throw err;
      // a fetch under way (e.g. the background refresh just started) may bring the key: wait for it
      if (inflight) await inflight.catch(() => undefined);
      else if (!coolingDown()) await fetchKeys().catch(() => undefined);
      else throw err;
      return local!(header, token);
    }
  };
}

/**
 * Verifies Keycloak access tokens: signature from the realm's JWKS (see `remoteKeySet`), issuer, audience
 * and expiry. Any failure is a 401 problem; no keys at all (Keycloak never reached) a 503.
 */
export function createTokenVerifier(opts: TokenVerifierOptions): TokenVerifier {
  const jwks = remoteKeySet(opts.jwksUrl, opts.now ? { now: opts.now } : {});
  const now = opts.now ?? Date.now;
  const cacheSize = opts.cacheSize ?? 10_000;
  // A client sends the same token with every request until it refreshes it; the RSA check was the largest
  // cost of a gateway hop after logging. The key is the whole token, signature included, so only the very
  // string that was verified hits; expiry is checked on every hit, and an entry is re-verified after a
  // minute (a key removed from the realm stops being accepted within that).
  // lru-cache bounds it (the least recently used token goes first); times are checked here, on the given clock.
  const verified = cacheSize > 0 ? new LRUCache<string, { principal: Principal; expiresAt: number; recheckAt: number }>({ max: cacheSize }) : null;
  return async (token) => {
    const t = now();
    const hit = verified?.get(token);
    if (hit && t < hit.recheckAt) {
      if (t >= hit.expiresAt + CLOCK_TOLERANCE_S * 1000) throw unauthorized('The token has expired.');
      return hit.principal;
    }
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: opts.issuer, audience: opts.audience, clockTolerance: CLOCK_TOLERANCE_S, currentDate: new Date(t) });
      if (!payload.sub) throw unauthorized('The token has no subject.');
      const principal = principalFromClaims(payload as JWTPayload & Record<string, unknown>);
      if (typeof payload.exp === 'number') verified?.set(token, { principal, expiresAt: payload.exp * 1000, recheckAt: t + 60_000 });
      return principal;
    } catch (err) {
      verified?.delete(token);
      if (err instanceof joseErrors.JWTExpired) throw unauthorized('The token has expired.');
      if (err instanceof joseErrors.JWTClaimValidationFailed) throw unauthorized(`The token's ${err.claim} claim is not accepted.`);
      if (err instanceof joseErrors.JOSEError) throw unauthorized('The token is not valid.');
      throw err;
    }
  };
}

const CLOCK_TOLERANCE_S = 5;

/** Reads the bearer token of a request, or throws 401. */
export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw unauthorized('Sign in: send Authorization: Bearer <access token>.');
  const [scheme, token] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthorized('Authorization must be a Bearer token.');
  return token;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller; set on every route that is not marked `config: { public: true }`. */
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** No token needed (health, OpenAPI, public registration pages). */
    public?: boolean;
  }
}

/** Verifies the token of every request except routes marked `config: { public: true }`. */
export const authPlugin = fp<{ verify: TokenVerifier }>(
  async (app, { verify }) => {
    app.decorateRequest('principal', null as unknown as Principal);
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config?.public) return;
      request.principal = await verify(bearerToken(request));
    });
  },
  { name: 'kapocs-auth' },
);

export const hasRole = (p: Principal, ...roles: Role[]) => roles.some((r) => p.roles.includes(r));

/**
 * What a principal may see (ARCHITECTURE.md, "Identity and visibility"):
 * director and admin everything; a manager their departments' records and their own; everyone else their own
 * (owned, responsible for, or taking part in).
 */
export type VisibilityScope =
  | { kind: 'all' }
  | { kind: 'departments'; userId: string; departments: string[] }
  | { kind: 'own'; userId: string };

export function visibilityScope(p: Principal): VisibilityScope {
  if (hasRole(p, Roles.admin, Roles.director)) return { kind: 'all' };
  if (hasRole(p, Roles.manager) && p.departments.length) return { kind: 'departments', userId: p.id, departments: p.departments };
  return { kind: 'own', userId: p.id };
}

/** The department a record written by this principal belongs to: their first department, if any. */
export const departmentOf = (p: Principal): string | null => p.departments[0] ?? null;

/** Columns a table uses for visibility. `participantsColumn` is a uuid[]/text[] of users taking part. */
export interface VisibilityColumns {
  owner: string;
  department: string;
  responsible?: string;
  participants?: string;
}

/**
 * The scope as a SQL condition with positional bindings (knex `whereRaw` style, `?` placeholders),
 * so visibility is enforced in the query, never after it. Answers null for "no condition".
 */
export function visibilityCondition(scope: VisibilityScope, cols: VisibilityColumns): { sql: string; bindings: unknown[] } | null {
  if (scope.kind === 'all') return null;
  const own: string[] = [`${cols.owner} = ?`];
  const bindings: unknown[] = [scope.userId];
  if (cols.responsible) { own.push(`${cols.responsible} = ?`); bindings.push(scope.userId); }
  if (cols.participants) { own.push(`? = any(${cols.participants})`); bindings.push(scope.userId); }
  if (scope.kind === 'departments') {
    own.push(`${cols.department} = any(?::text[])`);
    bindings.push(pgArray(scope.departments));
  }
  return { sql: `(${own.join(' or ')})`, bindings };
}

/** The scope as a MikroORM where-clause over entity properties (for `em.find`/`em.findOne`). */
export function visibilityWhere(scope: VisibilityScope, props: { owner: string; department: string; responsible?: string }): Record<string, unknown> {
  if (scope.kind === 'all') return {};
  const own: Record<string, unknown>[] = [{ [props.owner]: scope.userId }];
  if (props.responsible) own.push({ [props.responsible]: scope.userId });
  if (scope.kind === 'departments') own.push({ [props.department]: { $in: scope.departments } });
  return own.length === 1 ? own[0]! : { $or: own };
}
