// the telemetry entry alone, so http and pg load after the SDK has hooked them
import { startTelemetry } from '@kapocs/kit/telemetry';

await startTelemetry('marketing');
const { runService } = await import('@kapocs/kit');
const { marketing } = await import('./service');
await runService(marketing);
