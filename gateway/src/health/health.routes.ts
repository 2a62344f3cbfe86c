import type { ServiceApp } from '@kapocs/kit';
import type { UpstreamMonitor } from './upstreams';

/**
 * `/healthz/upstreams` for operators: every service's readiness as the gateway sees it, asked now. Always 200
 * while the gateway runs (it is information, not a probe): `status` is `degraded` when a service is not ready.
 * Names and states only, no addresses.
 */
export function registerHealthRoutes(app: ServiceApp, monitor: UpstreamMonitor): void {
  app.get('/healthz/upstreams', { config: { public: true }, schema: { hide: true } }, async () => {
    const upstreams = await monitor.refresh();
    const degraded = Object.values(upstreams).some((u) => u.state !== 'ready');
    return { status: degraded ? 'degraded' : 'ok', service: 'gateway', upstreams };
  });
}
