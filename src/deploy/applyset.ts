/**
 * The inventory, following kubectl's ApplySet convention (KEP-3659): a parent
 * object (here a ConfigMap `applyset-<app>` in the app's namespace) labelled
 * `applyset.kubernetes.io/id=<id>`, with annotations saying which tool owns it
 * and which group-kinds and namespaces its members live in; every member is
 * labelled `applyset.kubernetes.io/part-of=<id>`. kubectl can read, prune and
 * list our applysets and we can read theirs.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from './api/index.js';

export const ApplySetLabels = {
  id: 'applyset.kubernetes.io/id',
  partOf: 'applyset.kubernetes.io/part-of',
} as const;

export const ApplySetAnnotations = {
  tooling: 'applyset.kubernetes.io/tooling',
  groupKinds: 'applyset.kubernetes.io/contains-group-kinds',
  groupResources: 'applyset.kubernetes.io/contains-group-resources',
  additionalNamespaces: 'applyset.kubernetes.io/additional-namespaces',
} as const;

export const TOOLING = 'vela/v0.1.0';
/** Where we keep what `vela status` needs without the Appfile: the services and their health policies. */
export const APP_DATA_KEY = 'app.json';
/** Where we keep which members vela created and which it adopted (ownership.ts). */
export const OBJECTS_KEY = 'objects.json';
export const PARENT_PREFIX = 'applyset-';

export interface ApplySetParentRef {
  readonly apiVersion: 'v1';
  readonly kind: 'ConfigMap';
  readonly name: string;
  readonly namespace: string;
}

export function parentRef(app: string, namespace: string): ApplySetParentRef {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: `${PARENT_PREFIX}${app}`, namespace };
}

/**
 * The applyset id, as the KEP defines it: `applyset-` + unpadded base64url of
 * sha256 of `<name>.<namespace>.<kind>.<group>` of the parent + `-v1`.
 */
export function applySetId(parent: { name: string; namespace?: string; kind: string; group: string }): string {
  const key = [parent.name, parent.namespace ?? '', parent.kind, parent.group].join('.');
  const digest = createHash('sha256').update(key).digest('base64url');
  return `applyset-${digest}-v1`;
}

/** A group-kind as the annotation spells it: `Kind` for the core group, `Kind.group` otherwise. */
export function groupKind(apiVersion: string, kind: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? kind : `${kind}.${apiVersion.slice(0, i)}`;
}

export function parseGroupKind(gk: string): { group: string; kind: string } {
  const i = gk.indexOf('.');
  return i < 0 ? { group: '', kind: gk } : { group: gk.slice(i + 1), kind: gk.slice(0, i) };
}

function splitList(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export interface ApplySetState {
  readonly id: string;
  readonly groupKinds: readonly string[];
  readonly additionalNamespaces: readonly string[];
  readonly tooling?: string;
}

/** What a live parent says (group-resources, kubectl's older spelling, are read as resources and mapped by the caller). */
export function readParent(parent: KubeObject | undefined): ApplySetState | undefined {
  if (!parent) return undefined;
  const labels = parent.metadata?.labels ?? {};
  const ann = parent.metadata?.annotations ?? {};
  const id = labels[ApplySetLabels.id];
  if (!id) return undefined;
  return {
    id,
    groupKinds: splitList(ann[ApplySetAnnotations.groupKinds]),
    additionalNamespaces: splitList(ann[ApplySetAnnotations.additionalNamespaces]),
    tooling: ann[ApplySetAnnotations.tooling],
  };
}

/** The parent object to apply. Lists are sorted so that an unchanged app gives a byte-identical parent. */
export function parentObject(ref: ApplySetParentRef, id: string, groupKinds: Iterable<string>, namespaces: Iterable<string>, appData?: string, objects?: string): KubeObject {
  const gks = [...new Set(groupKinds)].sort();
  const extra = [...new Set(namespaces)].filter((n) => n && n !== ref.namespace).sort();
  const annotations: Record<string, string> = {
    [ApplySetAnnotations.tooling]: TOOLING,
    [ApplySetAnnotations.groupKinds]: gks.join(','),
  };
  if (extra.length) annotations[ApplySetAnnotations.additionalNamespaces] = extra.join(',');
  const obj: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      labels: { [ApplySetLabels.id]: id, 'app.kubernetes.io/managed-by': 'vela' },
      annotations,
    },
  };
  const data: Record<string, string> = {};
  if (appData !== undefined) data[APP_DATA_KEY] = appData;
  if (objects !== undefined) data[OBJECTS_KEY] = objects;
  if (Object.keys(data).length) obj.data = data;
  return obj;
}

/** A deep copy of a manifest labelled as a member of the applyset (client objects are never mutated). */
export function asMember(obj: KubeObject, id: string): KubeObject {
  const copy = structuredClone(obj);
  copy.metadata = { ...copy.metadata, labels: { ...(copy.metadata?.labels ?? {}), [ApplySetLabels.partOf]: id } };
  return copy;
}
