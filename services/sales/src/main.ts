// the telemetry entry alone, so http and pg load after the SDK has hooked them
import { startTelemetry } from '@kapocs/kit/telemetry';

await startTelemetry('sales');
const { runService } = await import('@kapocs/kit');
const { sales } = await import('./service');
await runService(sales);
