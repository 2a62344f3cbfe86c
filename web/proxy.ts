import { NextResponse } from 'next/server';
import { portalConfigFromEnv } from '@/config/portal-config';

const origin = (url: string) => new URL(url).origin;

/**
 * The portal's security headers, built per request from the run-time config (one build serves every
 * environment, so the gateway's and Keycloak's origins are not known at build time). The browser may talk to
 * the portal, the gateway and Keycloak only; no page may be framed (clickjacking); no plug-ins, no <base>.
 * Scripts keep 'unsafe-inline': Next.js streams inline hydration scripts, and nonces would make every page
 * dynamic; what an injected script could reach is still limited by connect-src and form-action.
 */
export function securityHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const config = portalConfigFromEnv(env);
  const gateway = origin(config.gatewayUrl);
  const keycloak = origin(config.keycloakUrl);
  const dev = env.NODE_ENV !== 'production';
  const csp = [
    `default-src 'self'`,
    `script-src 'self' 'unsafe-inline'${dev ? ` 'unsafe-eval'` : ''}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `connect-src 'self' ${gateway} ${keycloak}${dev ? ' ws: wss:' : ''}`,
    `frame-src ${keycloak}`,
    `frame-ancestors 'none'`,
    `form-action 'self' ${keycloak}`,
    `base-uri 'self'`,
    `object-src 'none'`,
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

export function proxy() {
  const res = NextResponse.next();
  for (const [name, value] of Object.entries(securityHeaders())) res.headers.set(name, value);
  return res;
}

// every page and route handler; not the build's static files (hashed, no HTML)
export const config = { matcher: ['/((?!_next/static|_next/image).*)'] };
