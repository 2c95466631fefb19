/**
 * The cluster commands run in-process (as oclif would) against the
 * protocol-level test API server (test/support/fake-apiserver.ts), with a
 * kubeconfig pointing at it and $VELA_HOME in a temp folder. The fake has no
 * controllers: Deployments never report ready replicas, so apps are never
 * healthy here (which `--wait` must say, with exit code 3).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Delete from '../../src/commands/delete.js';
import Diff from '../../src/commands/diff.js';
import EnvDelete from '../../src/commands/env/delete.js';
import EnvInit from '../../src/commands/env/init.js';
import EnvLs from '../../src/commands/env/ls.js';
import EnvSet from '../../src/commands/env/set.js';
import Logs from '../../src/commands/logs.js';
import Ls from '../../src/commands/ls.js';
import Status from '../../src/commands/status.js';
import Up from '../../src/commands/up.js';
import { parseDuration } from '../../src/cli/index.js';
import { parsePortSpec } from '../../src/pipeline/cluster.js';
import { microTime } from '../../src/deploy/app-lock.js';
import { FakeApiServer } from '../support/fake-apiserver.js';
import { runCommand } from '../cli/harness.js';

const APPFILE = `name: shop
services:
  web:
    image: nginx:1.25
    ports:
      - port: 80
        expose: true
  api:
    type: worker
    image: busybox:1.36
`;

const scratch = mkdtempSync(join(tmpdir(), 'vela-cluster-cmd-'));
const savedCwd = process.cwd();
const savedHome = process.env.VELA_HOME;
const savedKubeconfig = process.env.KUBECONFIG;
const savedCI = process.env.CI;
let server: FakeApiServer;
let kubeconfig: string;
let project: string;
let n = 0;

/** A fresh project folder with this Appfile, made the cwd. */
function projectWith(text: string): string {
  const dir = join(scratch, `p${n++}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'vela.yaml'), text);
  process.chdir(dir);
  return dir;
}

/** The rows of the first table in `text` whose header starts with `first`, cut at the header's column starts. */
function table(text: string, first: string): Record<string, string>[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${first} `));
  if (start < 0) throw new Error(`no table starting with ${first} in:\n${text}`);
  const header = lines[start]!;
  const names = header.split(/\s{2,}/);
  const starts = names.map((h) => header.indexOf(h));
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    rows.push(Object.fromEntries(names.map((h, i) => [h, line.slice(starts[i], starts[i + 1]).trim()])));
  }
  return rows;
}

