import { startTelemetry } from '@kapocs/kit';

await startTelemetry('sales');
const { runService } = await import('@kapocs/kit');
const { sales } = await import('./service');
await runService(sales);
