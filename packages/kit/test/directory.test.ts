import { beforeAll, describe, expect, it } from 'vitest';
import { createKeycloakAdmin, createKeycloakDirectoryLoader, createUserDirectory, ProblemError, type DirectoryUser } from '../src';
import { env, freePort, requireServer, userIdOf } from '../src/testing';

// The directory as partners reads it: Keycloak's admin API as the crm-partners service account (view-users only).
const keycloak = () => ({
  keycloakUrl: env('KEYCLOAK_URL'),
  realm: env('KEYCLOAK_REALM'),
  clientId: env('KEYCLOAK_PARTNERS_CLIENT_ID'),
  clientSecret: env('KEYCLOAK_PARTNERS_CLIENT_SECRET'),
});

/** The real Keycloak loader, counting its loads. */
function countingKeycloakLoader() {
  const c = keycloak();
  const real = createKeycloakDirectoryLoader(createKeycloakAdmin({ url: c.keycloakUrl, realm: c.realm, clientId: c.clientId, clientSecret: c.clientSecret }));
  const counter = { loads: 0, load: () => (counter.loads++, real()) };
  return counter;
}

const is502 = (e: unknown) => e instanceof ProblemError && e.status === 502 && e.type.endsWith('/bad-gateway');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await requireServer('Keycloak', `${env('KEYCLOAK_URL')}/realms/${env('KEYCLOAK_REALM')}/.well-known/openid-configuration`);
});

describe('the user directory on the real Keycloak', () => {
  it('finds a user by id, by username and by e-mail, case ignored, with crm roles and departments', async () => {
    const directory = createUserDirectory({ ...keycloak(), ttlMs: 60_000 });
    const annaId = await userIdOf('anna.sales');
    const anna = await directory.byId(annaId);
    expect(anna).toEqual({ id: annaId, username: 'anna.sales', name: 'Anna Kiss', email: 'anna.sales@kapocs.test', enabled: true, roles: ['crm-sales'], departments: ['north'] });
    expect(await directory.byUsername('Anna.Sales')).toEqual(anna);
    expect(await directory.byEmail(' ANNA.SALES@KAPOCS.TEST ')).toEqual([anna]);
    expect((await directory.find('Csilla.Manager@kapocs.test')).map((u) => [u.username, u.roles, u.departments])).toEqual([['csilla.manager', ['crm-manager'], ['north']]]);
    expect((await directory.find('dora.director')).map((u) => u.username)).toEqual(['dora.director']);
    expect(await directory.byUsername('nobody.here')).toBeUndefined();
    expect(await directory.byEmail('nobody@kapocs.test')).toEqual([]);
    expect(await directory.find('nobody')).toEqual([]);
    // no service accounts (service-account-crm-partners, …): they own nothing
    expect((await directory.users()).some((u) => u.username.startsWith('service-account-'))).toBe(false);
  });

  it('loads once for many lookups and concurrent callers; a miss reloads at most once per missRefreshMs', async () => {
    const adminId = await userIdOf('admin');
    const counter = countingKeycloakLoader();
    const directory = createUserDirectory({ load: counter.load, ttlMs: 60_000, missRefreshMs: 1000 });
    await Promise.all([directory.byUsername('anna.sales'), directory.byEmail('bela.sales@kapocs.test'), directory.users()]);
    await directory.byId(adminId);
    expect(counter.loads).toBe(1);
    // a miss right after a load does not reload: the copy is fresh
    expect(await directory.byUsername('not.yet.created')).toBeUndefined();
    expect(counter.loads).toBe(1);
    await sleep(1100);
    // later, a miss reloads once (a user created meanwhile would be found) …
    expect(await directory.find('not.yet.created')).toEqual([]);
    expect(counter.loads).toBe(2);
    // … and the misses right after it do not
    for (const name of ['x', 'y', 'z']) expect(await directory.byUsername(name)).toBeUndefined();
    expect(counter.loads).toBe(2);
  });

  it('lists the realm\'s departments (groups under /departments) and says whether one exists', async () => {
    const directory = createUserDirectory({ ...keycloak(), ttlMs: 60_000, missRefreshMs: 60_000 });
    expect(await directory.departments()).toEqual(expect.arrayContaining(['north', 'south']));
    expect(await directory.hasDepartment('north')).toBe(true);
    expect(await directory.hasDepartment('atlantis')).toBe(false);
    // a directory loaded from users alone knows the departments they are in
    const fromUsers = createUserDirectory({ load: async () => [{ id: 'u', username: 'u', name: 'u', email: null, enabled: true, roles: [], departments: ['east'] }], ttlMs: 60_000 });
    expect(await fromUsers.departments()).toEqual(['east']);
  });

  it('when the client secret is wrong or Keycloak is unreachable, a lookup is a 502 problem', async () => {
    const wrong = createUserDirectory({ ...keycloak(), clientSecret: 'not-the-secret', ttlMs: 60_000 });
    await expect(wrong.byUsername('anna.sales')).rejects.toSatisfy(is502);
    const dead = createUserDirectory({ ...keycloak(), keycloakUrl: `http://127.0.0.1:${await freePort()}`, ttlMs: 60_000 });
    await expect(dead.find('anna.sales')).rejects.toSatisfy(is502);
  });
});

describe('the user directory cache', () => {
  const user = (username: string, email: string | null = null): DirectoryUser => ({ id: `id-${username}`, username, name: username, email, enabled: true, roles: ['crm-sales'], departments: [] });

  it('finds a user added after the first load on the next miss, once the miss window has passed', async () => {
    let users = [user('a')];
    let loads = 0;
    const directory = createUserDirectory({ load: async () => (loads++, users), ttlMs: 60_000, missRefreshMs: 50 });
    expect(await directory.byUsername('b')).toBeUndefined();
    users = [user('a'), user('b', 'b@x.test')];
    await sleep(60);
    expect(await directory.byUsername('B')).toMatchObject({ id: 'id-b' });
    expect(await directory.byId('id-b')).toMatchObject({ username: 'b' });
    expect(loads).toBe(2);
  });

  it('find answers everyone whose username or e-mail is the reference, once each', async () => {
    // a username that is someone else's e-mail, and an e-mail two users share (a realm may allow that)
    const directory = createUserDirectory({
      load: async () => [user('eva@x.test', 'eva@x.test'), user('evi', 'EVA@x.test'), user('zoe', 'shared@x.test'), user('zia', 'shared@x.test')],
      ttlMs: 60_000,
    });
    expect((await directory.find('Eva@X.test')).map((u) => u.username).sort()).toEqual(['eva@x.test', 'evi']);
    expect((await directory.byEmail('shared@x.test')).map((u) => u.username)).toEqual(['zoe', 'zia']);
    expect((await directory.find('zoe')).map((u) => u.username)).toEqual(['zoe']);
  });

  it('keeps answering lookups from the last copy when a reload fails', async () => {
    let fail = false;
    const directory = createUserDirectory({ load: async () => { if (fail) throw new Error('down'); return [user('a')]; }, ttlMs: 0, missRefreshMs: 0 });
    expect(await directory.byUsername('a')).toMatchObject({ id: 'id-a' });
    fail = true;
    expect(await directory.byUsername('a')).toMatchObject({ id: 'id-a' });
    expect(await directory.byUsername('missing')).toBeUndefined();
  });
});
