import { startTelemetry } from '@kapocs/kit';

await startTelemetry('activities');
const { runService } = await import('@kapocs/kit');
const { activities } = await import('./service');
await runService(activities);
