// npm test: typecheck, lint, unit and integration tests against the local stack's real servers, then
// the browser tests against the running portal, gateway and services. Ends with "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { up } from './stack.mjs';
import { buildPortalIfStale, startApps } from './apps.mjs';
import { dataDir, repoRoot } from './env.mjs';

const resultsDir = join(dataDir, 'test-results');
fs.mkdirSync(resultsDir, { recursive: true });
const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const phases = [];

function phase(name, cmd, args) {
  const t = Date.now();
  process.stderr.write(`\n[test] ── ${name}\n`);
  const res = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', env: process.env });
  const ok = res.status === 0;
  phases.push({ name, ok, seconds: Math.round((Date.now() - t) / 1000) });
  return ok;
}

function vitest(name, projects) {
  const out = join(resultsDir, `${name}.json`);
  fs.rmSync(out, { force: true });
  const ok = phase(name, bin('vitest'), ['run', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  let passed = 0;
  let failed = ok ? 0 : 1;
  let skipped = 0;
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    passed = r.numPassedTests;
    failed = r.numFailedTests + (r.numFailedTestSuites ?? 0) + (ok || r.numFailedTests ? 0 : 1);
    skipped = r.numPendingTests + r.numTodoTests;
  }
  return { passed, failed, skipped };
}

const t0 = Date.now();
await up();
const counts = { passed: 0, failed: 0, skipped: 0 };
const add = (c) => { counts.passed += c.passed; counts.failed += c.failed; counts.skipped += c.skipped; };

if (!phase('typecheck', 'npm', ['run', '--silent', 'typecheck'])) counts.failed++;
if (!phase('lint', 'npm', ['run', '--silent', 'lint'])) counts.failed++;
// the API fuzzer the services' test/openapi.test.ts run: a pinned schemathesis in a virtualenv under
// ~/.cache/kapocs, made once here (about 35 s from PyPI) rather than by two test workers at once
if (!phase('schemathesis', process.execPath, ['--import', 'tsx', '--input-type=module', '-e', "await (await import('@kapocs/kit/testing')).schemathesisPython()"])) counts.failed++;
add(vitest('unit+integration', ['unit', 'integration']));

let apps;
try {
  buildPortalIfStale();
  apps = await startApps();
  add(vitest('browser', ['browser']));
} catch (err) {
  process.stderr.write(`[test] could not run the browser tests: ${err.message}\n`);
  phases.push({ name: 'browser', ok: false, seconds: 0 });
  counts.failed++;
} finally {
  await apps?.stop();
}

process.stderr.write(`\n[test] ${phases.map((p) => `${p.name} ${p.ok ? 'ok' : 'FAILED'} (${p.seconds} s)`).join(', ')}; total ${Math.round((Date.now() - t0) / 1000)} s\n`);
console.log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(counts.failed === 0 && phases.every((p) => p.ok) ? 0 : 1);
