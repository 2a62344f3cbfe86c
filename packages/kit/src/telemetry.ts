import { isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

let started = false;
let sdkRunning = false;
let shutdown: () => Promise<void> = async () => undefined;

// Load balancer and kubelet probes would otherwise make a trace every few seconds.
const probes = new Set(['/healthz', '/readyz']);

/**
 * Starts OpenTelemetry for a process: W3C trace context always (so `traceparent` travels over HTTP and NATS
 * headers), the SDK with HTTP, undici (fetch and the gateway's proxy) and PostgreSQL instrumentation and an
 * OTLP/HTTP trace exporter only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
 *
 * Import it from `@kapocs/kit/telemetry` and call it before anything else is imported in `main.ts`: `http`
 * and `pg` are patched when they are loaded, so a Fastify loaded earlier serves without server spans.
 */
export async function startTelemetry(serviceName: string, env: Record<string, string | undefined> = process.env): Promise<() => Promise<void>> {
  if (started) return stopTelemetry;
  started = true;
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return stopTelemetry;
  const [{ NodeSDK }, { OTLPTraceExporter }, { HttpInstrumentation }, { PgInstrumentation }, { UndiciInstrumentation }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-pg'),
      import('@opentelemetry/instrumentation-undici'),
      import('@opentelemetry/resources'),
    ]);
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': `kapocs-${serviceName}` }),
    traceExporter: new OTLPTraceExporter({ url: `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` }),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => probes.has((req.url ?? '').split('?')[0]!) }),
      new UndiciInstrumentation(),
      // queries outside any request or message (outbox polling, migrations) would each be a trace of their own
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  sdkRunning = true;
  shutdown = () => sdk.shutdown();
  return stopTelemetry;
}

/**
 * Whether the SDK runs in this process. Then outgoing HTTP requests (http, fetch, undici) carry the
 * `traceparent` of their own client span, added by the instrumentation.
 */
export const tracingEnabled = (): boolean => sdkRunning;

/** Exports the spans still buffered and stops the SDK; `serve` calls it last on shutdown. Safe to call twice. */
export async function stopTelemetry(): Promise<void> {
  const stop = shutdown;
  shutdown = async () => undefined;
  await stop().catch(() => undefined);
}

/**
 * `trace_id` and `span_id` of the active span, for log lines (pino `mixin`), so a log line leads to its trace.
 * Empty without an active span (and always when the SDK is not running).
 */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
}
