import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

let started = false;

/**
 * Starts OpenTelemetry for a process: W3C trace context always (so `traceparent` travels over HTTP and NATS
 * headers), the SDK with HTTP and PostgreSQL instrumentation and an OTLP exporter only when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Call it before anything else is imported in `main.ts`.
 */
export async function startTelemetry(serviceName: string, env: Record<string, string | undefined> = process.env): Promise<() => Promise<void>> {
  if (started) return async () => undefined;
  started = true;
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return async () => undefined;
  const [{ NodeSDK }, { OTLPTraceExporter }, { HttpInstrumentation }, { PgInstrumentation }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/resources'),
  ]);
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': `kapocs-${serviceName}` }),
    traceExporter: new OTLPTraceExporter({ url: `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` }),
    instrumentations: [new HttpInstrumentation(), new PgInstrumentation()],
  });
  sdk.start();
  return () => sdk.shutdown();
}
