import { ApiError, networkError, problemFrom } from './api-error';

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  /** JSON-encoded, unless it is FormData (sent as multipart). */
  body?: unknown;
  headers?: Record<string, string>;
  /** The version the user edited; sent as `If-Match: "<version>"` (a stale one answers 412). */
  ifMatch?: number;
  /** Sends a fresh `Idempotency-Key`, so a retried create is not applied twice. */
  idempotent?: boolean;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
  status: number;
}

/** A file the gateway answered (template, export). */
export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  get<T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal): Promise<T>;
  /** GETs a file (CSV, XLSX); its name comes from Content-Disposition, else `fallbackName`. */
  download(path: string, query: RequestOptions['query'], fallbackName: string): Promise<DownloadedFile>;
}

export interface ApiClientDeps {
  gatewayUrl: string;
  getToken: () => Promise<string>;
  onUnauthorized?: () => void;
  /** Sent as Accept-Language (templates and exports are labelled in it). */
  language?: () => string;
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

/** The file name of `Content-Disposition: attachment; filename="x.csv"` (or filename*=UTF-8''...). */
export function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1]?.trim();
}

/** fetch against the gateway with a fresh bearer token; failures become ApiError (problem+json). */
export function createApiClient({ gatewayUrl, getToken, onUnauthorized, language }: ApiClientDeps): ApiClient {
  async function send(path: string, options: RequestOptions, accept: string): Promise<Response> {
    const token = await getToken();
    const headers: Record<string, string> = { Accept: accept, Authorization: `Bearer ${token}` };
    const lang = language?.();
    if (lang) headers['Accept-Language'] = lang;
    if (options.ifMatch !== undefined) headers['If-Match'] = `"${options.ifMatch}"`;
    if (options.idempotent) headers['Idempotency-Key'] = crypto.randomUUID();
    Object.assign(headers, options.headers);
    let body: BodyInit | undefined;
    if (options.body instanceof FormData) {
      body = options.body; // the browser sets the multipart boundary
    } else if (options.body !== undefined) {
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
    return res;
  }

  async function request<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const res = await send(path, options, 'application/json');
    const text = res.status === 204 ? '' : await res.text();
    const data = (text ? JSON.parse(text) : undefined) as T;
    return { data, etag: res.headers.get('ETag'), status: res.status };
  }

  return {
    request,
    get: async <T,>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) =>
      (await request<T>(path, { query, signal })).data,
    download: async (path, query, fallbackName) => {
      const res = await send(path, { query }, '*/*');
      return { blob: await res.blob(), fileName: fileNameOf(res.headers.get('Content-Disposition')) ?? fallbackName };
    },
  };
}

/** Hands a downloaded file to the browser as a download. */
export function saveFile({ blob, fileName }: DownloadedFile): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export { ApiError };
