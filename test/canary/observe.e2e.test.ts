/**
 * `observe` on the real kube-apiserver 1.20, through KubeVela's ref-objects:
 * `vela up` and `vela up --plan` read the objects a template names from the
 * cluster (context.clusterConnected is true); `vela dry-run` has no cluster
 * and says the definition needs one; an object that is not there is an error
 * at the service.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DryRun from '../../src/commands/dry-run.js';
import Up from '../../src/commands/up.js';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { runCommand } from '../cli/harness.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';

const unavailable = await realClusterUnavailable('test/canary/observe.e2e.test.ts');
const clusterTarget = unavailable ? undefined : await loadClusterTarget({ kubeconfig });
const title = unavailable ? `observe on a real kube-apiserver (skipped: ${unavailable})` : 'observe on a real kube-apiserver 1.20: ref-objects';

const ns = `vela-observe-e2e-${process.pid}`;
const appfile = (names: string[]) => `name: refs
services:
  creds:
    type: ref-objects
    objects:
${names.map((n) => `    - resource: secret\n      name: ${n}\n`).join('')}    - resource: configmaps
      labelSelector: {shared: "yes"}
`;

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(!!unavailable)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vela-observe-e2e-'));
  const savedCwd = process.cwd();
  const savedCI = process.env.CI;
  const savedHome = process.env.VELA_HOME;
  const client = clusterTarget && new KubeClient(clusterTarget);
  const k = ['--kubeconfig', kubeconfig, '-n', ns];

  beforeAll(async () => {
    process.chdir(dir);
    process.env.CI = '1';
    process.env.VELA_HOME = join(dir, 'home');
    // Objects someone else made, which the app refers to.
    const by = { fieldManager: 'someone-else' };
    await client!.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, by);
    await client!.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'registry', namespace: ns }, type: 'Opaque', data: { token: 'czNjcjN0' } }, by);
    for (const name of ['b-settings', 'a-settings']) {
      await client!.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { shared: 'yes' } }, data: { name } }, by);
    }
    await client!.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'private', namespace: ns }, data: {} }, by);
  });
  afterAll(async () => {
    process.chdir(savedCwd);
    for (const [key, v] of [['CI', savedCI], ['VELA_HOME', savedHome]] as const) {
      if (v === undefined) delete process.env[key];
      else process.env[key] = v;
    }
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('vela dry-run has no cluster: the definition says it needs one, at the service', async () => {
    writeFileSync(join(dir, 'vela.yaml'), appfile(['registry']));
    const r = await runCommand(DryRun, ['-n', ns]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('vela.yaml:3:3: services.creds: ref-objects: ref-objects reads its objects from the cluster, and no cluster was read');
  });

  it('vela up --plan reads them: the Secret and the labelled ConfigMaps, in name order', async () => {
    const r = await runCommand(Up, [...k, '--take-over', '--plan', '--json']);
    expect(r.exitCode).toBe(0);
    const plan = JSON.parse(r.stdout) as { entries: Array<{ action: string; ref: { kind: string; name: string } }> };
    expect(plan.entries.map((e) => `${e.action} ${e.ref.kind}/${e.ref.name}`)).toEqual([
      'adopt Secret/registry',
      'adopt ConfigMap/a-settings',
      'adopt ConfigMap/b-settings',
    ]);
  });

  it('vela up delivers them with the app, their data as read and without the metadata of their place', async () => {
    // Read where they are, they belong to someone else: taking them over is asked for, as for any object not vela's.
    const refused = await runCommand(Up, [...k, '--json', '--no-wait']);
    expect(refused.exitCode).toBe(1);
    expect(JSON.parse(refused.stdout).error.message).toContain(`Secret ${ns}/registry (service creds) already exists and is not vela's`);
    const r = await runCommand(Up, [...k, '--take-over', '--json', '--no-wait']);
    expect(r.exitCode).toBe(0);
    const secret = (await client!.get({ apiVersion: 'v1', kind: 'Secret', name: 'registry', namespace: ns })) as Any;
    expect(secret.data).toEqual({ token: 'czNjcjN0' });
    expect(secret.metadata.labels).toMatchObject({ 'app.oam.dev/name': 'refs', 'app.oam.dev/component': 'creds' });
    const managers = (secret.metadata.managedFields as Any[]).map((f) => `${f.manager}/${f.operation}`).sort();
    expect(managers).toEqual(['someone-else/Apply', 'vela/Apply']);
    const settings = (await client!.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a-settings', namespace: ns })) as Any;
    expect(settings.metadata.labels).toMatchObject({ shared: 'yes', 'app.oam.dev/component': 'creds' });
    const untouched = (await client!.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'private', namespace: ns })) as Any;
    expect(untouched.metadata.labels).toBeUndefined();
    // A second up reads the same and writes nothing.
    const again = await runCommand(Up, [...k, '--json', '--no-wait']);
    expect(JSON.parse(again.stdout).writes).toBe(0);
  });

  it('an object that is not in the cluster is an error naming it; nothing is applied', async () => {
    writeFileSync(join(dir, 'vela.yaml'), appfile(['registry', 'missing']));
    const r = await runCommand(Up, [...k, '--no-wait']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`vela.yaml:3:3: services.creds: ref-objects: objects[1]: Secret ${ns}/missing is not in the cluster`);
  });
});
