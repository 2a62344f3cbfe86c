/** What the browser needs to know about its environment; served by /portal-config at run time. */
export interface PortalConfig {
  gatewayUrl: string;
  keycloakUrl: string;
  realm: string;
  clientId: string;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Reads the portal's environment on the server (the route handler is its only caller). */
export function portalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PortalConfig {
  return {
    gatewayUrl: trimSlash(env.GATEWAY_PUBLIC_URL || 'http://localhost:8080'),
    keycloakUrl: trimSlash(env.KEYCLOAK_PUBLIC_URL || 'http://localhost:8180'),
    realm: env.KEYCLOAK_REALM || 'crm',
    clientId: env.KEYCLOAK_CLIENT_ID || 'crm-web',
  };
}

let loading: Promise<PortalConfig> | null = null;

/** Fetches the runtime config once per page load. */
export function loadPortalConfig(): Promise<PortalConfig> {
  loading ??= fetch('/portal-config', { cache: 'no-store' }).then(async (res) => {
    if (!res.ok) throw new Error(`/portal-config answered ${res.status}`);
    return (await res.json()) as PortalConfig;
  });
  loading.catch(() => {
    loading = null; // let a retry fetch again
  });
  return loading;
}
