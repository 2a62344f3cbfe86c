import { ApiError, networkError, problemFrom } from './api-error';

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
  status: number;
}

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  get<T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal): Promise<T>;
}

export interface ApiClientDeps {
  gatewayUrl: string;
  getToken: () => Promise<string>;
  onUnauthorized?: () => void;
}

/** Builds `/api/...` URLs on the gateway; empty query values are left out. */
export function apiUrl(gatewayUrl: string, path: string, query?: Record<string, QueryValue>): string {
  const url = new URL(`${gatewayUrl}/api${path.startsWith('/') ? path : `/${path}`}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** fetch against the gateway with a fresh bearer token; failures become ApiError (problem+json). */
export function createApiClient({ gatewayUrl, getToken, onUnauthorized }: ApiClientDeps): ApiClient {
  async function request<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const token = await getToken();
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}`, ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let res: Response;
    try {
      res = await fetch(apiUrl(gatewayUrl, path, options.query), {
        method: options.method ?? 'GET',
        headers,
        body,
        signal: options.signal,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw networkError(cause);
    }
    if (!res.ok) {
      const error = await problemFrom(res);
      if (res.status === 401) onUnauthorized?.();
      throw error;
    }
    const data = (res.status === 204 ? undefined : await res.json()) as T;
    return { data, etag: res.headers.get('ETag'), status: res.status };
  }

  return {
    request,
    get: async <T,>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) =>
      (await request<T>(path, { query, signal })).data,
  };
}

export { ApiError };
