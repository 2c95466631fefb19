/**
 * Discovery answers are cached per cluster: clients of one API server share
 * them through a DiscoveryCache, clients of another server never see them.
 */
import { describe, expect, it } from 'vitest';
import { DiscoveryCache, KubeClient, UnknownKindError } from '../../src/deploy/index.js';
import { resourceList, scriptedTarget, scriptedTransport } from './support/scripted-transport.js';

const clusterA = 'https://a.example:6443';
const clusterB = 'https://b.example:6443';

/** A server with Deployments in apps/v1 and ConfigMaps in v1. */
const withDeployments = () =>
  scriptedTransport({
    'GET /api/v1': resourceList('v1', [{ kind: 'ConfigMap', name: 'configmaps' }]),
    'GET /apis/apps/v1': resourceList('apps/v1', [
      { kind: 'Deployment', name: 'deployments' },
      { kind: 'Deployment', name: 'deployments/status' },
    ]),
    'GET /apis/apps/v1/namespaces/shop/deployments/web': { json: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } } },
    'GET /version': { json: { major: '1', minor: '20', gitVersion: 'v1.20.2' } },
  });

/** A server whose apps/v1 serves StatefulSets only. */
const withoutDeployments = () =>
  scriptedTransport({
    'GET /apis/apps/v1': resourceList('apps/v1', [{ kind: 'StatefulSet', name: 'statefulsets' }]),
    'GET /version': { json: { major: '1', minor: '20', gitVersion: 'v1.20.9' } },
  });

describe('discovery cache', () => {
  it('asks each cluster once, however many clients of it there are', async () => {
    const cache = new DiscoveryCache();
    const first = withDeployments();
    const second = withDeployments();
    const one = new KubeClient(scriptedTarget(clusterA), { transport: first, discovery: cache });
    const two = new KubeClient(scriptedTarget(`${clusterA}/`, 'another-context'), { transport: second, discovery: cache });

    expect(await one.discovery.resourceFor('apps/v1', 'Deployment')).toMatchObject({ group: 'apps', version: 'v1', resource: 'deployments', namespaced: true });
    expect(await two.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' })).toMatchObject({ metadata: { name: 'web' } });
    expect(first.count('GET /apis/apps/v1')).toBe(1);
    // The second client asked the server only for the object: the mapping came from the shared cache.
    expect(second.sent.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /apis/apps/v1/namespaces/shop/deployments/web']);
    expect(cache.size).toBe(1);
  });

  it('keeps each cluster apart: another server gets its own answers', async () => {
    const cache = new DiscoveryCache();
    const a = withDeployments();
    const b = withoutDeployments();
    const onA = new KubeClient(scriptedTarget(clusterA), { transport: a, discovery: cache });
    const onB = new KubeClient(scriptedTarget(clusterB), { transport: b, discovery: cache });

    expect(await onA.discovery.tryResourceFor('apps/v1', 'Deployment')).toBeDefined();
    const err = await onB.discovery.resourceFor('apps/v1', 'Deployment').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownKindError);
    expect((err as Error).message).toBe('the server (Kubernetes v1.20.9) has no kind Deployment in apps/v1');
    // A missing kind is looked up once more (a CRD may have just been made), then reported.
    expect(b.count('GET /apis/apps/v1')).toBe(2);
    expect(cache.size).toBe(2);
    // Cluster A's answer is untouched by B's.
    expect(await onA.discovery.tryResourceFor('apps/v1', 'Deployment')).toBeDefined();
    expect(a.count('GET /apis/apps/v1')).toBe(1);
  });

  it('without a shared cache, each client keeps its own', async () => {
    const first = withDeployments();
    const second = withDeployments();
    await new KubeClient(scriptedTarget(clusterA), { transport: first }).discovery.resourceFor('apps/v1', 'Deployment');
    await new KubeClient(scriptedTarget(clusterA), { transport: second }).discovery.resourceFor('apps/v1', 'Deployment');
    expect([first.count('GET /apis/apps/v1'), second.count('GET /apis/apps/v1')]).toEqual([1, 1]);
  });

  it('shares one request between concurrent askers, and does not keep a failure', async () => {
    const flaky = scriptedTransport({
      'GET /apis/apps/v1': [{ status: 403, body: { kind: 'Status', reason: 'Forbidden', message: 'no discovery for you' } }, resourceList('apps/v1', [{ kind: 'Deployment', name: 'deployments' }])],
    });
    const client = new KubeClient(scriptedTarget(clusterA), { transport: flaky, retry: { retries: 0 } });
    const answers = await Promise.allSettled([1, 2, 3].map(() => client.discovery.resourceFor('apps/v1', 'Deployment')));
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(flaky.count('GET /apis/apps/v1')).toBe(1);
    expect((await client.discovery.resourceFor('apps/v1', 'Deployment')).resource).toBe('deployments');
    expect(flaky.count('GET /apis/apps/v1')).toBe(2);
  });

  it('finds a kind a CRD has just added by looking once more', async () => {
    const group = scriptedTransport({
      'GET /apis/example.com/v1': [resourceList('example.com/v1', []), resourceList('example.com/v1', [{ kind: 'Widget', name: 'widgets' }])],
    });
    const client = new KubeClient(scriptedTarget(clusterA), { transport: group });
    expect((await client.discovery.resourceFor('example.com/v1', 'Widget')).resource).toBe('widgets');
    expect(group.count('GET /apis/example.com/v1')).toBe(2);
  });

  it('lists the versions of a group, the preferred one first, asking once', async () => {
    const groups = scriptedTransport({
      'GET /apis': { json: { groups: [{ name: 'batch', preferredVersion: { groupVersion: 'batch/v1' }, versions: [{ groupVersion: 'batch/v1beta1' }, { groupVersion: 'batch/v1' }] }] } },
    });
    const client = new KubeClient(scriptedTarget(clusterA), { transport: groups });
    expect(await client.discovery.groupApiVersions('batch')).toEqual(['batch/v1', 'batch/v1beta1']);
    expect(await client.discovery.preferredApiVersion('')).toBe('v1');
    expect(await client.discovery.preferredApiVersion('nope.io')).toBeUndefined();
    expect(groups.count('GET /apis')).toBe(1);
  });
});
