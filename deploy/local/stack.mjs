#!/usr/bin/env node
// The local stack: PostgreSQL, NATS (JetStream), MinIO, Keycloak (realm crm), MailDev.
// Installs what is missing (cached by version), starts each server detached in its own
// process group, waits for its health, and leaves healthy servers alone.
//   node deploy/local/stack.mjs up | down | status | reset
import { spawn, spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, dataDir, localEnv, repoRoot, SERVICES } from './env.mjs';
import { ensureRealmClients } from './keycloak-clients.mjs';

export const VERSIONS = {
  natsServer: 'v2.15.2',
  minio: 'v0.0.0-20260212201848-7aac2a2c5b7c',
  keycloak: '26.5.6',
};

const env = localEnv();
const isRoot = process.getuid?.() === 0;
const logsDir = join(dataDir, 'logs');
const pidsDir = join(dataDir, 'pids');
const realmFile = join(repoRoot, 'deploy', 'keycloak', 'crm-realm.json');

const natsBin = join(cacheDir, `nats-server-${VERSIONS.natsServer}`, 'nats-server');
const minioBin = join(cacheDir, `minio-${VERSIONS.minio}`, 'minio');
const keycloakDist = join(cacheDir, `keycloak-${VERSIONS.keycloak}`);
const keycloakZip = join(cacheDir, 'downloads', `keycloak-quarkus-dist-${VERSIONS.keycloak}.zip`);
const keycloakHome = join(dataDir, 'keycloak', 'server');
const pgData = join(dataDir, 'postgres');
const pgSocketDir = join(dataDir, 'postgres-socket');

