// Runs a command with the local stack's environment (deploy/local/env.mjs), for operator commands such as
// migrations or the dead-letter replay:  node deploy/local/with-env.mjs --service partners npm run migrate -w @kapocs/partners
// --service <name> sets DATABASE_URL to that service's own role (<NAME>_DATABASE_URL): a service's migrations and
// tools run as the owner of its schema. --each-service runs the command once per service that way, appending
// `-w @kapocs/<name>` (npm run migrate).
import { spawnSync } from 'node:child_process';
import { localEnv, SERVICES } from './env.mjs';

const argv = process.argv.slice(2);
let services = [null];
if (argv[0] === '--service') services = [argv.splice(0, 2)[1]];
else if (argv[0] === '--each-service') services = argv.splice(0, 1) && SERVICES;
const [cmd, ...args] = argv;
if (!cmd || services.some((s) => s !== null && !SERVICES.includes(s))) {
  console.error(`usage: node deploy/local/with-env.mjs [--service <${SERVICES.join('|')}> | --each-service] <command> [args…]`);
  process.exit(2);
}
const env = { ...process.env, ...localEnv(process.env) };
for (const service of services) {
  const own = service ? { DATABASE_URL: env[`${service.toUpperCase()}_DATABASE_URL`] } : {};
  const extra = service && services.length > 1 ? ['-w', `@kapocs/${service}`] : [];
  const res = spawnSync(cmd, [...args, ...extra], { stdio: 'inherit', env: { ...env, ...own } });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
