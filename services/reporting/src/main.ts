import { startTelemetry } from '@kapocs/kit';

await startTelemetry('reporting');
const { runService } = await import('@kapocs/kit');
const { reporting } = await import('./service');
await runService(reporting);
