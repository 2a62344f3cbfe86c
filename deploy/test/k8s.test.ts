// A static check of the kustomize base in deploy/k8s: no kubectl or cluster on the development
// machines, so this reads every manifest the kustomization lists and checks it against the code
// (entry points on disk, the config schemas each part parses at start, the ports it listens on).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { baseConfigShape, loadConfig } from '../../packages/kit/src/config';
import { SERVICE_NAMES as SERVICES } from '../../packages/contracts/src/services';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const baseDir = join(repo, 'deploy', 'k8s');
const rel = (path: string) => relative(repo, path);

// Images are built by deploy/Dockerfile with WORKDIR /app = the repository root.
const IMAGE_ROOT = '/app';

type Labels = Record<string, string>;
interface Selector {
  matchLabels?: Labels;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Labels; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
interface Generator {
  name: string;
  behavior?: string;
  literals?: string[];
  envs?: string[];
  files?: string[];
}
interface Kustomization {
  namespace?: string;
  resources?: string[];
  components?: string[];
  patches?: Array<{ path?: string }>;
  images?: Array<{ name: string; newName?: string; newTag?: string; digest?: string }>;
  labels?: Array<{ pairs: Labels; includeSelectors?: boolean; includeTemplates?: boolean }>;
  configMapGenerator?: Generator[];
  secretGenerator?: Generator[];
}

// --- what the kustomization lists, read the way kustomize would find it -------------------------

const missing: string[] = [];
const broken: string[] = [];
const listedFiles = new Set<string>();
const kustomizations: Array<{ dir: string; k: Kustomization }> = [];
const resources: Array<{ file: string; doc: Manifest }> = [];

function parseYaml(file: string): unknown[] {
  listedFiles.add(file);
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const list = Array.isArray(docs) ? docs : [docs];
  const values: unknown[] = [];
  for (const doc of list) {
    for (const e of doc.errors) broken.push(`${rel(file)}: ${e.message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

function walk(dir: string): void {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) {
    missing.push(rel(file));
    return;
  }
  const [k = {}] = parseYaml(file) as Kustomization[];
  kustomizations.push({ dir, k });
  for (const entry of [...(k.resources ?? []), ...(k.components ?? [])]) {
    const path = resolve(dir, entry);
    if (!existsSync(path)) missing.push(rel(path));
    else if (statSync(path).isDirectory()) walk(path);
    else for (const doc of parseYaml(path)) resources.push({ file: rel(path), doc: doc as Manifest });
  }
  for (const p of k.patches ?? []) {
    if (!p.path) continue;
    if (existsSync(resolve(dir, p.path))) parseYaml(resolve(dir, p.path));
    else missing.push(rel(resolve(dir, p.path)));
  }
  for (const g of [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])]) {
    for (const f of [...(g.envs ?? []), ...(g.files ?? [])]) {
      const path = resolve(dir, f.replace(/^[^=]*=/, ''));
      if (!existsSync(path)) missing.push(rel(path));
      else listedFiles.add(path);
    }
  }
}

walk(baseDir);
const root = kustomizations[0]?.k ?? {};
const manifests = resources.map((r) => r.doc);

/** Generated and plain ConfigMaps and Secrets by name: what envFrom and *KeyRef can point at. */
const sources = new Map<string, { kind: 'ConfigMap' | 'Secret'; data: Record<string, string> }>();
for (const { k } of kustomizations) {
  for (const [kind, generators] of [['ConfigMap', k.configMapGenerator], ['Secret', k.secretGenerator]] as const) {
    for (const g of generators ?? []) {
      const data: Record<string, string> = {};
      for (const literal of g.literals ?? []) {
        const at = literal.indexOf('=');
        data[literal.slice(0, at)] = literal.slice(at + 1);
      }
      sources.set(g.name, { kind, data });
    }
  }
}
for (const m of manifests) {
  if (m.kind === 'ConfigMap') sources.set(m.metadata.name, { kind: 'ConfigMap', data: { ...m.data } });
  if (m.kind === 'Secret') sources.set(m.metadata.name, { kind: 'Secret', data: { ...m.stringData, ...m.data } });
}

/** A config schema's keys, as the parts export them (`baseConfigShape`, `gatewayConfigShape`, …). */
type Shape = Record<string, z.ZodType>;

// --- the parts -----------------------------------------------------------------------------------

const PARTS = [...SERVICES, 'gateway', 'portal'] as const;
type Part = (typeof PARTS)[number];
const isService = (part: string) => (SERVICES as readonly string[]).includes(part);

const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const named = (kind: string, name: string) => ofKind(kind).filter((m) => m.metadata.name === name);

function one<T>(list: T[], what: string): T {
  expect(list, `exactly one ${what}`).toHaveLength(1);
  return list[0]!;
}

/** A label selector as the API server applies it; an empty one selects everything. */
function matches(selector: Selector | undefined, labels: Labels = {}): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === 'In' && !(has && e.values?.includes(labels[e.key]!))) return false;
    if (e.operator === 'NotIn' && has && e.values?.includes(labels[e.key]!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const selectsAll = (s: Selector | undefined) => !!s && Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;

/** Every pod template: the Deployments' and the Jobs'. */
const templates = manifests
  .filter((m) => m.kind === 'Deployment' || m.kind === 'Job')
  .map((m) => ({ owner: `${m.kind}/${m.metadata.name}`, labels: (m.spec?.template?.metadata?.labels ?? {}) as Labels, pod: m.spec?.template?.spec ?? {} }));

const deploymentOf = (part: Part): Manifest => one(named('Deployment', part), `Deployment ${part}`);
const containerOf = (workload: Manifest) => one<any>(workload.spec?.template?.spec?.containers ?? [], `container in ${workload.kind} ${workload.metadata.name}`);

function portNumber(container: any, port: string | number): number | undefined {
  if (typeof port === 'number') return (container.ports ?? []).some((p: any) => p.containerPort === port) ? port : undefined;
  return (container.ports ?? []).find((p: any) => p.name === port)?.containerPort;
}

/** The environment a container starts with: envFrom first, then env, as the kubelet builds it. */
function envOf(container: any): { env: Record<string, string>; unresolved: string[] } {
  const env: Record<string, string> = {};
  const unresolved: string[] = [];
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const source = sources.get(ref?.name);
    if (!source || source.kind !== (from.configMapRef ? 'ConfigMap' : 'Secret')) unresolved.push(`envFrom ${ref?.name}`);
    else for (const [k, v] of Object.entries(source.data)) env[(from.prefix ?? '') + k] = v;
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    else {
      const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
      const value = sources.get(ref?.name)?.data[ref?.key];
      if (value === undefined) unresolved.push(`${e.name} from ${ref?.name}/${ref?.key}`);
      else env[e.name] = value;
    }
  }
  return { env, unresolved };
}

/**
 * The config keys a part parses at start, from its own code: kit's baseConfigShape for a service,
 * plus every `export const <x>ConfigShape` under the part's src/ (gateway/src/config.ts,
 * services/partners/src/imports/imports.routes.ts, …).
 */
async function configShapeOf(part: string): Promise<Shape> {
  const src = isService(part) ? join(repo, 'services', part, 'src') : join(repo, part, 'src');
  const shape: Shape = isService(part) ? { ...baseConfigShape } : {};
  const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const f of files) {
    const names = [...readFileSync(join(src, f), 'utf8').matchAll(/export const (\w+ConfigShape)\b/g)].map((m) => m[1]!);
    if (names.length === 0) continue;
    const mod = (await import(pathToFileURL(join(src, f)).href)) as Record<string, Shape>;
    for (const name of names) Object.assign(shape, mod[name]);
  }
  return shape;
}
const requiredKeys = (shape: Shape) => Object.entries(shape).filter(([, s]) => !s.safeParse(undefined).success).map(([k]) => k);

/** The keys the portal reads from its environment at request time (web/src/config/portal-config.ts). */
const portalKeys = [...readFileSync(join(repo, 'web/src/config/portal-config.ts'), 'utf8').matchAll(/env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!);

/** kit's serve() gives up waiting for a graceful stop after this long (packages/kit/src/service.ts). */
const kitShutdownSeconds = (() => {
  const m = /closeWithGrace\(\{\s*delay:\s*([\d_]+)/.exec(readFileSync(join(repo, 'packages/kit/src/service.ts'), 'utf8'));
  return m ? Number(m[1]!.replace(/_/g, '')) / 1000 : NaN;
})();

/** The command's file, as a path in the repository (relative paths start at the image's WORKDIR). */
function entryFile(command: string[], workingDir = IMAGE_ROOT): string | undefined {
  const arg = command.find((a) => /\.(ts|mjs|js)$/.test(a) || a.endsWith('/next'));
  if (!arg) return undefined;
  const inImage = arg.startsWith('/') ? arg : join(workingDir, arg);
  return join(repo, relative(IMAGE_ROOT, inImage));
}

// --- the checks ----------------------------------------------------------------------------------

describe('deploy/k8s', () => {
  it('lists only files that exist and parse, and leaves no manifest in the folder out', () => {
    expect(missing, 'listed but missing').toEqual([]);
    expect(broken, 'YAML errors').toEqual([]);
    const onDisk = (readdirSync(baseDir, { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(baseDir, f));
    expect(onDisk.filter((f) => !listedFiles.has(f)).map(rel), 'YAML files no kustomization lists').toEqual([]);
    for (const { file, doc } of resources) {
      expect(doc.apiVersion && doc.kind && doc.metadata?.name, `${file}: apiVersion, kind, metadata.name`).toBeTruthy();
    }
    const ids = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), 'duplicate resources').toEqual([]);
  });

  it('puts everything in the kapocs namespace, labelled part-of kapocs', () => {
    expect(root.namespace).toBe('kapocs');
    one(named('Namespace', 'kapocs'), 'Namespace kapocs');
    const partOf = (root.labels ?? []).find((l) => l.pairs['app.kubernetes.io/part-of'] === 'kapocs');
    expect(partOf, 'labels: app.kubernetes.io/part-of: kapocs').toBeDefined();
    expect(partOf?.includeTemplates, 'the label reaches the pods too').toBe(true);
    // selectors are immutable: a common label in them would block the next rollout that changes it
    expect(partOf?.includeSelectors ?? true).toBe(false);
  });

  it('knows every service there is', () => {
    const onDisk = readdirSync(join(repo, 'services')).filter((d) => existsSync(join(repo, 'services', d, 'src', 'main.ts')));
    expect([...SERVICES].sort()).toEqual(onDisk.sort());
  });

  it('uses only images the kustomization sets, and sets only images in use', () => {
    const images = (root.images ?? []).map((i) => i.name);
    const used = new Set(templates.flatMap((t) => [...(t.pod.containers ?? []), ...(t.pod.initContainers ?? [])].map((c: any) => c.image as string)));
    expect([...used].filter((i) => !images.includes(i)), 'container images without an images: entry').toEqual([]);
    expect(images.filter((i) => !used.has(i)), 'images: entries no container uses').toEqual([]);
    for (const i of root.images ?? []) expect(i.newTag ?? i.digest, `${i.name}: a tag or digest`).toBeTruthy();
  });

  it('holds placeholders in its Secret, never credentials', () => {
    const secrets = (root.secretGenerator ?? []).flatMap((g) => g.literals ?? []);
    expect(secrets.length).toBeGreaterThan(0);
    for (const literal of secrets) expect(literal, 'every secret value is marked CHANGE-ME').toContain('CHANGE-ME');
  });

  it('lets each Service select the pods of exactly one Deployment', () => {
    for (const svc of ofKind('Service')) {
      const owners = templates.filter((t) => matches({ matchLabels: svc.spec?.selector }, t.labels)).map((t) => t.owner);
      expect(owners, `Service ${svc.metadata.name} selects`).toEqual([`Deployment/${svc.metadata.name}`]);
    }
  });

  describe.each(PARTS)('%s', (part) => {
    it('has one Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget, each aimed at its pods', () => {
      const deployment = deploymentOf(part);
      const podLabels = deployment.spec.template.metadata.labels as Labels;
      expect(podLabels['app.kubernetes.io/name']).toBe(part);
      expect(deployment.metadata.labels?.['app.kubernetes.io/name']).toBe(part);
      expect(matches(deployment.spec.selector, podLabels), 'Deployment selector matches its pod labels').toBe(true);
      expect(deployment.spec.replicas, 'replicas belong to the HPA; a fixed count resets it on every apply').toBeUndefined();

      const service = one(named('Service', part), `Service ${part}`);
      expect(matches({ matchLabels: service.spec.selector }, podLabels), 'Service selector matches the pods').toBe(true);

      const hpas = ofKind('HorizontalPodAutoscaler').filter((h) => h.spec?.scaleTargetRef?.name === part);
      const hpa = one(hpas, `HorizontalPodAutoscaler for ${part}`);
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
      expect(hpa.spec.minReplicas, 'at least two pods, so a PDB can let one go').toBeGreaterThanOrEqual(2);
      expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
      expect(hpa.spec.metrics).toContainEqual(expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) }));

      const pdbs = ofKind('PodDisruptionBudget').filter((p) => matches(p.spec?.selector, podLabels));
      const pdb = one(pdbs, `PodDisruptionBudget selecting ${part}'s pods`);
      expect(pdb.apiVersion).toBe('policy/v1');
      expect(pdb.spec.minAvailable ?? pdb.spec.maxUnavailable, 'minAvailable or maxUnavailable').toBeDefined();
    });

    it('runs its entry point, which exists', () => {
      const container = containerOf(deploymentOf(part));
      const expected = part === 'portal' ? 'node_modules/next/dist/bin/next' : isService(part) ? `services/${part}/src/main.ts` : 'gateway/src/main.ts';
      const file = entryFile(container.command ?? [], container.workingDir);
      expect(file && rel(file)).toBe(expected);
      expect(existsSync(file!), `${expected} exists`).toBe(true);
      if (part !== 'portal') expect(container.command.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
    });

    it('probes /healthz and /readyz on the port its Service targets', () => {
      const container = containerOf(deploymentOf(part));
      const service = one(named('Service', part), `Service ${part}`);
      const servicePort = one<any>(service.spec.ports, `port of Service ${part}`);
      const target = portNumber(container, servicePort.targetPort ?? servicePort.port);
      expect(target, 'Service targetPort is a container port').toBeDefined();
      // the portal (Next.js) has no health routes; /portal-config only reads the environment
      const [live, ready] = part === 'portal' ? ['/portal-config', '/portal-config'] : ['/healthz', '/readyz'];
      expect(container.livenessProbe?.httpGet?.path).toBe(live);
      expect(container.readinessProbe?.httpGet?.path).toBe(ready);
      if (container.startupProbe) expect(container.startupProbe.httpGet?.path).toBe(live);
      for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe].filter(Boolean)) {
        expect(portNumber(container, probe.httpGet.port), 'probe port').toBe(target);
      }
    });

