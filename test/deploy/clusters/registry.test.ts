/**
 * The cluster registry on the in-memory host: join (by reference and
 * --copy), labels, rename, detach, the file's exact bytes, every user error,
 * and listing with injected probes (no network).
 */
import { describe, expect, it } from 'vitest';
import {
  clusterDirectory,
  detachCluster,
  joinCluster,
  labelCluster,
  listClusters,
  parseLabels,
  parseLabelKeys,
  readRegistry,
  registryPaths,
  renameCluster,
  type ManagedClusterInfo,
} from '../../../src/deploy/clusters/index.js';
import { memoryEnvironment, memoryFileSystem } from '../../../src/host/index.js';
import { DiagnosticError, formatDiagnosticLine } from '../../../src/source/index.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const TOKEN = 'secret-token-do-not-print';

function kubeconfig(clusters: { name: string; server: string }[], current: string, opts: { caFile?: string; token?: string } = {}): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${current}`,
    'clusters:',
    ...clusters.flatMap((c) => [`- name: ${c.name}`, '  cluster:', `    server: ${c.server}`, opts.caFile ? `    certificate-authority: ${opts.caFile}` : `    certificate-authority-data: ${Buffer.from(CA).toString('base64')}`]),
    'users:',
    ...clusters.flatMap((c) => [`- name: ${c.name}-admin`, '  user:', `    token: ${opts.token ?? TOKEN}`]),
    'contexts:',
    ...clusters.flatMap((c) => [`- name: ${c.name}`, '  context:', `    cluster: ${c.name}`, `    user: ${c.name}-admin`, '    namespace: apps']),
    '',
  ].join('\n');
}

function host(files: Record<string, string> = {}) {
  const fs = memoryFileSystem({
    '/home/me/.kube/config': kubeconfig([{ name: 'home', server: 'https://10.0.0.1:6443' }], 'home'),
    '/home/me/kube/fleet.yaml': kubeconfig(
      [
        { name: 'eu', server: 'https://10.0.1.1:6443' },
        { name: 'us', server: 'https://10.0.2.1:6443' },
      ],
      'eu',
    ),
    ...files,
  });
  const env = memoryEnvironment({ VELA_HOME: '/home/me/.vela' }, '/home/me', '/home/me');
  return { fs, env };
}

async function userError(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DiagnosticError)) throw new Error(`expected a user error, got ${String(err)}`);
  expect(err.exitCode).toBe(1);
  return err.diagnostics.map((d) => `${formatDiagnosticLine(d)}${d.hint ? ` [${d.hint}]` : ''}`).join('\n');
}

describe('join', () => {
  it('records the kubeconfig file and pins its context, and writes the same bytes for the same registry', async () => {
    const h = host();
    await joinCluster({ kubeconfig: '/home/me/kube/fleet.yaml', context: 'us', name: 'us-east', labels: { region: 'us', env: 'prod' } }, h);
    await joinCluster({ kubeconfig: '/home/me/kube/fleet.yaml', name: 'eu', ocmHub: true }, h);
    expect(await h.fs.readText(registryPaths(h).file)).toBe(
      [
        '# vela cluster registry: written by `vela cluster join|labels|rename|detach`.',
        '# Credentials are not here: each cluster names a kubeconfig file and a context in it.',
        'clusters:',
        '  eu:',
        '    kubeconfig: /home/me/kube/fleet.yaml',
        '    context: eu',
        '    server: https://10.0.1.1:6443',
        '    ocmHub: true',
        '  us-east:',
        '    kubeconfig: /home/me/kube/fleet.yaml',
        '    context: us',
        '    server: https://10.0.2.1:6443',
        '    labels:',
        '      env: prod',
        '      region: us',
        '',
      ].join('\n'),
    );
    expect((await readRegistry(h)).map((c) => [c.name, c.context, c.ocmHub])).toEqual([
      ['eu', 'eu', true],
      ['us-east', 'us', false],
    ]);
  });

  it('with --copy, writes that one context, certificates inlined, with mode 0600, and refers to the copy', async () => {
    const h = host({ '/home/me/kube/ca.crt': CA, '/home/me/kube/one.yaml': kubeconfig([{ name: 'one', server: 'https://10.0.3.1:6443' }], 'one', { caFile: 'ca.crt' }) });
    const entry = await joinCluster({ kubeconfig: '/home/me/kube/one.yaml', name: 'one', copy: true }, h);
    expect(entry).toMatchObject({ kubeconfig: '/home/me/.vela/clusters/one.kubeconfig', context: 'one', copied: true, server: 'https://10.0.3.1:6443' });
    expect((await h.fs.stat(entry.kubeconfig))!.mode).toBe(0o600);
    const copy = JSON.parse(await h.fs.readText(entry.kubeconfig)) as { clusters: { cluster: Record<string, string> }[]; users: { user: Record<string, string> }[]; contexts: { context: Record<string, string> }[] };
    expect(Buffer.from(copy.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString()).toBe(CA);
    expect(copy.clusters[0]!.cluster['certificate-authority']).toBeUndefined();
    expect(copy.users[0]!.user.token).toBe(TOKEN);
    expect(copy.contexts[0]!.context.namespace).toBe('apps');
    // The registry itself holds no credentials.
    expect(await h.fs.readText(registryPaths(h).file)).not.toContain(TOKEN);
  });

  it('refuses `local`, a name that is no DNS label, a name already joined, and a context the file lacks', async () => {
    const h = host();
    const file = '/home/me/kube/fleet.yaml';
    expect(await userError(joinCluster({ kubeconfig: file, name: 'local' }, h))).toBe('"local" is the cluster of the current kubeconfig context; choose another name [for example `--name staging`]');
    expect(await userError(joinCluster({ kubeconfig: file, name: 'EU_1' }, h))).toBe('invalid cluster name "EU_1": must be a DNS-1123 label (lower case letters, digits and \'-\', at most 63)');
    await joinCluster({ kubeconfig: file, name: 'eu' }, h);
    expect(await userError(joinCluster({ kubeconfig: file, name: 'eu' }, h))).toBe('a cluster named "eu" is already joined [choose another name, or `vela cluster detach eu` first]');
    await expect(joinCluster({ kubeconfig: file, context: 'asia', name: 'asia' }, h)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('no context "asia" in the kubeconfig') });
    await expect(joinCluster({ kubeconfig: '/nowhere.yaml', name: 'x' }, h)).rejects.toMatchObject({ exitCode: 2, message: 'kubeconfig /nowhere.yaml does not exist' });
  });
});

describe('labels, rename, detach', () => {
  it('adds, changes and removes labels', async () => {
    const h = host();
    await joinCluster({ kubeconfig: '/home/me/kube/fleet.yaml', name: 'eu', labels: { env: 'staging' } }, h);
    expect((await labelCluster('eu', { add: { env: 'prod', region: 'eu' } }, h)).labels).toEqual({ env: 'prod', region: 'eu' });
    expect((await labelCluster('eu', { remove: ['env', 'missing'] }, h)).labels).toEqual({ region: 'eu' });
    expect((await readRegistry(h))[0]!.labels).toEqual({ region: 'eu' });
  });

  it('renames a copied cluster with its copy, and detaches it with its copy', async () => {
    const h = host();
    await joinCluster({ kubeconfig: '/home/me/kube/fleet.yaml', context: 'us', name: 'us', copy: true }, h);
    const renamed = await renameCluster('us', 'us-east', h);
    expect(renamed).toMatchObject({ name: 'us-east', context: 'us-east', kubeconfig: '/home/me/.vela/clusters/us-east.kubeconfig' });
    expect(await h.fs.exists('/home/me/.vela/clusters/us.kubeconfig')).toBe(false);
    expect((await h.fs.stat(renamed.kubeconfig))!.mode).toBe(0o600);
    expect(JSON.parse(await h.fs.readText(renamed.kubeconfig))).toMatchObject({ 'current-context': 'us-east', clusters: [{ name: 'us-east', cluster: { server: 'https://10.0.2.1:6443' } }] });
    await detachCluster('us-east', h);
    expect(await readRegistry(h)).toEqual([]);
    expect(await h.fs.exists(renamed.kubeconfig)).toBe(false);
    expect(await h.fs.exists('/home/me/kube/fleet.yaml')).toBe(true);
  });

  it('says which clusters there are for an unknown name, and that local is not registered', async () => {
    const h = host();
    await joinCluster({ kubeconfig: '/home/me/kube/fleet.yaml', name: 'staging' }, h);
    expect(await userError(detachCluster('stagin', h))).toBe('no cluster named "stagin" [did you mean `staging`?]');
    expect(await userError(labelCluster('local', { add: { a: 'b' } }, h))).toBe('"local" is the current kubeconfig context, not a registered cluster [switch it with `kubectl config use-context`, or pass --kubeconfig/--context]');
    expect(await userError(renameCluster('staging', 'local', h))).toBe('"local" is the cluster of the current kubeconfig context; choose another name [for example `--name staging`]');
  });

  it('refuses a broken registry file, at its line', async () => {
    const h = host({ '/home/me/.vela/clusters.yaml': 'clusters:\n  eu:\n    kubeconfig: /x\n    contxt: a\n' });
    expect(await userError(readRegistry(h))).toBe('/home/me/.vela/clusters.yaml:3:5: cluster eu: unknown key "contxt" [fix the file, or remove it and join the clusters again]');
  });
});

describe('labels as flags take them', () => {
  it('parses k=v lists and checks keys and values as Kubernetes does', () => {
    expect(parseLabels(['env=prod,region=eu', 'example.com/tier=', 'x=y'])).toEqual({ env: 'prod', region: 'eu', 'example.com/tier': '', x: 'y' });
    expect(parseLabelKeys(['env,region=eu'])).toEqual(['env', 'region']);
    expect(() => parseLabels(['env'])).toThrow('label "env" must be KEY=VALUE');
    expect(() => parseLabels(['-bad=x'])).toThrow('label -bad=x: the key must be at most 63 letters');
    expect(() => parseLabels(['ok=with space'])).toThrow('label ok=with space: the value must be empty');
  });
});

describe('list', () => {
  const managed: ManagedClusterInfo[] = [
    { name: 'aws-1', labels: { provider: 'aws' }, server: 'https://aws-1:6443', available: true, version: 'v1.29.1', accepted: true },
    { name: 'eu', labels: {}, available: false, message: 'lease expired', accepted: true },
    { name: 'gone', labels: {}, available: false, message: 'lease expired', accepted: true },
  ];

  it('shows local, every joined cluster and the managed clusters of hubs, each probed', async () => {
    const h = host();
    await joinCluster({ kubeconfig: '/home/me/kube/fleet.yaml', name: 'eu', labels: { env: 'prod' } }, h);
    await joinCluster({ kubeconfig: '/home/me/kube/fleet.yaml', context: 'us', name: 'hub', ocmHub: true }, h);
    const probed: string[] = [];
    const list = await listClusters({
      ...h,
      probe: async (t) => (probed.push(t.server), t.server.includes('10.0.1.1') ? { reachable: false, problem: 'connect ECONNREFUSED 10.0.1.1:6443' } : { reachable: true, version: 'v1.20.15' }),
      managedClusters: async () => managed,
    });
    expect(probed.sort()).toEqual(['https://10.0.0.1:6443', 'https://10.0.1.1:6443', 'https://10.0.2.1:6443']);
    expect(list.clusters.map((c) => [c.name, c.source, c.server ?? null, c.labels, c.reachable, c.version ?? null, c.hub ?? null])).toEqual([
      ['local', 'local', 'https://10.0.0.1:6443', {}, true, 'v1.20.15', null],
      ['eu', 'kubeconfig', 'https://10.0.1.1:6443', { env: 'prod' }, false, null, null],
      ['hub', 'kubeconfig', 'https://10.0.2.1:6443', {}, true, 'v1.20.15', null],
      ['aws-1', 'managed', 'https://aws-1:6443', { provider: 'aws' }, true, 'v1.29.1', 'hub'],
      ['gone', 'managed', null, {}, false, null, 'hub'],
    ]);
    expect(list.clusters.find((c) => c.name === 'eu')!.problem).toBe('connect ECONNREFUSED 10.0.1.1:6443');
    expect(list.warnings).toEqual(['managed cluster eu of hub hub has the name of another cluster; it cannot be used by name']);
    expect(JSON.stringify(list)).not.toContain(TOKEN);
  });

  it('still lists the others when local has no kubeconfig', async () => {
    const h = host();
    await h.fs.remove('/home/me/.kube/config');
    const list = await listClusters({ ...h, probe: async () => ({ reachable: true }) });
    expect(list.clusters).toEqual([{ name: 'local', source: 'local', labels: {}, reachable: false, problem: 'no kubeconfig found (looked at /home/me/.kube/config)' }]);
  });

  it('gives the planner every cluster with its labels, and says how to reach each', async () => {
    const h = host();
    await joinCluster({ kubeconfig: '/home/me/kube/fleet.yaml', name: 'eu', labels: { env: 'prod' } }, h);
    await joinCluster({ kubeconfig: '/home/me/kube/fleet.yaml', context: 'us', name: 'hub', ocmHub: true }, h);
    const dir = await clusterDirectory({ ...h, managedClusters: async () => managed });
    expect(dir.clusters).toEqual([
      { name: 'local', labels: {} },
      { name: 'eu', labels: { env: 'prod' } },
      { name: 'hub', labels: {} },
      { name: 'aws-1', labels: { provider: 'aws' } },
      { name: 'gone', labels: {} },
    ]);
    expect(await dir.access('local')).toMatchObject({ kind: 'direct', target: { server: 'https://10.0.0.1:6443', context: 'home' } });
    expect(await dir.access('eu')).toMatchObject({ kind: 'direct', target: { server: 'https://10.0.1.1:6443', context: 'eu' } });
    expect(await dir.access('aws-1')).toMatchObject({ kind: 'ocm', hub: 'hub', hubTarget: { server: 'https://10.0.2.1:6443' } });
    expect(await userError(dir.access('aws1'))).toBe('no cluster named "aws1" [did you mean `aws-1`?]');
  });
});
