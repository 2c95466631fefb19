/**
 * KubeVela's own definitions, read at test time from a local mirror of its
 * repository (vela-templates/definitions: internal components and traits,
 * and the deprecated traits), when that mirror exists. Nothing of them is
 * kept in this repository: CI has no mirror, and the suites that use this
 * skip there, saying why. Sample properties for each definition are ours.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** The mirror (a git directory); VELA_KUBEVELA_MIRROR points elsewhere. */
export const MIRROR = process.env.VELA_KUBEVELA_MIRROR ?? '/work/.mirror/kubevela+kubevela/repo';

const FOLDERS = {
  component: 'vela-templates/definitions/internal/component',
  trait: 'vela-templates/definitions/internal/trait',
  deprecated: 'vela-templates/definitions/deprecated',
} as const;

const git = (...args: string[]) => execFileSync('git', ['-C', MIRROR, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

/** Why the mirror cannot be read ('' when it can). */
export function mirrorUnavailable(): string {
  if (!existsSync(MIRROR)) return `no KubeVela mirror at ${MIRROR} (set VELA_KUBEVELA_MIRROR)`;
  try {
    git('rev-parse', '--verify', 'HEAD:' + FOLDERS.component);
    return '';
  } catch (e) {
    return `the mirror at ${MIRROR} has no ${FOLDERS.component}: ${(e as Error).message.split('\n')[0]}`;
  }
}

export interface KubeVelaDefinitions {
  /** A folder holding every definition file read, for `--definitions`. */
  readonly dir: string;
  /** The commit they were read at. */
  readonly commit: string;
  readonly components: readonly string[];
  /** Internal traits, then the deprecated ones. */
  readonly traits: readonly string[];
  readonly deprecatedTraits: readonly string[];
}

/** Copies KubeVela's component and trait definitions (and its deprecated traits) into a temporary folder. */
export function readKubeVelaDefinitions(): KubeVelaDefinitions {
  const dir = mkdtempSync(join(tmpdir(), 'vela-kubevela-defs-'));
  const names: Record<keyof typeof FOLDERS, string[]> = { component: [], trait: [], deprecated: [] };
  for (const [kind, folder] of Object.entries(FOLDERS) as [keyof typeof FOLDERS, string][]) {
    for (const path of git('ls-tree', '--name-only', `HEAD:${folder}`).split('\n').filter((p) => p.endsWith('.cue'))) {
      const text = git('show', `HEAD:${folder}/${path}`);
      // The deprecated folder also holds workflow steps, a policy and a component; only its traits are of interest.
      if (kind === 'deprecated' && !/^\s*type:\s*"trait"/m.test(text)) continue;
      writeFileSync(join(dir, basename(path)), text);
      names[kind].push(basename(path, '.cue'));
    }
  }
  return { dir, commit: git('rev-parse', 'HEAD').trim(), components: names.component, traits: [...names.trait, ...names.deprecated], deprecatedTraits: names.deprecated };
}

/** Properties for a component of each type: what a user of it would give. */
export const COMPONENT_SAMPLES: Record<string, Record<string, unknown>> = {
  webservice: { image: 'nginx:1.27', ports: [{ port: 80, expose: true }], cpu: '0.5', memory: '256Mi' },
  worker: { image: 'ghcr.io/example/worker:1.0.0', cmd: ['/bin/worker'] },
  daemon: { image: 'ghcr.io/example/agent:1.0.0' },
  statefulset: { image: 'postgres:16', ports: [{ port: 5432 }] },
  task: { image: 'busybox:1.36', cmd: ['echo', 'done'], restart: 'OnFailure' },
  'cron-task': { image: 'busybox:1.36', schedule: '*/10 * * * *' },
  'k8s-objects': { objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } }] },
  // KubeVela reads these objects from the cluster; given in full, its template passes them through.
  'ref-objects': { objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' }, data: { b: '2' } }] },
  helmchart: { chart: { source: 'nginx', repoURL: 'https://charts.example.com', version: '1.0.0' } },
};

/** Components that cannot render without KubeVela's controller, with the reason. */
export const CONTROLLER_ONLY: Record<string, string> = {
  helmchart: 'it renders Helm charts through the controller\'s "vela/helm" provider package',
};

/** Properties for each trait, on a webservice. */
export const TRAIT_SAMPLES: Record<string, Record<string, unknown>> = {
  affinity: { podAntiAffinity: { preferred: [{ weight: 50, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } } }] } },
  annotations: { 'example.com/owner': 'web' },
  command: { command: ['nginx', '-g', 'daemon off;'] },
  'container-image': { image: 'nginx:1.27.1' },
  'container-ports': { ports: [{ containerPort: 8081 }] },
  cpuscaler: { min: 1, max: 3 },
  env: { env: { LOG_LEVEL: 'debug' } },
  expose: { port: [8080] },
  gateway: { domain: 'web.example.com', http: { '/': 80 } },
  hostalias: { hostAliases: [{ ip: '10.0.0.5', hostnames: ['db.internal'] }] },
  hpa: { min: 1, max: 3 },
  'init-container': { name: 'init', image: 'busybox:1.36', appMountPath: '/data', initMountPath: '/init' },
  'json-merge-patch': { spec: { minReadySeconds: 5 } },
  'json-patch': { operations: [{ op: 'add', path: '/spec/minReadySeconds', value: 5 }] },
  'k8s-update-strategy': { strategy: { type: 'Recreate' } },
  labels: { team: 'web' },
  lifecycle: { postStart: { exec: { command: ['echo', 'started'] } } },
  nocalhost: { port: 9080, gitUrl: 'https://example.com/web.git', image: 'java' },
  podsecuritycontext: { runAsUser: 1000 },
  'pure-ingress': { domain: 'web.example.com', http: { '/': 80 } },
  resource: { cpu: 0.5, memory: '256Mi' },
  scaler: { replicas: 2 },
  securitycontext: { runAsUser: 1000 },
  'service-account': { name: 'web-sa', create: true, privileges: [{ scope: 'cluster', verbs: ['get'], apiGroups: [''], resources: ['pods'] }] },
  'service-binding': { envMappings: { DATABASE_URL: { secret: 'db', key: 'url' } } },
  sidecar: { name: 'log', image: 'busybox:1.36', cmd: ['sleep', 'infinity'] },
  'startup-probe': { exec: { command: ['true'] } },
  storage: { emptyDir: [{ name: 'cache', mountPath: '/cache' }] },
  topologyspreadconstraints: { constraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 'web' } } }] },
  // Deprecated in KubeVela.
  ingress: { domain: 'web.example.com', http: { '/': 80 } },
  'ingress-1-20': { domain: 'web.example.com', http: { '/': 80 } },
  'node-affinity': { affinity: { disktype: ['ssd'] }, tolerations: { 'example.com/spot': 'NoSchedule' } },
  pvc: { claimName: 'data', resources: { requests: { storage: '1Gi' } }, volumesToMount: [{ name: 'data', mountPath: '/data' }] },
  volumes: { volumes: [{ name: 'scratch', type: 'emptyDir' }] },
  configmap: { volumes: [{ name: 'settings', mountPath: '/etc/settings', data: { a: 'b' } }] },
};

/** Traits that make a Service named like the component: on a webservice without exposed ports, so the two do not collide. */
export const MAKES_SERVICE = new Set(['expose', 'gateway', 'nocalhost', 'ingress', 'ingress-1-20']);
