import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import type { ServiceDefinition } from '../bootstrap';
import { tokenFor } from './index';
import { startTestService } from './service';

/** The schemathesis release the OpenAPI tests run; every dependency is pinned in schemathesis.requirements.txt. */
export const SCHEMATHESIS_VERSION = '4.32.5';

const requirementsFile = fileURLToPath(new URL('schemathesis.requirements.txt', import.meta.url));
const configFile = fileURLToPath(new URL('schemathesis.toml', import.meta.url));
const run = promisify(execFile);

/**
 * The Python of a virtualenv holding schemathesis, created on first use from PyPI with the pinned requirements
 * (`~/.cache/kapocs/schemathesis-<version>-<hash of the requirements>`, or under KAPOCS_CACHE). Two workers
 * creating it at once each build their own and the first rename wins, so no lock is needed. Needs Python 3.9+
 * with venv (`KAPOCS_PYTHON`, else python3).
 */
export async function schemathesisPython(): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(requirementsFile)).digest('hex').slice(0, 8);
  const cache = process.env.KAPOCS_CACHE ?? join(homedir(), '.cache', 'kapocs');
  const dir = join(cache, `schemathesis-${SCHEMATHESIS_VERSION}-${hash}`);
  const python = join(dir, 'bin', 'python');
  if (existsSync(join(dir, '.complete'))) return python;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  const base = process.env.KAPOCS_PYTHON ?? 'python3';
  try {
    await run(base, ['-m', 'venv', tmp]);
    await run(join(tmp, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', '-r', requirementsFile], { maxBuffer: 16 << 20 });
    await run('touch', [join(tmp, '.complete')]);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    const e = err as { message: string; stderr?: string };
    throw new Error(`could not install schemathesis ${SCHEMATHESIS_VERSION} into ${dir} with ${base} (needs Python 3.9+ with venv and PyPI): ${e.stderr || e.message}`);
  }
  try {
    renameSync(tmp, dir);
  } catch {
    // another worker finished first; its copy is the same
    rmSync(tmp, { recursive: true, force: true });
  }
  return python;
}

export interface FuzzOptions {
  /** Sent as `Authorization: Bearer …` with every request. */
  token: string;
  /** Seconds for the whole run (schemathesis `--max-time`; API_FUZZ_MAX_TIME overrides it); fuzzing repeats until it is spent. */
  maxTime?: number;
  /** Test cases per operation in each phase. */
  maxExamples?: number;
  phases?: string[];
  checks?: string[];
  /** Extra schemathesis arguments (`--include-path-regex`, `--seed`, …). */
  args?: string[];
}

export const FUZZ_CHECKS = ['not_a_server_error', 'response_schema_conformance', 'negative_data_rejection', 'content_type_conformance'];

/**
 * Runs schemathesis against an app's own `/openapi.json`: the app listens on a free loopback port for the run
 * (the run is async, so the app keeps answering in this process). Answers the exit code and everything
 * schemathesis printed (its report names each failure with a curl line to reproduce it).
 */
export async function fuzzOpenApi(app: FastifyInstance, opts: FuzzOptions): Promise<{ code: number | null; output: string; seconds: number }> {
  const python = await schemathesisPython();
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const t0 = Date.now();
  const args = [
    '-c', 'import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())',
    '--config-file', configFile,
    'run', `${address}/openapi.json`, '--url', address,
    '--phases', (opts.phases ?? ['examples', 'coverage', 'fuzzing']).join(','),
    '--checks', (opts.checks ?? FUZZ_CHECKS).join(','),
    '--max-time', String(Number(process.env.API_FUZZ_MAX_TIME) || opts.maxTime || 60),
    '--max-examples', String(opts.maxExamples ?? 50),
    '--header', `Authorization: Bearer ${opts.token}`,
    '--workers', '1',
    '--request-timeout', '20',
    '--generation-database', 'none',
    '--no-color',
    ...(opts.args ?? []),
    // e.g. API_FUZZ_ARGS='--include-path-regex ^/persons --seed 1' to look at one operation
    ...(process.env.API_FUZZ_ARGS?.split(' ').filter(Boolean) ?? []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SCHEMATHESIS_HOOKS: '', NO_COLOR: '1', COLUMNS: '160' } });
    // a test worker that ends (timeout, crash) must not leave the fuzzer running against nothing
    const kill = () => child.kill('SIGKILL');
    process.once('exit', kill);
    child.once('exit', () => process.off('exit', kill));
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d; });
    child.stderr.on('data', (d: Buffer) => { output += d; });
    child.once('error', reject);
    // curl lines of long generated values run to tens of kilobytes: cut, the case id replays them in full
    child.once('close', (code) => resolve({ code, output: output.split('\n').map((l) => (l.length > 1000 ? `${l.slice(0, 1000)} …` : l)).join('\n'), seconds: Math.round((Date.now() - t0) / 1000) }));
  });
}

/**
 * A service's app on a fresh database of this worker's own, fuzzed as `user` (an admin sees and may do
 * everything, so every operation is reached): what each service's `test/openapi.test.ts` runs.
 */
export async function fuzzService(def: ServiceDefinition, opts: Omit<FuzzOptions, 'token'> & { user?: string } = {}) {
  const { app, close } = await startTestService(def, { database: `${def.name}_openapi`, role: null, poolMax: 4 });
  try {
    const operations = Object.values((await app.inject({ url: '/openapi.json' })).json<{ paths?: Record<string, object> }>().paths ?? {})
      .reduce((n, p) => n + Object.keys(p).length, 0);
    // a skeleton service publishes no operation yet: nothing to run (schemathesis would exit 2 on it)
    if (!operations) return { code: 0, output: 'the OpenAPI document has no operations', seconds: 0, operations };
    const result = await fuzzOpenApi(app, { ...opts, token: await tokenFor(opts.user ?? 'admin') });
    return { ...result, operations };
  } finally {
    await close();
  }
}