const log = (msg) => process.stderr.write(`[stack] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class StackError extends Error {}

// ---------------------------------------------------------------- installation

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (res.error) throw new StackError(`${cmd} ${args.join(' ')}: ${res.error.message}`);
  if (res.status !== 0) throw new StackError(`${cmd} ${args.join(' ')} exited with ${res.status ?? res.signal}`);
  return res;
}

function which(cmd, extraDirs = []) {
  const dirs = [...(process.env.PATH ?? '').split(':'), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, cmd);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {}
  }
  return null;
}

export function pgBinDir() {
  const root = '/usr/lib/postgresql';
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => fs.existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length > 0) return join(root, versions[0], 'bin');
  const initdb = which('initdb');
  return initdb ? join(initdb, '..') : null;
}

function missingAptPackages(names) {
  return names.filter((name) => {
    const res = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return res.status !== 0 || !res.stdout.includes('install ok installed');
  });
}

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

// go install into a temporary GOBIN, then move the binary into place, so that an
// interrupted build never leaves a half-written binary in the cache.
function ensureGoBinary(bin, module, version) {
  if (fs.existsSync(bin)) return;
  const go = which('go', ['/usr/local/go/bin']);
  if (!go) throw new StackError(`Go is needed to build ${module}@${version}; install Go (https://go.dev/dl) and retry`);
  const dir = join(bin, '..');
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  log(`building ${module}@${version} with go install (a few minutes the first time)`);
  const started = Date.now();
  try {
    run(go, ['install', `${module}@${version}`], { env: { ...process.env, GOBIN: tmp, CGO_ENABLED: '0' } });
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(join(tmp, bin.split('/').pop()), bin);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  log(`built ${bin} in ${seconds(started)}`);
}

function ensureKeycloakDist() {
  if (fs.existsSync(join(keycloakDist, 'bin', 'kc.sh'))) return;
  if (!fs.existsSync(keycloakZip)) {
    const mvn = which('mvn');
    if (!mvn) throw new StackError('Maven (mvn) is needed to fetch Keycloak from Maven Central; apt-get install -y maven');
    log(`fetching keycloak-quarkus-dist ${VERSIONS.keycloak} from Maven Central`);
    run(mvn, ['-q', '-B', '-Dstyle.color=never', 'dependency:copy',
      `-Dartifact=org.keycloak:keycloak-quarkus-dist:${VERSIONS.keycloak}:zip`,
      `-DoutputDirectory=${join(cacheDir, 'downloads')}`], { cwd: os.tmpdir() });
  }
  const tmp = `${keycloakDist}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  log(`unpacking ${keycloakZip}`);
  run('unzip', ['-q', keycloakZip, '-d', tmp]);
  fs.renameSync(join(tmp, `keycloak-${VERSIONS.keycloak}`), keycloakDist);
  fs.rmSync(tmp, { recursive: true, force: true });
}

export function install() {
  fs.mkdirSync(cacheDir, { recursive: true });
  ensureAptPackages();
  if (!pgBinDir()) throw new StackError('PostgreSQL binaries not found (looked in /usr/lib/postgresql/*/bin and PATH); apt-get install -y postgresql');
  ensureGoBinary(natsBin, 'github.com/nats-io/nats-server/v2', VERSIONS.natsServer);
  ensureGoBinary(minioBin, 'github.com/minio/minio', VERSIONS.minio);
  ensureKeycloakDist();
}

// ---------------------------------------------------------------- health probes

async function httpOk(url, timeoutMs = 2000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

function portOpen(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function pgIsReady() {
  const bin = pgBinDir();
  if (!bin) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', env.PG_PORT, '-U', 'postgres', '-d', 'postgres', '-t', '2'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

// ---------------------------------------------------------------- processes

const pidFile = (name) => join(pidsDir, `${name}.pid`);
const logFile = (name) => join(logsDir, `${name}.log`);

function readPid(name) {
  try {
    const pid = Number(fs.readFileSync(pidFile(name), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

// A process group is alive while any of its members is; the group id is the pid we spawned.
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

// The pid in a pid file is ours only if that group still runs our server's binary
// (a pid can be reused after a reboot).
function ownedGroup(server) {
  const pid = readPid(server.name);
  if (!pid || !groupAlive(pid)) return null;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes(server.marker)) return null;
  } catch {
    // the leader exited but the group lives on (e.g. the JVM under kc.sh)
  }
  return pid;
}

function tailLog(name, lines = 40) {
  try {
    const text = fs.readFileSync(logFile(name), 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no log)';
  }
}

function spawnServer(server) {
  fs.mkdirSync(logsDir, { recursive: true });
  fs.mkdirSync(pidsDir, { recursive: true });
  const { cmd, args, env: extraEnv = {}, cwd = repoRoot, asPostgres = false } = server.command();
  const fd = fs.openSync(logFile(server.name), 'a');
  fs.writeSync(fd, `\n==== ${new Date().toISOString()} starting ${server.name}: ${cmd} ${args.join(' ')}\n`);
  const options = {
    cwd,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...extraEnv },
  };
  if (asPostgres && isRoot) Object.assign(options, postgresUser());
  const child = spawn(cmd, args, options);
  fs.closeSync(fd);
  let spawnError = null;
  child.on('error', (err) => { spawnError = err; });
  child.unref();
  if (child.pid) fs.writeFileSync(pidFile(server.name), `${child.pid}\n`);
  return { pid: child.pid, spawnError: () => spawnError };
}

async function waitHealthy(server, handle, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await server.healthy()) return;
    const err = handle?.spawnError();
    if (err) throw failure(server, `could not be started: ${err.message}`);
    if (handle?.pid && !groupAlive(handle.pid)) throw failure(server, 'exited before becoming healthy');
    await sleep(server.pollMs ?? 250);
  }
  throw failure(server, `did not become healthy within ${Math.round(timeoutMs / 1000)} s`);
}

function failure(server, why) {
  return new StackError(
    `${server.name} ${why} (${server.url()}).\n` +
    `Last lines of ${logFile(server.name)}:\n${tailLog(server.name)}`,
  );
}

async function stopServer(server, timeoutMs = 20000) {
  const pid = ownedGroup(server);
  if (!pid) {
    fs.rmSync(pidFile(server.name), { force: true });
    return false;
  }
  // PostgreSQL: SIGINT to the postmaster is a fast shutdown (SIGTERM would wait for clients).
  try {
    if (server.stopSignal === 'SIGINT') process.kill(pid, 'SIGINT');
    else process.kill(-pid, 'SIGTERM');
  } catch {}
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pid)) {
    log(`${server.name} did not stop within ${timeoutMs / 1000} s, sending SIGKILL`);
    try { process.kill(-pid, 'SIGKILL'); } catch {}
    while (groupAlive(pid)) await sleep(100);
  }
  fs.rmSync(pidFile(server.name), { force: true });
  return true;
}

// ---------------------------------------------------------------- PostgreSQL

function postgresUser() {
  const res = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (res.status !== 0) throw new StackError('running as root, but there is no `postgres` OS user to run PostgreSQL as (apt-get install -y postgresql creates it)');
  return { uid: Number(res.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

// The bootstrap superuser initdb creates: the OS user that ran it.
const pgBootstrapUser = () => (isRoot ? 'postgres' : os.userInfo().username);

function preparePostgres() {
  const owner = isRoot ? postgresUser() : null;
  for (const dir of [pgSocketDir]) {
    fs.mkdirSync(dir, { recursive: true });
    if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  }
  if (fs.existsSync(join(pgData, 'PG_VERSION'))) return;
  log(`initialising a PostgreSQL cluster in ${pgData}`);
  fs.rmSync(pgData, { recursive: true, force: true });
  fs.mkdirSync(pgData, { recursive: true, mode: 0o700 });
  if (owner) fs.chownSync(pgData, owner.uid, owner.gid);
  const res = spawnSync(join(pgBinDir(), 'initdb'),
    ['-D', pgData, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions'],
    { encoding: 'utf8', cwd: os.tmpdir(), ...(owner ?? {}) });
  fs.mkdirSync(logsDir, { recursive: true });
  fs.appendFileSync(logFile('postgres'), `${res.stdout ?? ''}${res.stderr ?? ''}`);
  if (res.status !== 0) {
    fs.rmSync(pgData, { recursive: true, force: true });
    throw new StackError(`initdb failed (${res.error?.message ?? res.status}):\n${res.stderr}`);
  }
}

function psql(database, sql) {
  const res = spawnSync(join(pgBinDir(), 'psql'),
    ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', env.PG_PORT, '-U', pgBootstrapUser(), '-d', database],
    { input: sql, encoding: 'utf8' });
  if (res.status !== 0) throw new StackError(`psql on ${database} failed:\n${res.stderr}`);
  return res.stdout;
}

export const DURABLE_SETTINGS = ['fsync', 'synchronous_commit', 'full_page_writes'];

/** Why the running cluster must be restarted to be durable, or null when it is. */
function postgresNotDurable() {
  const list = DURABLE_SETTINGS.map((name) => `'${name}'`).join(', ');
  const off = psql('postgres', `select string_agg(name || '=' || setting, ', ') from pg_settings where name in (${list}) and setting <> 'on'`).trim();
  return off ? `it runs with ${off}` : null;
}

// Each service's role owns its schema and nothing else (deploy/postgres/service-roles.sql, the same script
// compose and production run). Done in template1 too, so that every database created later (the per-worker
// test databases, the benchmarks') has the owned schemas. Roles get no password: loopback is trusted here.
const serviceRolesSql = join(repoRoot, 'deploy', 'postgres', 'service-roles.sql');

function setupServiceRoles() {
  const sql = fs.readFileSync(serviceRolesSql, 'utf8');
  // template1 only when it lacks them: while anyone is connected to it, CREATE DATABASE (a test's) fails
  const marker = `kapocs service schemas: ${SERVICES.join(' ')} (${createHash('sha256').update(sql).digest('hex').slice(0, 12)})`;
  const done = psql('postgres', `select shobj_description(oid, 'pg_database') from pg_database where datname = 'template1'`).trim();
  if (done !== marker) {
    psql('template1', sql);
    psql('postgres', `comment on database template1 is '${marker}'`);
  }
  psql('kapocs', sql);
}

// Idempotent: the role, the database, and the extensions (also in template1, so that the
// per-worker test databases created from it have them too); then the services' roles and schemas.
function setupPostgres() {
  psql('postgres', `
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kapocs') THEN CREATE ROLE kapocs SUPERUSER LOGIN; END IF;
    END $$;
  `);
  psql('template1', 'CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS pg_trgm;');
  psql('postgres', `SELECT 'CREATE DATABASE kapocs OWNER kapocs' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'kapocs')\\gexec\n`);
  psql('kapocs', 'CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS pg_trgm;');
  setupServiceRoles();
}

// ---------------------------------------------------------------- NATS

// JetStream fsyncs every write before it acknowledges it, as compose and Kubernetes do: the outbox marks an
// event published on the PubAck, so an acknowledged event lost on a power cut would never be sent again.
// Measured on this machine kind (deploy/local/README.md): +0.2 ms a publish; nothing a test notices.
const natsConfig = join(dataDir, 'nats.conf');

function prepareNats() {
  fs.mkdirSync(join(dataDir, 'nats'), { recursive: true });
  fs.writeFileSync(natsConfig, '# written by deploy/local/stack.mjs on every start; addresses and store dir are flags\njetstream {\n  sync_interval: always\n}\n');
}

async function natsNotSyncing() {
  try {
    const varz = await (await fetch(`http://127.0.0.1:${env.NATS_MONITOR_PORT}/varz`, { signal: AbortSignal.timeout(2000) })).json();
    return varz.jetstream?.config?.sync_always === true ? null : 'JetStream does not sync every write to disk (sync_interval: always)';
  } catch {
    return null; // healthy a moment ago: leave it alone rather than restart on a failed look
  }
}

