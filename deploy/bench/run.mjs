// npm run bench: throughput and p95 of GET /api/partners/companies?limit=50 over 10k companies,
// through the gateway and directly against the partners service, in one run; the gateway's overhead
// as a ratio. Runs its own partners + gateway on a database of its own (kapocs_bench) and ports of
// their own, so a running `npm start` is left alone. Loopback only; bounded in time.
//   node deploy/bench/run.mjs [--companies 10000] [--seconds 15] [--connections 10]
import pg from 'pg';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { startApps } from '../local/apps.mjs';
import { freshBenchDatabase, startBenchNats } from './bench-env.mjs';
import { localEnv } from '../local/env.mjs';

const { values } = parseArgs({ options: { companies: { type: 'string', default: '10000' }, seconds: { type: 'string', default: '15' }, connections: { type: 'string', default: '10' } } });
const companies = Number(values.companies);
const seconds = Number(values.seconds);
const connections = Number(values.connections);

const databaseUrl = await freshBenchDatabase('kapocs_bench');

const benchNats = await startBenchNats();
const extraEnv = { NATS_URL: benchNats.url, DATABASE_URL: databaseUrl, PARTNERS_PORT: '18101', GATEWAY_PORT: '18080', RATE_LIMIT_DISABLED: 'true', LOG_LEVEL: 'warn', OUTBOX_RELAY: 'on' };
const env = localEnv({ ...process.env, ...extraEnv });
const apps = await startApps({ extraEnv, only: ['partners', 'gateway'] });

try {
  const token = await (async () => {
    const res = await fetch(`${env.KEYCLOAK_URL}/realms/crm/protocol/openid-connect/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: 'crm-cli', username: 'csilla.manager', password: 'kapocs' }),
    });
    return (await res.json()).access_token;
  })();
  const me = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;

  // 10k companies in one statement: half csilla's department (north), half south, so visibility filters for real
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(
    `insert into partners.company (id, name, kind, status, country, emails, phones, addresses, owner_id, department_id, custom, version, created_at, updated_at)
     select gen_random_uuid(), 'Bench Company ' || lpad(i::text, 6, '0'), (array['customer','prospect','reseller','supplier'])[1 + i % 4], 'active', 'HU',
            '[]', '[]', '[{"kind":"headquarters","country":"HU","postalCode":"1051","city":"Budapest","street":"Fő utca 1."}]',
            case when i % 2 = 0 then $1 else 'someone-else' end, case when i % 2 = 0 then 'north' else 'south' end, '{}', 1, now(), now()
     from generate_series(1, $2) i`,
    [me, companies],
  );
  await db.query('analyze partners.company');
  await db.end();

  // A small closed-loop load generator: `connections` keep-alive clients, each sending the next request when
  // the previous answer has arrived, for `seconds`; every latency is kept, so percentiles are exact.
  const run = async (name, url) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
    const latencies = [];
    let non2xx = 0;
    const until = Date.now() + seconds * 1000;
    const once = () => new Promise((resolve, reject) => {
      const t = process.hrtime.bigint();
      const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
          if (res.statusCode >= 300) non2xx++;
          resolve();
        });
      });
      req.on('error', reject);
    });
    const started = Date.now();
    await Promise.all(Array.from({ length: connections }, async () => { while (Date.now() < until) await once(); }));
    agent.destroy();
    latencies.sort((a, b) => a - b);
    const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
    return { name, rps: latencies.length / ((Date.now() - started) / 1000), p50: pct(50), p95: pct(95), p99: pct(99), n: latencies.length, non2xx };
  };
  const path = '/companies?limit=50';
  await run('warm-up', `${env.PARTNERS_URL}${path}`);
  const direct = await run('direct to partners', `${env.PARTNERS_URL}${path}`);
  const viaGateway = await run('through the gateway', `${env.GATEWAY_URL}/api/partners${path}`);

  const row = (r) => `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.n} | ${r.non2xx} |`;
  console.log(`\nGET ${path} over ${companies} companies (${companies / 2} visible to csilla.manager), ${connections} connections, ${seconds} s each\n`);
  console.log('| path | req/s | p50 ms | p95 ms | p99 ms | requests | non-2xx |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(row(direct));
  console.log(row(viaGateway));
  console.log(`\ngateway overhead: throughput ratio direct/gateway ${(direct.rps / viaGateway.rps).toFixed(2)}, p95 ratio gateway/direct ${(viaGateway.p95 / direct.p95).toFixed(2)}`);
} finally {
  await apps.stop();
  await benchNats.stop();
}
