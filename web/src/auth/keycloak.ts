import Keycloak from 'keycloak-js';
import type { PortalConfig } from '@/config/portal-config';

let instance: { kc: Keycloak; ready: Promise<boolean> } | null = null;

/**
 * Creates the one Keycloak adapter of this page and starts the sign-in (PKCE S256, redirect when
 * not signed in). Kept at module level: React may mount the provider twice, the adapter must
 * initialise once.
 */
export function startKeycloak(config: PortalConfig, locale: string): { kc: Keycloak; ready: Promise<boolean> } {
  if (instance) return instance;
  const kc = new Keycloak({ url: config.keycloakUrl, realm: config.realm, clientId: config.clientId });
  const ready = kc.init({
    onLoad: 'login-required',
    pkceMethod: 'S256',
    checkLoginIframe: false,
    locale,
  });
  ready.catch(() => {
    instance = null; // a retry builds a fresh adapter
  });
  instance = { kc, ready };
  return instance;
}
