import { afterAll, beforeAll, expect, it } from 'vitest';
import http from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createTokenVerifier, ProblemError, remoteKeySet } from '../src';

// A real HTTP server serving a JWKS, as Keycloak does, which the test stops and rotates: keys we have must go
// on verifying while it is down, and a token naming a key id we do not have triggers one refetch per cooldown.
const issuer = 'http://127.0.0.1/realms/test';
let server: http.Server;
let url: string;
let served: JWK[] = [];
let fetches = 0;
let clock = Date.now();

const keyPair = async (kid: string) => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
};
const tokenSignedBy = (k: Awaited<ReturnType<typeof keyPair>>, sub = 'user-1') =>
  new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: k.kid }).setSubject(sub).setIssuer(issuer).setAudience('crm-api')
    .setIssuedAt(Math.floor(clock / 1000)).setExpirationTime(Math.floor(clock / 1000) + 300).sign(k.privateKey);

const listen = () => new Promise<void>((resolve) => {
  server = http.createServer((_req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: served }));
  });
  server.listen(url ? Number(new URL(url).port) : 0, '127.0.0.1', () => {
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/certs`;
    resolve();
  });
});
const stopServer = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });

beforeAll(listen);
afterAll(stopServer);

it('keeps verifying with the keys it has while the JWKS server is down, and refetches at most once per cooldown for an unknown kid', async () => {
  const first = await keyPair('k1');
  served = [first.jwk];
  const verify = createTokenVerifier({ issuer, jwksUrl: url, audience: 'crm-api', cacheSize: 0, now: () => clock });
  fetches = 0;
  expect((await verify(await tokenSignedBy(first))).id).toBe('user-1');
  expect(fetches).toBe(1);

  // Keycloak down, and the cached keys old: tokens signed with the known key still verify
  await stopServer();
  clock += 60 * 60_000;
  expect((await verify(await tokenSignedBy(first, 'user-2'))).id).toBe('user-2');

  // back, with a rotated key: the unknown kid triggers one refetch and verifies
  const second = await keyPair('k2');
  served = [first.jwk, second.jwk];
  await listen();
  clock += 60_000;
  fetches = 0;
  expect((await verify(await tokenSignedBy(second, 'user-3'))).id).toBe('user-3');
  expect(fetches).toBe(1);

  // a forged kid right after: refused with 401 without another fetch (the cooldown protects Keycloak)
  const forged = await keyPair('k-forged');
  await expect(verify(await tokenSignedBy(forged))).rejects.toMatchObject({ status: 401 });
  expect(fetches).toBe(1);
  // after the cooldown one refetch is allowed again, and it still refuses the forged key
  clock += 31_000;
  await expect(verify(await tokenSignedBy(forged))).rejects.toMatchObject({ status: 401 });
  expect(fetches).toBe(2);
});

it('with no keys at all and the JWKS server unreachable, answers 503 (retry), not 401 or 500', async () => {
  const getKey = remoteKeySet('http://127.0.0.1:9/certs', { timeoutMs: 1_000 });
  const k = await keyPair('k1');
  const token = await tokenSignedBy(k);
  const verify = createTokenVerifier({ issuer, jwksUrl: 'http://127.0.0.1:9/certs', audience: 'crm-api' });
  const err = await verify(token).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProblemError);
  expect((err as ProblemError).status).toBe(503);
  expect((err as ProblemError).headers?.['retry-after']).toBeTruthy();
  await expect(getKey({ alg: 'RS256', kid: 'k1' }, { payload: '', signature: '' } as never)).rejects.toMatchObject({ status: 503 });
});
