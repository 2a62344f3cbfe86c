// the telemetry entry alone, so http and pg load after the SDK has hooked them
import { startTelemetry } from '@kapocs/kit/telemetry';

await startTelemetry('reporting');
const { runService } = await import('@kapocs/kit');
const { reporting } = await import('./service');
await runService(reporting);
