// npm start: the local stack, every service, the gateway and the portal; demo data; URLs and logins.
// Ctrl-C stops the apps; the stack keeps running (npm run stack:down stops it).
import { up } from './stack.mjs';
import { buildPortalIfStale, startApps } from './apps.mjs';
import { seed } from './seed.mjs';
import { localEnv } from './env.mjs';

const env = localEnv();
await up();
buildPortalIfStale();
const apps = await startApps();
try {
  await seed();
} catch (err) {
  await apps.stop();
  throw err;
}

const users = [
  ['admin', 'crm-admin', '—'], ['dora.director', 'crm-director', '—'], ['csilla.manager', 'crm-manager', 'north'],
  ['anna.sales', 'crm-sales', 'north'], ['bela.sales', 'crm-sales', 'south'], ['erik.marketing', 'crm-marketing', '—'],
];
console.log(`
Kapocs CRM is running.

  Portal        ${env.PORTAL_URL}
  Gateway/API   ${env.GATEWAY_URL}/api   (OpenAPI: ${env.GATEWAY_URL}/api/docs)
  Keycloak      http://localhost:${env.KEYCLOAK_PORT}/admin   (master realm: admin / admin)
  MailDev       ${env.MAILDEV_URL}
  MinIO console http://127.0.0.1:${env.MINIO_CONSOLE_PORT}   (${env.S3_ACCESS_KEY} / ${env.S3_SECRET_KEY})
  Logs          .data/logs/

Demo logins (password: kapocs)
${users.map(([u, r, d]) => `  ${u.padEnd(16)} ${r.padEnd(14)} department: ${d}`).join('\n')}

Ctrl-C stops the apps; npm run stack:down stops the servers.`);

const stop = async () => {
  await apps.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => undefined, 1 << 30);