// ---------------------------------------------------------------- MinIO bucket (SigV4)

const sha256hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/**
 * A path-style S3 request to the local MinIO, signed with AWS Signature V4.
 * @param {string} method
 * @param {string} path e.g. `/kapocs-documents/some/key`
 * @param {{ body?: string | Buffer, headers?: Record<string, string> }} [options]
 */
export async function s3Request(method, path, { body = '', headers: extra = {} } = {}) {
  const url = new URL(path, env.S3_ENDPOINT);
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const region = env.S3_REGION;
  const payloadHash = sha256hex(body);
  const headers = {
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k.toLowerCase(), String(v).trim()])),
    host: url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate,
  };
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const query = [...url.searchParams].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).sort().join('&');
  const canonicalRequest = [
    method, url.pathname, query,
    ...names.map((k) => `${k}:${headers[k]}`), '',
    signedHeaders, payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${env.S3_SECRET_KEY}`, day), region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  const { host: _host, ...sent } = headers; // fetch sets Host itself
  const res = await fetch(url, {
    method,
    headers: {
      ...sent,
      authorization: `AWS4-HMAC-SHA256 Credential=${env.S3_ACCESS_KEY}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
    body: body.length > 0 ? body : undefined,
    signal: AbortSignal.timeout(10000),
  });
  return { status: res.status, body: await res.text() };
}

