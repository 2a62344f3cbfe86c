#!/usr/bin/env node
// Checks that the running local stack does what the services rely on, end to end:
//   node deploy/local/verify.mjs
// PostgreSQL (role, database, extensions), NATS JetStream, MinIO bucket (put/get/delete),
// MailDev (SMTP in, REST out), Keycloak (a token per demo user with the claims services check,
// the crm-web PKCE flow, the gateway's service account on the admin API).
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { localEnv } from './env.mjs';
import { join } from 'node:path';
import { pgBinDir, s3Request } from './stack.mjs';

const env = localEnv();
const realmUrl = `${env.KEYCLOAK_URL}/realms/${env.KEYCLOAK_REALM}`;
const tokenUrl = `${realmUrl}/protocol/openid-connect/token`;

export const DEMO_USERS = {
  admin: { roles: ['crm-admin'], groups: [] },
  'dora.director': { roles: ['crm-director'], groups: [] },
  'csilla.manager': { roles: ['crm-manager'], groups: ['/departments/north'] },
  'anna.sales': { roles: ['crm-sales'], groups: ['/departments/north'] },
  'bela.sales': { roles: ['crm-sales'], groups: ['/departments/south'] },
  'erik.marketing': { roles: ['crm-marketing'], groups: [] },
};

let failures = 0;
async function check(name, fn) {
  try {
    const detail = await fn();
    console.log(`ok    ${name}${detail ? ` — ${detail}` : ''}`);
  } catch (err) {
    failures += 1;
    console.log(`FAIL  ${name} — ${err.message}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));

async function form(url, fields, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
  return res;
}

function checkAccessToken(token, username, expected, clientId) {
  const c = claims(token);
  assert(c.iss === env.OIDC_ISSUER, `iss ${c.iss}, expected ${env.OIDC_ISSUER}`);
  const aud = [].concat(c.aud ?? []);
  assert(aud.includes(env.OIDC_AUDIENCE), `aud ${JSON.stringify(c.aud)} lacks ${env.OIDC_AUDIENCE}`);
  assert(c.azp === clientId, `azp ${c.azp}`);
  assert(c.preferred_username === username, `preferred_username ${c.preferred_username}`);
  assert(c.sub, 'no sub');
  for (const k of ['name', 'given_name', 'family_name', 'email']) assert(c[k], `no ${k}`);
  assert(sameSet(c.groups ?? [], expected.groups), `groups ${JSON.stringify(c.groups)}, expected ${JSON.stringify(expected.groups)}`);
  const roles = c.realm_access?.roles ?? [];
  for (const r of expected.roles) assert(roles.includes(r), `realm_access.roles ${JSON.stringify(roles)} lacks ${r}`);
  assert(c.exp - c.iat === 900, `lifespan ${c.exp - c.iat} s, expected 900`);
  return c;
}

async function checkPostgres() {
  const psql = spawnSync(join(pgBinDir(), 'psql'), ['-X', '-At', env.DATABASE_URL, '-c',
    "select current_user || ' ' || (select rolsuper from pg_roles where rolname = current_user) || ' ' || " +
    "(select string_agg(extname, ',' order by extname) from pg_extension where extname in ('unaccent','pg_trgm')) || ' ' || " +
    "unaccent('Árvíztűrő tükörfúrógép') || ' ' || similarity('Kapocs', 'Kapocz')::numeric(3,2)"], { encoding: 'utf8' });
  assert(psql.status === 0, psql.stderr || psql.error?.message);
  const out = psql.stdout.trim();
  assert(out.startsWith('kapocs true pg_trgm,unaccent Arvizturo tukorfurogep'), out);
  return out;
}

async function checkNats() {
  const res = await fetch(`http://127.0.0.1:${env.NATS_MONITOR_PORT}/healthz?js-enabled-only=true`);
  assert(res.ok, `healthz ${res.status}`);
  const info = await (await fetch(`http://127.0.0.1:${env.NATS_MONITOR_PORT}/varz`)).json();
  assert(info.jetstream?.config, 'JetStream is not enabled');
  return `nats-server ${info.version}, JetStream store ${info.jetstream.config.store_dir}`;
}

async function checkMinio() {
  const key = `/${env.S3_BUCKET}/verify/${randomBytes(6).toString('hex')}.txt`;
  const body = 'kapocs verify';
  const put = await s3Request('PUT', key, { body, headers: { 'content-type': 'text/plain' } });
  assert(put.status === 200, `PUT ${put.status} ${put.body}`);
  const get = await s3Request('GET', key);
  assert(get.status === 200 && get.body === body, `GET ${get.status} ${get.body}`);
  const del = await s3Request('DELETE', key);
  assert(del.status === 204, `DELETE ${del.status}`);
  return `bucket ${env.S3_BUCKET}: put, get, delete`;
}

function smtpSend(from, to, subject, text) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(env.SMTP_PORT), env.SMTP_HOST);
    const steps = [
      `EHLO verify.local`, `MAIL FROM:<${from}>`, `RCPT TO:<${to}>`, 'DATA',
      `From: ${from}\r\nTo: ${to}\r\nSubject: ${subject}\r\n\r\n${text}\r\n.`, 'QUIT',
    ];
    let buffer = '';
    socket.setEncoding('utf8');
    socket.setTimeout(5000, () => { socket.destroy(); reject(new Error('SMTP timeout')); });
    socket.on('data', (chunk) => {
      buffer += chunk;
      // a complete reply ends with a line "NNN text" (no dash after the code)
      const lines = buffer.split('\r\n').filter(Boolean);
      const last = lines.at(-1);
      if (!buffer.endsWith('\r\n') || !/^\d{3} /.test(last ?? '')) return;
      buffer = '';
      if (Number(last.slice(0, 3)) >= 400) return reject(new Error(`SMTP: ${last}`));
      const next = steps.shift();
      if (next === undefined) return socket.end();
      socket.write(`${next}\r\n`);
    });
    socket.on('error', reject);
    socket.on('close', resolve);
  });
}

