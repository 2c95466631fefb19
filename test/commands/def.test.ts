/**
 * `vela def` without a cluster, in-process: list, init, vet, render, apply
 * --dry-run, and install/uninstall with the lock file from a folder.
 * From git and HTTP: def-sources.test.ts; against the real kube-apiserver:
 * def.e2e.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import DefApply from '../../src/commands/def/apply.js';
import DefInit from '../../src/commands/def/init.js';
import DefInstall from '../../src/commands/def/install.js';
import DefList from '../../src/commands/def/list.js';
import DefRender from '../../src/commands/def/render.js';
import DefShow from '../../src/commands/def/show.js';
import DefUninstall from '../../src/commands/def/uninstall.js';
import DefVet from '../../src/commands/def/vet.js';
import DryRun from '../../src/commands/dry-run.js';
import { runCommand } from '../cli/harness.js';

const GREETER = `greeter: {
	type:        "component"
	description: "A ConfigMap that greets"
	labels: team: "platform"
	attributes: workload: definition: {apiVersion: "v1", kind: "ConfigMap"}
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

const STAMP = `stamp: {
	type: "trait"
	description: "Adds a label"
	attributes: appliesToWorkloads: ["deployments.apps"]
}
template: {
	patch: metadata: labels: stamp: parameter.value
	parameter: value: string
}
`;

const NOTIFY = `notify: {
	type: "workflow-step"
	description: "Says something"
}
template: {
	parameter: message: string
}
`;

// A policy and a workflow step as KubeVela writes them: the step's template uses a provider vela lacks.
const TENANT = `tenant: {
	type:        "policy"
	description: "Where a team's apps go"
}
template: {
	parameter: {
		// +usage=The team, in lower case
		team: string & =~"^[a-z]+$"
		quota: *10 | int
	}
}
`;

const ANNOUNCE = `import "vela/op"

announce: {
	type:        "workflow-step"
	description: "Announces a release"
}
template: {
	wait: op.#ConditionalWait & {continue: true}
	parameter: {
		message: string
		channel: *"releases" | string
	}
}
`;

describe('vela def (no cluster)', () => {
  let dir: string;
  const savedCwd = process.cwd();
  const savedHome = process.env.VELA_HOME;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vela-def-'));
    process.chdir(dir);
    process.env.VELA_HOME = join(dir, 'home');
    mkdirSync(join(dir, 'defs'));
    writeFileSync(join(dir, 'defs/greeter.cue'), GREETER);
    writeFileSync(join(dir, 'defs/stamp.cue'), STAMP);
  });
  afterEach(() => {
    process.chdir(savedCwd);
    if (savedHome === undefined) delete process.env.VELA_HOME;
    else process.env.VELA_HOME = savedHome;
    rmSync(dir, { recursive: true, force: true });
  });

  it('list shows components and traits with their source; --definitions adds a folder; show prints parameters', async () => {
    const r = await runCommand(DefList, ['--definitions', 'defs']);
    expect(r.stdout).toMatch(/^NAME\s+TYPE\s+DESCRIPTION\s+SOURCE$/m);
    expect(r.stdout).toMatch(/^greeter\s+component\s+A ConfigMap that greets\s+flag \(defs\/greeter\.cue\)$/m);
    expect(r.stdout).toMatch(/^stamp\s+trait\s+Adds a label\s+flag/m);
    expect(r.stdout).toMatch(/^webservice\s+component\s+.*builtin$/m);
    const traits = (await runCommand(DefList, ['--type', 'trait', '--json'])).result as { kind: string }[];
    expect(traits.length).toBeGreaterThan(5);
    expect(traits.every((t) => t.kind === 'trait')).toBe(true);
    const show = await runCommand(DefShow, ['greeter', '--definitions', 'defs']);
    expect(show.stdout).toMatch(/greeting\s+What to say\s+string\s+false\s+"?hello/);
  });

  it('init scaffolds a definition that vets; from a manifest the documents become output and outputs', async () => {
    const empty = await runCommand(DefInit, ['my-comp', '--type', 'component', '--desc', 'Mine']);
    expect(empty.exitCode, empty.stderr).toBe(0);
    writeFileSync(join(dir, 'my-comp.cue'), empty.stdout);
    writeFileSync(join(dir, 'app.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.25\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      protocol: TCP\n');
    const fromYaml = await runCommand(DefInit, ['web', '--type', 'component', '--template-yaml', 'app.yaml', '--output', 'web.cue']);
    expect(fromYaml.exitCode, fromYaml.stderr).toBe(0);
    const text = readFileSync(join(dir, 'web.cue'), 'utf8');
    expect(text).toContain('workload: {\n\t\t\tdefinition: {\n\t\t\t\tapiVersion: "apps/v1"\n\t\t\t\tkind: "Deployment"');
    expect(text).toMatch(/output: \{\n\t\tapiVersion: "apps\/v1"/);
    expect(text).toMatch(/outputs: \{\n\t\t"service-web": \{/);
    const vet = await runCommand(DefVet, ['my-comp.cue', 'web.cue']);
    expect(vet.exitCode, vet.stderr).toBe(0);
    expect(vet.stdout).toBe('my-comp.cue: ok (component my-comp)\nweb.cue: ok (component web)\n');
    // Rendering the scaffold gives the manifest back.
    const r = await runCommand(DefRender, ['web.cue']);
    expect(r.exitCode, r.stderr).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJSON());
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual(['Deployment/web', 'Service/web']);
    expect((await runCommand(DefInit, ['web', '--type', 'component', '--output', 'web.cue'])).exitCode).toBe(1);
    expect((await runCommand(DefInit, ['Bad_Name', '--type', 'trait'])).exitCode).toBe(1);
  });

  it('vet reports every problem of every file at its line and column, exit 1', async () => {
    writeFileSync(join(dir, 'broken.cue'), 'broken: {\n\ttype: "component"\n}\ntemplate: {\n\toutput: {\n\t\tkind: "x"\n\t\n}\n');
    writeFileSync(join(dir, 'wrongtype.cue'), 'x: {\n\ttype: "widget"\n}\ntemplate: {}\n');
    writeFileSync(join(dir, 'notify.cue'), NOTIFY);
    const r = await runCommand(DefVet, ['broken.cue', 'wrongtype.cue', 'notify.cue', 'defs/greeter.cue']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/broken\.cue:\d+:\d+/);
    expect(r.stderr).toMatch(/wrongtype\.cue:1:1: x: type must be one of "component", "trait", "policy", "workflow-step" \(got "widget"\)/);
    expect(r.stderr).not.toMatch(/notify\.cue/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.[jt]s:\d+/);
  });

  it('render: a component with --parameters, a trait on a webservice', async () => {
    writeFileSync(join(dir, 'params.yaml'), 'greeting: howdy\n');
    const c = await runCommand(DefRender, ['defs/greeter.cue', '--parameters', 'params.yaml']);
    expect(c.exitCode, c.stderr).toBe(0);
    const cm = parseYaml(c.stdout);
    expect(cm).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'greeter' }, data: { message: 'howdy, render-greeter' } });
    writeFileSync(join(dir, 'value.yaml'), 'value: v1\n');
    const t = await runCommand(DefRender, ['defs/stamp.cue', '-p', 'value.yaml']);
    expect(t.exitCode, t.stderr).toBe(0);
    const deployment = parseAllDocuments(t.stdout).map((d) => d.toJSON()).find((d) => d.kind === 'Deployment');
    expect(deployment.metadata.labels.stamp).toBe('v1');
    writeFileSync(join(dir, 'bad-params.yaml'), 'greeting: [1, 2]\n');
    const bad = await runCommand(DefRender, ['defs/greeter.cue', '-p', 'bad-params.yaml']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/the Application rendering defs\/greeter\.cue:\d+:\d+: .*greeting/);
  });

  it('apply --dry-run prints the objects KubeVela stores (annotations, labels, spec, template)', async () => {
    writeFileSync(join(dir, 'defs/notify.cue'), NOTIFY);
    const r = await runCommand(DefApply, ['defs', '--dry-run']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('3 definitions for namespace vela-system; nothing applied');
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJSON());
    const comp = docs.find((d) => d.kind === 'ComponentDefinition');
    expect(comp.apiVersion).toBe('core.oam.dev/v1beta1');
    expect(comp.metadata).toEqual({ name: 'greeter', namespace: 'vela-system', annotations: { 'definition.oam.dev/description': 'A ConfigMap that greets' }, labels: { 'custom.definition.oam.dev/team': 'platform' } });
    expect(comp.spec.workload).toEqual({ definition: { apiVersion: 'v1', kind: 'ConfigMap' } });
    expect(comp.spec.schematic.cue.template).toMatch(/^output: \{\n\tapiVersion: "v1"/);
    expect(comp.spec.schematic.cue.template).toContain('// +usage=What to say');
    expect(docs.find((d) => d.kind === 'TraitDefinition').spec.appliesToWorkloads).toEqual(['deployments.apps']);
    expect(docs.find((d) => d.kind === 'WorkflowStepDefinition').metadata.name).toBe('notify');
  });

  it('install from a folder records the lock file; every command checks it; a changed file is an error naming it; install restores', async () => {
    const r = await runCommand(DefInstall, ['./defs']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('defs: defs\n  added .vela/definitions/greeter.cue\n  added .vela/definitions/stamp.cue');
    const lock = JSON.parse(readFileSync(join(dir, '.vela/definitions.lock'), 'utf8'));
    expect(lock.sources).toEqual([
      {
        name: 'defs',
        source: 'defs',
        files: [
          { file: 'greeter.cue', from: 'greeter.cue', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
          { file: 'stamp.cue', from: 'stamp.cue', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        ],
      },
    ]);
    writeFileSync(join(dir, 'vela.yaml'), 'name: hi\nservices:\n  hello:\n    type: greeter\n');
    expect((await runCommand(DryRun, [])).stdout).toContain('message: hello, hi');

    // Someone edits an installed file: every command refuses, naming it.
    writeFileSync(join(dir, '.vela/definitions/greeter.cue'), GREETER.replace('hello', 'bye'));
    const refused = await runCommand(DryRun, []);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/\.vela\/definitions\/greeter\.cue changed since it was installed from defs/);
    expect(refused.stderr).toContain('vela def install');

    // Restoring puts the locked bytes back.
    const restored = await runCommand(DefInstall, []);
    expect(restored.exitCode, restored.stderr).toBe(0);
    expect(restored.stderr).toContain('restored .vela/definitions/greeter.cue');
    expect(readFileSync(join(dir, '.vela/definitions/greeter.cue'), 'utf8')).toBe(GREETER);
    expect((await runCommand(DryRun, [])).exitCode).toBe(0);

    // The source changes under the lock: restoring refuses, naming the file; nothing is written.
    writeFileSync(join(dir, 'defs/stamp.cue'), STAMP.replace('Adds a label', 'Adds a stamp'));
    rmSync(join(dir, '.vela/definitions/greeter.cue'));
    const changed = await runCommand(DefInstall, []);
    expect(changed.exitCode).toBe(1);
    expect(changed.stderr).toMatch(/defs: stamp\.cue changed since it was locked/);
    expect(existsSync(join(dir, '.vela/definitions/greeter.cue'))).toBe(false);

    // Installing the source again takes its current files.
    expect((await runCommand(DefInstall, ['./defs'])).exitCode).toBe(0);
    expect(readFileSync(join(dir, '.vela/definitions/stamp.cue'), 'utf8')).toContain('Adds a stamp');

    const un = await runCommand(DefUninstall, ['defs']);
    expect(un.exitCode, un.stderr).toBe(0);
    expect(existsSync(join(dir, '.vela/definitions/greeter.cue'))).toBe(false);
    expect(existsSync(join(dir, '.vela/definitions.lock'))).toBe(false);
    expect((await runCommand(DefUninstall, ['defs'])).exitCode).toBe(1);
  });

  it('a source with one bad definition installs nothing; a damaged lock file is an error', async () => {
    writeFileSync(join(dir, 'defs/zbad.cue'), 'zbad: {\n\ttype: "trait"\n}\ntemplate: {\n\tpatch: {\n}\n');
    const r = await runCommand(DefInstall, ['./defs']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/defs\/zbad\.cue:\d+:\d+/);
    expect(existsSync(join(dir, '.vela'))).toBe(false);
    mkdirSync(join(dir, '.vela'));
    writeFileSync(join(dir, '.vela/definitions.lock'), '{"version": 1, "sources": "nope"}');
    const damaged = await runCommand(DefList, []);
    expect(damaged.exitCode).toBe(1);
    expect(damaged.stderr).toContain('.vela/definitions.lock');
    expect(damaged.stderr).toContain('no `sources` list');
  });

  it('a file of another source or of the user is not overwritten', async () => {
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other/greeter.cue'), GREETER);
    expect((await runCommand(DefInstall, ['./defs'])).exitCode).toBe(0);
    const clash = await runCommand(DefInstall, ['./other']);
    expect(clash.exitCode).toBe(1);
    expect(clash.stderr).toContain('.vela/definitions/greeter.cue belongs to the installed source defs');
    writeFileSync(join(dir, '.vela/definitions/mine.cue'), STAMP.replace('stamp:', 'mine:'));
    writeFileSync(join(dir, 'other/mine.cue'), STAMP.replace('stamp:', 'mine:'));
    rmSync(join(dir, 'other/greeter.cue'));
    const own = await runCommand(DefInstall, ['./other']);
    expect(own.exitCode).toBe(1);
    expect(own.stderr).toContain('.vela/definitions/mine.cue exists and was not installed by vela def install');
  });

  describe('policies and workflow steps', () => {
    beforeEach(() => {
      writeFileSync(join(dir, 'defs/tenant.cue'), TENANT);
      writeFileSync(join(dir, 'defs/announce.cue'), ANNOUNCE);
    });

    it('list shows them after components and traits, --type filters; show prints their parameters', async () => {
      const r = await runCommand(DefList, ['--definitions', 'defs']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^tenant\s+policy\s+Where a team's apps go\s+flag \(defs\/tenant\.cue\)$/m);
      expect(r.stdout).toMatch(/^announce\s+workflow-step\s+Announces a release\s+flag/m);
      expect(r.stdout).toMatch(/^topology\s+policy\s+.*builtin$/m);
      expect(r.stdout.indexOf('stamp ')).toBeLessThan(r.stdout.indexOf('tenant '));
      expect(r.stdout.indexOf('tenant ')).toBeLessThan(r.stdout.indexOf('announce '));
      const steps = (await runCommand(DefList, ['--definitions', 'defs', '--type', 'workflow-step', '--json'])).result as { name: string; kind: string }[];
      expect(steps.every((d) => d.kind === 'workflow-step')).toBe(true);
      expect(steps.map((d) => d.name)).toEqual(expect.arrayContaining(['announce', 'deploy', 'suspend']));
      const show = await runCommand(DefShow, ['tenant', '--definitions', 'defs']);
      expect(show.exitCode, show.stderr).toBe(0);
      expect(show.stdout).toMatch(/team\s+The team, in lower case\s+string & =~"\^\[a-z\]\+\$"\s+true/);
      expect((await runCommand(DefShow, ['announce', '--definitions', 'defs'])).stdout).toMatch(/channel\s+.*string\s+false\s+"?releases/);
    });

    it('init --type policy and workflow-step scaffold definitions that vet and render', async () => {
      for (const type of ['policy', 'workflow-step']) {
        const init = await runCommand(DefInit, [`my-${type}`, '--type', type, '--desc', 'Mine', '--output', `my-${type}.cue`]);
        expect(init.exitCode, init.stderr).toBe(0);
        const vet = await runCommand(DefVet, [`my-${type}.cue`]);
        expect(vet.exitCode, vet.stderr).toBe(0);
        expect(vet.stdout).toBe(`my-${type}.cue: ok (${type} my-${type})\n`);
        const render = await runCommand(DefRender, [`my-${type}.cue`]);
        expect(render.exitCode, render.stderr).toBe(0);
        expect(parseYaml(render.stdout)).toMatchObject({ kind: type === 'policy' ? 'PolicyDefinition' : 'WorkflowStepDefinition', metadata: { name: `my-${type}` } });
      }
    });

    it('vet derives their parameter block: a conflict in it is an error at its line and column', async () => {
      writeFileSync(join(dir, 'bad-policy.cue'), TENANT.replace('quota: *10 | int', 'quota: int & "ten"'));
      const r = await runCommand(DefVet, ['defs/tenant.cue', 'defs/announce.cue', 'bad-policy.cue']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/bad-policy\.cue:9:10: parameter\.quota: definition tenant: conflicting values int and "ten"/);
      expect(r.stderr).not.toMatch(/tenant\.cue|announce\.cue/);
      const good = await runCommand(DefVet, ['defs/tenant.cue', 'defs/announce.cue']);
      expect(good.stdout).toBe('defs/tenant.cue: ok (policy tenant)\ndefs/announce.cue: ok (workflow-step announce)\n');
      expect(r.stderr).not.toMatch(/\n\s+at .*\.[jt]s:\d+/);
      // apply checks the same before anything: nothing is printed for the good files.
      const apply = await runCommand(DefApply, ['bad-policy.cue', '--dry-run']);
      expect(apply.exitCode).toBe(1);
      expect(apply.stdout).toBe('');
    });

    it('render checks the parameters against theirs and prints the object KubeVela stores', async () => {
      writeFileSync(join(dir, 'team.yaml'), 'team: payments\n');
      const r = await runCommand(DefRender, ['defs/tenant.cue', '-p', 'team.yaml']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^# policy tenant: run by KubeVela's controller; team\.yaml fits its parameters/);
      const object = parseYaml(r.stdout);
      expect(object).toMatchObject({ apiVersion: 'core.oam.dev/v1beta1', kind: 'PolicyDefinition', metadata: { name: 'tenant', namespace: 'vela-system', annotations: { 'definition.oam.dev/description': "Where a team's apps go" } } });
      expect(object.spec.schematic.cue.template).toContain('team: string & =~"^[a-z]+$"');

      writeFileSync(join(dir, 'upper.yaml'), 'quota: 3\nteam: Payments\n');
      const wrong = await runCommand(DefRender, ['defs/tenant.cue', '-p', 'upper.yaml']);
      expect(wrong.exitCode).toBe(1);
      expect(wrong.stderr).toMatch(/upper\.yaml:2:7: .*team/);
      writeFileSync(join(dir, 'missing.yaml'), 'channel: ops\n');
      const missing = await runCommand(DefRender, ['defs/announce.cue', '-p', 'missing.yaml']);
      expect(missing.exitCode).toBe(1);
      expect(missing.stderr).toMatch(/message/);
      const step = await runCommand(DefRender, ['defs/announce.cue']);
      expect(step.exitCode, step.stderr).toBe(0);
      expect(parseYaml(step.stdout)).toMatchObject({ kind: 'WorkflowStepDefinition', metadata: { name: 'announce' } });
    });
  });
});
