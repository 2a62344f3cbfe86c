import { startTelemetry } from '@kapocs/kit/telemetry';

await startTelemetry('partners');
// imported after telemetry so HTTP and pg are instrumented
const { runService } = await import('@kapocs/kit');
const { partners } = await import('./service');
await runService(partners);
