/**
 * The compatibility suite: Applications and definitions in KubeVela's
 * formats, written by us as KubeVela users write them (applications/,
 * definitions/), rendered by `vela dry-run` unchanged. Together the
 * Applications use every built-in component and trait, and each case of
 * issue 11. Every object is checked against its published schema (or a CRD
 * of ours) and against golden manifests (test/compat/golden, UPDATE_GOLDEN=1
 * rewrites them); the e2e suite beside this file sends them to the real
 * API server.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { loadRegistry } from '../../src/pipeline/registry.js';
import { manifestsToYaml, type Manifest } from '../../src/render/index.js';
import { DiagnosticError, formatDiagnostics } from '../../src/source/index.js';
import { expectGolden } from '../support/golden.js';
import { k8sProblems } from '../support/k8s-validate.js';
import { APPLICATIONS, COMPAT_DEFINITIONS, NO_HOME, ROOT, renderApplication } from './harness.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const rendered = new Map<string, Promise<Manifest[]>>();
/** Each Application rendered once for the file. */
function manifests(app: string): Promise<Manifest[]> {
  let r = rendered.get(app);
  if (!r) rendered.set(app, (r = renderApplication(app).then((x) => [...x.manifests])));
  return r;
}

function find(ms: readonly Manifest[], kind: string, name: string): Any {
  const m = ms.find((x) => x.object.kind === kind && (x.object.metadata as Any).name === name);
  expect(m, `${kind}/${name} in ${ms.map((x) => `${String(x.object.kind)}/${String((x.object.metadata as Any).name)}`).join(', ')}`).toBeDefined();
  return m!.object;
}

const podSpec = (workload: Any) => workload.spec.template.spec;

describe('KubeVela Applications render unchanged', () => {
  it.each(APPLICATIONS)('%s: valid objects, as the golden manifests', async (app) => {
    const ms = await manifests(app);
    const problems = (await Promise.all(ms.map((m) => k8sProblems(m.object)))).flat();
    expect(problems).toEqual([]);
    expectGolden(join(ROOT, 'test/compat/golden', app), manifestsToYaml(ms));
  });

  it('use every built-in component and trait between them', async () => {
    const { registry } = await loadRegistry({ cwd: ROOT, velaHome: NO_HOME });
    const used = new Set<string>();
    for (const app of APPLICATIONS) {
      const doc = parse(readFileSync(join(ROOT, 'test/compat/applications', app), 'utf8')) as Any;
      for (const c of doc.spec.components) {
        used.add(c.type);
        for (const t of c.traits ?? []) used.add(t.type);
      }
    }
    // ref-objects reads objects from a cluster (the e2e suite beside this file renders it there); canary is
    // vela's own, not KubeVela's (test/canary covers it); helmchart is the fluxcd addon's type in KubeVela, a
    // built-in here (test/commands/client-render.test.ts and the addon tests render it).
    const elsewhere = new Set(['ref-objects', 'canary', 'helmchart']);
    const builtins = [...registry.components(), ...registry.traits()].filter((d) => d.origin === 'builtin' && !elsewhere.has(d.name)).map((d) => d.name);
    expect(builtins.filter((n) => !used.has(n))).toEqual([]);
  });
});

