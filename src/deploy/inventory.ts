/**
 * An app's inventory in the cluster: reading its applyset parent (with its
 * record of what vela created and adopted, ownership.ts) and every live
 * member (listed by the part-of label, per group-kind and namespace), keyed
 * so that the desired manifests can be matched against them; and writing the
 * parent, only when it would change.
 */
import { DiagnosticError, error } from '../source/index.js';
import { ApplySetAnnotations, ApplySetLabels, OBJECTS_KEY, applySetId, parentObject, parentRef, parseGroupKind, readParent, type ApplySetParentRef, type ApplySetState } from './applyset.js';
import { splitApiVersion, type KubeClient, type KubeObject } from './api/index.js';
import { parseRecord, recordText, type OwnershipRecord, type Provenance } from './ownership.js';
import { storedAppText } from './stored-app.js';

export interface Inventory {
  readonly id: string;
  readonly parentRef: ApplySetParentRef;
  /** The live parent; writeInventory keeps it current. */
  parent: KubeObject | undefined;
  readonly state: ApplySetState | undefined;
  /** Live members by `objectKey`. */
  readonly members: Map<string, KubeObject>;
  /** Objects of the listed kinds that belong to another applyset: `objectKey` → that applyset's id. */
  readonly foreign: Map<string, string>;
  /** What vela created and adopted, as the parent records it; `undefined` when it records nothing (ownership.ts). */
  readonly record: OwnershipRecord | undefined;
}

/** `group/Kind/namespace/name`: the identity of an object across API versions. */
export function objectKey(obj: { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } }): string {
  const { group } = splitApiVersion(String(obj.apiVersion ?? 'v1'));
  return `${group}/${obj.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

/** The applyset id of an app's inventory in a namespace. */
export function inventoryId(app: string, namespace: string): string {
  const ref = parentRef(app, namespace);
  return applySetId({ name: ref.name, namespace: ref.namespace, kind: ref.kind, group: '' });
}

/** Read the parent and its members; `extraGroupKinds`/`extraNamespaces` are what the new rendering will add. */
export async function loadInventory(
  client: KubeClient,
  app: string,
  namespace: string,
  extra: { groupKinds?: Iterable<string>; namespaces?: Iterable<string>; apiVersions?: Map<string, string>; signal?: AbortSignal } = {},
): Promise<Inventory> {
  const ref = parentRef(app, namespace);
  const id = inventoryId(app, namespace);
  const parent = await client.get(ref, extra.signal);
  const state = readParent(parent);
  if (parent && state && state.tooling && !state.tooling.startsWith('vela/')) {
    throw new DiagnosticError([
      error(`the applyset ${ref.kind} ${ref.namespace}/${ref.name} belongs to ${state.tooling}, not vela`, undefined, {
        code: 'deploy/foreign-applyset',
        hint: `rename the app, or delete the ${ref.kind} if it is stale`,
      }),
    ]);
  }
  if (parent && state && state.id !== id) {
    throw new DiagnosticError([error(`the applyset ${ref.namespace}/${ref.name} has id ${state.id}, expected ${id}`, undefined, { code: 'deploy/applyset-id' })]);
  }
  const gks = new Set<string>([...(state?.groupKinds ?? []), ...(extra.groupKinds ?? [])]);
  const namespaces = new Set<string>([namespace, ...(state?.additionalNamespaces ?? []), ...(extra.namespaces ?? [])]);
  const members = new Map<string, KubeObject>();
  const foreign = new Map<string, string>();
  // Every applyset member, not just ours: the same requests also reveal objects another app owns.
  const selector = ApplySetLabels.partOf;
  if (parent || extra.groupKinds) {
    await Promise.all(
      [...gks].map(async (gk) => {
        const { group, kind } = parseGroupKind(gk);
        // The preferred version of a group may not serve the kind (batch/v1 has no CronJob before 1.21): try them all.
        const known = extra.apiVersions?.get(gk);
        const candidates = known ? [known] : await client.discovery.groupApiVersions(group);
        let apiVersion: string | undefined;
        let info;
        for (const candidate of candidates) {
          info = await client.discovery.tryResourceFor(candidate, kind);
          if (info) {
            apiVersion = candidate;
            break;
          }
        }
        if (!apiVersion || !info) return; // the group or kind is gone from the server (a deleted CRD): nothing left to list
        const lists = info.namespaced ? [...namespaces].map((ns) => client.list(apiVersion, kind, { namespace: ns, labelSelector: selector, signal: extra.signal })) : [client.list(apiVersion, kind, { labelSelector: selector, signal: extra.signal })];
        for (const items of await Promise.all(lists)) {
          for (const item of items) {
            const owner = item.metadata?.labels?.[ApplySetLabels.partOf];
            if (owner === id) members.set(objectKey(item), item);
            else if (owner) foreign.set(objectKey(item), owner);
          }
        }
      }),
    );
  }
  return { id, parentRef: ref, parent, state, members, foreign, record: parseRecord(parent) };
}

/** What the parent says besides its annotations: the services (`app.json`) and the ownership record (`objects.json`). */
export interface InventoryData {
  readonly appData: string | undefined;
  readonly record: ReadonlyMap<string, Provenance>;
}

/**
 * Apply the parent with these group-kinds, namespaces, `app.json` and
 * ownership record, unless the live parent already says exactly that; the
 * inventory's parent is the written one afterwards.
 */
export async function writeInventory(client: KubeClient, inv: Inventory, groupKinds: Iterable<string>, namespaces: Iterable<string>, data: InventoryData, signal?: AbortSignal): Promise<void> {
  const objects = recordText(data.record);
  const desired = parentObject(inv.parentRef, inv.id, groupKinds, namespaces, data.appData, objects);
  const live = inv.parent;
  if (live) {
    const liveAnnotations = live.metadata?.annotations ?? {};
    const desiredAnnotations = desired.metadata?.annotations ?? {};
    const keys = new Set([...Object.keys(desiredAnnotations), ApplySetAnnotations.groupKinds, ApplySetAnnotations.additionalNamespaces, ApplySetAnnotations.tooling]);
    const liveData = (live.data ?? {}) as Record<string, string>;
    const same =
      [...keys].every((k) => (liveAnnotations[k] ?? '') === (desiredAnnotations[k] ?? '')) &&
      live.metadata?.labels?.[ApplySetLabels.id] === inv.id &&
      storedAppText(live) === data.appData &&
      liveData[OBJECTS_KEY] === objects;
    if (same) return;
  }
  inv.parent = await client.apply(desired, { force: true, signal });
}
