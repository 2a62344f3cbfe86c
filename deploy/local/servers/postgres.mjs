// PostgreSQL from the machine's packages (apt), a cluster in .data/postgres, durable, with the role `kapocs`
// (superuser: the administrator, tests, benchmarks), the database `kapocs` and a role per service.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { dataDir, repoRoot, SERVICES } from '../env.mjs';
import { env, isRoot, log, logFile, logsDir, StackError, which } from './common.mjs';

const pgData = join(dataDir, 'postgres');
const pgSocketDir = join(dataDir, 'postgres-socket');

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

function pgIsReady() {
  const bin = pgBinDir();
  if (!bin) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', env.PG_PORT, '-U', 'postgres', '-d', 'postgres', '-t', '2'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

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

/** @type {import('./common.mjs').Server} */
export const postgres = {
  name: 'postgres',
  marker: 'postgres',
  stopSignal: 'SIGINT',
  timeoutMs: 30000,
  url: () => env.DATABASE_URL,
  healthy: pgIsReady,
  ports: () => [env.PG_PORT],
  // the binaries come from apt (stack.mjs installs the packages when run as root)
  install: () => {
    if (!pgBinDir()) throw new StackError('PostgreSQL binaries not found (looked in /usr/lib/postgresql/*/bin and PATH); apt-get install -y postgresql');
  },
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
    // initdb and postgres refuse root
    user: isRoot ? postgresUser() : undefined,
  }),
};
