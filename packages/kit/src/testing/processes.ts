import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
    name: opts.name,
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
  if (!opts.readyUrl) return proc;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const until = Date.now() + timeoutMs;
  const tail = () => out.split('\n').slice(-30).join('\n');
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

/** The nats-server the local stack installed (`~/.cache/kapocs/nats-server-<version>/`), or NATS_SERVER_BIN, or the PATH's. */
function natsServerBinary(): string {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  const cache = process.env.KAPOCS_CACHE ?? join(homedir(), '.cache', 'kapocs');
  const installed = existsSync(cache)
    ? readdirSync(cache)
        .filter((d) => d.startsWith('nats-server-') && existsSync(join(cache, d, 'nats-server')))
        .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    : [];
  return installed[0] ? join(cache, installed[0], 'nats-server') : 'nats-server';
}

/**
 * A JetStream server of the test's own on free loopback ports, with an empty store: for tests that run
 * services whose durable consumers (e.g. `reporting-projections`) must not take messages from the shared
 * stack's streams, nor read their backlog.
 */
export async function startNatsServer(): Promise<{ url: string; process: TestProcess; stop: () => Promise<void> }> {
  const [port, monitor] = [await freePort(), await freePort()];
  const store = mkdtempSync(join(tmpdir(), 'kapocs-test-nats-'));
  const bin = natsServerBinary();
  let proc: TestProcess;
  try {
    proc = await startProcess({
      name: 'nats-server',
      command: bin,
      args: ['-js', '-a', '127.0.0.1', '-p', String(port), '-m', String(monitor), '-sd', store],
      readyUrl: `http://127.0.0.1:${monitor}/healthz?js-enabled-only=true`,
      timeoutMs: 15_000,
    });
  } catch (err) {
    rmSync(store, { recursive: true, force: true });
    throw new Error(`could not start ${bin} (${(err as Error).message}). npm run stack:up installs it, or set NATS_SERVER_BIN.`);
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    process: proc,
    stop: async () => {
      await proc.stop();
      rmSync(store, { recursive: true, force: true });
    },
  };
}
