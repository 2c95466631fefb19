/**
 * The finishing touches on rendered objects (APPFILE.md section 4): the
 * labels every object carries, the target namespace, a stable identity, and
 * the output order (Namespaces, CRDs, then the rest in Appfile order).
 */
import type { JsonObject, JsonValue } from '../appfile/index.js';
import type { Manifest } from './types.js';

/** Kinds that live outside namespaces (core and common API groups). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'PodSecurityPolicy',
  'ComponentStatus',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
]);

export function isClusterScoped(kind: unknown): boolean {
  return typeof kind === 'string' && CLUSTER_SCOPED.has(kind);
}

function obj(x: JsonValue | undefined): JsonObject {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? x : {};
}

/** Adds vela's labels and the namespace; replaces `m.object` with the finished copy. */
export function finalizeObject(m: Manifest, appName: string, namespace: string): void {
  const o = m.object;
  const meta = obj(o.metadata);
  const labels: JsonObject = {
    ...obj(meta.labels),
    'app.oam.dev/name': appName,
    'app.oam.dev/component': m.origin.service,
    'app.kubernetes.io/managed-by': 'vela',
  };
  if (m.origin.workload) labels['workload.oam.dev/type'] = m.origin.definition;
  if (m.origin.trait) labels['trait.oam.dev/type'] = m.origin.trait;
  // Keep name and namespace first in metadata, and apiVersion, kind and metadata first in the object, as kubectl
  // prints them. Copied key by key, not by rest destructuring (a runtime call per object while the code is cold).
  const orderedMeta: JsonObject = { name: meta.name ?? null };
  const ns = meta.namespace === undefined && !isClusterScoped(o.kind) ? namespace : meta.namespace;
  if (ns !== undefined) orderedMeta.namespace = ns;
  // The labels where the template wrote them, else last.
  const metaKeys = Object.keys(meta);
  for (let i = 0; i < metaKeys.length; i++) {
    const k = metaKeys[i]!;
    if (k !== 'name' && k !== 'namespace') orderedMeta[k] = k === 'labels' ? labels : meta[k]!;
  }
  if (!Object.hasOwn(orderedMeta, 'labels')) orderedMeta.labels = labels;
  const out: JsonObject = { apiVersion: o.apiVersion ?? null, kind: o.kind ?? null, metadata: orderedMeta };
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata') out[k] = o[k]!;
  }
  m.object = out;
}

/** `apps/Deployment/ns/name` (the group, not the version: two versions of one object are the same object). */
export function identityOf(o: JsonObject): string {
  const api = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const group = api.includes('/') ? api.slice(0, api.indexOf('/')) : 'core';
  const meta = obj(o.metadata);
  return `${group}/${String(o.kind)}/${meta.namespace === undefined ? '' : String(meta.namespace) + '/'}${String(meta.name)}`;
}

function rank(m: Manifest): number {
  if (m.object.kind === 'Namespace') return 0;
  if (m.object.kind === 'CustomResourceDefinition') return 1;
  return 2;
}

/** Namespaces, then CRDs, then the rest; the sort is stable, so Appfile order holds within each group. */
export function orderManifests(ms: readonly Manifest[]): Manifest[] {
  return ms
    .map((m, i) => ({ m, i }))
    .sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i)
    .map((x) => x.m);
}

/** Checks the shape every Kubernetes object needs; returns problems as `path: message`. */
export function objectProblems(o: JsonObject): string[] {
  const out: string[] = [];
  if (typeof o.apiVersion !== 'string' || !o.apiVersion) out.push('apiVersion: must be a non-empty string');
  if (typeof o.kind !== 'string' || !o.kind) out.push('kind: must be a non-empty string');
  const meta = obj(o.metadata);
  const name = meta.name;
  if (typeof name !== 'string' || !name) out.push('metadata.name: must be a non-empty string');
  else if (RBAC_KINDS.has(String(o.kind))) {
    // RBAC objects take any path segment (KubeVela names ClusterRoles "<namespace>:<account>").
    if (name === '.' || name === '..' || /[/%]/.test(name)) out.push(`metadata.name: ${JSON.stringify(name)} is not a valid name (no '/' or '%', not '.' or '..')`);
  } else if (name.length > 253 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) out.push(`metadata.name: ${JSON.stringify(name)} is not a valid Kubernetes name (lower case letters, digits, '-' and '.')`);
  return out;
}

/** Kinds whose names the API server checks only as path segments. */
const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
