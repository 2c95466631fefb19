import { describe, expect, it } from 'vitest';
import { dependencyLevels } from '../../src/deploy/index.js';
import { applySetId, parentObject, parentRef } from '../../src/deploy/applyset.js';
import { changedFields, sameObject } from '../../src/deploy/apply/object-diff.js';

const svc = (name: string, dependsOn: string[] = []) => ({ name, type: 'webservice', dependsOn });

describe('dependsOn levels', () => {
  it('puts each service one level after the deepest service it depends on', () => {
    expect(dependencyLevels([svc('web', ['api']), svc('api', ['db', 'cache']), svc('db'), svc('cache'), svc('docs')])).toEqual([['db', 'cache', 'docs'], ['api'], ['web']]);
  });
  it('ignores unknown names and does not loop on a cycle', () => {
    expect(dependencyLevels([svc('a', ['b']), svc('b', ['a']), svc('c', ['nope'])]).flat().sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('applyset parent', () => {
  it('is stable: sorted kinds, other namespaces listed, the id on its label', () => {
    const ref = parentRef('shop', 'prod');
    const id = applySetId({ name: ref.name, namespace: ref.namespace, kind: 'ConfigMap', group: '' });
    expect(id).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/);
    const p = parentObject(ref, id, ['Service', 'Deployment.apps', 'ConfigMap', 'Service'], ['prod', 'monitoring', 'audit'], '{}');
    expect(p.metadata?.annotations).toEqual({
      'applyset.kubernetes.io/tooling': 'vela/v0.1.0',
      'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap,Deployment.apps,Service',
      'applyset.kubernetes.io/additional-namespaces': 'audit,monitoring',
    });
    expect(p.metadata?.labels?.['applyset.kubernetes.io/id']).toBe(id);
    // Another namespace or kind gives another id.
    expect(applySetId({ name: ref.name, namespace: 'staging', kind: 'ConfigMap', group: '' })).not.toBe(id);
    expect(applySetId({ name: ref.name, namespace: ref.namespace, kind: 'Secret', group: '' })).not.toBe(id);
  });
});

describe('object comparison', () => {
  const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '7', managedFields: [{ manager: 'vela', time: '2026-01-01T00:00:00Z', fieldsV1: { 'f:data': {} } }] }, data: { x: '1' } };
  it('ignores resourceVersion and managedFields timestamps, but not who owns what', () => {
    expect(sameObject(live, { ...live, metadata: { ...live.metadata, resourceVersion: '9', managedFields: [{ ...live.metadata.managedFields[0]!, time: '2026-02-02T00:00:00Z' }] } })).toBe(true);
    expect(sameObject(live, { ...live, metadata: { ...live.metadata, managedFields: [{ manager: 'kubectl', time: '', fieldsV1: { 'f:data': {} } }] } })).toBe(false);
    expect(sameObject(live, { ...live, data: { x: '2' } })).toBe(false);
  });
  it('lists changed leaf fields by path', () => {
    const a = { kind: 'Deployment', spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'a' }] } } }, metadata: { labels: { 'app.kubernetes.io/x': '1' } } };
    const b = { kind: 'Deployment', spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'b' }] } } }, metadata: { labels: { 'app.kubernetes.io/x': '2' } } };
    expect(changedFields(a, b)).toEqual([
      { path: 'metadata.labels["app.kubernetes.io/x"]', before: '1', after: '2' },
      { path: 'spec.replicas', before: 1, after: 3 },
      { path: 'spec.template.spec.containers[0].image', before: 'a', after: 'b' },
    ]);
  });
});