    it('runs as non-root on a read-only root filesystem, with a writable /tmp, requests and limits', () => {
      checkPod(deploymentOf(part));
      const container = containerOf(deploymentOf(part));
      expect(container.resources?.requests?.cpu, 'a CPU request: the HPA computes utilisation from it').toBeDefined();
      expect(container.resources?.requests?.memory).toBeDefined();
      expect(container.resources?.limits?.memory).toBeDefined();
      const pod = deploymentOf(part).spec.template.spec;
      const preStop = Number(container.lifecycle?.preStop?.exec?.command?.at(-1) ?? 0);
      // services and gateway stop through kit's serve(); the portal through next
      const stop = part === 'portal' ? 0 : kitShutdownSeconds;
      expect(stop, 'kit serve()\'s shutdown timer found in packages/kit/src/service.ts').not.toBeNaN();
      expect(pod.terminationGracePeriodSeconds, 'room for preStop and a graceful stop').toBeGreaterThan(preStop + stop);
    });

    it('is given every config key it requires, with values its schema accepts', async () => {
      const deployment = deploymentOf(part);
      const container = containerOf(deployment);
      const { env, unresolved } = envOf(container);
      expect(unresolved, 'env from missing ConfigMaps, Secrets or keys').toEqual([]);
      const port = one<any>(container.ports, 'container port').containerPort;
      const loopback = Object.entries(env).filter(([, v]) => /\/\/(localhost|127\.0\.0\.1)\b/.test(v)).map(([k]) => k);
      expect(loopback, 'no key points at loopback in a pod').toEqual([]);
      if (part === 'portal') {
        expect(portalKeys.length).toBeGreaterThan(0);
        // each has a localhost fallback for development: production must set them all
        expect(portalKeys.filter((k) => env[k] === undefined), 'keys of web/src/config/portal-config.ts not set').toEqual([]);
        return;
      }
      const shape = await configShapeOf(part);
      expect(requiredKeys(shape).filter((k) => env[k] === undefined), 'required keys not set').toEqual([]);
      const config = loadConfig(shape, env) as Record<string, unknown>;
      expect(config.HOST).toBe('0.0.0.0');
      // services listen on PORT (kit bootstrap), the gateway on GATEWAY_PORT (gateway/src/config.ts)
      expect(config[isService(part) ? 'PORT' : 'GATEWAY_PORT'], 'listens on its container port').toBe(port);
    });
  });

  describe.each(SERVICES)('%s migration', (service) => {
    const jobs = () => ofKind('Job').filter((j) => j.spec?.template?.metadata?.labels?.['app.kubernetes.io/name'] === service);

    it('has one Job that runs its migrate.ts, which exists', () => {
      const job = one(jobs(), `migration Job of ${service}`);
      const container = containerOf(job);
      expect(container.command.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
      const file = entryFile(container.command, container.workingDir);
      expect(file && rel(file)).toBe(`services/${service}/src/migrate.ts`);
      expect(existsSync(file!)).toBe(true);
      expect(['Never', 'OnFailure']).toContain(job.spec.template.spec.restartPolicy);
      expect(job.spec.backoffLimit).toBeDefined();
      expect(job.spec.template.metadata.labels['app.kubernetes.io/component'], 'not the Service\'s pods').not.toBe(deploymentOf(service).spec.template.metadata.labels['app.kubernetes.io/component']);
      checkPod(job);
    });

    it('is given the config migrate.ts parses', () => {
      const { env, unresolved } = envOf(containerOf(one(jobs(), `migration Job of ${service}`)));
      expect(unresolved).toEqual([]);
      // migrateService() defaults PORT to the service's own (packages/kit/src/bootstrap.ts): it does not listen
      const shape = { ...baseConfigShape, PORT: baseConfigShape.PORT.optional() };
      expect(requiredKeys(shape).filter((k) => env[k] === undefined), 'required keys not set').toEqual([]);
      expect(() => loadConfig(shape, env)).not.toThrow();
    });
  });

  it('gives each service its DATABASE_URL from a Secret of its own, as its own role, in its Deployment and its migration Job alike', () => {
    const secretRefsOf = (pod: any) => [...(pod.containers ?? []), ...(pod.initContainers ?? [])].flatMap((c: any) => [
      ...(c.env ?? []).map((e: any) => e.valueFrom?.secretKeyRef?.name),
      ...(c.envFrom ?? []).map((f: any) => f.secretRef?.name),
    ]).filter(Boolean) as string[];
    const secrets = new Set<string>();
    for (const service of SERVICES) {
      const job = one(ofKind('Job').filter((j) => j.spec?.template?.metadata?.labels?.['app.kubernetes.io/name'] === service), `migration Job of ${service}`);
      const refs = [deploymentOf(service), job].map((w) => (containerOf(w).env ?? []).find((e: any) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef);
      for (const ref of refs) expect(ref, `${service}: DATABASE_URL from a secretKeyRef`).toBeDefined();
      // the Job migrates as the owner of the schema: the same role as the service
      expect(refs[1], `${service}: the migration Job reads the Deployment's secret`).toEqual(refs[0]);
      const name = refs[0].name as string;
      expect(sources.get(name)?.kind, `${name} is a Secret`).toBe('Secret');
      expect(Object.keys(sources.get(name)!.data), `${name} holds the service's DATABASE_URL only`).toEqual(['DATABASE_URL']);
      expect(new URL(sources.get(name)!.data[refs[0].key]!).username, `${service} connects as its own role`).toBe(service);
      expect(secrets.has(name), `${name} is not shared`).toBe(false);
      secrets.add(name);
      const readers = templates.filter((t) => secretRefsOf(t.pod).includes(name)).map((t) => t.owner).sort();
      expect(readers, `only ${service}'s pods read ${name}`).toEqual([`Deployment/${service}`, `Job/${job.metadata.name}`].sort());
    }
    // nothing else hands out a database URL: not the shared Secret, not the ConfigMap, not the gateway or the portal
    for (const [name, source] of sources) if (!secrets.has(name)) expect(source.data.DATABASE_URL, `${name} has no DATABASE_URL`).toBeUndefined();
    for (const part of ['gateway', 'portal'] as const) expect(envOf(containerOf(deploymentOf(part))).env.DATABASE_URL, part).toBeUndefined();
  });

  it('lets the gateway reach each service by its Service name and port', () => {
    const { env } = envOf(containerOf(deploymentOf('gateway')));
    for (const service of SERVICES) {
      const url = new URL(env[`${service.toUpperCase()}_URL`] ?? 'http://unset');
      const svc = one(named('Service', url.hostname), `Service ${url.hostname} (${service.toUpperCase()}_URL)`);
      expect(svc.metadata.name).toBe(service);
      expect(svc.spec.ports.map((p: any) => p.port)).toContain(Number(url.port || (url.protocol === 'https:' ? 443 : 80)));
    }
  });

  it('routes the public hosts to the gateway and the portal, and tells the browser and CORS the same hosts', () => {
    const ingress = one(ofKind('Ingress'), 'Ingress');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    const backends = new Map<string, string>();
    for (const rule of ingress.spec.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const { name, port } = path.backend.service;
        const svc = one(named('Service', name), `Service ${name} behind ${rule.host}`);
        expect(svc.spec.ports.some((p: any) => p.name === port.name || p.port === port.number), `${name} has port ${port.name ?? port.number}`).toBe(true);
        if (path.path === '/') backends.set(rule.host, name);
      }
    }
    const gateway = envOf(containerOf(deploymentOf('gateway'))).env;
    const portal = envOf(containerOf(deploymentOf('portal'))).env;
    expect(backends.get(new URL(portal.GATEWAY_PUBLIC_URL!).hostname), 'GATEWAY_PUBLIC_URL is served by the gateway').toBe('gateway');
    expect(backends.get(new URL(gateway.PORTAL_URL!).hostname), 'PORTAL_URL (CORS) is served by the portal').toBe('portal');
    // tokens the browser gets from the public Keycloak carry that issuer; every part must expect it
    const issuer = `${portal.KEYCLOAK_PUBLIC_URL}/realms/${portal.KEYCLOAK_REALM}`;
    for (const part of [...SERVICES, 'gateway'] as const) expect(envOf(containerOf(deploymentOf(part))).env.OIDC_ISSUER, `${part} OIDC_ISSUER`).toBe(issuer);
  });

  it('denies ingress by default, lets the ingress controller reach the gateway and the portal, and only the gateway reach the services', () => {
    const policies = ofKind('NetworkPolicy');
    const denyAll = policies.filter((p) => selectsAll(p.spec?.podSelector) && p.spec.policyTypes?.includes('Ingress') && !p.spec.ingress?.length);
    expect(denyAll.length, 'a default-deny ingress policy').toBeGreaterThan(0);

    /** Who may reach these pods on this port: the `from` peers of every rule that applies. */
    const peersOf = (podLabels: Labels, container: any, port: number) =>
      policies
        .filter((p) => matches(p.spec.podSelector, podLabels))
        .flatMap((p) => p.spec.ingress ?? [])
        .filter((rule: any) => !rule.ports || rule.ports.some((p: any) => portNumber(container, p.port) === port))
        .flatMap((rule: any) => rule.from ?? [{ everyone: true }]);

    const gatewayPods = deploymentOf('gateway').spec.template.metadata.labels as Labels;
    for (const service of SERVICES) {
      const deployment = deploymentOf(service);
      const container = containerOf(deployment);
      const peers = peersOf(deployment.spec.template.metadata.labels, container, container.ports[0].containerPort);
      expect(peers.some((p: any) => !p.namespaceSelector && matches(p.podSelector, gatewayPods)), `gateway → ${service}`).toBe(true);
      const others = peers.filter((p: any) => p.namespaceSelector || p.ipBlock || !p.podSelector || templates.some((t) => t.owner !== 'Deployment/gateway' && matches(p.podSelector, t.labels)));
      expect(others, `only the gateway reaches ${service}`).toEqual([]);
    }
    for (const part of ['gateway', 'portal'] as const) {
      const deployment = deploymentOf(part);
      const container = containerOf(deployment);
      const peers = peersOf(deployment.spec.template.metadata.labels, container, container.ports[0].containerPort);
      expect(peers.some((p: any) => p.namespaceSelector), `ingress controller → ${part}`).toBe(true);
    }
  });
});

