/**
 * The finishing touches on a rendered object: vela's labels and the namespace added, and the members ordered as
 * kubectl prints them (apiVersion, kind, metadata first; name and namespace first in metadata), everything else
 * where the template wrote it.
 */
import { describe, expect, it } from 'vitest';
import { finalizeObject } from '../../src/render/manifest.js';
import type { Manifest } from '../../src/render/types.js';

function finalized(object: Manifest['object'], origin: Partial<Manifest['origin']> = {}): Manifest['object'] {
  const m = { object, origin: { service: 'web', definition: 'webservice', span: undefined, fields: { get: () => undefined }, ...origin } } as unknown as Manifest;
  finalizeObject(m, 'shop', 'prod');
  return m.object;
}

describe('finalizeObject', () => {
  it('keeps the labels where the template wrote them, with vela labels after the template labels', () => {
    const o = finalized({ spec: { replicas: 1 }, metadata: { labels: { tier: 'web' }, annotations: { a: 'b' }, name: 'web' }, kind: 'Deployment', apiVersion: 'apps/v1' }, { workload: true });
    expect(Object.keys(o)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    const meta = o.metadata as Record<string, unknown>;
    expect(Object.keys(meta)).toEqual(['name', 'namespace', 'labels', 'annotations']);
    expect(meta.namespace).toBe('prod');
    expect(meta.labels).toEqual({ tier: 'web', 'app.oam.dev/name': 'shop', 'app.oam.dev/component': 'web', 'app.kubernetes.io/managed-by': 'vela', 'workload.oam.dev/type': 'webservice' });
    expect(Object.keys(meta.labels as object)[0]).toBe('tier');
  });

  it('adds the labels last when the template wrote none, keeps a namespace it wrote, and gives a cluster-scoped kind none', () => {
    const o = finalized({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations: { a: 'b' }, namespace: 'other', name: 'c' }, data: {} }, { trait: 'config' });
    const meta = o.metadata as Record<string, unknown>;
    expect(Object.keys(meta)).toEqual(['name', 'namespace', 'annotations', 'labels']);
    expect(meta.namespace).toBe('other');
    expect((meta.labels as Record<string, string>)['trait.oam.dev/type']).toBe('config');
    const ns = finalized({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    expect(ns.metadata).toEqual({ name: 'team', labels: { 'app.oam.dev/name': 'shop', 'app.oam.dev/component': 'web', 'app.kubernetes.io/managed-by': 'vela' } });
  });

  it('gives an object without metadata a null name, the namespace and the labels', () => {
    const o = finalized({ apiVersion: 'v1', kind: 'Service' });
    expect(o).toEqual({ apiVersion: 'v1', kind: 'Service', metadata: { name: null, namespace: 'prod', labels: { 'app.oam.dev/name': 'shop', 'app.oam.dev/component': 'web', 'app.kubernetes.io/managed-by': 'vela' } } });
  });
});