async function checkMaildev() {
  const subject = `verify ${randomBytes(4).toString('hex')}`;
  await smtpSend('noreply@kapocs.test', 'anna.sales@kapocs.test', subject, 'Szia!');
  const emails = await (await fetch(`${env.MAILDEV_URL}/api/email`)).json();
  const mail = emails.find((e) => e.subject === subject);
  assert(mail, `mail "${subject}" not found in ${env.MAILDEV_URL}/api/email`);
  const del = await fetch(`${env.MAILDEV_URL}/api/email/${mail.id}`, { method: 'DELETE' });
  assert(del.ok, `DELETE /api/email/${mail.id} ${del.status}`);
  return `SMTP ${env.SMTP_HOST}:${env.SMTP_PORT} -> ${env.MAILDEV_URL}/api/email`;
}

async function checkDiscovery() {
  const res = await fetch(`${realmUrl}/.well-known/openid-configuration`);
  const doc = await res.json();
  assert(doc.issuer === env.OIDC_ISSUER, `issuer ${doc.issuer}`);
  const jwks = await (await fetch(env.OIDC_JWKS_URL)).json();
  assert(jwks.keys?.some((k) => k.use === 'sig' && k.alg === 'RS256'), 'no RS256 signing key in JWKS');
  return `issuer ${doc.issuer}`;
}

async function checkPasswordGrant(username, expected) {
  const res = await form(tokenUrl, { grant_type: 'password', client_id: 'crm-cli', username, password: 'kapocs', scope: 'openid' });
  const body = await res.json();
  assert(res.ok, `${res.status} ${JSON.stringify(body)}`);
  const c = checkAccessToken(body.access_token, username, expected, 'crm-cli');
  return `${c.name}, groups ${JSON.stringify(c.groups ?? [])}, roles ${expected.roles.join(',')}`;
}

