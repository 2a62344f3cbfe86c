// The Kapocs processes on top of the local stack: every service of packages/contracts/src/services.json, the
// gateway and the portal.
// Each runs in its own process group with its log in .data/logs, so stopping the group stops
// everything it started (npx/next leave children otherwise; see STACK-NOTES.md).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { dataDir, localEnv, repoRoot, SERVICES } from './env.mjs';

const logsDir = join(dataDir, 'logs');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => process.stderr.write(`[apps] ${msg}\n`);

/** The processes in start order, with the URL that says each is ready. */
export function appSpecs(env = localEnv()) {
  const tsx = (entry) => [process.execPath, ['--import', 'tsx', entry]];
  return [
    ...SERVICES.map((s) => ({
      name: s,
      cmd: tsx(join(repoRoot, 'services', s, 'src', 'main.ts')),
      // each service as its own role, owner of its schema only (deploy/local/README.md)
      env: { PORT: env[`${s.toUpperCase()}_PORT`], DATABASE_URL: env[`${s.toUpperCase()}_DATABASE_URL`] },
      ready: `${env[`${s.toUpperCase()}_URL`]}/readyz`,
    })),
    { name: 'gateway', cmd: tsx(join(repoRoot, 'gateway', 'src', 'main.ts')), env: { PORT: env.GATEWAY_PORT }, ready: `${env.GATEWAY_URL}/healthz` },
    {
      name: 'portal',
      cmd: [join(repoRoot, 'node_modules', '.bin', 'next'), ['start', '-p', env.PORTAL_PORT, '-H', '127.0.0.1']],
      cwd: join(repoRoot, 'web'),
      env: { PORT: env.PORTAL_PORT },
      ready: `http://127.0.0.1:${env.PORTAL_PORT}/portal-config`,
    },
  ];
}

async function isUp(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.next', 'test', 'test-results'].includes(entry.name)) continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the portal when it has never been built or its sources are newer than the build. */
export function buildPortalIfStale({ force = false } = {}) {
  const web = join(repoRoot, 'web');
  const buildId = join(web, '.next', 'BUILD_ID');
  const stale = force || !fs.existsSync(buildId) || newestMtime(web) > fs.statSync(buildId).mtimeMs
    || newestMtime(join(repoRoot, 'packages', 'contracts', 'src')) > fs.statSync(buildId).mtimeMs;
  if (!stale) return;
  log('building the portal (next build)…');
  const t = Date.now();
  const res = spawnSync(join(repoRoot, 'node_modules', '.bin', 'next'), ['build'], { cwd: web, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (res.status !== 0) throw new Error(`next build failed (exit ${res.status})`);
  log(`portal built in ${Math.round((Date.now() - t) / 1000)} s`);
}

/**
 * Starts every app that is not already answering; answers a handle whose stop() ends the ones it
 * started. `extraEnv` overrides the local environment (a test database, say).
 */
export async function startApps({ extraEnv = {}, only } = {}) {
  const given = { ...process.env, ...extraEnv };
  // a database given for this run (a benchmark's own) moves every service's URL with it, unless one is given too
  if (extraEnv.DATABASE_URL) {
    for (const s of SERVICES) if (!extraEnv[`${s.toUpperCase()}_DATABASE_URL`]) delete given[`${s.toUpperCase()}_DATABASE_URL`];
  }
  const env = { ...extraEnv, ...localEnv(given) };
  fs.mkdirSync(logsDir, { recursive: true });
  const started = [];
  const specs = appSpecs(env).filter((s) => !only || only.includes(s.name));
  for (const spec of specs) {
    if (await isUp(spec.ready)) {
      log(`${spec.name} already running`);
      continue;
    }
    const out = fs.openSync(join(logsDir, `${spec.name}.log`), 'a');
    const [cmd, args] = spec.cmd;
    const child = spawn(cmd, args, {
      cwd: spec.cwd ?? repoRoot,
      env: { ...process.env, ...env, ...spec.env, NEXT_TELEMETRY_DISABLED: '1' },
      detached: true,
      stdio: ['ignore', out, out],
    });
    child.unref();
    started.push({ spec, child });
  }
  const deadline = Date.now() + 120_000;
  for (const { spec, child } of started) {
    while (!(await isUp(spec.ready))) {
      if (child.exitCode !== null) throw new Error(`${spec.name} exited with ${child.exitCode}; see ${join(logsDir, `${spec.name}.log`)}`);
      if (Date.now() > deadline) throw new Error(`${spec.name} did not become ready at ${spec.ready}; see ${join(logsDir, `${spec.name}.log`)}`);
      await sleep(300);
    }
    log(`${spec.name} ready`);
  }
  return {
    started: started.map((s) => s.spec.name),
    /** The process id of each app started here (benchmarks read its memory from /proc). */
    pids: Object.fromEntries(started.map((s) => [s.spec.name, s.child.pid])),
    async stop() {
      for (const { child } of started.reverse()) {
        try { process.kill(-child.pid, 'SIGTERM'); } catch {}
      }
      const until = Date.now() + 15_000;
      for (const { child } of started) {
        while (child.exitCode === null && child.signalCode === null && Date.now() < until) await sleep(100);
        try { process.kill(-child.pid, 'SIGKILL'); } catch {}
      }
    },
  };
}
