#!/usr/bin/env node
// The local stack: PostgreSQL, NATS (JetStream), MinIO, Keycloak (realm crm), MailDev, one module each in
// servers/. Installs what is missing (cached by version), starts each server detached in its own
// process group, waits for its health, and leaves healthy servers alone.
//   node deploy/local/stack.mjs up | down | status | reset
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, dataDir } from './env.mjs';
import { isRoot, log, portOpen, run, seconds, StackError, which } from './servers/common.mjs';
import { keycloak, keycloakHome, KEYCLOAK_VERSION } from './servers/keycloak.mjs';
import { maildev } from './servers/maildev.mjs';
import { minio, MINIO_VERSION } from './servers/minio.mjs';
import { nats, NATS_SERVER_VERSION } from './servers/nats.mjs';
import { pgBinDir, postgres } from './servers/postgres.mjs';
import { ownedGroup, spawnServer, stopServer, waitHealthy, withLock } from './servers/processes.mjs';

export { StackError } from './servers/common.mjs';
export { s3Request } from './servers/minio.mjs';
export { DURABLE_SETTINGS, pgBinDir } from './servers/postgres.mjs';

export const VERSIONS = {
  natsServer: NATS_SERVER_VERSION,
  minio: MINIO_VERSION,
  keycloak: KEYCLOAK_VERSION,
};

// Started together; Keycloak, the slowest, first. `status` prints them in this order.
export const SERVERS = [keycloak, postgres, nats, minio, maildev];

function missingAptPackages(names) {
  return names.filter((name) => {
    const res = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return res.status !== 0 || !res.stdout.includes('install ok installed');
  });
}

// PostgreSQL's server and, for the browser tests, chromium.
function ensureAptPackages() {
  const wanted = ['postgresql', 'chromium'];
  if (!which('dpkg-query')) return;
  const missing = missingAptPackages(wanted);
  if (missing.length === 0) return;
  if (!isRoot) {
    if (!pgBinDir()) throw new StackError(`PostgreSQL is not installed; run as root: apt-get install -y ${missing.join(' ')}`);
    log(`apt packages missing (${missing.join(', ')}); not root, so not installing them`);
    return;
  }
  log(`installing apt packages: ${missing.join(' ')}`);
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env: aptEnv });
  run('apt-get', ['install', '-y', ...missing], { env: aptEnv });
}

/** Installs what the machine lacks: apt packages (as root), then each server's program into the cache. */
export function install() {
  fs.mkdirSync(cacheDir, { recursive: true });
  ensureAptPackages();
  // PostgreSQL (a quick check) before the minutes of go install and mvn
  for (const server of [postgres, nats, minio, keycloak, maildev]) server.install?.();
}

async function upOne(server) {
  const started = Date.now();
  if (await server.healthy()) {
    const why = await server.restartNeeded?.();
    if (!why) {
      await server.after?.();
      return { name: server.name, action: 'already up' };
    }
    log(`restarting ${server.name}: ${why}`);
    await stopServer(server);
  }
  let handle = null;
  const running = ownedGroup(server);
  if (running) {
    log(`${server.name} is running (pid ${running}) but not healthy yet; waiting`);
    handle = { pid: running, spawnError: () => null };
  } else {
    for (const port of server.ports()) {
      if (await portOpen(Number(port))) {
        throw new StackError(`${server.name}: port ${port} is taken by another process that is not a healthy ${server.name}; ` +
          `find it with \`ss -ltnp 'sport = :${port}'\``);
      }
    }
    server.prepare?.();
    log(`starting ${server.name}`);
    handle = spawnServer(server);
  }
  await waitHealthy(server, handle, server.timeoutMs);
  await server.after?.();
  log(`${server.name} healthy in ${seconds(started)}`);
  return { name: server.name, action: `started in ${seconds(started)}` };
}

/** Installs what is missing, starts every server that is not healthy, waits for all. */
export async function up({ print = true } = {}) {
  return withLock(async () => {
    const started = Date.now();
    install();
    const results = await Promise.allSettled(SERVERS.map(upOne));
    const errors = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
    if (errors.length > 0) {
      throw new StackError(errors.map((e) => (e instanceof StackError ? e.message : e.stack)).join('\n\n'));
    }
    log(`stack up in ${seconds(started)}`);
    return status({ print, actions: Object.fromEntries(results.map((r) => [r.value.name, r.value.action])) });
  });
}

/** Stops every server started by `up` (SIGTERM to its process group, SIGKILL after a timeout). */
export async function down() {
  return withLock(async () => {
    await Promise.all(SERVERS.map(async (server) => {
      if (await stopServer(server)) log(`stopped ${server.name}`);
    }));
  });
}

/** Each server: up or down, its pid and URL. */
export async function status({ print = true, actions = {} } = {}) {
  const rows = await Promise.all(SERVERS.map(async (server) => ({
    server: server.name,
    state: (await server.healthy()) ? 'up' : 'down',
    pid: ownedGroup(server) ?? '-',
    url: server.url(),
    ...(actions[server.name] ? { note: actions[server.name] } : {}),
  })));
  if (print) printTable(rows);
  return rows;
}

/**
 * down, then delete the data of every server: the next up re-initialises PostgreSQL,
 * NATS and MinIO and re-imports the realm. Logs stay; so does the Keycloak program copy
 * in .data/keycloak/server (only its data/ folder goes), whose Quarkus build takes half a minute.
 */
export async function reset() {
  await down();
  return withLock(async () => {
    if (!fs.existsSync(dataDir)) return;
    for (const entry of fs.readdirSync(dataDir)) {
      if (entry === 'logs' || entry === 'pids' || entry === 'keycloak') continue;
      fs.rmSync(join(dataDir, entry), { recursive: true, force: true });
    }
    const keycloakData = join(dataDir, 'keycloak');
    if (fs.existsSync(keycloakData)) {
      for (const entry of fs.readdirSync(keycloakData)) {
        if (entry !== 'server') fs.rmSync(join(keycloakData, entry), { recursive: true, force: true });
      }
      fs.rmSync(join(keycloakHome, 'data'), { recursive: true, force: true });
    }
    log(`deleted the data under ${dataDir} (kept logs and the Keycloak program copy)`);
  });
}

function printTable(rows) {
  const cols = ['server', 'state', 'pid', 'url', 'note'].filter((c) => rows.some((r) => r[c] !== undefined));
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length))]));
  const line = (r) => cols.map((c) => String(r[c] ?? '').padEnd(width[c])).join('  ').trimEnd();
  console.log(line(Object.fromEntries(cols.map((c) => [c, c.toUpperCase()]))));
  for (const r of rows) console.log(line(r));
}

const invokedDirectly = process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const commands = { up, down, status, reset };
  const name = process.argv[2];
  if (!commands[name]) {
    console.error('usage: node deploy/local/stack.mjs up|down|status|reset');
    process.exit(2);
  }
  try {
    const result = await commands[name]();
    if (name === 'status' && result.some((r) => r.state !== 'up')) process.exitCode = 1;
  } catch (err) {
    console.error(`\n[stack] ${name} failed: ${err instanceof StackError ? err.message : err.stack}`);
    process.exit(1);
  }
}
