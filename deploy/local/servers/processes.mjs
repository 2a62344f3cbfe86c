// Each server runs detached in its own process group (the group id is the pid we spawned), its pid in
// .data/pids/<name>.pid and its output appended to .data/logs/<name>.log; and a lock file serialises the
// stack's commands.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../env.mjs';
import { log, logFile, logsDir, pidsDir, sleep, StackError } from './common.mjs';

/** @typedef {import('./common.mjs').Server} Server */

const pidFile = (name) => join(pidsDir, `${name}.pid`);

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

/**
 * The pid in a pid file is ours only if that group still runs our server's binary
 * (a pid can be reused after a reboot).
 * @param {Server} server
 */
export function ownedGroup(server) {
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

/** @param {Server} server */
export function spawnServer(server) {
  fs.mkdirSync(logsDir, { recursive: true });
  fs.mkdirSync(pidsDir, { recursive: true });
  const { cmd, args, env: extraEnv = {}, cwd = repoRoot, user } = server.command();
  const fd = fs.openSync(logFile(server.name), 'a');
  fs.writeSync(fd, `\n==== ${new Date().toISOString()} starting ${server.name}: ${cmd} ${args.join(' ')}\n`);
  const options = {
    cwd,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...extraEnv },
  };
  if (user) Object.assign(options, user);
  const child = spawn(cmd, args, options);
  fs.closeSync(fd);
  let spawnError = null;
  child.on('error', (err) => { spawnError = err; });
  child.unref();
  if (child.pid) fs.writeFileSync(pidFile(server.name), `${child.pid}\n`);
  return { pid: child.pid, spawnError: () => spawnError };
}

/** @param {Server} server */
export async function waitHealthy(server, handle, timeoutMs) {
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

/** @param {Server} server */
export async function stopServer(server, timeoutMs = 20000) {
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

/**
 * Serialises concurrent `up`/`down`/`reset` calls (several test runs may start at once).
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withLock(fn) {
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
