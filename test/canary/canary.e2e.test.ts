/**
 * Canary releases end to end on the real kube-apiserver 1.20, through the
 * commands run in-process: the canary trait reads the live Deployments
 * (observe), `vela up` with a new image changes the canary alone, `vela
 * canary promote` / `abort` move images by server-side apply as `vela`, and
 * later `vela up` runs keep what they did. This cluster has no controllers:
 * pods stay Pending, so nothing waits for readiness here except the test of
 * the timeout (exit 3).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import CanaryAbort from '../../src/commands/canary/abort.js';
import CanaryPromote from '../../src/commands/canary/promote.js';
import CanaryStatus from '../../src/commands/canary/status.js';
import Up from '../../src/commands/up.js';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { runCommand } from '../cli/harness.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';

const unavailable = await realClusterUnavailable('test/canary/canary.e2e.test.ts');
const clusterTarget = unavailable ? undefined : await loadClusterTarget({ kubeconfig });
const title = unavailable ? `vela canary on a real kube-apiserver (skipped: ${unavailable})` : 'vela canary on a real kube-apiserver 1.20';

const ns = `vela-canary-e2e-${process.pid}`;
const image = (tag: string) => `localhost:5000/vela-e2e/express:${tag}`;
const appfile = (tag: string) => `name: talk
services:
  express-server:
    image: ${image(tag)}
    cmd: ["node", "server.js"]
    env:
    - F00=bar
    route:
      domain: example.com
      http:
        "/": 8080
    canary:
      replica: 1
      headers: ["foo:bar.*"]
`;

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
interface UpJson {
  summary: Record<string, number>;
  writes: number;
  objects: Array<{ action: string; kind: string; name: string }>;
}

describe.skipIf(!!unavailable)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vela-canary-e2e-'));
  const savedCwd = process.cwd();
  const savedCI = process.env.CI;
  const savedHome = process.env.VELA_HOME;
  const client = clusterTarget && new KubeClient(clusterTarget);
  const k = ['--kubeconfig', kubeconfig, '-n', ns];
  const deployment = async (name: string) => (await client!.get({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: ns })) as Any;
  const imageOf = async (name: string) => (await deployment(name)).spec.template.spec.containers[0].image as string;

  /** resourceVersion of every object the app made, by Kind/name. */
  async function versions(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const kinds: [string, string][] = [
      ['apps/v1', 'Deployment'],
      ['v1', 'Service'],
      ['networking.k8s.io/v1', 'Ingress'],
    ];
    for (const [apiVersion, kind] of kinds) {
      for (const o of await client!.list(apiVersion, kind, { namespace: ns, labelSelector: 'app.oam.dev/name=talk' })) out[`${kind}/${o.metadata!.name}`] = String(o.metadata!.resourceVersion);
    }
    return out;
  }

  async function up(tag: string): Promise<UpJson> {
    writeFileSync(join(dir, 'vela.yaml'), appfile(tag));
    const run = await runCommand(Up, [...k, '--json', '--no-wait']);
    expect(run.stdout).not.toMatch(/"error"/);
    expect(run.exitCode).toBe(0);
    return JSON.parse(run.stdout) as UpJson;
  }

  /** `vela up` as a person runs it: the summary and the templates' warnings on stderr. */
  async function upTalking(tag: string): Promise<string> {
    writeFileSync(join(dir, 'vela.yaml'), appfile(tag));
    const run = await runCommand(Up, [...k, '--no-wait']);
    expect(run.exitCode).toBe(0);
    return run.stderr;
  }

  beforeAll(() => {
    process.chdir(dir);
    process.env.CI = '1';
    process.env.VELA_HOME = join(dir, 'home');
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

  it('the first up makes the stable and the canary Deployment from the same image, with the canary Service and Ingress', async () => {
    const json = await up('v1');
    expect(json.objects.map((o) => `${o.action} ${o.kind}/${o.name}`).sort()).toEqual(
      [
        'created Deployment/express-server',
        'created Deployment/express-server-canary',
        'created Ingress/express-server',
        'created Ingress/express-server-canary',
        'created Service/express-server',
        'created Service/express-server-canary',
      ].sort(),
    );
    expect(await imageOf('express-server')).toBe(image('v1'));
    expect(await imageOf('express-server-canary')).toBe(image('v1'));
    const canaryDeployment = await deployment('express-server-canary');
    expect(canaryDeployment.spec.template.metadata.labels).toMatchObject({ 'app.oam.dev/component': 'express-server', 'app.oam.dev/track': 'canary' });
    const ingress = (await client!.get({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'express-server-canary', namespace: ns })) as Any;
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-by-header': 'foo',
      'nginx.ingress.kubernetes.io/canary-by-header-pattern': 'bar.*',
    });
  });

  it('up with a new image changes only the canary Deployment; the stable keeps the image it runs', async () => {
    const before = await versions();
    const stderr = await upTalking('v2');
    expect(stderr).toContain(`app talk applied to namespace ${ns}`);
    expect(stderr).toContain('0 created, 1 updated, 5 unchanged, 0 pruned');
    const after = await versions();
    const changed = Object.keys(after).filter((key) => after[key] !== before[key]);
    expect(changed).toEqual(['Deployment/express-server-canary']);
    expect(await imageOf('express-server')).toBe(image('v1'));
    expect(await imageOf('express-server-canary')).toBe(image('v2'));
    expect(stderr).toContain(`express-server keeps ${image('v1')} until \`vela canary promote express-server\``);
  });

  it('status shows both images, ready pods and the routing, from the cluster alone', async () => {
    const json = await runCommand(CanaryStatus, [...k, '--json']);
    expect(json.exitCode).toBe(0);
    const r = JSON.parse(json.stdout) as Any;
    expect(r.app).toBe('talk');
    expect(r.canaries).toEqual([
      {
        service: 'express-server',
        app: 'talk',
        stable: { deployment: 'express-server', images: { 'express-server': image('v1') }, replicas: 1, ready: 0 },
        canary: { deployment: 'express-server-canary', images: { 'express-server': image('v2') }, replicas: 1, ready: 0 },
        routing: { service: 'express-server-canary', ingress: 'express-server-canary', header: { name: 'foo', pattern: 'bar.*' } },
      },
    ]);
    // From another folder (no Appfile): the namespace and the service are enough.
    process.chdir(tmpdir());
    try {
      const text = await runCommand(CanaryStatus, [...k, 'express-server']);
      expect(text.exitCode).toBe(0);
      expect(text.stdout).toContain(`canaries in namespace ${ns}\n`);
      expect(text.stdout).toMatch(new RegExp(`express-server\\s+stable\\s+express-server\\s+${image('v1').replace(/\./g, '\\.')}\\s+0/1`));
      expect(text.stdout).toMatch(new RegExp(`\\s+canary\\s+express-server-canary\\s+${image('v2').replace(/\./g, '\\.')}\\s+0/1`));
      expect(text.stdout).toContain('express-server: requests whose header foo matches bar.* go to express-server-canary (Ingress express-server-canary)');
    } finally {
      process.chdir(dir);
    }
  });

  it('promote moves the stable Deployment to the canary image, changing nothing else; the next up writes nothing', async () => {
    const before = await deployment('express-server');
    const canaryVersion = (await versions())['Deployment/express-server-canary'];
    const r = await runCommand(CanaryPromote, [...k, 'express-server', '--no-wait', '--json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      service: 'express-server',
      namespace: ns,
      deployment: 'express-server',
      from: { 'express-server': image('v1') },
      to: { 'express-server': image('v2') },
      changed: true,
    });
    const after = await deployment('express-server');
    expect(after.spec.template.spec.containers[0].image).toBe(image('v2'));
    // Every other field as vela up left it.
    const withoutImage = (d: Any) => ({ ...d.spec, template: { ...d.spec.template, spec: { ...d.spec.template.spec, containers: d.spec.template.spec.containers.map((c: Any) => ({ ...c, image: '' })) } } });
    expect(withoutImage(after)).toEqual(withoutImage(before));
    expect(after.metadata.labels).toEqual(before.metadata.labels);
    expect((await versions())['Deployment/express-server-canary']).toBe(canaryVersion);
    const owners = (after.metadata.managedFields as Any[]).filter((f) => f.operation === 'Apply').map((f) => f.manager);
    expect(owners).toEqual(['vela']);

    const again = await up('v2');
    expect(again.writes).toBe(0);
    expect(await imageOf('express-server')).toBe(image('v2'));
  });

  it('promote of a canary already promoted does nothing', async () => {
    const before = await versions();
    const r = await runCommand(CanaryPromote, [...k, 'express-server', '--no-wait']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`express-server: Deployment express-server already runs ${image('v2')}; nothing to do`);
    expect(await versions()).toEqual(before);
  });

  it('abort puts the canary back on the stable image; up with the same Appfile keeps it there, a new release goes to it', async () => {
    await up('v3');
    expect(await imageOf('express-server-canary')).toBe(image('v3'));
    const stableVersion = (await versions())['Deployment/express-server'];
    const r = await runCommand(CanaryAbort, [...k, 'express-server', '--no-wait']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`aborted express-server: Deployment express-server-canary now runs ${image('v2')} (was ${image('v3')})`);
    expect(await imageOf('express-server-canary')).toBe(image('v2'));
    expect((await deployment('express-server-canary')).metadata.annotations).toEqual({ 'app.oam.dev/canary-aborted': `express-server=${image('v3')}` });
    expect((await versions())['Deployment/express-server']).toBe(stableVersion);

    const status = JSON.parse((await runCommand(CanaryStatus, [...k, '--json'])).stdout) as Any;
    expect(status.canaries[0].aborted).toBe(`express-server=${image('v3')}`);

    // The Appfile still names v3: the canary stays on the stable image, and nothing is written.
    const same = await up('v3');
    expect(same.writes).toBe(0);
    expect(await upTalking('v3')).toContain('was aborted: express-server-canary stays on the stable images');
    expect(await imageOf('express-server-canary')).toBe(image('v2'));

    const next = await up('v4');
    expect(next.objects.filter((o) => o.action === 'updated').map((o) => `${o.kind}/${o.name}`)).toEqual(['Deployment/express-server-canary']);
    expect(await imageOf('express-server-canary')).toBe(image('v4'));
    expect(await imageOf('express-server')).toBe(image('v2'));
    expect((await deployment('express-server-canary')).metadata.annotations).toBeUndefined();
  });

  it('promote waits for the rollout, and says so with exit 3 when it does not come (no controller here)', async () => {
    const r = await runCommand(CanaryPromote, [...k, 'express-server', '--timeout', '2s']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('Deployment express-server did not roll out in time');
    // The images are set all the same.
    expect(await imageOf('express-server')).toBe(image('v4'));
  });

  it('a service without a canary is a user error', async () => {
    const r = await runCommand(CanaryPromote, [...k, 'nosuch', '--no-wait']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`no canary for service nosuch in namespace ${ns} (app talk)`);
    const s = await runCommand(CanaryStatus, [...k, 'nosuch']);
    expect(s.exitCode).toBe(1);
  });
});
