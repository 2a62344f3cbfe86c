import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  authAs, databaseUrlAs, freePort, freshDatabase, SpanKinds, startNatsServer, startNodeEntry, startOtlpReceiver, stopProcesses, waitFor,
  type ReceivedSpan, type TestProcess,
} from '@kapocs/kit/testing';
import { SERVICES } from '../src/config';

// The real processes (gateway, partners, reporting main.ts) with the OpenTelemetry SDK on, exporting to a
// receiver of the test's own: one request must come back as one trace from the gateway to the consumer.
const entry = (path: string) => fileURLToPath(new URL(path, import.meta.url));

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let nats: Awaited<ReturnType<typeof startNatsServer>>;
let gatewayUrl: string;
let partners: TestProcess;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // reporting's durable `reporting-projections` must not take the shared stack's messages: a NATS of our own
  nats = await startNatsServer();
  const database = await freshDatabase('tracing');
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200', LOG_LEVEL: 'info' };
  const [partnersPort, reportingPort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
  const service = (name: string, port: number) =>
    startNodeEntry(name, entry(`../../services/${name}/src/main.ts`), {
      env: { ...otel, PORT: String(port), DATABASE_URL: databaseUrlAs(database, name), NATS_URL: nats.url },
      readyUrl: `http://127.0.0.1:${port}/readyz`,
    });
  [partners] = await Promise.all([service('partners', partnersPort), service('reporting', reportingPort)]);

  const upstreams: Record<string, string> = {};
  for (const s of SERVICES) upstreams[`${s.toUpperCase()}_URL`] = `http://127.0.0.1:${await freePort()}`;
  upstreams.PARTNERS_URL = `http://127.0.0.1:${partnersPort}`;
  upstreams.REPORTING_URL = `http://127.0.0.1:${reportingPort}`;
  gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  // its /readyz is the gateway alone: ready once it listens, whatever the four absent services do
  await startNodeEntry('gateway', entry('../src/main.ts'), { env: { ...otel, ...upstreams, GATEWAY_PORT: String(gatewayPort) }, readyUrl: `${gatewayUrl}/readyz` });
});

afterAll(async () => {
  await stopProcesses();
  await nats?.stop();
  await receiver?.close();
});

const kindName = (k: number) => Object.entries(SpanKinds).find(([, v]) => v === k)?.[0] ?? String(k);
const describeSpans = (spans: ReceivedSpan[]) =>
  spans.map((s) => `  ${s.service} ${kindName(s.kind)} "${s.name}" ${s.spanId} <- ${s.parentSpanId ?? 'root'}`).join('\n');

/** The spans of one trace, each link looked up by its place in the chain; throws naming the first missing one. */
function chainOf(spans: ReceivedSpan[], rootParent: string) {
  const find = (what: string, pred: (s: ReceivedSpan) => boolean) => {
    const s = spans.find(pred);
    if (!s) throw new Error(`no ${what} in the trace yet; it has:\n${describeSpans(spans)}`);
    return s;
  };
  const gatewayServer = find('gateway server span child of the caller', (s) => s.service === 'kapocs-gateway' && s.kind === SpanKinds.server && s.parentSpanId === rootParent);
  // (the token check may add a client span of its own: the JWKS fetch from Keycloak)
  const gatewayClient = find('gateway client span of the proxied POST', (s) =>
    s.service === 'kapocs-gateway' && s.kind === SpanKinds.client && s.parentSpanId === gatewayServer.spanId && s.attributes['http.request.method'] === 'POST');
  const partnersServer = find('partners server span child of the gateway client span', (s) => s.service === 'kapocs-partners' && s.kind === SpanKinds.server && s.parentSpanId === gatewayClient.spanId);
  const pgInsert = find('partners pg INSERT span under the request', (s) => s.service === 'kapocs-partners' && s.scope === '@opentelemetry/instrumentation-pg' && s.parentSpanId === partnersServer.spanId && /INSERT/.test(s.name));
  const publish = find('relay publish span child of the request', (s) => s.service === 'kapocs-partners' && s.kind === SpanKinds.producer && s.name === 'publish crm.partners.company.created' && s.parentSpanId === partnersServer.spanId);
  const consume = find('reporting consumer span child of the publish span', (s) => s.service === 'kapocs-reporting' && s.kind === SpanKinds.consumer && s.parentSpanId === publish.spanId);
  const consumerPg = find('reporting pg span inside the consumer span', (s) => s.service === 'kapocs-reporting' && s.scope === '@opentelemetry/instrumentation-pg' && s.parentSpanId === consume.spanId);
  return { gatewayServer, gatewayClient, partnersServer, pgInsert, publish, consume, consumerPg };
}

it('one company created through the gateway is one trace: gateway, partners, PostgreSQL, the relay publish and the reporting consumer', async () => {
  const traceId = randomBytes(16).toString('hex');
  const callerSpan = randomBytes(8).toString('hex');
  const res = await fetch(`${gatewayUrl}/api/partners/companies`, {
    method: 'POST',
    headers: { ...(await authAs('anna.sales')), 'content-type': 'application/json', traceparent: `00-${traceId}-${callerSpan}-01` },
    body: JSON.stringify({ name: 'Nyomkövetés Kft.', kind: 'prospect' }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const company = (await res.json()) as { id: string };

  const mine = () => receiver.spans().filter((s) => s.traceId === traceId);
  const chain = await waitFor(async () => chainOf(mine(), callerSpan), { timeoutMs: 30_000, intervalMs: 200, what: 'the whole trace' });
  expect(receiver.errors).toEqual([]);

  // every span of the trace hangs on the caller's span: no link starts a trace of its own
  const byId = new Map(mine().map((s) => [s.spanId, s]));
  for (const s of mine()) {
    let at: ReceivedSpan | undefined = s;
    for (let depth = 0; at?.parentSpanId && at.parentSpanId !== callerSpan && depth < 50; depth++) at = byId.get(at.parentSpanId);
    expect(at?.parentSpanId, `span "${s.name}" of ${s.service} does not lead back to the caller's span`).toBe(callerSpan);
  }

  expect(chain.gatewayClient.scope).toBe('@opentelemetry/instrumentation-undici');
  expect(chain.partnersServer.attributes['http.route'] ?? chain.partnersServer.attributes['url.path']).toMatch(/\/companies/);
  expect(chain.publish.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.destination.name': 'crm.partners.company.created' });
  expect(chain.consume.name).toBe('process crm.partners.company.created');
  expect(chain.consume.attributes).toMatchObject({
    'messaging.system': 'nats',
    'messaging.destination.name': 'crm.partners.company.created',
    'messaging.consumer.group.name': 'reporting-projections',
    'messaging.message.id': chain.publish.attributes['messaging.message.id'],
    'kapocs.inbox.result': 'applied',
  });
  expect(chain.consume.status.code ?? 0).not.toBe(2);

  // the request's log lines carry the trace id, so a log search leads to the trace and back
  const lines = partners.logLines().filter((l) => l.trace_id === traceId);
  expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['request completed']));
  expect(lines.every((l) => typeof l.span_id === 'string')).toBe(true);
  expect(company.id).toBeTruthy();
});
