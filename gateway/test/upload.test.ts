import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { authAs, databaseUrlAs, freePort, freshDatabase, startNatsServer, startNodeEntry, stopProcesses } from '@kapocs/kit/testing';
import { gatewayConfig, json, requireKeycloak, startGateway, upstreamUrls } from './fixtures';

// The real partners process behind a listening gateway, and the real curl: what an operator or an integration
// script does. curl sends `Expect: 100-continue` for bodies over 1 MB, which once failed every upload with 502.
const run = promisify(execFile);
const MB = 1024 * 1024;

describe('uploads and large bodies through the gateway to the real partners service', () => {
  let nats: Awaited<ReturnType<typeof startNatsServer>>;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let partnersUrl: string;
  let auth: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    await requireKeycloak();
    // partners' relay publishes to a NATS of the test's own, not the shared stack's streams
    nats = await startNatsServer();
    const database = await freshDatabase('gateway_upload');
    const port = await freePort();
    partnersUrl = `http://127.0.0.1:${port}`;
    await startNodeEntry('partners', fileURLToPath(new URL('../../services/partners/src/main.ts', import.meta.url)), {
      env: { PORT: String(port), DATABASE_URL: databaseUrlAs(database, 'partners'), NATS_URL: nats.url, LOG_LEVEL: 'warn' },
      readyUrl: `${partnersUrl}/readyz`,
    });
    gateway = await startGateway({ config: gatewayConfig(await upstreamUrls({ partners: partnersUrl })) });
    auth = await authAs('anna.sales');
    dir = mkdtempSync(join(tmpdir(), 'kapocs-gateway-upload-'));
  });
  afterAll(async () => {
    await gateway?.close();
    await stopProcesses();
    await nats?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** curl as a person would type it; answers the status, the body and curl's trace of what it sent. */
  async function curl(args: string[]) {
    const out = join(dir, 'answer');
    const { stdout, stderr } = await run('curl', ['-sS', '-v', '-o', out, '-w', '%{http_code}', '-H', `Authorization: ${auth.authorization}`, ...args], { maxBuffer: 16 * MB });
    const { readFileSync } = await import('node:fs');
    return { status: Number(stdout), body: readFileSync(out, 'utf8'), trace: stderr };
  }

  it('a 30 MB CSV import uploaded with curl -F file=@… is accepted (202)', async () => {
    const file = join(dir, 'companies.csv');
    // 30,000 rows of ~1 KB: a long column the import does not know is reported once and ignored
    const filler = 'x'.repeat(1000);
    const lines = ['Név,Típus,Megjegyzés'];
    for (let i = 0; i < 30_000; i++) lines.push(`Feltöltés ${String(i).padStart(5, '0')} Kft.,customer,${filler}`);
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    const res = await curl(['-F', 'entity=company', '-F', `file=@${file};type=text/csv`, `${gateway.url}/api/partners/imports`]);
    expect(res.trace).toMatch(/> Expect: 100-continue/i);
    expect(res.trace).toMatch(/Content-Length: 3\d{7}/i);
    expect(res.status, res.body).toBe(202);
    expect(JSON.parse(res.body)).toMatchObject({ id: expect.any(String), status: expect.any(String) });
  });

  it('a 3 MB JSON company answers 413 problem+json from the gateway (as partners would), and nothing is written', async () => {
    const body = JSON.stringify({ name: 'Óriás Kft.', kind: 'customer', website: `https://example.com/${'x'.repeat(3 * MB)}` });
    // the service itself refuses it too; through the gateway it used to become 502 "not reachable"
    const direct = await fetch(`${partnersUrl}/companies`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
    expect(direct.status).toBe(413);
    const res = await fetch(`${gateway.url}/api/partners/companies`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await json(res)).toMatchObject({ type: 'https://kapocs.dev/problems/payload-too-large', status: 413, detail: expect.stringContaining('1 MiB') });
    // with curl, which sends Expect: 100-continue for it, the same
    const file = join(dir, 'company.json');
    writeFileSync(file, body);
    const viaCurl = await curl(['-H', 'Content-Type: application/json', '--data-binary', `@${file}`, `${gateway.url}/api/partners/companies`]);
    expect(viaCurl.status).toBe(413);
    expect(JSON.parse(viaCurl.body)).toMatchObject({ status: 413 });
    const list = await fetch(`${gateway.url}/api/partners/companies?q=%C3%93ri%C3%A1s`, { headers: auth });
    expect((await json<{ items: unknown[] }>(list)).items).toEqual([]);
  });

  it('a JSON body under the limit reaches partners, and its own answers (201, 400) pass through', async () => {
    const created = await fetch(`${gateway.url}/api/partners/companies`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Kis Kft.', kind: 'customer' }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(/^\/api\/partners\/companies\//);
    const bad = await fetch(`${gateway.url}/api/partners/companies`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'friend' }) });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
