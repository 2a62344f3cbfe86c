import { startTelemetry } from '@kapocs/kit/telemetry';

await startTelemetry('gateway', process.env);
// imported after telemetry so incoming HTTP is instrumented
const { serve } = await import('@kapocs/kit');
const { loadGatewayConfig } = await import('./config');
const { buildApp } = await import('./app');

const config = loadGatewayConfig(process.env);
const app = await buildApp({ config });
await serve(app, { host: config.HOST, port: config.GATEWAY_PORT });
