/**
 * An app's inventory in the cluster: reading its applyset parent and every
 * live member (listed by the part-of label, per group-kind and namespace),
 * keyed so that the desired manifests can be matched against them; and
 * writing the parent, only when it would change.
 */
import { DiagnosticError, error, type Diagnostic, type Span } from '../source/index.js';
import { ApplySetAnnotations, ApplySetLabels, applySetId, parentObject, parentRef, parseGroupKind, readParent, type ApplySetParentRef, type ApplySetState } from './applyset.js';
import { refOf, splitApiVersion, type KubeClient, type KubeObject } from './api/index.js';
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
}

/** `group/Kind/namespace/name`: the identity of an object across API versions. */
export function objectKey(obj: { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } }): string {
  const { group } = splitApiVersion(String(obj.apiVersion ?? 'v1'));
  return `${group}/${obj.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

/** The object with `namespace` when it names none, as the inventory keys it (Namespaces and CRDs are cluster-scoped: left as they are). */
export function withNamespace(obj: KubeObject, namespace: string): KubeObject {
  return obj.metadata?.namespace || obj.kind === 'Namespace' || obj.kind === 'CustomResourceDefinition' ? obj : { ...obj, metadata: { ...obj.metadata, namespace } };
}

/** Read the parent and its members; `extraGroupKinds`/`extraNamespaces` are what the new rendering will add. */
export async function loadInventory(
  client: KubeClient,
  app: string,
  namespace: string,
  extra: { groupKinds?: Iterable<string>; namespaces?: Iterable<string>; apiVersions?: Map<string, string>; signal?: AbortSignal } = {},
): Promise<Inventory> {
  const ref = parentRef(app, namespace);
  const id = applySetId({ name: ref.name, namespace: ref.namespace, kind: ref.kind, group: '' });
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
  return { id, parentRef: ref, parent, state, members, foreign };
}

/** Refuse to take objects that another applyset (another app, or kubectl) owns. */
export function foreignOwnership(inv: Inventory, objects: ReadonlyArray<{ object: KubeObject; origin?: { service?: string; trait?: string; span?: Span } }>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { object, origin } of objects) {
    const owner = inv.foreign.get(objectKey(object));
    if (!owner) continue;
    const ref = refOf(object);
    out.push(
      error(`${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}${origin?.service ? ` (service ${origin.service})` : ''} already belongs to another app (applyset ${owner})`, origin?.span, {
        code: 'deploy/owned-elsewhere',
        hint: 'rename the object, or delete it from the other app first',
      }),
    );
  }
  return out;
}

/**
 * Apply the parent with these group-kinds, namespaces and `app.json`, unless
 * the live parent already says exactly that; the inventory's parent is the
 * written one afterwards.
 */
export async function writeInventory(client: KubeClient, inv: Inventory, groupKinds: Iterable<string>, namespaces: Iterable<string>, appData: string | undefined, signal?: AbortSignal): Promise<void> {
  const desired = parentObject(inv.parentRef, inv.id, groupKinds, namespaces, appData);
  const live = inv.parent;
  if (live) {
    const liveAnnotations = live.metadata?.annotations ?? {};
    const desiredAnnotations = desired.metadata?.annotations ?? {};
    const keys = new Set([...Object.keys(desiredAnnotations), ApplySetAnnotations.groupKinds, ApplySetAnnotations.additionalNamespaces, ApplySetAnnotations.tooling]);
    const same = [...keys].every((k) => (liveAnnotations[k] ?? '') === (desiredAnnotations[k] ?? '')) && live.metadata?.labels?.[ApplySetLabels.id] === inv.id && storedAppText(live) === appData;
    if (same) return;
  }
  inv.parent = await client.apply(desired, { force: true, signal });
}
