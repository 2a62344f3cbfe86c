import { startTelemetry } from '@kapocs/kit';

await startTelemetry('documents');
const { runService } = await import('@kapocs/kit');
const { documents } = await import('./service');
await runService(documents);