beforeAll(async () => {
  server = await new FakeApiServer().start();
  kubeconfig = server.writeKubeconfig(join(scratch, 'kubeconfig'), { context: 'fake-ctx' });
});
afterAll(async () => {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(() => {
  process.env.VELA_HOME = mkdtempSync(join(scratch, 'home-'));
  // The kubeconfig comes from --kubeconfig only; CI decides plain progress lines either way.
  delete process.env.KUBECONFIG;
  process.env.CI = '1';
  project = projectWith(APPFILE);
});
afterEach(() => {
  process.chdir(savedCwd);
  for (const [k, v] of [['VELA_HOME', savedHome], ['KUBECONFIG', savedKubeconfig], ['CI', savedCI]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const k = () => ['--kubeconfig', kubeconfig];

describe('vela up to a cluster', () => {
  it('applies the app, then a second up changes nothing', async () => {
    const first = await runCommand(Up, [...k(), '-n', 'up1']);
    expect(first.stderr).not.toMatch(/error/);
    expect(first.exitCode).toBe(0);
    expect(first.stderr).toMatch(/app shop applied to namespace up1 \(context "fake-ctx", Kubernetes v1\.20\.2-fake\): 3 created, 0 updated, 0 unchanged, 0 pruned/);
    expect(server.object('Deployment', 'web', 'up1')?.spec?.template?.spec?.containers?.[0]?.image).toBe('nginx:1.25');
    expect(server.object('Service', 'web', 'up1')).toBeDefined();
    expect(server.object('Deployment', 'api', 'up1')).toBeDefined();
    // Not a terminal: no --wait by default, and said so.
    expect(first.stderr).toMatch(/not waited for health/);

    const writes = server.appWrites;
    const second = await runCommand(Up, [...k(), '-n', 'up1', '--json']);
    expect(second.exitCode).toBe(0);
    const r = JSON.parse(second.stdout) as { summary: Record<string, number>; writes: number; objects: Array<{ action: string; kind: string; name: string; service?: string }> };
    expect(r.summary).toEqual({ created: 0, updated: 0, unchanged: 3, adopted: 0, pruned: 0, released: 0 });
    expect(r.writes).toBe(0);
    // Only the lock (a Lease taken and released) was written.
    expect(server.appWrites).toBe(writes);
    expect(r.objects.map((o) => `${o.action} ${o.kind}/${o.name} ${o.service}`)).toEqual(['unchanged Deployment/web web', 'unchanged Service/web web', 'unchanged Deployment/api api']);
    // --json: stdout is exactly one document, stderr has no progress.
    expect(second.stderr).toBe('');
  });

  it('puts the app in the context namespace, or the Appfile\'s, when -n is not given', async () => {
    const ctxNs = server.writeKubeconfig(join(scratch, 'kubeconfig-ns'), { context: 'fake-ctx', namespace: 'from-context' });
    expect((await runCommand(Up, ['--kubeconfig', ctxNs])).exitCode).toBe(0);
    expect(server.object('Deployment', 'web', 'from-context')).toBeDefined();
    projectWith(`name: other\nnamespace: from-appfile\nservices:\n  web:\n    image: nginx:1.25\n`);
    expect((await runCommand(Up, ['--kubeconfig', ctxNs])).exitCode).toBe(0);
    expect(server.object('Deployment', 'web', 'from-appfile')).toBeDefined();
  });

  it('--plan prints what would change and changes nothing', async () => {
    expect((await runCommand(Up, [...k(), '-n', 'plan1'])).exitCode).toBe(0);
    // Change web's image and drop api: an update and two prunes... of api's one object.
    writeFileSync(join(project, 'vela.yaml'), APPFILE.replace('nginx:1.25', 'nginx:1.27').replace(/  api:[\s\S]*$/, ''));
    const writes = server.writes;
    const plan = await runCommand(Up, [...k(), '-n', 'plan1', '--plan']);
    expect(plan.exitCode).toBe(0);
    expect(server.writes).toBe(writes);
    expect(server.object('Deployment', 'web', 'plan1')?.spec?.template?.spec?.containers?.[0]?.image).toBe('nginx:1.25');
    const rows = table(plan.stdout, 'ACTION');
    expect(rows.map((r) => `${r.ACTION} ${r.KIND} ${r.NAME} ${r.SERVICE}`)).toEqual(['update Deployment web web', 'unchanged Service web web', 'prune Deployment api api']);
    expect(rows[0]!.CHANGES).toBe('spec.template.spec.containers[0].image');
    expect(plan.stdout).toMatch(/0 to create, 1 to update, 1 to prune, 1 unchanged/);

    // `vela diff` is the same plan; --json gives the entries.
    const diff = await runCommand(Diff, [...k(), '-n', 'plan1', '--json']);
    expect(diff.exitCode).toBe(0);
    const d = JSON.parse(diff.stdout) as { summary: Record<string, number>; entries: Array<{ action: string; changes?: Array<{ path: string; before: unknown; after: unknown }> }> };
    expect(d.summary).toEqual({ create: 0, update: 1, unchanged: 1, adopt: 0, prune: 1, release: 0 });
    expect(d.entries[0]!.changes).toEqual([{ path: 'spec.template.spec.containers[0].image', before: 'nginx:1.25', after: 'nginx:1.27' }]);
    expect(server.writes).toBe(writes);

    // And applying it prunes api's objects only.
    const up = await runCommand(Up, [...k(), '-n', 'plan1', '--json']);
    expect(up.exitCode).toBe(0);
    expect(JSON.parse(up.stdout).summary).toEqual({ created: 0, updated: 1, unchanged: 1, adopted: 0, pruned: 1, released: 0 });
    expect(server.object('Deployment', 'api', 'plan1')).toBeUndefined();
    expect(server.object('Deployment', 'web', 'plan1')?.spec?.template?.spec?.containers?.[0]?.image).toBe('nginx:1.27');
    expect(server.object('Service', 'web', 'plan1')).toBeDefined();
  });

  it('--wait ends with exit code 3 and the reason when the app does not become healthy', async () => {
    // --timeout bounds the whole run: long enough that a loaded machine is still waiting when it ends.
    const r = await runCommand(Up, [...k(), '-n', 'wait1', '--wait', '--timeout', '6s']);
    expect(r.exitCode, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/service web is not healthy after 6s/);
    expect(r.stderr).toMatch(/Deployment/);
  });

  it('waits by default on a terminal, not with --no-wait', async () => {
    // CI stays set: progress is plain lines (the harness' fake terminal cannot move a cursor for spinners).
    const waited = await runCommand(Up, [...k(), '-n', 'tty1', '--timeout', '6s'], { tty: true });
    expect(waited.exitCode, waited.stderr).toBe(3);
    expect(waited.stderr).toMatch(/\[web\] failed: /);
    const unwaited = await runCommand(Up, [...k(), '-n', 'tty1', '--no-wait'], { tty: true });
    expect(unwaited.exitCode).toBe(0);
    expect(unwaited.stderr).toMatch(/0 created, 0 updated, 3 unchanged, 0 pruned/);
  });

  it('rejects a malformed --timeout as a usage error', async () => {
    const r = await runCommand(Up, [...k(), '--timeout', 'soon']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/--timeout: expected a duration like 30s, 5m or 1h/);
  });
});

describe('vela status, ls, delete', () => {
  it('status per service, ls, then delete removes everything', async () => {
    expect((await runCommand(Up, [...k(), '-n', 'day2'])).exitCode).toBe(0);

    const st = await runCommand(Status, [...k(), '-n', 'day2', '--json']);
    expect(st.exitCode).toBe(0);
    const s = JSON.parse(st.stdout) as { app: string; namespace: string; services: Array<{ name: string; type: string; healthy: boolean; replicas?: string; endpoints: string[]; reasons: string[] }> };
    expect(s.app).toBe('shop'); // from the Appfile in the cwd
    expect(s.namespace).toBe('day2');
    expect(s.services.map((x) => [x.name, x.type, x.healthy, x.replicas])).toEqual([
      ['web', 'webservice', false, '0/1'],
      ['api', 'worker', false, '0/1'],
    ]);
    expect(s.services[0]!.endpoints).toEqual(['web.day2.svc:80']);
    expect(s.services[0]!.reasons.length).toBeGreaterThan(0);

    const text = await runCommand(Status, [...k(), '-n', 'day2', 'shop']);
    expect(text.exitCode).toBe(0);
    const rows = table(text.stdout, 'SERVICE');
    expect(rows.map((r) => [r.SERVICE, r.TYPE, r.HEALTH, r.REPLICAS, r.ENDPOINTS])).toEqual([
      ['web', 'webservice', 'unhealthy', '0/1', 'web.day2.svc:80'],
      ['api', 'worker', 'unhealthy', '0/1', ''],
    ]);
    expect(rows[0]!.MESSAGE).not.toBe('');

    const ls = await runCommand(Ls, [...k(), '-n', 'day2']);
    expect(ls.exitCode).toBe(0);
    expect(table(ls.stdout, 'NAME')).toEqual([{ NAME: 'shop', NAMESPACE: 'day2', SERVICES: 'web, api' }]);
    const all = JSON.parse((await runCommand(Ls, [...k(), '-A', '--json'])).stdout) as { apps: Array<{ name: string; namespace: string }> };
    expect(all.apps).toContainEqual(expect.objectContaining({ name: 'shop', namespace: 'day2' }));

    const del = await runCommand(Delete, [...k(), '-n', 'day2', 'shop', '--wait', '--json']);
    expect(del.exitCode).toBe(0);
    expect((JSON.parse(del.stdout) as { deleted: Array<{ kind: string; name: string }> }).deleted.map((d) => `${d.kind}/${d.name}`).sort()).toEqual(['Deployment/api', 'Deployment/web', 'Service/web']);
    expect(server.object('Deployment', 'web', 'day2')).toBeUndefined();
    expect(server.objects('ConfigMap').filter((c) => c.metadata?.namespace === 'day2')).toEqual([]);
    expect((await runCommand(Ls, [...k(), '-n', 'day2'])).stdout).toBe('no apps in the namespace\n');

    // No APP and no Appfile here: say how to name it.
    process.chdir(scratch);
    const unnamed = await runCommand(Status, [...k(), '-n', 'day2']);
    expect(unnamed.exitCode).toBe(1);
    expect(unnamed.stderr).toMatch(/no Appfile found[\s\S]*name the app \(see `vela ls`\)/);

    const gone = await runCommand(Status, [...k(), '-n', 'day2', 'shop']);
    expect(gone.exitCode).toBe(1);
    expect(gone.stderr).toMatch(/no app "shop" in namespace day2 \(context "fake-ctx"\)/);
  });
});

/** Play the Deployment controller and kubelet: a rolled-out status and running pods whose logs are `lines`. */
function rollOut(name: string, namespace: string, lines: string): void {
  const dep = server.object('Deployment', name, namespace)!;
  const replicas = 1;
  dep.status = { observedGeneration: dep.metadata.generation, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas };
  server.seed(dep, 'kube-controller-manager');
  const container = String(dep.spec.template.spec.containers[0].name);
  server.seed({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${name}-0`, namespace, labels: dep.spec.template.metadata.labels, annotations: { [`fake.vela.dev/log-${container}`]: lines } },
    spec: { containers: [{ name: container, image: 'x' }], nodeName: 'node-1' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: container, ready: true, state: { running: {} } }] },
  });
}

describe('a healthy app', () => {
  it('up --wait reports every service healthy; status agrees; logs print the pods\' lines', async () => {
    expect((await runCommand(Up, [...k(), '-n', 'ok1'])).exitCode).toBe(0);
    rollOut('web', 'ok1', 'GET / 200\nGET /health 200\n');
    rollOut('api', 'ok1', 'tick\n');

    const up = await runCommand(Up, [...k(), '-n', 'ok1', '--wait', '--timeout', '10s']);
    expect(up.exitCode).toBe(0);
    expect(up.stderr).toMatch(/2\/2 services healthy/);
    const json = JSON.parse((await runCommand(Up, [...k(), '-n', 'ok1', '--wait', '--json'])).stdout) as { health: Array<{ service: string; healthy: boolean }> };
    expect(json.health.map((h) => `${h.service}:${h.healthy}`)).toEqual(['web:true', 'api:true']);

    const st = await runCommand(Status, [...k(), '-n', 'ok1']);
    expect(table(st.stdout, 'SERVICE').map((r) => [r.SERVICE, r.HEALTH, r.REPLICAS])).toEqual([
      ['web', 'healthy', '1/1'],
      ['api', 'healthy', '1/1'],
    ]);
    expect(st.stdout).not.toMatch(/not healthy:/);

    const one = await runCommand(Logs, [...k(), '-n', 'ok1', 'shop', '--svc', 'web']);
    expect(one.exitCode).toBe(0);
    expect(one.stdout).toBe('GET / 200\nGET /health 200\n');
    const all = await runCommand(Logs, [...k(), '-n', 'ok1', '--app', 'shop']);
    expect(all.exitCode).toBe(0);
    const web = await runCommand(Logs, [...k(), '-n', 'ok1', 'web']);
    expect(web.stdout).toBe('GET / 200\nGET /health 200\n');
    expect(all.stdout.split('\n').filter(Boolean).sort()).toEqual(['[api-0/api] tick', '[web-0/web] GET / 200', '[web-0/web] GET /health 200']);
    const wrong = await runCommand(Logs, [...k(), '-n', 'ok1', 'shop', '--svc', 'wbe']);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toMatch(/app shop has no service "wbe"/);
  });
});

describe('secrets in what vela prints', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  /** An app with a Secret (data and stringData) and env values that are secrets (by name, and by value). */
  const vault = (version: string) => `name: vault
services:
  web:
    image: nginx:1.25
    env:
      - name: DB_PASSWORD
        value: pw-${version}-hunter2
      - name: UPSTREAM
        value: tok-${version}-in-secret
      - name: MODE
        value: mode-${version}
  creds:
    type: k8s-objects
    objects:
      - apiVersion: v1
        kind: Secret
        metadata: {name: creds}
        data: {key: ${b64(`key-${version}-b64`)}}
        stringData: {token: tok-${version}-in-secret}
`;
  const secrets = (version: string) => [`pw-${version}-hunter2`, `tok-${version}-in-secret`, `key-${version}-b64`, b64(`key-${version}-b64`), b64(`tok-${version}-in-secret`)];
  const leaks = (text: string) => [...secrets('old'), ...secrets('new')].filter((secret) => text.includes(secret));

  it('redacts secret values in every output form of --plan and diff; --show-secrets shows them', async () => {
    writeFileSync(join(project, 'vela.yaml'), vault('old'));
    const first = await runCommand(Up, [...k(), '-n', 'vault', '--json']);
    expect(first.exitCode).toBe(0);
    expect(leaks(first.stdout + first.stderr)).toEqual([]);
    writeFileSync(join(project, 'vela.yaml'), vault('new'));

    const forms = {
      'up --plan': await runCommand(Up, [...k(), '-n', 'vault', '--plan']),
      'up --plan --json': await runCommand(Up, [...k(), '-n', 'vault', '--plan', '--json']),
      diff: await runCommand(Diff, [...k(), '-n', 'vault']),
      'diff --json': await runCommand(Diff, [...k(), '-n', 'vault', '--json']),
    };
    for (const [form, r] of Object.entries(forms)) {
      expect(r.exitCode, form).toBe(0);
      expect(leaks(r.stdout + r.stderr), form).toEqual([]);
    }
    // What --json prints, and what the pipeline returns (the data a dashboard would show), keep the paths and say what was hidden.
    const plan = JSON.parse(forms['diff --json'].stdout) as { entries: Array<{ action: string; ref: { kind: string }; changes?: Array<{ path: string; before?: unknown; after?: unknown }> }> };
    const secret = plan.entries.find((e) => e.ref.kind === 'Secret')!;
    expect(secret.action).toBe('update');
    expect(secret.changes).toContainEqual({ path: 'data.key', before: '(redacted)', after: '(redacted)' });
    const deployment = plan.entries.find((e) => e.ref.kind === 'Deployment')!;
    expect(deployment.changes).toEqual([
      { path: 'spec.template.spec.containers[0].env[0].value', before: '(redacted)', after: '(redacted)' },
      { path: 'spec.template.spec.containers[0].env[1].value', before: '(redacted)', after: '(redacted)' },
      { path: 'spec.template.spec.containers[0].env[2].value', before: 'mode-old', after: 'mode-new' },
    ]);
    expect(leaks(JSON.stringify(forms['up --plan --json'].result))).toEqual([]);
    // The text form names the changed fields, never their values. (The fake keeps stringData as given; a real server folds it into data.)
    expect(forms.diff.stdout).toMatch(/^update\s+Secret\s+creds\s+creds\s+data\.key, stringData\.token$/m);

    const shown = await runCommand(Diff, [...k(), '-n', 'vault', '--json', '--show-secrets']);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain('pw-old-hunter2');
    expect(shown.stdout).toContain('pw-new-hunter2');
    expect((await runCommand(Up, [...k(), '-n', 'vault', '--plan', '--json', '--show-secrets'])).stdout).toContain('tok-new-in-secret');

    // Applying prints no values either; the manifests themselves (dry-run) carry them.
    const applied = await runCommand(Up, [...k(), '-n', 'vault']);
    expect(applied.exitCode).toBe(0);
    expect(leaks(applied.stdout + applied.stderr)).toEqual([]);
    const json = await runCommand(Up, [...k(), '-n', 'vault', '--json']);
    expect(leaks(json.stdout + json.stderr)).toEqual([]);
    expect(server.object('Secret', 'creds', 'vault')!.data.key).toBe(b64('key-new-b64'));
  });

  it('--show-secrets needs --plan on up', async () => {
    const r = await runCommand(Up, [...k(), '-n', 'vault', '--show-secrets']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/--plan/);
  });
});

describe('foreign objects and the lock, from the command line', () => {
  it('up refuses an object another manager made (exit 1); --take-over adopts it', async () => {
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'adopt' } });
    server.seed({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'adopt' }, spec: { selector: { matchLabels: { 'app.oam.dev/component': 'api' } }, template: { spec: { containers: [{ name: 'api', image: 'busybox:1.36' }] } } } }, 'kubectl-create');
    const refused = await runCommand(Up, [...k(), '-n', 'adopt']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/vela\.yaml:\d+:\d+: Deployment adopt\/api \(service api\) already exists and is not vela's: managed by "kubectl-create"/);
    expect(refused.stderr).toMatch(/hint: adopt it on purpose with --take-over/);
    expect(server.object('Deployment', 'web', 'adopt')).toBeUndefined();

    const plan = await runCommand(Diff, [...k(), '-n', 'adopt', '--take-over']);
    expect(plan.stdout).toMatch(/^adopt\s+Deployment\s+api\s+api\s/m);
    expect(plan.stdout).toMatch(/2 to create, 0 to update, 0 to prune, 0 unchanged, 1 to adopt/);
    const adopted = await runCommand(Up, [...k(), '-n', 'adopt', '--take-over']);
    expect(adopted.exitCode).toBe(0);
    expect(adopted.stderr).toMatch(/2 created, 0 updated, 0 unchanged, 0 pruned, 1 adopted/);
  });

  it('an Application\'s take-over policy adopts what its rules select, and only that', async () => {
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'policy' } });
    const foreign = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'policy' }, spec: { selector: { matchLabels: { 'app.oam.dev/component': name } }, template: { spec: { containers: [{ name, image: 'busybox:1.36' }] } } } });
    server.seed(foreign('api'), 'kubectl-create');
    server.seed(foreign('db'), 'helm');
    const application = (rules: string) => `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: {name: legacy, namespace: policy}
spec:
  components:
    - {name: api, type: worker, properties: {image: busybox:1.36}}
    - {name: db, type: worker, properties: {image: busybox:1.36}}
  policies:
    - name: adopt
      type: take-over
      properties:
        rules: ${rules}
`;
    writeFileSync(join(project, 'app.yaml'), application('[{selector: {componentNames: [api]}}]'));
    const partly = await runCommand(Up, [...k(), '-f', 'app.yaml']);
    expect(partly.exitCode).toBe(1);
    expect(partly.stderr).toMatch(/app\.yaml:7:\d+: Deployment policy\/db \(service db\) already exists and is not vela's: managed by "helm"/);
    expect(partly.stderr).not.toMatch(/policy\/api/);
    writeFileSync(join(project, 'app.yaml'), application('[{selector: {componentNames: [api]}}, {selector: {resourceNames: [db], resourceTypes: [Deployment]}}]'));
    const all = await runCommand(Up, [...k(), '-f', 'app.yaml', '--json']);
    expect(all.exitCode).toBe(0);
    // A policy makes it a workflow delivery (to the current cluster): one target, both Deployments adopted.
    const targets = (JSON.parse(all.stdout) as { targets: Array<{ cluster: string; ok: boolean; summary: Record<string, number> }> }).targets;
    expect(targets.map((t) => [t.cluster, t.ok, t.summary.adopted, t.summary.created])).toEqual([['local', true, 2, 0]]);
  });

  it('up and delete wait for another run\'s lock, then fail with exit 2 naming it; --force-unlock takes it', async () => {
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'locked' } });
    const now = microTime(Date.now());
    server.seed({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'applyset-shop-lock', namespace: 'locked' }, spec: { holderIdentity: 'carol@build-7 pid 99 (run 0a0b0c)', leaseDurationSeconds: 300, acquireTime: now, renewTime: now } });
    const waited = await runCommand(Up, [...k(), '-n', 'locked', '--lock-timeout', '300ms']);
    expect(waited.exitCode).toBe(2);
    expect(waited.stderr).toMatch(/waiting for the lock held by carol@build-7 pid 99 \(run 0a0b0c\)/);
    expect(waited.stderr).toMatch(/error: another vela run is changing app shop in namespace locked: the lock Lease locked\/applyset-shop-lock is held by carol@build-7 pid 99 \(run 0a0b0c\)/);
    expect(waited.stderr).toMatch(/--force-unlock/);
    expect(server.objects('Deployment').filter((d) => d.metadata.namespace === 'locked')).toEqual([]);
    const deleting = await runCommand(Delete, [...k(), '-n', 'locked', 'shop', '--yes', '--lock-timeout', '0']);
    expect(deleting.exitCode).toBe(2);
    expect(deleting.stderr).toMatch(/is held by carol@build-7/);

    const forced = await runCommand(Up, [...k(), '-n', 'locked', '--force-unlock']);
    expect(forced.exitCode).toBe(0);
    expect(forced.stderr).toMatch(/took over the lock Lease locked\/applyset-shop-lock from carol@build-7 pid 99 \(run 0a0b0c\): forced \(--force-unlock\)/);
    expect(server.object('Lease', 'applyset-shop-lock', 'locked')).toBeUndefined();
  });

  it('rejects a malformed --request-timeout or --lock-timeout as a usage error', async () => {
    for (const flag of ['--request-timeout', '--lock-timeout']) {
      const r = await runCommand(Up, [...k(), flag, 'soon']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`${flag}: expected a duration like 30s, 5m or 1h`);
    }
    expect((await runCommand(Up, [...k(), '--request-timeout', '0'])).stderr).toContain('--request-timeout: must be more than 0');
  });
});

describe('cluster failures', () => {
  it('a 403 is exit code 2 with an RBAC message', async () => {
    const refusing = await new FakeApiServer({ authorize: (_user, verb, resource) => !(resource === 'deployments' && verb === 'patch') }).start();
    try {
      const kc = refusing.writeKubeconfig(join(scratch, 'kubeconfig-403'), { context: 'limited' });
      const r = await runCommand(Up, ['--kubeconfig', kc, '-n', 'rbac']);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/refused to apply Deployment/);
      expect(r.stderr).toMatch(/RBAC permission/);
      expect(r.stderr).toMatch(/kubectl auth can-i patch deployment/);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    } finally {
      await refusing.stop();
    }
  });

  it('a field owned by another manager is a conflict (exit 1) until --force-conflicts', async () => {
    expect((await runCommand(Up, [...k(), '-n', 'conflict1'])).exitCode).toBe(0);
    const dep = server.object('Deployment', 'web', 'conflict1')!;
    dep.spec.template.spec.containers[0].image = 'nginx:hotfix';
    delete dep.metadata.managedFields;
    server.seed(dep, 'kubectl-edit');
    writeFileSync(join(project, 'vela.yaml'), APPFILE.replace('nginx:1.25', 'nginx:1.26'));
    const r = await runCommand(Up, [...k(), '-n', 'conflict1']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/conflict applying Deployment .*web/);
    expect(r.stderr).toMatch(/kubectl-edit/);
    expect(r.stderr).toMatch(/--force-conflicts/);
    expect(server.object('Deployment', 'web', 'conflict1')?.spec?.template?.spec?.containers?.[0]?.image).toBe('nginx:hotfix');
    const forced = await runCommand(Up, [...k(), '-n', 'conflict1', '--force-conflicts']);
    expect(forced.exitCode).toBe(0);
    expect(server.object('Deployment', 'web', 'conflict1')?.spec?.template?.spec?.containers?.[0]?.image).toBe('nginx:1.26');
  });

  it('an unreachable server is exit code 2 naming the server and context', async () => {
    const dead = await new FakeApiServer().start();
    const kc = dead.writeKubeconfig(join(scratch, 'kubeconfig-dead'), { context: 'gone-ctx' });
    const url = dead.url;
    await dead.stop();
    for (const cmd of [[Up, []], [Status, ['shop']], [Ls, []]] as const) {
      const r = await runCommand(cmd[0], ['--kubeconfig', kc, ...cmd[1]]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(url);
      expect(r.stderr).toContain('gone-ctx');
      expect(r.stderr).toMatch(/cannot reach the Kubernetes API server/);
    }
  });

  it('a missing kubeconfig is exit code 2', async () => {
    const r = await runCommand(Ls, ['--kubeconfig', join(scratch, 'nope')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/kubeconfig .*nope does not exist/);
  });
});

describe('vela env', () => {
  it('init, ls, set, delete; --env and the current environment choose the namespace', async () => {
    const init = await runCommand(EnvInit, ['staging', '--namespace', 'shop-staging']);
    expect(init.exitCode).toBe(0);
    expect(init.stderr).toMatch(/environment staging: namespace shop-staging \(current\)/);
    expect((await runCommand(EnvInit, ['prod', '-n', 'shop-prod', '--context', 'fake-ctx'])).exitCode).toBe(0);

    let rows = table((await runCommand(EnvLs, [])).stdout, 'CURRENT');
    expect(rows).toEqual([
      { CURRENT: '', NAME: 'prod', NAMESPACE: 'shop-prod', CONTEXT: 'fake-ctx' },
      { CURRENT: '*', NAME: 'staging', NAMESPACE: 'shop-staging', CONTEXT: '(current context)' },
    ]);

    // The current environment supplies the namespace; --env picks another; -n beats both.
    expect((await runCommand(Up, [...k()])).exitCode).toBe(0);
    expect(server.object('Deployment', 'web', 'shop-staging')).toBeDefined();
    expect((await runCommand(Up, [...k(), '--env', 'prod'])).exitCode).toBe(0);
    expect(server.object('Deployment', 'web', 'shop-prod')).toBeDefined();
    const st = JSON.parse((await runCommand(Status, [...k(), '--env', 'prod', '-n', 'shop-staging', '--json'])).stdout) as { namespace: string };
    expect(st.namespace).toBe('shop-staging');

    expect((await runCommand(EnvSet, ['prod'])).exitCode).toBe(0);
    rows = table((await runCommand(EnvLs, [])).stdout, 'CURRENT');
    expect(rows.find((r) => r.CURRENT === '*')?.NAME).toBe('prod');
    const ls = JSON.parse((await runCommand(Ls, [...k(), '--json'])).stdout) as { apps: Array<{ namespace: string }> };
    expect(ls.apps.map((a) => a.namespace)).toEqual(['shop-prod']);

    const unknown = await runCommand(EnvSet, ['prd']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(/no environment named "prd"/);
    expect(unknown.stderr).toMatch(/prod/);

    expect((await runCommand(EnvDelete, ['prod'])).exitCode).toBe(0);
    const list = JSON.parse((await runCommand(EnvLs, ['--json'])).stdout) as { current?: string; envs: Array<{ name: string }> };
    expect(list.current).toBeUndefined();
    expect(list.envs.map((e) => e.name)).toEqual(['staging']);
    expect((await runCommand(Up, [...k(), '--env', 'prod'])).exitCode).toBe(1);
  });

  it('refuses a namespace that is not a DNS label', async () => {
    const r = await runCommand(EnvInit, ['dev', '--namespace', 'Not_OK']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/invalid namespace "Not_OK"/);
  });
});

describe('flag values', () => {
  it('durations', () => {
    expect(parseDuration('30s', 't')).toBe(30_000);
    expect(parseDuration('5m', 't')).toBe(300_000);
    expect(parseDuration('1h', 't')).toBe(3_600_000);
    expect(parseDuration('1m30s', 't')).toBe(90_000);
    expect(parseDuration('20', 't')).toBe(20_000);
    expect(() => parseDuration('5 minutes', 't')).toThrow(/expected a duration/);
    expect(() => parseDuration('', 't')).toThrow(/expected a duration/);
  });

  it('port specs', () => {
    expect(parsePortSpec('8080:80')).toEqual({ local: 8080, remote: 80 });
    expect(parsePortSpec('80')).toEqual({ remote: 80 });
    expect(parsePortSpec(':5432')).toEqual({ local: 0, remote: 5432 });
    expect(parsePortSpec('0:80')).toEqual({ local: 0, remote: 80 });
    expect(parsePortSpec('x:80')).toBeUndefined();
    expect(parsePortSpec('70000')).toBeUndefined();
    expect(parsePortSpec('80:0')).toBeUndefined();
  });
});
