import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

/** A free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A real process a test started (a service's main.ts, a nats-server), with what it printed. */
export interface TestProcess {
  name: string;
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** The stdout lines that are JSON objects (pino's log lines). */
  logLines(): Array<Record<string, unknown>>;
  /** SIGTERM (or the given signal), SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  exited(): Promise<void>;
}

const running = new Set<TestProcess>();

// A test worker that dies (timeout, crash) must not leave servers behind holding ports and databases.
process.once('exit', () => {
  for (const p of running) if (p.child.exitCode === null && !p.child.signalCode) p.child.kill('SIGKILL');
});

export interface StartProcessOptions {
  name: string;
  command: string;
  args: string[];
  /** Added to the test's environment. */
  env?: Record<string, string | undefined>;
  /** Polled until it answers 2xx; the start fails if the process exits first or the timeout passes. */
  readyUrl?: string;
  timeoutMs?: number;
}

/** Spawns a process, keeps its output, and waits until `readyUrl` answers. Stop it with `stop()` or `stopProcesses()`. */
export async function startProcess(opts: StartProcessOptions): Promise<TestProcess> {
  const child = spawn(opts.command, opts.args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = trackProcess(opts.name, child);
  if (!opts.readyUrl) return proc;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const until = Date.now() + timeoutMs;
  const isDone = () => child.exitCode !== null || child.signalCode !== null;
  const tail = () => proc.output().split('\n').slice(-30).join('\n');
  while (Date.now() < until) {
    if (isDone() || child.pid === undefined) {
      await proc.stop();
      throw new Error(`${opts.name} exited before it was ready (code ${child.exitCode}, signal ${child.signalCode}):\n${tail()}`);
    }
    try {
      if ((await fetch(opts.readyUrl, { signal: AbortSignal.timeout(2000) })).ok) return proc;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  await proc.stop('SIGKILL');
  throw new Error(`${opts.name} was not ready at ${opts.readyUrl} after ${timeoutMs} ms:\n${tail()}`);
}

/** Keeps a spawned child's output and stops it with the worker. */
function trackProcess(name: string, child: ChildProcess): TestProcess {
  let out = '';
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => { out += d; stdout += d; });
  child.stderr!.on('data', (d: Buffer) => { out += d; });
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (err) => { out += `\n${err.message}`; resolve(); });
  });
  const isDone = () => child.exitCode !== null || child.signalCode !== null;
  const proc: TestProcess = {
    name,
    child,
    output: () => out,
    logLines: () => stdout.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try { return [JSON.parse(line) as Record<string, unknown>]; } catch { return []; }
    }),
    exited: () => exit,
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (!isDone() && child.pid) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exit;
        clearTimeout(timer);
      }
      running.delete(proc);
    },
  };
  running.add(proc);
  return proc;
}