describe('the cases of issue 11', () => {
  it('env, command, container-ports and startup-probe take their single-container form', async () => {
    const frontend = find(await manifests('frontend.yaml'), 'Deployment', 'frontend');
    const [main] = podSpec(frontend).containers;
    expect(main.env).toEqual(expect.arrayContaining([{ name: 'LOG_FORMAT', value: 'json' }, { name: 'FEATURE_FLAGS', value: 'checkout-v2' }]));
    expect(main.args).toEqual(['--port', '8080']);
    expect(main.ports).toEqual(expect.arrayContaining([expect.objectContaining({ containerPort: 9090, protocol: 'TCP' })]));
    expect(main.startupProbe).toMatchObject({ httpGet: { path: '/started', port: 8080 }, failureThreshold: 30 });
  });

  it('storage with only an emptyDir mounts it and makes no other object', async () => {
    const ms = await manifests('frontend.yaml');
    const spec = podSpec(find(ms, 'Deployment', 'frontend'));
    // KubeVela names the volume after its kind.
    expect(spec.volumes).toEqual([{ name: 'emptydir-cache', emptyDir: { medium: '' } }]);
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'emptydir-cache', mountPath: '/var/cache/storefront' }]);
    expect(ms.filter((m) => m.origin.trait === 'storage')).toEqual([]);
  });

  it("lifecycle's open-list patch gives every container the hook", async () => {
    const spec = podSpec(find(await manifests('frontend.yaml'), 'Deployment', 'frontend'));
    for (const c of spec.containers) expect(c.lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
  });

  it('service-account with cluster rights makes a ClusterRole named <namespace>:frontend-sa', async () => {
    const ms = await manifests('frontend.yaml');
    expect(find(ms, 'ClusterRole', 'default:frontend-sa').rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }]);
    expect(find(ms, 'ClusterRoleBinding', 'default:frontend-sa').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'default:frontend-sa' });
    expect(podSpec(find(ms, 'Deployment', 'frontend')).serviceAccountName).toBe('frontend-sa');
  });

  it('expose without annotations and init-container without extraVolumeMounts need nothing more', async () => {
    const ms = await manifests('backend.yaml');
    expect(find(ms, 'Service', 'api').spec.ports).toEqual([expect.objectContaining({ port: 8000 })]);
    const init = podSpec(find(ms, 'Deployment', 'api')).initContainers;
    expect(init.map((c: Any) => [c.name, c.volumeMounts])).toEqual([['migrate', [{ name: 'workdir', mountPath: '/migrations' }]]]);
  });

  it('a microservice definition takes its variables as a map', async () => {
    const orders = find(await manifests('user-definitions.yaml'), 'Deployment', 'orders');
    expect(podSpec(orders).containers[0].env).toEqual([
      { name: 'PAYMENT_URL', value: 'http://payments:8080' },
      { name: 'CURRENCY', value: 'EUR' },
    ]);
  });

  it('`custom: *parameter["env"] | []` falls back to [] when the optional env is not given', async () => {
    const ms = await manifests('user-definitions.yaml');
    expect(podSpec(find(ms, 'Deployment', 'mailer')).containers[0].env).toEqual([]);
    expect(podSpec(find(ms, 'Deployment', 'mailer-eu')).containers[0].env).toEqual([{ name: 'REGION', value: 'eu' }]);
  });

  it("a workload the template leaves unnamed gets the component's name, and traits for deployments.apps apply to it", async () => {
    const gateway = find(await manifests('user-definitions.yaml'), 'Deployment', 'gateway');
    expect(gateway.metadata.namespace).toBe('default');
    expect(gateway.spec.replicas).toBe(3);
    // The user trait's comprehension: `{"name": name, "value": value}` takes the loop variables.
    expect(gateway.spec.template.metadata.labels).toMatchObject({ team: 'platform', 'cost-center': 'cc-42' });
  });

  it('a Knative service of a user definition is named after its component', async () => {
    const hello = find(await manifests('user-definitions.yaml'), 'Service', 'hello');
    expect(hello.apiVersion).toBe('serving.knative.dev/v1');
    expect(hello.spec.template.spec.containers[0].env).toEqual([{ name: 'TARGET', value: 'world' }]);
  });

  it("a v1alpha2 WorkloadDefinition takes the service's image as context.image", async () => {
    const legacy = find(await manifests('user-definitions.yaml'), 'Deployment', 'legacy');
    expect(podSpec(legacy).containers[0]).toEqual({ name: 'legacy', image: 'ghcr.io/example/legacy:0.1.0', command: ['/bin/legacy', '--serve'] });
  });

  it('a Terraform component becomes a Configuration with the properties as variables', async () => {
    const conf = find(await manifests('user-definitions.yaml'), 'Configuration', 'assets');
    expect(conf.spec).toMatchObject({ variable: { name: 'acme-assets', public: true }, providerRef: { name: 'cloud' }, writeConnectionSecretToRef: { name: 'bucket-conn', namespace: 'default' } });
    expect(conf.spec.hcl).toContain('resource "cloud_bucket" "this"');
  });

  describe("users' traits in the idioms of KubeVela's own", () => {
    it('`*#PatchParams | close({containers: ...})` takes the single form (the default) and the list form', async () => {
      const ms = await manifests('platform-traits.yaml');
      const [teller] = podSpec(find(ms, 'Deployment', 'teller')).containers;
      expect(teller.env).toEqual([
        { name: 'LEDGER_URL', value: 'postgres://ledger:5432/ledger' },
        { name: 'LOG_LEVEL', value: 'info' },
      ]);
      expect(podSpec(find(ms, 'DaemonSet', 'node-exporter')).containers[0].env).toEqual([{ name: 'COLLECTORS', value: 'cpu,meminfo' }]);
    });

    it('a parameter in both forms at once matches neither, and is refused as CUE refuses it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vela-compat-'));
      const app = { name: 'both', services: { web: { type: 'plain-server', image: 'nginx:1.27', traits: { 'pod-env': { env: { A: '1' }, containers: [{ env: { B: '2' } }] } } } } };
      writeFileSync(join(dir, 'vela.yaml'), JSON.stringify(app));
      const err = await dryRun({ cwd: dir, file: 'vela.yaml', definitionDirs: [COMPAT_DEFINITIONS], velaHome: NO_HOME }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DiagnosticError);
      expect(formatDiagnostics((err as DiagnosticError).diagnostics, { color: false })).toMatch(/pod-env/);
    });

    it("an open-list patch reaches every container, the sidecar's too, with the default when no value is given", async () => {
      const ms = await manifests('platform-traits.yaml');
      const teller = podSpec(find(ms, 'Deployment', 'teller')).containers;
      expect(teller.map((c: Any) => [c.name, c.lifecycle.preStop.exec.command])).toEqual([
        ['teller', ['sleep', '10']],
        ['audit-shipper', ['sleep', '10']],
      ]);
      expect(podSpec(find(ms, 'StatefulSet', 'ledger')).containers[0].lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    });

    it('optional volume lists: scratch space alone makes no claim; a claim given makes its PersistentVolumeClaim', async () => {
      const ms = await manifests('platform-traits.yaml');
      expect(ms.filter((m) => m.origin.service === 'teller' && m.object.kind === 'PersistentVolumeClaim')).toEqual([]);
      expect(podSpec(find(ms, 'Deployment', 'teller')).volumes).toContainEqual({ name: 'scratch-receipts', emptyDir: {} });
      expect(find(ms, 'PersistentVolumeClaim', 'ledger-data').spec.resources.requests.storage).toBe('5Gi');
      expect(podSpec(find(ms, 'StatefulSet', 'ledger')).volumes).toEqual([{ name: 'pvc-ledger-data', persistentVolumeClaim: { claimName: 'ledger-data' } }]);
    });

    it('a map and a list the user leaves out need no value: annotations {}, extraVolumeMounts []', async () => {
      const ms = await manifests('platform-traits.yaml');
      const service = ms.find((m) => m.origin.service === 'teller' && m.origin.trait === 'public-port')!.object as Any;
      expect(service.metadata.annotations).toEqual({});
      expect(podSpec(find(ms, 'Deployment', 'teller')).initContainers).toEqual([
        { name: 'migrate', image: 'ghcr.io/example/teller-migrations:2.4.0', command: ['/migrate', 'up'], volumeMounts: [{ name: 'migrations', mountPath: '/out' }] },
      ]);
    });

    it("an unnamed trait object is named <component>-<trait>-<hash>, stable across renders", async () => {
      const ms = await manifests('platform-traits.yaml');
      const service = ms.find((m) => m.origin.service === 'teller' && m.origin.trait === 'public-port')!.object as Any;
      expect(service.metadata.name).toMatch(/^teller-public-port-[0-9a-f]{10}$/);
    });

    it('a ClusterRole and its binding named <namespace>:<account>', async () => {
      const ms = await manifests('platform-traits.yaml');
      expect(find(ms, 'ClusterRoleBinding', 'default:exporter').roleRef.name).toBe('default:exporter');
      expect(find(ms, 'ClusterRole', 'default:exporter').metadata).not.toHaveProperty('namespace');
      expect(podSpec(find(ms, 'DaemonSet', 'node-exporter')).serviceAccountName).toBe('exporter');
    });

    it('unnamed DaemonSet and StatefulSet workloads are named after their components; traits for their kinds apply', async () => {
      const ms = await manifests('platform-traits.yaml');
      expect(find(ms, 'DaemonSet', 'node-exporter').metadata.namespace).toBe('default');
      expect(find(ms, 'StatefulSet', 'ledger').spec.serviceName).toBe('ledger');
    });

    it('a trait for Deployments and StatefulSets is refused on the DaemonSet; the hint names the components whose inferred workloads it fits', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vela-compat-'));
      const app = { name: 'agent', services: { agent: { type: 'node-agent', image: 'nginx:1.27', port: 9100, traits: { migrations: { image: 'busybox:1.36', mountPath: '/a', appMountPath: '/b' } } } } };
      writeFileSync(join(dir, 'vela.yaml'), JSON.stringify(app));
      const err = await dryRun({ cwd: dir, file: 'vela.yaml', definitionDirs: [COMPAT_DEFINITIONS], velaHome: NO_HOME }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DiagnosticError);
      const text = formatDiagnostics((err as DiagnosticError).diagnostics, { color: false });
      expect(text).toContain('trait "migrations" does not apply to component type "node-agent"');
      const hint = text.split('hint: ')[1]!.split(/,\s*|\s+/);
      expect(hint).toEqual(expect.arrayContaining(['plain-server', 'ledger-db', 'webservice']));
      expect(hint).not.toContain('node-agent');
    });
  });

  it('a --definitions folder holding policies and workflow steps loads', async () => {
    const { registry } = await loadRegistry({ cwd: ROOT, definitionDirs: [COMPAT_DEFINITIONS], velaHome: NO_HOME });
    expect(registry.policy('regional')?.schema.required).toEqual(['region']);
    expect(registry.workflowStep('smoke-test')?.schema.required).toEqual(['url']);
  });

  it('the deprecated ingress traits still make their Service and Ingress', async () => {
    const ms = await manifests('deprecated.yaml');
    expect(find(ms, 'Ingress', 'shop').spec.rules[0].host).toBe('shop.example.com');
    expect(find(ms, 'Service', 'shop').spec.ports[0].port).toBe(8080);
    expect(find(ms, 'Ingress', 'admin').metadata.annotations).toMatchObject({ 'kubernetes.io/ingress.class': 'nginx' });
  });

  it('renders the same bytes every time', async () => {
    for (const app of APPLICATIONS) {
      const again = await dryRun({ cwd: ROOT, file: join('test/compat/applications', app), definitionDirs: [COMPAT_DEFINITIONS], velaHome: NO_HOME });
      expect(manifestsToYaml(again.rendered.manifests)).toBe(manifestsToYaml(await manifests(app)));
    }
  });
});

describe('the suite itself', () => {
  it('has every Application of the folder', () => {
    expect(readdirSync(join(ROOT, 'test/compat/applications')).filter((f) => f.endsWith('.yaml')).sort()).toEqual([...APPLICATIONS].sort());
  });
});
