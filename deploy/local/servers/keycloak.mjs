// Keycloak, fetched from Maven Central with `mvn` into the cache, run from a copy in .data/keycloak/server
// with realm crm imported from deploy/keycloak/crm-realm.json.
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { cacheDir, dataDir, repoRoot } from '../env.mjs';
import { ensureRealmClients } from '../keycloak-clients.mjs';
import { env, httpOk, log, run, StackError, which } from './common.mjs';

export const KEYCLOAK_VERSION = '26.5.6';

const realmFile = join(repoRoot, 'deploy', 'keycloak', 'crm-realm.json');
const keycloakDist = join(cacheDir, `keycloak-${KEYCLOAK_VERSION}`);
const keycloakZip = join(cacheDir, 'downloads', `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.zip`);
/** The program copy `reset` keeps (its data/ folder goes). */
export const keycloakHome = join(dataDir, 'keycloak', 'server');

function ensureKeycloakDist() {
  if (fs.existsSync(join(keycloakDist, 'bin', 'kc.sh'))) return;
  if (!fs.existsSync(keycloakZip)) {
    const mvn = which('mvn');
    if (!mvn) throw new StackError('Maven (mvn) is needed to fetch Keycloak from Maven Central; apt-get install -y maven');
    log(`fetching keycloak-quarkus-dist ${KEYCLOAK_VERSION} from Maven Central`);
    run(mvn, ['-q', '-B', '-Dstyle.color=never', 'dependency:copy',
      `-Dartifact=org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:zip`,
      `-DoutputDirectory=${join(cacheDir, 'downloads')}`], { cwd: os.tmpdir() });
  }
  const tmp = `${keycloakDist}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  log(`unpacking ${keycloakZip}`);
  run('unzip', ['-q', keycloakZip, '-d', tmp]);
  fs.renameSync(join(tmp, `keycloak-${KEYCLOAK_VERSION}`), keycloakDist);
  fs.rmSync(tmp, { recursive: true, force: true });
}

function findJavaHome() {
  if (process.env.KEYCLOAK_JAVA_HOME) return process.env.KEYCLOAK_JAVA_HOME;
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  return null; // kc.sh falls back to `java` on PATH
}

// The distribution is copied into .data/keycloak/server on first up: Keycloak keeps its H2
// database, the import folder and its build (lib/quarkus) inside its home, so each
// checkout gets its own and `reset` starts from a clean one.
function prepareKeycloak() {
  const marker = join(keycloakHome, 'version.txt');
  const wanted = fs.readFileSync(join(keycloakDist, 'version.txt'), 'utf8');
  if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== wanted) {
    log(`copying Keycloak ${KEYCLOAK_VERSION} into ${keycloakHome}`);
    const tmp = `${keycloakHome}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(join(keycloakHome, '..'), { recursive: true });
    fs.cpSync(keycloakDist, tmp, { recursive: true, preserveTimestamps: true });
    fs.rmSync(keycloakHome, { recursive: true, force: true });
    fs.renameSync(tmp, keycloakHome);
  }
  // Imported on start only when the realm does not exist yet (reset to re-import).
  fs.mkdirSync(join(keycloakHome, 'data', 'import'), { recursive: true });
  fs.copyFileSync(realmFile, join(keycloakHome, 'data', 'import', 'crm-realm.json'));
}

/** @type {import('./common.mjs').Server} */
export const keycloak = {
  name: 'keycloak',
  marker: keycloakHome,
  timeoutMs: 300000,
  pollMs: 1000,
  url: () => `${env.KEYCLOAK_URL}/realms/${env.KEYCLOAK_REALM} (admin/admin at ${env.KEYCLOAK_URL}/admin)`,
  healthy: () => httpOk(`${env.KEYCLOAK_URL}/realms/${env.KEYCLOAK_REALM}/.well-known/openid-configuration`),
  ports: () => [env.KEYCLOAK_PORT, env.KEYCLOAK_MANAGEMENT_PORT],
  install: ensureKeycloakDist,
  prepare: prepareKeycloak,
  // the realm is imported only once: clients added to the export since are created in the running realm
  after: () => ensureRealmClients({ env, log }),
  command: () => {
    const javaHome = findJavaHome();
    return {
      cmd: join(keycloakHome, 'bin', 'kc.sh'),
      args: [
        'start-dev', '--import-realm',
        '--http-host=127.0.0.1', `--http-port=${env.KEYCLOAK_PORT}`,
        `--http-management-port=${env.KEYCLOAK_MANAGEMENT_PORT}`,
        `--hostname=http://localhost:${env.KEYCLOAK_PORT}`,
        '--health-enabled=true',
      ],
      env: {
        KC_BOOTSTRAP_ADMIN_USERNAME: 'admin',
        KC_BOOTSTRAP_ADMIN_PASSWORD: 'admin',
        ...(javaHome ? { JAVA_HOME: javaHome } : {}),
      },
      cwd: keycloakHome,
    };
  },
};
