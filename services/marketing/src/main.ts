import { startTelemetry } from '@kapocs/kit';

await startTelemetry('marketing');
const { runService } = await import('@kapocs/kit');
const { marketing } = await import('./service');
await runService(marketing);