/** Stops every process the helpers started in this worker (afterAll). */
export async function stopProcesses(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/**
 * Runs a TypeScript entry point the way a deployment does (`node --import tsx <entry>`), e.g. a service's
 * `src/main.ts` with PORT, DATABASE_URL and NATS_URL of the test's own.
 */
export function startNodeEntry(name: string, entry: string, opts: Omit<StartProcessOptions, 'name' | 'command' | 'args'> = {}): Promise<TestProcess> {
  return startProcess({ name, command: process.execPath, args: ['--import', 'tsx', entry], ...opts });
}

/** A server binary the local stack built (`~/.cache/kapocs/<name>-<version>/<name>`, the newest), or `variable`, or the PATH's. */
function installedBinary(name: string, variable: string): string {
  if (process.env[variable]) return process.env[variable]!;
  const cache = process.env.KAPOCS_CACHE ?? join(homedir(), '.cache', 'kapocs');
  const installed = existsSync(cache)
    ? readdirSync(cache)
        .filter((d) => d.startsWith(`${name}-`) && existsSync(join(cache, d, name)))
        .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    : [];
  return installed[0] ? join(cache, installed[0], name) : name;
}

/** A server of a test's own that can crash and come back: `kill()` SIGKILLs it, `start()` starts it again alike. */
export interface RestartableServer {
  readonly process: TestProcess;
  /** SIGKILL, as a crash would; `start()` brings it back on the same port and data. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its data. */
  stop(): Promise<void>;
}

/** Starts a server binary (found by `installedBinary`) on a data folder of its own, restartable; `variable` overrides the binary. */
async function startRestartable(name: string, variable: string, options: (data: string) => Omit<StartProcessOptions, 'name' | 'command'>): Promise<RestartableServer> {
  const data = mkdtempSync(join(tmpdir(), `kapocs-test-${name}-`));
  const bin = installedBinary(name, variable);
  let proc!: TestProcess;
  const start = async () => { proc = await startProcess({ name, command: bin, ...options(data) }); };
  try {
    await start();
  } catch (err) {
    rmSync(data, { recursive: true, force: true });
    throw new Error(`could not start ${bin} (${(err as Error).message}). npm run stack:up installs it, or set ${variable}.`);
  }
  return {
    get process() { return proc; },
    kill: () => proc.stop('SIGKILL'),
    start,
    stop: async () => {
      await proc.stop();
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** A MinIO server of the test's own on free loopback ports with an empty data folder, to crash (never the shared stack's). */
export async function startMinioServer(): Promise<RestartableServer & { endpoint: string; accessKey: string; secretKey: string }> {
  const [port, console] = [await freePort(), await freePort()];
  const [accessKey, secretKey] = ['kapocs-test', 'kapocs-test-secret'];
  const server = await startRestartable('minio', 'MINIO_BIN', (data) => ({
    args: ['server', data, '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${console}`],
    env: { MINIO_ROOT_USER: accessKey, MINIO_ROOT_PASSWORD: secretKey, MINIO_UPDATE: 'off', MINIO_BROWSER: 'off' },
    readyUrl: `http://127.0.0.1:${port}/minio/health/ready`,
    timeoutMs: 30_000,
  }));
  return Object.assign(server, { endpoint: `http://127.0.0.1:${port}`, accessKey, secretKey });
}

/**
 * A JetStream server of the test's own on free loopback ports, with an empty store: for tests that run
 * services whose durable consumers (e.g. `reporting-projections`) must not take messages from the shared
 * stack's streams, nor read their backlog.
 */
export async function startNatsServer(): Promise<RestartableServer & { url: string }> {
  const [port, monitor] = [await freePort(), await freePort()];
  const server = await startRestartable('nats-server', 'NATS_SERVER_BIN', (store) => ({
    args: ['-js', '-a', '127.0.0.1', '-p', String(port), '-m', String(monitor), '-sd', store],
    readyUrl: `http://127.0.0.1:${monitor}/healthz?js-enabled-only=true`,
    timeoutMs: 15_000,
  }));
  return Object.assign(server, { url: `nats://127.0.0.1:${port}` });
}

/** The newest PostgreSQL server binaries Debian installed (`/usr/lib/postgresql/<n>/bin`), or PG_BIN_DIR. */
function postgresBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions[0]) throw new Error('PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: apt-get install -y postgresql (npm run stack:up does)');
  return join(root, versions[0], 'bin');
}

/** As root, PostgreSQL must run as the `postgres` OS user (initdb and postgres refuse root). */
function postgresOsUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root, but there is no `postgres` OS user (apt-get install -y postgresql creates it)');
  return { uid, gid: id('-g') };
}

export interface TestPostgres {
  /** Superuser URL of the `postgres` database; `urlOf(db)` for another database. */
  url: string;
  urlOf(database: string): string;
  process(): TestProcess;
  /** SIGKILL the postmaster, as a crash or the OOM killer would (no shutdown checkpoint). */
  kill(): Promise<void>;
  /** Starts the server again on the same data folder and port (with other settings, if given); resolves once it accepts connections. */
  start(settings?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

/** The settings that make a commit survive a crash of the server or the machine (production's, the local stack's). */
export const DURABLE_POSTGRES = { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' };

/**
 * A PostgreSQL cluster of the test's own on a free loopback port, durable as production is unless other
 * settings are given: for tests that kill and restart the database server, which must never be the shared
 * stack's. The postmaster is the spawned process itself, so `kill()` is a real crash.
 */

export async function startPostgresServer(initial: Record<string, string> = DURABLE_POSTGRES): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const owner = postgresOsUser();
  const base = mkdtempSync(join(tmpdir(), 'kapocs-test-pg-'));
  const data = join(base, 'data');
  const sockets = join(base, 'sockets');
  mkdirSync(sockets);
  if (owner) for (const dir of [base, sockets]) chownSync(dir, owner.uid, owner.gid);
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], { encoding: 'utf8', ...owner });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error?.message}`);
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let proc: TestProcess;
  let current = initial;
  const start = async (settings = current) => {
    current = settings;
    const until = Date.now() + 30_000;
    const options = Object.entries({ max_connections: '200', ...settings }).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
    for (;;) {
      const child = spawn(join(bin, 'postgres'), ['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', sockets, ...options], {
        stdio: ['ignore', 'pipe', 'pipe'],
        ...owner,
      });
      proc = trackProcess('postgres', child);
      // ready once it accepts a query; after a crash it first replays its WAL ("database system is starting up")
      const ready = await waitForPostgres(url, proc, until);
      if (ready) return;
      // the killed postmaster's backends may still hold the shared memory for a moment: try again
      await proc.stop('SIGKILL');
      if (Date.now() > until) throw new Error(`PostgreSQL did not start:\n${proc.output().split('\n').slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };
  await start();
  return {
    url,
    urlOf: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    process: () => proc,
    kill: () => proc.stop('SIGKILL'),
    start,
    async stop() {
      await proc.stop('SIGINT'); // fast shutdown
      rmSync(base, { recursive: true, force: true });
    },
  };
}

async function waitForPostgres(url: string, proc: TestProcess, until: number): Promise<boolean> {
  const pg = (await import('pg')).default;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return false;
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await c.connect();
      await c.query('select 1');
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await c.end().catch(() => undefined);
    }
  }
  return false;
}
