// What every benchmark stands on: the local stack, a fresh database of its own, and a NATS server of its own
// (port 14222, store under .data/bench-nats), so what a benchmark writes and publishes never reaches the
// development stack's data, streams and read models.
import { spawn } from 'node:child_process';
import pg from 'pg';
import fs from 'node:fs';
import { join } from 'node:path';
import { up, VERSIONS } from '../local/stack.mjs';
import { cacheDir, dataDir, localEnv } from '../local/env.mjs';

export async function startBenchNats(port = 14222) {
  const store = join(dataDir, 'bench-nats');
  fs.rmSync(store, { recursive: true, force: true });
  const bin = join(cacheDir, `nats-server-${VERSIONS.natsServer}`, 'nats-server');
  const child = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', String(port), '-m', String(port + 1), '-sd', store], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port + 1}/healthz?js-enabled-only=true`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }),
  };
}

/** Brings the stack up and answers the URL of a freshly created database `name`. */
export async function freshBenchDatabase(name) {
  await up();
  const base = localEnv();
  const admin = new pg.Client({ connectionString: base.DATABASE_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  return base.DATABASE_URL.replace(/\/kapocs$/, `/${name}`);
}
