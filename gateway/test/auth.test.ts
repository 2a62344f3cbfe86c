import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { createTokenVerifier, type ServiceApp } from '@kapocs/kit';
import { authAs, env, tokenFor, userIdOf } from '@kapocs/kit/testing';
import { buildApp } from '../src/app';
import { echo, gatewayConfig, requireKeycloak, startUpstream, upstreamUrls, type Upstream } from './fixtures';

/** A token signed by a key of our own, with the claims of a Keycloak access token unless overridden. */
async function forgedToken(key: CryptoKey, claims: { iss?: string; exp?: number; aud?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ preferred_username: 'mallory', realm_access: { roles: ['crm-admin'] } })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setSubject('00000000-0000-7000-8000-000000000000')
    .setIssuer(claims.iss ?? env('OIDC_ISSUER'))
    .setAudience(claims.aud ?? env('OIDC_AUDIENCE'))
    .setIssuedAt(claims.exp ? claims.exp - 300 : now)
    .setExpirationTime(claims.exp ?? now + 300)
    .sign(key);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('token verification at the gateway', () => {
  let partners: Upstream;
  let app: ServiceApp;
  let key: CryptoKey;
  let publicKey: CryptoKey;

  beforeAll(async () => {
    await requireKeycloak();
    partners = await startUpstream((u) => echo(u));
    app = await buildApp({ config: gatewayConfig(await upstreamUrls({ partners: partners.url })) });
    ({ privateKey: key, publicKey } = await generateKeyPair('RS256'));
  });
  afterAll(async () => {
    await app?.close();
    await partners?.close();
  });

  it('without a token, /api/* answers 401 problem+json with WWW-Authenticate', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/partners/companies' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.json()).toMatchObject({ type: 'https://kapocs.dev/problems/unauthorized', status: 401 });
  });

  it('a Basic Authorization header answers 401', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: 'Basic YWRtaW46a2Fwb2Nz' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('a token signed by a key that is not the realm’s answers 401', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/partners/companies', headers: bearer(await forgedToken(key)) });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('a real Keycloak token for another audience (the gateway’s own service account) answers 401', async () => {
    const res = await fetch(`${env('KEYCLOAK_URL')}/realms/crm/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: env('KEYCLOAK_GATEWAY_CLIENT_ID'), client_secret: env('KEYCLOAK_GATEWAY_CLIENT_SECRET') }),
    });
    const { access_token } = (await res.json()) as { access_token: string };
    const answer = await app.inject({ method: 'GET', url: '/api/me', headers: bearer(access_token) });
    expect(answer.statusCode).toBe(401);
    expect(answer.json().detail).toMatch(/aud/);
  });

  it('a real Keycloak token is accepted (its issuer is the configured one) and reaches the service unchanged', async () => {
    const token = await tokenFor('anna.sales');
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).iss).toBe(env('OIDC_ISSUER'));
    const res = await app.inject({ method: 'GET', url: '/api/partners/companies', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.json().headers.authorization).toBe(`Bearer ${token}`);
  });

  describe('issuer and expiry, with a verifier trusting a key of our own', () => {
    let jwks: Upstream;
    let strict: ServiceApp;

    beforeAll(async () => {
      const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
      jwks = await startUpstream((u) => u.get('/certs', async () => ({ keys: [jwk] })));
      strict = await buildApp({
        config: gatewayConfig(await upstreamUrls({ partners: partners.url })),
        verify: createTokenVerifier({ issuer: env('OIDC_ISSUER'), jwksUrl: `${jwks.url}/certs`, audience: env('OIDC_AUDIENCE') }),
      });
    });
    afterAll(async () => {
      await strict?.close();
      await jwks?.close();
    });

    it('a valid token of that key is accepted (so the refusals below are about the claims)', async () => {
      const res = await strict.inject({ method: 'GET', url: '/api/me', headers: bearer(await forgedToken(key)) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ username: 'mallory', roles: ['crm-admin'] });
    });

    it('a token from another issuer answers 401 naming the iss claim', async () => {
      const token = await forgedToken(key, { iss: 'http://evil.example/realms/crm' });
      const res = await strict.inject({ method: 'GET', url: '/api/partners/companies', headers: bearer(token) });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().detail).toMatch(/iss/);
    });

    it('a token accepted before is refused once it expires, and a token differing from it in any byte is checked anew', async () => {
      let clock = Date.now();
      const verify = createTokenVerifier({ issuer: env('OIDC_ISSUER'), jwksUrl: `${jwks.url}/certs`, audience: env('OIDC_AUDIENCE'), now: () => clock });
      const exp = Math.floor(clock / 1000) + 30;
      const token = await forgedToken(key, { exp });
      expect((await verify(token)).username).toBe('mallory');
      expect((await verify(token)).username).toBe('mallory'); // remembered
      const [head, body, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
      const tampered = `${head}.${Buffer.from(JSON.stringify({ ...claims, preferred_username: 'root' })).toString('base64url')}.${signature}`;
      await expect(verify(tampered)).rejects.toMatchObject({ status: 401 });
      clock = exp * 1000 + 10_000; // past exp and the 5 s tolerance, within the minute it is remembered
      await expect(verify(token)).rejects.toMatchObject({ status: 401, detail: expect.stringMatching(/expired/) });
    });

    it('an expired token answers 401 saying it has expired', async () => {
      const token = await forgedToken(key, { exp: Math.floor(Date.now() / 1000) - 600 });
      const res = await strict.inject({ method: 'GET', url: '/api/partners/companies', headers: bearer(token) });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.json()).toMatchObject({ status: 401, detail: expect.stringMatching(/expired/) });
    });
  });

  it('/api/me for anna.sales answers her id, name, roles and departments ["north"]', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/me', headers: await authAs('anna.sales') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: await userIdOf('anna.sales'),
      username: 'anna.sales',
      name: 'Anna Kiss',
      roles: ['crm-sales'],
      departments: ['north'],
    });
  });

  it('/api/me without a token answers 401', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/me' });
    expect(res.statusCode).toBe(401);
  });
});
