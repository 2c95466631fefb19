/**
 * `vela def apply`, `get`, `delete` and `sync --from-cluster` (components,
 * traits, policies, workflow steps) against the real
 * kube-apiserver 1.20, with KubeVela's definition kinds installed as CRDs of
 * our own (test/fixtures/crds/kubevela-definitions.yaml: only the fields vela
 * uses, nothing else preserved, so a wrong field is refused by the server).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import DefApply from '../../src/commands/def/apply.js';
import DefDelete from '../../src/commands/def/delete.js';
import DefGet from '../../src/commands/def/get.js';
import DefList from '../../src/commands/def/list.js';
import DefSync from '../../src/commands/def/sync.js';
import DefVet from '../../src/commands/def/vet.js';
import DryRun from '../../src/commands/dry-run.js';
import { KubeClient, loadClusterTarget, type KubeObject } from '../../src/deploy/index.js';
import { ROOT, runCommand } from '../cli/harness.js';
import { installCrds } from '../support/crds.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';

const unavailable = await realClusterUnavailable('test/commands/def.e2e.test.ts');
const clusterTarget = unavailable ? undefined : await loadClusterTarget({ kubeconfig });
const title = unavailable ? `vela def on a real kube-apiserver (skipped: ${unavailable})` : 'vela def on a real kube-apiserver 1.20';
const crds = parseAllDocuments(readFileSync(join(ROOT, 'test/fixtures/crds/kubevela-definitions.yaml'), 'utf8')).map((d) => d.toJS() as KubeObject);
const ns = `vela-def-e2e-${process.pid}`;

const GREETER = `greeter: {
	type:        "component"
	description: "A ConfigMap that greets"
	attributes: {
		workload: definition: {apiVersion: "v1", kind: "ConfigMap"}
		status: customStatus: #"message: "ready""#
	}
}
template: {
	output: {
		apiVersion: "v1"
		kind:       "ConfigMap"
		metadata: name: context.name
		data: message: "\\(parameter.greeting), \\(context.appName)"
	}
	parameter: {
		// +usage=What to say
		greeting: *"hello" | string
	}
}
`;

const STAMP_YAML = `apiVersion: core.oam.dev/v1beta1
kind: TraitDefinition
metadata:
  name: stamp
  annotations:
    definition.oam.dev/description: Adds a label
spec:
  appliesToWorkloads: [deployments.apps]
  podDisruptive: false
  schematic:
    cue:
      template: |
        patch: metadata: labels: stamp: parameter.value
        parameter: value: string
`;

const NOTIFY = `import "vela/op"

notify: {
	type: "workflow-step"
	description: "Says something"
}
template: {
	wait: op.#ConditionalWait & {continue: true}
	parameter: message: string
}
`;

const TENANT = `tenant: {
	type: "policy"
	description: "Where a team's apps go"
}
template: {
	parameter: team: string & =~"^[a-z]+$"
}
`;

describe.skipIf(!!unavailable)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vela-def-e2e-'));
  const home = join(dir, 'home');
  const savedCwd = process.cwd();
  const savedHome = process.env.VELA_HOME;
  const client = clusterTarget && new KubeClient(clusterTarget);
  const k = ['--kubeconfig', kubeconfig, '-n', ns];
  const live = (kind: string, name: string) => client!.get({ apiVersion: 'core.oam.dev/v1beta1', kind, name, namespace: ns });

  beforeAll(async () => {
    process.chdir(dir);
    process.env.VELA_HOME = home;
    mkdirSync(join(dir, 'defs'));
    writeFileSync(join(dir, 'defs/greeter.cue'), GREETER);
    writeFileSync(join(dir, 'defs/stamp.yaml'), STAMP_YAML);
    writeFileSync(join(dir, 'defs/notify.cue'), NOTIFY);
    writeFileSync(join(dir, 'defs/tenant.cue'), TENANT);
    // Cluster-scoped and shared by every run: applied (idempotent), never deleted.
    await installCrds(client!, crds);
    await client!.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    // Established is not yet served: discovery lists a new group a moment later.
    for (let i = 0; ; i++) {
      const served = await Promise.all(crds.map((c) => client!.list('core.oam.dev/v1beta1', String((c.spec as { names: { kind: string } }).names.kind), { namespace: ns }).then(() => true, () => false)));
      if (served.every(Boolean)) break;
      if (i > 100) throw new Error('the definition CRDs are not served after 20 s');
      await new Promise((ok) => setTimeout(ok, 200));
    }
  });
  afterAll(async () => {
    process.chdir(savedCwd);
    if (savedHome === undefined) delete process.env.VELA_HOME;
    else process.env.VELA_HOME = savedHome;
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('apply writes the objects KubeVela stores, which the server accepts; again, nothing changes', async () => {
    const r = await runCommand(DefApply, ['defs', ...k]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('ComponentDefinition greeter created (from defs/greeter.cue)');
    expect(r.stderr).toContain('TraitDefinition stamp created (from defs/stamp.yaml)');
    expect(r.stderr).toContain('WorkflowStepDefinition notify created');
    expect(r.stderr).toContain('PolicyDefinition tenant created');
    expect(((await live('PolicyDefinition', 'tenant')) as { spec: { schematic: { cue: { template: string } } } }).spec.schematic.cue.template).toContain('team: string & =~"^[a-z]+$"');
    expect(((await live('WorkflowStepDefinition', 'notify')) as { spec: { schematic: { cue: { template: string } } } }).spec.schematic.cue.template).toMatch(/^import \(\n\t"vela\/op"\n\)/);
    const comp = (await live('ComponentDefinition', 'greeter')) as { metadata: { annotations: Record<string, string> }; spec: { workload: unknown; status: unknown; schematic: { cue: { template: string } } } };
    expect(comp.metadata.annotations['definition.oam.dev/description']).toBe('A ConfigMap that greets');
    expect(comp.spec.workload).toEqual({ definition: { apiVersion: 'v1', kind: 'ConfigMap' } });
    expect(comp.spec.status).toEqual({ customStatus: 'message: "ready"' });
    expect(comp.spec.schematic.cue.template).toContain('// +usage=What to say');
    expect(((await live('TraitDefinition', 'stamp')) as { spec: { appliesToWorkloads: string[] } }).spec.appliesToWorkloads).toEqual(['deployments.apps']);
    const again = await runCommand(DefApply, ['defs', ...k, '--json']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { objects: { action: string }[] }).objects.map((o) => o.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it('a definition the server refuses leaves nothing half-applied', async () => {
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad/a-good.cue'), GREETER.replace('greeter:', 'fine:'));
    // podDisruptive must be a boolean in KubeVela's API (and in our CRD).
    writeFileSync(join(dir, 'bad/b-wrong.yaml'), STAMP_YAML.replace('name: stamp', 'name: wrong').replace('podDisruptive: false', 'podDisruptive: "yes"'));
    const r = await runCommand(DefApply, ['bad', ...k]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/podDisruptive/);
    expect(await live('ComponentDefinition', 'fine')).toBeUndefined();
  });

  it('get prints a CUE file that reads back as the same definition', async () => {
    const r = await runCommand(DefGet, ['greeter', ...k]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^greeter: \{\n\ttype: "component"/);
    writeFileSync(join(dir, 'got.cue'), r.stdout);
    const back = await runCommand(DefApply, ['got.cue', ...k, '--json']);
    expect(back.exitCode, back.stderr).toBe(0);
    expect((JSON.parse(back.stdout) as { objects: { action: string }[] }).objects[0]!.action).toBe('unchanged');
    const yaml = await runCommand(DefGet, ['stamp', ...k, '-o', 'yaml']);
    expect(yaml.stdout).toContain('kind: TraitDefinition');
    expect(yaml.stdout).not.toContain('managedFields');
    const missing = await runCommand(DefGet, ['nothing', ...k]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain(`no definition nothing in namespace ${ns}`);
  });

  it('sync --from-cluster copies components, traits, policies and workflow steps into the cache, usable at once; reports added, updated, removed', async () => {
    const r = await runCommand(DefSync, ['--from-cluster', ...k, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const first = JSON.parse(r.stdout) as { added: string[]; updated: string[]; removed: string[]; skipped: { name: string }[] };
    expect(first.added).toEqual(['greeter', 'stamp', 'tenant', 'notify']);
    expect(first.skipped).toEqual([]);
    expect(readdirSync(join(home, 'definitions/cluster')).sort()).toEqual(['greeter.cue', 'notify.cue', 'stamp.cue', 'tenant.cue']);
    const policies = await runCommand(DefList, ['--type', 'policy']);
    expect(policies.stdout).toMatch(/^tenant\s+policy\s+Where a team's apps go\s+user/m);
    expect((await runCommand(DefList, ['--type', 'workflow-step'])).stdout).toMatch(/^notify\s+workflow-step\s+Says something\s+user/m);
    // The synced files read back as the definitions they came from.
    const vet = await runCommand(DefVet, [join(home, 'definitions/cluster/tenant.cue'), join(home, 'definitions/cluster/notify.cue')]);
    expect(vet.exitCode, vet.stderr).toBe(0);
    const list = await runCommand(DefList, []);
    expect(list.stdout).toMatch(/^greeter\s+component\s+A ConfigMap that greets\s+user/m);
    writeFileSync(join(dir, 'vela.yaml'), 'name: hi\nservices:\n  web:\n    type: greeter\n    greeting: salut\n');
    expect((await runCommand(DryRun, [])).stdout).toContain('message: salut, hi');

    // The cluster changes: one updated, one deleted.
    writeFileSync(join(dir, 'defs/greeter.cue'), GREETER.replace('A ConfigMap that greets', 'Greets, in a ConfigMap'));
    expect((await runCommand(DefApply, ['defs/greeter.cue', ...k])).exitCode).toBe(0);
    const del = await runCommand(DefDelete, ['stamp', ...k]);
    expect(del.exitCode, del.stderr).toBe(0);
    expect(await live('TraitDefinition', 'stamp')).toBeUndefined();
    const second = await runCommand(DefSync, ['--from-cluster', ...k]);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toContain('0 added, 1 updated, 1 removed, 2 unchanged');
    expect(existsSync(join(home, 'definitions/cluster/stamp.cue'))).toBe(false);
    expect(readFileSync(join(home, 'definitions/cluster/greeter.cue'), 'utf8')).toContain('Greets, in a ConfigMap');
  });
});
