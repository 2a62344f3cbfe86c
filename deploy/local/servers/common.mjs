// What the servers of the local stack share: their environment and folders, the log, installing into the
// cache (by version, ~/.cache/kapocs) and the health probes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { dataDir, localEnv } from '../env.mjs';

/**
 * A server of the stack, as `stack.mjs` starts, waits for and stops it (see `processes.mjs`).
 * @typedef {object} Server
 * @property {string} name its log `.data/logs/<name>.log` and pid file `.data/pids/<name>.pid`
 * @property {string} marker part of the command line that says a pid is still this server
 * @property {number} timeoutMs how long a start may take to become healthy
 * @property {number} [pollMs] how often to ask whether it is healthy yet (250 ms)
 * @property {'SIGINT'} [stopSignal] to the leader only; otherwise SIGTERM to the process group
 * @property {() => string} url what `status` prints
 * @property {() => Promise<boolean>} healthy
 * @property {() => string[]} ports taken by it; a port taken by something else fails `up`
 * @property {() => void} [install] fetches or builds what is missing into the cache
 * @property {() => void} [prepare] before each start
 * @property {() => unknown} [after] after each `up` that finds or makes it healthy
 * @property {() => (string | null | Promise<string | null>)} [restartNeeded] why a healthy server must be restarted
 * @property {() => { cmd: string, args: string[], env?: Record<string, string>, cwd?: string, user?: { uid: number, gid: number } }} command
 */

export const env = localEnv();
export const isRoot = process.getuid?.() === 0;
export const logsDir = join(dataDir, 'logs');
export const pidsDir = join(dataDir, 'pids');
export const logFile = (name) => join(logsDir, `${name}.log`);

export const log = (msg) => process.stderr.write(`[stack] ${msg}\n`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class StackError extends Error {}

export function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (res.error) throw new StackError(`${cmd} ${args.join(' ')}: ${res.error.message}`);
  if (res.status !== 0) throw new StackError(`${cmd} ${args.join(' ')} exited with ${res.status ?? res.signal}`);
  return res;
}

export function which(cmd, extraDirs = []) {
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

// go install into a temporary GOBIN, then move the binary into place, so that an
// interrupted build never leaves a half-written binary in the cache.
export function ensureGoBinary(bin, module, version) {
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

export async function httpOk(url, timeoutMs = 2000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

export function portOpen(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
