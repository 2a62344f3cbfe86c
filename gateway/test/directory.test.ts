import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemError, type ServiceApp } from '@kapocs/kit';
import { authAs, demoUsers, userIdOf } from '@kapocs/kit/testing';
import { buildApp } from '../src/app';
import { createDirectory } from '../src/directory/directory.service';
import type { DirectoryUser } from '../src/directory/directory.schemas';
import { deadUrl, gatewayConfig, requireKeycloak, upstreamUrls } from './fixtures';

describe('GET /api/directory/users (from the realm)', () => {
  let app: ServiceApp;

  beforeAll(async () => {
    await requireKeycloak();
    app = await buildApp({ config: gatewayConfig(await upstreamUrls({})) });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists the six demo users with their ids, names, crm roles and departments', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/directory/users', headers: await authAs('anna.sales') });
    expect(res.statusCode).toBe(200);
    const { items } = res.json() as { items: DirectoryUser[] };
    const byName = Object.fromEntries(items.map((u) => [u.username, u]));
    for (const username of demoUsers) expect(byName[username], username).toBeDefined();
    expect(byName['anna.sales']).toMatchObject({ id: await userIdOf('anna.sales'), name: 'Anna Kiss', email: 'anna.sales@kapocs.test', roles: ['crm-sales'], departments: ['north'] });
    expect(byName['bela.sales']).toMatchObject({ name: 'Béla Horváth', roles: ['crm-sales'], departments: ['south'] });
    expect(byName['csilla.manager']).toMatchObject({ roles: ['crm-manager'], departments: ['north'] });
    expect(byName['dora.director']).toMatchObject({ roles: ['crm-director'], departments: [] });
    expect(byName['admin']).toMatchObject({ roles: ['crm-admin'], departments: [] });
    expect(byName['erik.marketing']).toMatchObject({ roles: ['crm-marketing'], departments: [] });
    // only crm-* roles, and no service accounts
    expect(items.flatMap((u) => u.roles).every((r) => r.startsWith('crm-'))).toBe(true);
    expect(items.some((u) => u.username.startsWith('service-account-'))).toBe(false);
  });

  it('?q= filters by name or username, ignoring case and accents', async () => {
    const headers = await authAs('anna.sales');
    const byAccentless = (await app.inject({ method: 'GET', url: '/api/directory/users?q=bela', headers })).json() as { items: DirectoryUser[] };
    expect(byAccentless.items.map((u) => u.username)).toEqual(['bela.sales']);
    const byFamilyName = (await app.inject({ method: 'GET', url: '/api/directory/users?q=KISS', headers })).json() as { items: DirectoryUser[] };
    expect(byFamilyName.items.map((u) => u.username)).toEqual(['anna.sales']);
    const byUsername = (await app.inject({ method: 'GET', url: `/api/directory/users?q=${encodeURIComponent('.manager')}`, headers })).json() as { items: DirectoryUser[] };
    expect(byUsername.items.map((u) => u.username)).toEqual(['csilla.manager']);
  });

  it('needs a valid token', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/directory/users' });
    expect(res.statusCode).toBe(401);
  });

  it('when Keycloak’s admin API is unreachable and nothing is cached, answers 502 problem+json', async () => {
    const cut = await buildApp({ config: gatewayConfig({ ...(await upstreamUrls({})), KEYCLOAK_URL: await deadUrl() }) });
    try {
      const res = await cut.inject({ method: 'GET', url: '/api/directory/users', headers: await authAs('anna.sales') });
      expect(res.statusCode).toBe(502);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ type: 'https://kapocs.dev/problems/bad-gateway', status: 502 });
      expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await cut.close();
    }
  });
});

describe('the directory cache', () => {
  const user = (username: string): DirectoryUser => ({ id: username, username, name: username, email: null, enabled: true, roles: [], departments: [] });

  it('loads once per TTL, and concurrent callers share one load', async () => {
    let loads = 0;
    const directory = createDirectory({ ttlMs: 60_000, load: async () => (loads++, [user('a')]) });
    await Promise.all([directory.users(), directory.users(), directory.users()]);
    await directory.users('a');
    expect(loads).toBe(1);
  });

  it('when stale, answers at once with the copy at hand and reloads behind', async () => {
    let loads = 0;
    const directory = createDirectory({ ttlMs: 0, load: async () => [user(`v${++loads}`)] });
    expect((await directory.users()).map((u) => u.username)).toEqual(['v1']);
    expect((await directory.users()).map((u) => u.username)).toEqual(['v1']);
    await new Promise((r) => setTimeout(r, 10));
    expect((await directory.users()).map((u) => u.username)).toEqual(['v2']);
  });

  it('keeps answering with the last copy when a reload fails; with no copy it is a 502 problem', async () => {
    let fail = false;
    const directory = createDirectory({ ttlMs: 0, load: async () => { if (fail) throw new Error('down'); return [user('a')]; } });
    await directory.users();
    fail = true;
    expect((await directory.users()).map((u) => u.username)).toEqual(['a']);
    await new Promise((r) => setTimeout(r, 10));
    expect((await directory.users()).map((u) => u.username)).toEqual(['a']);

    const empty = createDirectory({ ttlMs: 0, load: async () => { throw new Error('down'); } });
    await expect(empty.users()).rejects.toSatisfy((e) => e instanceof ProblemError && e.status === 502);
  });
});
