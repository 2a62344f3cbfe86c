// Keycloak imports deploy/keycloak/crm-realm.json only when the realm does not exist yet, so a confidential
// client added to the export later (crm-partners, say) would never reach a stack that was already up.
// `stack up` runs this after Keycloak is healthy: every service-account client of the export that the running
// realm lacks is created as the export has it, and each service account gets the realm-management roles the
// export lists for it. Existing clients are left as they are (their secret too); role grants are idempotent.
//   node deploy/local/keycloak-clients.mjs
import fs from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localEnv, repoRoot } from './env.mjs';

const realmFile = join(repoRoot, 'deploy', 'keycloak', 'crm-realm.json');

/** The local bootstrap admin of the master realm (stack.mjs starts Keycloak with it). */
export const LOCAL_ADMIN = { username: 'admin', password: 'admin' };

/**
 * Creates the export's service-account clients the running realm lacks and grants their roles.
 * Answers the client ids it created.
 * @param {{ env?: Record<string, string>, log?: (msg: string) => void }} [opts]
 * @returns {Promise<string[]>}
 */
export async function ensureRealmClients({ env = localEnv(), log = (m) => process.stderr.write(`[stack] ${m}\n`) } = {}) {
  const base = env.KEYCLOAK_URL.replace(/\/$/, '');
  const realm = JSON.parse(fs.readFileSync(realmFile, 'utf8'));
  const tokenRes = await fetch(`${base}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', ...LOCAL_ADMIN }),
  });
  if (!tokenRes.ok) throw new Error(`Keycloak: the master admin login failed (${tokenRes.status}); clients of ${realmFile} not checked`);
  const { access_token: token } = await tokenRes.json();

  const admin = async (method, path, body) => {
    const res = await fetch(`${base}/admin/realms/${realm.realm}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`Keycloak: ${method} ${path} answered ${res.status}: ${await res.text()}`);
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  };
  const clientByClientId = async (clientId) => (await admin('GET', `/clients?clientId=${encodeURIComponent(clientId)}`))[0];

  const created = [];
  for (const client of realm.clients.filter((c) => c.serviceAccountsEnabled && !c.publicClient)) {
    let found = await clientByClientId(client.clientId);
    if (!found) {
      await admin('POST', '/clients', client);
      found = await clientByClientId(client.clientId);
      created.push(client.clientId);
      log(`created Keycloak client ${client.clientId} in realm ${realm.realm}`);
    }
    const account = realm.users.find((u) => u.serviceAccountClientId === client.clientId);
    if (!account?.clientRoles) continue;
    const user = await admin('GET', `/clients/${found.id}/service-account-user`);
    for (const [roleClientId, roleNames] of Object.entries(account.clientRoles)) {
      const roleClient = await clientByClientId(roleClientId);
      const have = new Set((await admin('GET', `/users/${user.id}/role-mappings/clients/${roleClient.id}`)).map((r) => r.name));
      const missing = roleNames.filter((name) => !have.has(name));
      if (!missing.length) continue;
      const roles = await Promise.all(missing.map((name) => admin('GET', `/clients/${roleClient.id}/roles/${encodeURIComponent(name)}`)));
      await admin('POST', `/users/${user.id}/role-mappings/clients/${roleClient.id}`, roles);
      log(`granted ${roleClientId} ${missing.join(', ')} to ${client.clientId}'s service account`);
    }
  }
  return created;
}

const invokedDirectly = process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  try {
    await ensureRealmClients();
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
