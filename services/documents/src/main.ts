// the telemetry entry alone, so http and pg load after the SDK has hooked them
import { startTelemetry } from '@kapocs/kit/telemetry';

await startTelemetry('documents');
const { runService } = await import('@kapocs/kit');
const { documents } = await import('./service');
await runService(documents);
