/** A failed call to Keycloak: `status` is set when Keycloak answered, absent when it could not be reached. */
export class KeycloakAdminError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'KeycloakAdminError';
    this.status = status;
  }
}

export interface KeycloakAdminOptions {
  /** Keycloak's base URL (`http://127.0.0.1:8180`). */
  url: string;
  realm: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

export interface KeycloakAdmin {
  /** GET on the realm's admin REST API (`/users`, `/groups/{id}/members`, …). */
  get<T>(path: string, query?: Record<string, string | number | boolean>): Promise<T>;
}

/**
 * The realm's admin REST API as a confidential client's service account (client credentials). The access token is
 * cached until shortly before it expires; concurrent callers share one token request.
 */
export function createKeycloakAdmin(opts: KeycloakAdminOptions): KeycloakAdmin {
  const base = opts.url.replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 5_000;
  let token: { value: string; renewAt: number } | null = null;
  let pending: Promise<string> | null = null;

  async function call(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new KeycloakAdminError(`Keycloak is not reachable at ${base} (${cause})`);
    }
  }

  async function fetchToken(): Promise<string> {
    const res = await call(`${base}/realms/${opts.realm}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: opts.clientId, client_secret: opts.clientSecret }),
    });
    if (!res.ok) throw new KeycloakAdminError(`Keycloak refused the ${opts.clientId} client credentials (${res.status})`, res.status);
    const body = (await res.json()) as { access_token: string; expires_in: number };
    token = { value: body.access_token, renewAt: Date.now() + Math.max(0, body.expires_in - 30) * 1000 };
    return body.access_token;
  }

  function serviceToken(): Promise<string> {
    if (token && token.renewAt > Date.now()) return Promise.resolve(token.value);
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  }

  return {
    async get<T>(path: string, query: Record<string, string | number | boolean> = {}): Promise<T> {
      const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
      const url = `${base}/admin/realms/${opts.realm}${path}${qs ? `?${qs}` : ''}`;
      for (let attempt = 0; ; attempt++) {
        const res = await call(url, { headers: { authorization: `Bearer ${await serviceToken()}`, accept: 'application/json' } });
        // a token revoked or expired early: fetch a new one, once
        if (res.status === 401 && attempt === 0) {
          token = null;
          continue;
        }
        if (!res.ok) {
          await res.body?.cancel();
          throw new KeycloakAdminError(`Keycloak answered ${res.status} to GET ${path}`, res.status);
        }
        return (await res.json()) as T;
      }
    },
  };
}
