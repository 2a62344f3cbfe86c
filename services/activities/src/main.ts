// the telemetry entry alone, so http and pg load after the SDK has hooked them
import { startTelemetry } from '@kapocs/kit/telemetry';

await startTelemetry('activities');
const { runService } = await import('@kapocs/kit');
const { activities } = await import('./service');
await runService(activities);