/** Pod Security "restricted" as far as a manifest shows it, plus the writable /tmp tsx needs. */
function checkPod(workload: Manifest) {
  const pod = workload.spec.template.spec;
  const container = containerOf(workload);
  const what = `${workload.kind} ${workload.metadata.name}`;
  expect(pod.securityContext?.runAsNonRoot ?? container.securityContext?.runAsNonRoot, `${what}: runAsNonRoot`).toBe(true);
  // the image's USER is the name `node`: without a numeric id the kubelet refuses to start the pod
  expect(pod.securityContext?.runAsUser ?? container.securityContext?.runAsUser, `${what}: numeric non-root runAsUser`).toBeGreaterThan(0);
  expect((pod.securityContext?.seccompProfile ?? container.securityContext?.seccompProfile)?.type, `${what}: seccomp`).toBe('RuntimeDefault');
  expect(container.securityContext?.allowPrivilegeEscalation, `${what}: allowPrivilegeEscalation`).toBe(false);
  expect(container.securityContext?.capabilities?.drop, `${what}: drops capabilities`).toContain('ALL');
  expect(container.securityContext?.readOnlyRootFilesystem, `${what}: read-only root filesystem`).toBe(true);
  const tmp = (container.volumeMounts ?? []).find((m: any) => m.mountPath === '/tmp');
  expect(tmp, `${what}: /tmp mounted`).toBeDefined();
  expect((pod.volumes ?? []).find((v: any) => v.name === tmp?.name)?.emptyDir, `${what}: /tmp is an emptyDir`).toBeDefined();
  expect(envOf(container).env.TMPDIR, `${what}: TMPDIR`).toBe('/tmp');
}
