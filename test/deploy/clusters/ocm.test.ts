/**
 * Open Cluster Management, the pure parts: a ManagedCluster read into what
 * vela shows, an app's manifests wrapped in a ManifestWork, and its status
 * read back from the conditions the work agent writes. The objects are
 * checked against our CRDs' schemas (test/fixtures/crds/ocm.yaml) with the
 * same validator the e2e test's API server applies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildManifestWork, manifestWorkName, manifestWorkStatus, readManagedCluster, type WorkStatus } from '../../../src/deploy/clusters/index.js';
import type { KubeObject } from '../../../src/deploy/index.js';

const crds = parseAllDocuments(readFileSync(join(import.meta.dirname, '../../fixtures/crds/ocm.yaml'), 'utf8')).map((d) => d.toJS() as { spec: { names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: object } }[] } });
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addKeyword('x-kubernetes-preserve-unknown-fields');
ajv.addKeyword('x-kubernetes-embedded-resource');
ajv.addKeyword('x-kubernetes-list-type');
const validatorOf = (kind: string) => ajv.compile(crds.find((c) => c.spec.names.kind === kind)!.spec.versions[0]!.schema.openAPIV3Schema);

describe('ManagedCluster', () => {
  it('gives the name, labels, server, availability and version', () => {
    const obj: KubeObject = {
      apiVersion: 'cluster.open-cluster-management.io/v1',
      kind: 'ManagedCluster',
      metadata: { name: 'aws-1', labels: { provider: 'aws', 'cluster.open-cluster-management.io/clusterset': 'default' } },
      spec: { hubAcceptsClient: true, managedClusterClientConfigs: [{ url: 'https://aws-1.example:6443', caBundle: 'Zm9v' }] },
      status: {
        conditions: [
          { type: 'HubAcceptedManagedCluster', status: 'True', reason: 'HubClusterAdminAccepted', message: 'Accepted by hub cluster admin', lastTransitionTime: '2024-01-01T00:00:00Z' },
          { type: 'ManagedClusterConditionAvailable', status: 'True', reason: 'ManagedClusterAvailable', message: 'Managed cluster is available', lastTransitionTime: '2024-01-01T00:00:00Z' },
        ],
        version: { kubernetes: 'v1.29.1' },
      },
    };
    expect(validatorOf('ManagedCluster')(obj)).toBe(true);
    expect(readManagedCluster(obj)).toEqual({ name: 'aws-1', labels: { provider: 'aws', 'cluster.open-cluster-management.io/clusterset': 'default' }, server: 'https://aws-1.example:6443', available: true, version: 'v1.29.1', accepted: true });
  });

  it('says why a cluster is not available', () => {
    const unknown = readManagedCluster({ metadata: { name: 'x' }, status: { conditions: [{ type: 'ManagedClusterConditionAvailable', status: 'Unknown', reason: 'ManagedClusterLeaseUpdateStopped', message: 'Registration agent stopped updating its lease.' }] } });
    expect(unknown).toMatchObject({ available: false, message: 'Registration agent stopped updating its lease.', accepted: false });
    expect(readManagedCluster({ metadata: { name: 'new' } })).toMatchObject({ available: false, message: 'the hub has no availability condition for it yet' });
  });
});

describe('ManifestWork', () => {
  const manifests = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels: { 'app.oam.dev/name': 'shop' } }, spec: { replicas: 2 } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } },
  ];

  it('wraps the manifests in the cluster’s namespace on the hub, one work per app and namespace', () => {
    const work = buildManifestWork({ cluster: 'aws-1', app: 'shop', namespace: 'shop', manifests });
    expect(work).toEqual({
      apiVersion: 'work.open-cluster-management.io/v1',
      kind: 'ManifestWork',
      metadata: { name: 'shop.shop', namespace: 'aws-1', labels: { 'app.oam.dev/name': 'shop', 'app.kubernetes.io/managed-by': 'vela', 'vela.dev/target-namespace': 'shop' } },
      spec: { workload: { manifests }, deleteOption: { propagationPolicy: 'Foreground' } },
    });
    expect(validatorOf('ManifestWork')(work)).toBe(true);
    expect(validatorOf('ManifestWork')({ ...work, spec: { deleteOption: { propagationPolicy: 'Later' } } })).toBe(false);
    expect(manifestWorkName('a-b', 'c')).not.toBe(manifestWorkName('a', 'b-c'));
    // The manifests are copies: nothing the caller changes later leaks in.
    manifests[0]!.spec.replicas = 5;
    expect((work.spec as { workload: { manifests: { spec: { replicas: number } }[] } }).workload.manifests[0]!.spec.replicas).toBe(2);
  });

  const withStatus = (conditions: object[], generation = 2, resources: object[] = []): KubeObject => ({
    ...buildManifestWork({ cluster: 'aws-1', app: 'shop', namespace: 'shop', manifests: [] }),
    metadata: { name: 'shop.shop', namespace: 'aws-1', generation },
    status: { conditions, resourceStatus: { manifests: resources } },
  });
  const cond = (type: string, status: string, observedGeneration = 2, message = `${type} ${status}`) => ({ type, status, observedGeneration, message, reason: type, lastTransitionTime: '2024-01-01T00:00:00Z' });
  const phase = (w: KubeObject): [WorkStatus['phase'], string | undefined] => [manifestWorkStatus(w).phase, manifestWorkStatus(w).message];

  it('reads Applied, Available and Degraded, only when they describe the current spec', () => {
    expect(phase(withStatus([]))).toEqual(['pending', undefined]);
    expect(phase(withStatus([cond('Applied', 'True')]))).toEqual(['applied', undefined]);
    expect(phase(withStatus([cond('Applied', 'True'), cond('Available', 'False', 2, 'waiting for Deployment web')]))).toEqual(['applied', 'waiting for Deployment web']);
    expect(phase(withStatus([cond('Applied', 'True'), cond('Available', 'True')]))).toEqual(['available', undefined]);
    expect(phase(withStatus([cond('Applied', 'True'), cond('Available', 'True'), cond('Degraded', 'True', 2, 'Deployment web: 0/2 ready')]))).toEqual(['degraded', 'Deployment web: 0/2 ready']);
    expect(phase(withStatus([cond('Applied', 'False', 2, 'Failed to apply manifest: admission webhook denied')]))).toEqual(['degraded', 'Failed to apply manifest: admission webhook denied']);
    // Written for the previous spec: the new one is not applied yet.
    expect(phase(withStatus([cond('Applied', 'True', 1), cond('Available', 'True', 1)]))).toEqual(['pending', undefined]);
  });

  it('lists each resource as the agent reports it', () => {
    const w = withStatus([cond('Applied', 'True')], 2, [
      { resourceMeta: { ordinal: 0, group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', name: 'web', namespace: 'shop' }, conditions: [cond('Applied', 'True'), cond('Available', 'True')] },
      { resourceMeta: { ordinal: 1, group: '', version: 'v1', kind: 'Service', resource: 'services', name: 'web', namespace: 'shop' }, conditions: [cond('Applied', 'False')] },
    ]);
    expect(validatorOf('ManifestWork')(w)).toBe(true);
    expect(manifestWorkStatus(w).resources).toEqual([
      { kind: 'Deployment', name: 'web', namespace: 'shop', applied: true, available: true },
      { kind: 'Service', name: 'web', namespace: 'shop', applied: false },
    ]);
  });
});
