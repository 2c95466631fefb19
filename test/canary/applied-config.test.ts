/**
 * Reading back what one field manager applied from `managedFields`, the way
 * `vela canary promote` changes one field as `vela` without releasing the
 * others. The field trees have the shape a kube-apiserver writes; the e2e
 * test (canary.e2e.test.ts) runs it on real ones.
 */
import { describe, expect, it } from 'vitest';
import { appliedConfiguration, type KubeObject } from '../../src/deploy/index.js';

const live: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'u1',
    resourceVersion: '42',
    generation: 3,
    labels: { 'app.oam.dev/name': 'shop', team: 'web' },
    annotations: { 'deployment.kubernetes.io/revision': '2' },
    managedFields: [
      {
        manager: 'vela',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app.oam.dev/name': {} } },
          'f:spec': {
            'f:selector': { 'f:matchLabels': { '.': {}, 'f:app': {} } },
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:args': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } },
                },
                'f:imagePullSecrets': { 'k:{"name":"regcred"}': { '.': {}, 'f:name': {} } },
              },
            },
          },
        },
      },
      { manager: 'kubectl-label', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } } },
      { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:replicas': {} } }, subresource: 'status' },
    ],
  },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'sidecar', image: 'envoy:1', terminationMessagePath: '/dev/termination-log' },
          { name: 'web', image: 'web:v1', args: ['--a', '--b'], ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 9090, protocol: 'TCP' }], terminationMessagePath: '/dev/termination-log' },
        ],
        imagePullSecrets: [{ name: 'regcred' }],
        restartPolicy: 'Always',
      },
    },
  },
  status: { replicas: 3 },
};

describe('appliedConfiguration', () => {
  it("gives exactly the manager's fields with their live values: keyed list items, atomic lists whole, identity added", () => {
    expect(appliedConfiguration(live, 'vela')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', labels: { 'app.oam.dev/name': 'shop' } },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            // Neither the other manager's container, nor the defaults the server filled in, nor the second port.
            containers: [{ name: 'web', image: 'web:v1', args: ['--a', '--b'], ports: [{ containerPort: 80, protocol: 'TCP' }] }],
            imagePullSecrets: [{ name: 'regcred' }],
          },
        },
      },
    });
  });

  it('is undefined for a manager that applied nothing (only updates, or nothing at all)', () => {
    expect(appliedConfiguration(live, 'kubectl-label')).toBeUndefined();
    expect(appliedConfiguration(live, 'helm')).toBeUndefined();
    expect(appliedConfiguration({ ...live, metadata: { name: 'web' } }, 'vela')).toBeUndefined();
  });

  it('reads sets of scalars and items by index', () => {
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        managedFields: [{ manager: 'vela', operation: 'Apply', apiVersion: 'v1', fieldsV1: { 'f:spec': { 'f:finalizers': { 'v:"a"': {} }, 'f:list': { 'i:1': { 'f:x': {} } } } } }],
      },
      spec: { finalizers: ['a', 'b'], list: [{ x: 1, y: 2 }, { x: 3, y: 4 }] },
    };
    expect(appliedConfiguration(obj, 'vela')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, spec: { finalizers: ['a'], list: [{ x: 3 }] } });
  });
});
