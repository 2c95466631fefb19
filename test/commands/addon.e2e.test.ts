/**
 * Addons end to end against the real kube-apiserver 1.20 (scripts/cluster.sh):
 * enable (its Application applied with an inventory of its own), status,
 * upgrade to a new version (objects changed, what left pruned), disable
 * (everything deleted through the inventory, definitions unregistered).
 * Pods never run on this cluster, so nothing here waits for health.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AddonDisable from '../../src/commands/addon/disable.js';
import AddonEnable from '../../src/commands/addon/enable.js';
import AddonStatus from '../../src/commands/addon/status.js';
import AddonUpgrade from '../../src/commands/addon/upgrade.js';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { ROOT, runCommand } from '../cli/harness.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';

const unavailable = await realClusterUnavailable('test/commands/addon.e2e.test.ts');
const clusterTarget = unavailable ? undefined : await loadClusterTarget({ kubeconfig });
const title = unavailable ? `vela addon on a real kube-apiserver (skipped: ${unavailable})` : 'vela addon on a real kube-apiserver 1.20';

const ns = `vela-addon-e2e-${process.pid}`;
const CATALOG = join(ROOT, 'test/fixtures/catalog');
const CATALOG_V2 = join(ROOT, 'test/fixtures/catalog-v2');

describe.skipIf(!!unavailable)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vela-addon-e2e-'));
  const home = join(dir, 'home');
  const savedCwd = process.cwd();
  const savedHome = process.env.VELA_HOME;
  const client = clusterTarget && new KubeClient(clusterTarget);
  const k = ['--kubeconfig', kubeconfig];
  const live = (kind: string, name: string) => client!.get({ apiVersion: 'v1', kind, name, namespace: ns }) as Promise<{ data?: Record<string, string> } | undefined>;

  beforeAll(async () => {
    process.chdir(dir);
    process.env.VELA_HOME = home;
    await client!.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  afterAll(async () => {
    process.chdir(savedCwd);
    if (savedHome === undefined) delete process.env.VELA_HOME;
    else process.env.VELA_HOME = savedHome;
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enable applies the Application, its resources and outputs, then installs the definitions', async () => {
    const r = await runCommand(AddonEnable, ['hello', '--registry', CATALOG, '-n', ns, '--set', 'greeting=good day', ...k, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const entry = (JSON.parse(r.stdout) as { addons: { name: string; app: string; namespace: string; summary: Record<string, number> }[] }).addons[0]!;
    expect(entry).toMatchObject({ name: 'hello', app: 'addon-hello', namespace: ns });
    expect(entry.summary.created).toBe(5);
    expect((await live('ConfigMap', 'hello-greeting'))?.data).toEqual({ greeting: 'good day', times: '1', addon: 'hello 1.0.0' });
    expect((await live('ConfigMap', 'hello-echo'))?.data).toEqual({ echo: 'good day' });
    expect(await live('Secret', 'hello-extra')).toBeDefined();
    expect((await live('ConfigMap', 'hello-marker'))?.data).toEqual({ version: '1.0.0' });
    expect(readdirSync(join(home, 'addons/hello/definitions')).sort()).toEqual(['hello-label.yaml', 'hello.cue']);

    const status = await runCommand(AddonStatus, ['hello', ...k]);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain('addon hello: enabled, version 1.0.0');
    expect(status.stdout).toMatch(/greeter/);
  });

  it('enabling again changes nothing', async () => {
    const r = await runCommand(AddonEnable, ['hello', '--registry', CATALOG, '-n', ns, '--set', 'greeting=good day', ...k, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const summary = (JSON.parse(r.stdout) as { addons: { summary: Record<string, number> }[] }).addons[0]!.summary;
    expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: 5, pruned: 0 });
  });

  it('upgrade to 2.0.0 keeps the parameters, changes objects and prunes what left', async () => {
    const r = await runCommand(AddonUpgrade, ['hello', '--registry', CATALOG_V2, ...k, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const entry = (JSON.parse(r.stdout) as { addons: { previousVersion: string; objects: { action: string; kind: string; name: string }[] }[] }).addons[0]!;
    expect(entry.previousVersion).toBe('1.0.0');
    expect(entry.objects.filter((o) => o.action === 'pruned').map((o) => `${o.kind}/${o.name}`)).toEqual(['Secret/hello-extra']);
    expect(await live('Secret', 'hello-extra')).toBeUndefined();
    expect((await live('ConfigMap', 'hello-greeting'))?.data).toEqual({ greeting: 'good day', times: '1', addon: 'hello 2.0.0' });
    expect((await live('ConfigMap', 'hello-marker'))?.data).toEqual({ version: '2.0.0' });
    expect(readdirSync(join(home, 'addons/hello/definitions'))).toEqual(['hello.cue']);
  });

  it('disable deletes every object through the inventory and unregisters the definitions', async () => {
    const r = await runCommand(AddonDisable, ['hello', ...k, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    for (const name of ['hello-greeting', 'hello-echo', 'hello-settings', 'hello-marker']) expect(await live('ConfigMap', name)).toBeUndefined();
    expect(existsSync(join(home, 'addons/hello'))).toBe(false);
    const status = await runCommand(AddonStatus, ['hello', ...k]);
    expect(status.stdout).toBe('addon hello: disabled\n');
  });
});
