import type { ServiceName } from '../config';

/**
 * What the gateway last learnt of a service's /readyz: `ready` (2xx), `unready` (503: the service runs but one
 * of its servers is down), `unreachable` (no connection or no answer in time), `unknown` (not asked yet, or
 * another status).
 */
export interface UpstreamState {
  state: 'ready' | 'unready' | 'unreachable' | 'unknown';
  /** Why, in one line without addresses: the failing checks, the error code, the status. */
  detail?: string;
  checkedAt?: string;
}

export interface UpstreamMonitor {
  /** The last known state; only `unready` makes the gateway refuse a service's routes (503). */
  state(service: string): UpstreamState;
  /** Asks every service now and answers the states. */
  refresh(): Promise<Record<string, UpstreamState>>;
  start(): void;
  stop(): void;
}

async function probe(url: string, timeoutMs: number): Promise<UpstreamState> {
  const checkedAt = new Date().toISOString();
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') return { state: 'unreachable', detail: `no answer within ${timeoutMs} ms`, checkedAt };
    const code = (err as { cause?: { code?: string } }).cause?.code;
    return { state: 'unreachable', detail: `not reachable${code ? ` (${code})` : ''}`, checkedAt };
  }
  if (res.ok) {
    await res.body?.cancel();
    return { state: 'ready', checkedAt };
  }
  if (res.status === 503) {
    // the kit's /readyz names its failing checks; only their names go on, not their messages
    const body = (await res.json().catch(() => null)) as { checks?: Record<string, string> } | null;
    const failing = Object.entries(body?.checks ?? {}).filter(([, v]) => v !== 'ok').map(([k]) => k);
    return { state: 'unready', detail: failing.length ? `not ready: ${failing.join(', ')}` : 'not ready', checkedAt };
  }
  await res.body?.cancel();
  return { state: 'unknown', detail: `/readyz answered ${res.status}`, checkedAt };
}

/**
 * Asks each service's /readyz every `intervalMs` in the background, and every `recheckMs` (1 s) while one is not
 * ready, so that a service whose database is back gets requests again within a second, not an interval later.
 * The gateway's own /readyz does not depend on it: one unready service must not take every gateway replica out
 * of rotation, only its own routes.
 */
export function createUpstreamMonitor(
  upstreams: Record<ServiceName, string>,
  { intervalMs, timeoutMs = 2_000, recheckMs = 1_000 }: { intervalMs: number; timeoutMs?: number; recheckMs?: number },
): UpstreamMonitor {
  const states = new Map<string, UpstreamState>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<Record<string, UpstreamState>> | null = null;

  const refresh = () =>
    (running ??= Promise.all(
      Object.entries(upstreams).map(async ([service, url]) => {
        const s = await probe(`${url.replace(/\/$/, '')}/readyz`, timeoutMs);
        states.set(service, s);
        return [service, s] as const;
      }),
    )
      .then((entries) => Object.fromEntries(entries))
      .finally(() => (running = null)));

  // a tick every recheckMs; it asks the services when the interval is over or one of them is not ready
  let lastAsked = 0;
  const tick = () => {
    const notReady = [...states.values()].some((s) => s.state !== 'ready');
    if (!running && (notReady || Date.now() - lastAsked >= intervalMs)) {
      lastAsked = Date.now();
      void refresh();
    }
  };

  return {
    state: (service) => states.get(service) ?? { state: 'unknown' },
    refresh,
    start() {
      if (timer) return;
      tick();
      timer = setInterval(tick, Math.min(recheckMs, intervalMs));
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
