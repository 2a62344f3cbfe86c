import type { ServiceName } from '../config';

/** Answers when the URL answers 2xx within the time; otherwise throws a one-line reason for /readyz. */
async function probe(url: string, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') throw new Error(`no answer within ${timeoutMs} ms`);
    const code = (err as { cause?: { code?: string } }).cause?.code;
    throw new Error(`not reachable${code ? ` (${code})` : ''}`);
  }
  await res.body?.cancel();
  if (!res.ok) throw new Error(`answered ${res.status}`);
}

/**
 * The gateway's readiness checks for kit's /readyz: each service's own /readyz and Keycloak's JWKS (without
 * which no token can be verified). /readyz answers 503 naming those that fail.
 */
export function readinessChecks(upstreams: Record<ServiceName, string>, jwksUrl: string, timeoutMs = 2_000): Record<string, () => Promise<void>> {
  const checks: Record<string, () => Promise<void>> = {};
  for (const [service, url] of Object.entries(upstreams)) checks[service] = () => probe(`${url.replace(/\/$/, '')}/readyz`, timeoutMs);
  checks.keycloak = () => probe(jwksUrl, timeoutMs);
  return checks;
}
