// Runs a command with the local stack's environment (deploy/local/env.mjs), for operator commands such as
// migrations or the dead-letter replay:  node deploy/local/with-env.mjs npm run migrate -w @kapocs/partners
import { spawnSync } from 'node:child_process';
import { localEnv } from './env.mjs';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node deploy/local/with-env.mjs <command> [args…]');
  process.exit(2);
}
const res = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...localEnv(process.env) } });
process.exit(res.status ?? 1);
