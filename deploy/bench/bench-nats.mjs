// A NATS server of the benchmark's own (port 14222, store under .data/bench-nats), so the events a benchmark
// publishes never reach the development stack's streams and read models.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { VERSIONS } from '../local/stack.mjs';
import { cacheDir, dataDir } from '../local/env.mjs';

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