// A freshly formatted MinIO reports ready before its object layer is up and answers S3
// calls with 503 for a few seconds; a clean CI checkout hits exactly that window.
async function ensureBucket() {
  const bucket = env.S3_BUCKET;
  const deadline = Date.now() + 60000;
  let head = await s3Request('HEAD', `/${bucket}`);
  while (head.status === 503 && Date.now() < deadline) {
    await sleep(500);
    head = await s3Request('HEAD', `/${bucket}`);
  }
  if (head.status === 200) return;
  if (head.status !== 404) throw new StackError(`MinIO: HEAD /${bucket} answered ${head.status}`);
  const put = await s3Request('PUT', `/${bucket}`);
  if (put.status !== 200) throw new StackError(`MinIO: creating bucket ${bucket} answered ${put.status}: ${put.body}`);
  log(`created bucket ${bucket}`);
}

// ---------------------------------------------------------------- Keycloak

function findJavaHome() {
  if (process.env.KEYCLOAK_JAVA_HOME) return process.env.KEYCLOAK_JAVA_HOME;
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  return null; // kc.sh falls back to `java` on PATH
}

// The distribution is copied into .data/keycloak/server on first up: Keycloak keeps its H2
// database, the import folder and its build (lib/quarkus) inside its home, so each
// checkout gets its own and `reset` starts from a clean one.
function prepareKeycloak() {
  const marker = join(keycloakHome, 'version.txt');
  const wanted = fs.readFileSync(join(keycloakDist, 'version.txt'), 'utf8');
  if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== wanted) {
    log(`copying Keycloak ${VERSIONS.keycloak} into ${keycloakHome}`);
    const tmp = `${keycloakHome}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(join(keycloakHome, '..'), { recursive: true });
    fs.cpSync(keycloakDist, tmp, { recursive: true, preserveTimestamps: true });
    fs.rmSync(keycloakHome, { recursive: true, force: true });
    fs.renameSync(tmp, keycloakHome);
  }
  // Imported on start only when the realm does not exist yet (reset to re-import).
  fs.mkdirSync(join(keycloakHome, 'data', 'import'), { recursive: true });
  fs.copyFileSync(realmFile, join(keycloakHome, 'data', 'import', 'crm-realm.json'));
}

// ---------------------------------------------------------------- the servers

export const SERVERS = [
  {
    name: 'keycloak',
    marker: keycloakHome,
    timeoutMs: 300000,
    pollMs: 1000,
    url: () => `${env.KEYCLOAK_URL}/realms/${env.KEYCLOAK_REALM} (admin/admin at ${env.KEYCLOAK_URL}/admin)`,
    healthy: () => httpOk(`${env.KEYCLOAK_URL}/realms/${env.KEYCLOAK_REALM}/.well-known/openid-configuration`),
    ports: () => [env.KEYCLOAK_PORT, env.KEYCLOAK_MANAGEMENT_PORT],
    prepare: prepareKeycloak,
    // the realm is imported only once: clients added to the export since are created in the running realm
    after: () => ensureRealmClients({ env, log }),
    command: () => {
      const javaHome = findJavaHome();
      return {
        cmd: join(keycloakHome, 'bin', 'kc.sh'),
        args: [
          'start-dev', '--import-realm',
          '--http-host=127.0.0.1', `--http-port=${env.KEYCLOAK_PORT}`,
          `--http-management-port=${env.KEYCLOAK_MANAGEMENT_PORT}`,
          `--hostname=http://localhost:${env.KEYCLOAK_PORT}`,
          '--health-enabled=true',
        ],
        env: {
          KC_BOOTSTRAP_ADMIN_USERNAME: 'admin',
          KC_BOOTSTRAP_ADMIN_PASSWORD: 'admin',
          ...(javaHome ? { JAVA_HOME: javaHome } : {}),
        },
        cwd: keycloakHome,
      };
    },
  },
  {
    name: 'postgres',
    marker: 'postgres',
    stopSignal: 'SIGINT',
    timeoutMs: 30000,
    url: () => env.DATABASE_URL,
    healthy: pgIsReady,
    ports: () => [env.PG_PORT],
    prepare: preparePostgres,
    after: setupPostgres,
    // a cluster started before these settings were durable (an existing .data) is restarted once
    restartNeeded: postgresNotDurable,
    command: () => ({
      cmd: join(pgBinDir(), 'postgres'),
      args: [
        '-D', pgData, '-h', '127.0.0.1', '-p', env.PG_PORT, '-k', pgSocketDir,
        // durable: what `npm start` keeps survives a crash. Given on the command line, so neither
        // postgresql.conf nor postgresql.auto.conf can turn them off; test databases trade durability
        // per database (synchronous_commit off in freshDatabase), never here.
        ...DURABLE_SETTINGS.flatMap((name) => ['-c', `${name}=on`]),
        '-c', 'max_connections=300',
      ],
      cwd: os.tmpdir(),
      asPostgres: true,
    }),
  },
  {
    name: 'nats',
    marker: 'nats-server',
    timeoutMs: 30000,
    url: () => `${env.NATS_URL} (monitor http://127.0.0.1:${env.NATS_MONITOR_PORT})`,
    healthy: () => httpOk(`http://127.0.0.1:${env.NATS_MONITOR_PORT}/healthz?js-enabled-only=true`),
    ports: () => [env.NATS_PORT, env.NATS_MONITOR_PORT],
    prepare: prepareNats,
    // a server started before the config file existed (an existing .data) is restarted once
    restartNeeded: natsNotSyncing,
    command: () => ({
      cmd: natsBin,
      args: ['-c', natsConfig, '-js', '-a', '127.0.0.1', '-p', env.NATS_PORT, '-m', env.NATS_MONITOR_PORT, '-sd', join(dataDir, 'nats')],
    }),
  },
  {
    name: 'minio',
    marker: 'minio',
    timeoutMs: 60000,
    url: () => `${env.S3_ENDPOINT} bucket ${env.S3_BUCKET} (console http://127.0.0.1:${env.MINIO_CONSOLE_PORT})`,
    healthy: () => httpOk(`${env.S3_ENDPOINT}/minio/health/ready`),
    ports: () => [env.MINIO_PORT, env.MINIO_CONSOLE_PORT],
    prepare: () => fs.mkdirSync(join(dataDir, 'minio'), { recursive: true }),
    after: ensureBucket,
    command: () => ({
      cmd: minioBin,
      args: ['server', join(dataDir, 'minio'),
        '--address', `127.0.0.1:${env.MINIO_PORT}`, '--console-address', `127.0.0.1:${env.MINIO_CONSOLE_PORT}`],
      env: {
        MINIO_ROOT_USER: env.S3_ACCESS_KEY,
        MINIO_ROOT_PASSWORD: env.S3_SECRET_KEY,
        MINIO_UPDATE: 'off',
        MINIO_BROWSER_REDIRECT: 'off',
      },
    }),
  },
  {
    name: 'maildev',
    marker: 'maildev',
    timeoutMs: 30000,
    url: () => `smtp://${env.SMTP_HOST}:${env.SMTP_PORT} (web ${env.MAILDEV_URL})`,
    healthy: () => httpOk(`${env.MAILDEV_URL}/api/healthz`),
    ports: () => [env.SMTP_PORT, env.MAILDEV_WEB_PORT],
    prepare: () => {
      if (!fs.existsSync(join(repoRoot, 'node_modules', '.bin', 'maildev'))) {
        throw new StackError('node_modules/.bin/maildev is missing: run `npm install` at the repository root first');
      }
    },
    command: () => ({
      cmd: process.execPath,
      args: [join(repoRoot, 'node_modules', '.bin', 'maildev'),
        '--ip', '127.0.0.1', '--smtp', env.SMTP_PORT, '--web', env.MAILDEV_WEB_PORT],
    }),
  },
];

// ---------------------------------------------------------------- lock

// Serialises concurrent `up`/`down`/`reset` calls (several test runs may start at once).
async function withLock(fn) {
  fs.mkdirSync(pidsDir, { recursive: true });
  const lock = join(pidsDir, 'stack.lock');
  const deadline = Date.now() + 15 * 60 * 1000;
  let warned = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let holder = 0;
      let age = 0;
      try {
        holder = Number(fs.readFileSync(lock, 'utf8').trim() || 0);
        age = Date.now() - fs.statSync(lock).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      // an empty lock file is one being written right now, unless it is old
      const stale = holder ? !processAlive(holder) : age > 5000;
      if (stale) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new StackError(`another stack command (pid ${holder}) holds ${lock}`);
      if (!warned) log(`waiting for another stack command (pid ${holder}) to finish`);
      warned = true;
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

// ---------------------------------------------------------------- commands

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
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
    const keycloak = join(dataDir, 'keycloak');
    if (fs.existsSync(keycloak)) {
      for (const entry of fs.readdirSync(keycloak)) {
        if (entry !== 'server') fs.rmSync(join(keycloak, entry), { recursive: true, force: true });
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

// ---------------------------------------------------------------- CLI

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
