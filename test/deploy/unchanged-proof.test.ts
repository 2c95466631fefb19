import { describe, expect, it } from 'vitest';
import { provablyUnchanged } from '../../src/deploy/apply/unchanged-proof.js';

/** Shaped like kube-apiserver 1.20's answer after `vela up` of `desired` (fieldsV1 as the server wrote it). */
const desired = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } },
  },
});

const live = () => ({
  ...desired(),
  metadata: {
    name: 'web',
    namespace: 'shop',
    labels: { app: 'web' },
    annotations: { 'deployment.kubernetes.io/revision': '1' },
    resourceVersion: '42',
    generation: 1,
    managedFields: [
      {
        manager: 'vela',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-11-22T11:18:25Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"web"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
                  },
                },
              },
            },
          },
        },
      },
      { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', fieldsV1: { 'f:status': {} } },
    ],
  },
  spec: {
    ...desired().spec,
    // Server defaults that nobody applied.
    strategy: { type: 'RollingUpdate' },
    template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Always', containers: [{ name: 'web', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } },
  },
  status: { replicas: 1 },
});

describe('provablyUnchanged', () => {
  it('is true when every field we own has the value we would apply, whatever the server added', () => {
    expect(provablyUnchanged(desired(), live())).toBe(true);
  });

  it('is false when a value differs, a field is added or dropped, or an atomic map differs', () => {
    const image = desired();
    image.spec.template.spec.containers[0]!.image = 'nginx:1.27';
    expect(provablyUnchanged(image, live())).toBe(false);

    const added = desired() as ReturnType<typeof desired> & { spec: { minReadySeconds?: number } };
    added.spec.minReadySeconds = 5;
    expect(provablyUnchanged(added, live())).toBe(false);

    const dropped = desired();
    delete (dropped.metadata as { labels?: object }).labels;
    expect(provablyUnchanged(dropped, live())).toBe(false);

    // The selector is atomic: applying {app} over {app, tier} would replace it.
    const l = live();
    l.spec.selector = { matchLabels: { app: 'web', tier: 'x' } } as typeof l.spec.selector;
    expect(provablyUnchanged(desired(), l)).toBe(false);
  });

  it('is false without our Apply entry, or for another apiVersion', () => {
    const l = live();
    l.metadata.managedFields = l.metadata.managedFields.slice(1);
    expect(provablyUnchanged(desired(), l)).toBe(false);
    expect(provablyUnchanged({ ...desired(), apiVersion: 'apps/v1beta2' }, live())).toBe(false);
  });

  it('tolerates list items of other managers in a keyed list', () => {
    const l = live();
    l.spec.template.spec.containers.push({ name: 'sidecar', image: 'envoy', imagePullPolicy: 'IfNotPresent', ports: [] });
    expect(provablyUnchanged(desired(), l)).toBe(true);
  });
});