// The browser's flow for crm-web: authorization code with PKCE S256, as a browser would do it
// (cookies, the login form), without a browser.
async function checkWebPkce() {
  const cookies = new Map();
  const keep = (res) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const redirectUri = `${env.PORTAL_URL}/auth/callback`;
  const authUrl = new URL(`${realmUrl}/protocol/openid-connect/auth`);
  const base = { client_id: 'crm-web', redirect_uri: redirectUri, response_type: 'code', scope: 'openid', state: 's1' };

  // Without a code challenge the request is refused.
  authUrl.search = new URLSearchParams(base);
  const refused = await fetch(authUrl, { redirect: 'manual' });
  const refusedAt = refused.headers.get('location') ?? '';
  assert(refused.status === 302 && refusedAt.includes('error=invalid_request'), `without PKCE: ${refused.status} ${refusedAt}`);

  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  authUrl.search = new URLSearchParams({ ...base, code_challenge: challenge, code_challenge_method: 'S256' });
  const page = await fetch(authUrl, { redirect: 'manual' });
  keep(page);
  const html = await page.text();
  assert(page.status === 200, `login page ${page.status}`);
  const action = html.match(/id="kc-form-login"[^>]*action="([^"]+)"/s)?.[1] ?? html.match(/action="([^"]+login-actions[^"]+)"/)?.[1];
  assert(action, 'login form not found');
  const login = await form(action.replaceAll('&amp;', '&'), { username: 'anna.sales', password: 'kapocs', credentialId: '' }, { cookie: cookieHeader() });
  const location = login.headers.get('location') ?? '';
  assert(login.status === 302 && location.startsWith(redirectUri), `login answered ${login.status} ${location}`);
  const code = new URL(location).searchParams.get('code');
  assert(code, `no code in ${location}`);
  const token = await form(tokenUrl, { grant_type: 'authorization_code', client_id: 'crm-web', code, redirect_uri: redirectUri, code_verifier: verifier },
    { origin: env.PORTAL_URL });
  const body = await token.json();
  assert(token.ok, `token ${token.status} ${JSON.stringify(body)}`);
  assert(token.headers.get('access-control-allow-origin') === env.PORTAL_URL, `CORS origin ${token.headers.get('access-control-allow-origin')}`);
  checkAccessToken(body.access_token, 'anna.sales', DEMO_USERS['anna.sales'], 'crm-web');
  return 'refused without code_challenge; code + verifier -> token with crm-api audience; CORS for the portal';
}

async function checkGatewayDirectory() {
  const res = await form(tokenUrl, { grant_type: 'client_credentials', client_id: env.KEYCLOAK_GATEWAY_CLIENT_ID, client_secret: env.KEYCLOAK_GATEWAY_CLIENT_SECRET });
  const body = await res.json();
  assert(res.ok, `client_credentials ${res.status} ${JSON.stringify(body)}`);
  const auth = { authorization: `Bearer ${body.access_token}` };
  const admin = `${env.KEYCLOAK_URL}/admin/realms/${env.KEYCLOAK_REALM}`;
  const get = async (path) => {
    const r = await fetch(`${admin}${path}`, { headers: auth });
    assert(r.ok, `GET ${path} ${r.status}`);
    return r.json();
  };
  const users = await get('/users?max=1000');
  const names = users.map((u) => u.username).sort();
  assert(sameSet(names, Object.keys(DEMO_USERS)), `users ${names.join(',')}`);
  for (const user of users) {
    const groups = (await get(`/users/${user.id}/groups`)).map((g) => g.path);
    assert(sameSet(groups, DEMO_USERS[user.username].groups), `${user.username} groups ${groups}`);
    const roles = (await get(`/users/${user.id}/role-mappings/realm`)).map((r) => r.name);
    for (const r of DEMO_USERS[user.username].roles) assert(roles.includes(r), `${user.username} roles ${roles}`);
  }
  const tree = await get('/groups?briefRepresentation=false');
  assert(tree.some((g) => g.path === '/departments'), 'no /departments group');
  const forbidden = await fetch(`${admin}/users/${users[0].id}`, { method: 'DELETE', headers: auth });
  assert(forbidden.status === 403, `the gateway may delete users (${forbidden.status})`);
  return `${users.length} users with their groups and realm roles; read-only`;
}

await check('postgres', checkPostgres);
await check('nats', checkNats);
await check('minio', checkMinio);
await check('maildev', checkMaildev);
await check('keycloak discovery + JWKS', checkDiscovery);
for (const [username, expected] of Object.entries(DEMO_USERS)) {
  await check(`keycloak token crm-cli ${username}`, () => checkPasswordGrant(username, expected));
}
await check('keycloak crm-web PKCE flow', checkWebPkce);
await check('keycloak gateway user directory', checkGatewayDirectory);

if (failures > 0) {
  console.error(`\n${failures} check(s) failed. Is the stack up? node deploy/local/stack.mjs status`);
  process.exit(1);
}
console.log('\nthe local stack works');
