// The one list of services (packages/contracts/src/services.json) against what cannot read it: compose, the
// Dockerfile, the npm workspaces, the database roles, each service's own definition. A service added to the list
// and missing somewhere fails here, naming the file and what it lacks. (Kubernetes: k8s.test.ts, from the same list.)
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { envPrefixOf, SERVICES } from '../../packages/contracts/src/services';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (path: string) => readFileSync(join(repo, path), 'utf8');

const compose = parse(read('deploy/compose/docker-compose.yml'), { merge: true }) as {
  services: Record<string, { command?: string[]; environment?: Record<string, string>; depends_on?: string[] }>;
};

describe('the service list', () => {
  it('names each service once, in lower-case letters, with its own port, schema and path prefix', () => {
    for (const key of ['name', 'port', 'schema', 'pathPrefix'] as const) {
      const values = SERVICES.map((s) => s[key]);
      expect(values.filter((v, i) => values.indexOf(v) !== i), `duplicate ${key}`).toEqual([]);
    }
    for (const s of SERVICES) {
      expect(s.name, 'a name is lower-case letters (folder, package, role, schema, <NAME>_ variables)').toMatch(/^[a-z]+$/);
      expect(s.schema, `${s.name}: the schema is the service's name (kit: ServiceDefinition.name is both)`).toBe(s.name);
      expect(s.pathPrefix, `${s.name}: pathPrefix`).toBe(`/api/${s.name}`);
      expect(Number.isInteger(s.port) && s.port > 1024 && s.port < 65536, `${s.name}: port`).toBe(true);
    }
  });
});

describe.each(SERVICES.map((s) => [s.name, s] as const))('%s', (name, entry) => {
  const NAME = envPrefixOf(name);

  it('has its folder: services/<name>/src/{main,migrate,service}.ts, a package @kapocs/<name>, a definition matching the list', async () => {
    for (const file of ['src/main.ts', 'src/migrate.ts', 'src/service.ts', 'package.json', 'tsconfig.json']) {
      expect(existsSync(join(repo, 'services', name, file)), `services/${name}/${file} exists`).toBe(true);
    }
    expect(JSON.parse(read(`services/${name}/package.json`)).name, `services/${name}/package.json name`).toBe(`@kapocs/${name}`);
    const mod = (await import(pathToFileURL(join(repo, 'services', name, 'src', 'service.ts')).href)) as Record<string, unknown>;
    const def = Object.values(mod).find((v): v is { name: string; defaultPort: number } => typeof v === 'object' && v !== null && (v as { name?: unknown }).name === name);
    expect(def, `services/${name}/src/service.ts exports a ServiceDefinition named ${name}`).toBeDefined();
    expect(def!.defaultPort, `services/${name}/src/service.ts defaultPort`).toBe(entry.port);
    // importing a whole service's module graph is slow on a loaded 2-core machine (5 s was hit under load)
  }, 60_000);

  it('is an npm workspace (package.json)', () => {
    const workspaces = JSON.parse(read('package.json')).workspaces as string[];
    expect(workspaces.includes(`services/${name}`) || workspaces.includes('services/*'), `package.json workspaces: services/${name}`).toBe(true);
  });

  it('has its package.json copied into the image before npm ci (deploy/Dockerfile)', () => {
    expect(read('deploy/Dockerfile'), `deploy/Dockerfile: COPY services/${name}/package.json services/${name}/`).toContain(`COPY services/${name}/package.json services/${name}/\n`);
  });

  it('has its PostgreSQL role and schema (deploy/postgres/service-roles.sql, deploy/compose/postgres-init.sh)', () => {
    const sql = read('deploy/postgres/service-roles.sql');
    const arrays = [...sql.matchAll(/array\[([^\]]*)\]/g)].map((m) => m[1]!.split(',').map((s) => s.trim().replace(/^'|'$/g, '')));
    expect(arrays.length, 'service-roles.sql: the roles array and the schemas array').toBe(2);
    for (const list of arrays) expect(list, `deploy/postgres/service-roles.sql: ${name} in array[…]`).toContain(name);
    expect(sql, `deploy/postgres/service-roles.sql: \\if :{?${name}_password}`).toContain(`\\if :{?${name}_password}\nALTER ROLE ${name} PASSWORD :'${name}_password';`);
    expect(read('deploy/compose/postgres-init.sh'), `deploy/compose/postgres-init.sh: -v ${name}_password="$${NAME}_DB_PASSWORD"`).toContain(`-v ${name}_password="$${NAME}_DB_PASSWORD"`);
  });

  it('names its navigation section in the portal\'s catalogues (web/src/i18n/hu.ts, en.ts)', () => {
    // web/src/shell/nav.ts makes a section per `nav` of the list; its label comes from the catalogues
    for (const file of ['web/src/i18n/hu.ts', 'web/src/i18n/en.ts']) {
      expect(read(file), `${file}: 'nav.section.${entry.nav}'`).toContain(`'nav.section.${entry.nav}':`);
    }
  });

  it('runs in compose as its own role, and the gateway there knows it (deploy/compose/docker-compose.yml)', () => {
    const service = compose.services[name];
    expect(service, `deploy/compose/docker-compose.yml: services.${name}`).toBeDefined();
    expect(service!.command, `services.${name}.command`).toEqual(['node', '--import', 'tsx', `services/${name}/src/main.ts`]);
    const db = new URL(service!.environment?.DATABASE_URL ?? 'postgres://unset@x/y');
    expect(db.username, `services.${name}.environment.DATABASE_URL connects as ${name}`).toBe(name);
    expect(compose.services.postgres?.environment?.[`${NAME}_DB_PASSWORD`], `services.postgres.environment.${NAME}_DB_PASSWORD`).toBe(decodeURIComponent(db.password));
    const gateway = compose.services.gateway!;
    expect(gateway.depends_on, 'services.gateway.depends_on').toContain(name);
    const port = service!.environment?.PORT ?? '8080';
    expect(gateway.environment?.[`${NAME}_URL`], `services.gateway.environment.${NAME}_URL`).toBe(`http://${name}:${port}`);
  });
});

it('compose, the Dockerfile and the database roles name no service the list lacks', () => {
  const names = SERVICES.map((s) => s.name);
  const infrastructure = ['postgres', 'nats', 'minio', 'keycloak', 'maildev', 'gateway', 'portal'];
  expect(Object.keys(compose.services).filter((s) => !infrastructure.includes(s) && !names.includes(s)), 'compose services not in the list').toEqual([]);
  const copied = [...read('deploy/Dockerfile').matchAll(/COPY services\/(\w+)\/package\.json/g)].map((m) => m[1]!);
  expect(copied.filter((s) => !names.includes(s)), 'deploy/Dockerfile copies services not in the list').toEqual([]);
});
