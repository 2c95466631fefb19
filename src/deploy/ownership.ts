/**
 * Whose is a live object? vela touches only what is its own: an object it
 * created, or one the user told it to adopt (`--take-over`, a `take-over`
 * policy). The parent of the app's applyset records which is which
 * (`objects.json`: the object keys it created and adopted), and a member
 * carries the applyset's `part-of` label. The rules:
 *
 * 1. An object labelled for another applyset belongs to that app (never taken).
 * 2. An object labelled for ours is ours when the record lists it. Without a
 *    record (a parent written before records existed, or none yet) it is ours
 *    when it is labelled, except a Namespace, which is ours only when vela is
 *    its only field manager (nothing else ever wrote to it).
 * 3. Anything else that exists is foreign: refused before the first write,
 *    unless taken over on purpose.
 *
 * Prune and `vela delete` delete only what is ours by these rules, and never
 * a Namespace vela did not create: an adopted Namespace, or a member that is
 * not ours, is released (the label removed) instead.
 */
import type { KubeObject } from './api/index.js';
import { ApplySetLabels, OBJECTS_KEY } from './applyset.js';

export type Provenance = 'created' | 'adopted';

/** Object key (inventory.ts `objectKey`) → how vela came to own it. */
export type OwnershipRecord = Map<string, Provenance>;

export const FIELD_MANAGER = 'vela';

export type Standing =
  | { readonly kind: 'ours'; readonly provenance: Provenance }
  | { readonly kind: 'elsewhere'; readonly applySet: string }
  | { readonly kind: 'foreign'; readonly managers: readonly string[] };

/** The record a live parent holds; `undefined` when it holds none (or none readable). */
export function parseRecord(parent: KubeObject | undefined): OwnershipRecord | undefined {
  const text = (parent?.data as Record<string, string> | undefined)?.[OBJECTS_KEY];
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as { created?: unknown; adopted?: unknown };
    const record: OwnershipRecord = new Map();
    for (const provenance of ['created', 'adopted'] as const) {
      const keys = parsed[provenance];
      if (Array.isArray(keys)) for (const key of keys) if (typeof key === 'string') record.set(key, provenance);
    }
    return record;
  } catch {
    return undefined;
  }
}

/** The record as the parent stores it: sorted, so that the same record gives the same bytes. */
export function recordText(record: ReadonlyMap<string, Provenance>): string {
  const keys = (provenance: Provenance) => [...record].filter(([, how]) => how === provenance).map(([key]) => key).sort();
  return JSON.stringify({ created: keys('created'), adopted: keys('adopted') });
}

/** The field managers of a live object, each once, in the server's order. */
export function fieldManagers(live: KubeObject): string[] {
  const entries = (live.metadata?.managedFields ?? []) as Array<{ manager?: string }>;
  return [...new Set(entries.map((entry) => entry.manager ?? '(unnamed)'))];
}

function onlyVela(live: KubeObject): boolean {
  const managers = fieldManagers(live);
  return managers.length > 0 && managers.every((manager) => manager === FIELD_MANAGER);
}

/** Rules 1–3 for an object that exists. */
export function standingOf(live: KubeObject, inv: { readonly id: string; readonly record: ReadonlyMap<string, Provenance> | undefined }, key: string): Standing {
  const label = live.metadata?.labels?.[ApplySetLabels.partOf];
  if (label && label !== inv.id) return { kind: 'elsewhere', applySet: label };
  if (label === inv.id) {
    const recorded = inv.record?.get(key);
    if (recorded) return { kind: 'ours', provenance: recorded };
    if (!inv.record && (live.kind !== 'Namespace' || onlyVela(live))) return { kind: 'ours', provenance: 'created' };
  }
  return { kind: 'foreign', managers: fieldManagers(live) };
}

/** What leaving the app means for a member: deleted when vela may delete it, else released. */
export function leaveVerdict(member: KubeObject, inv: { readonly id: string; readonly record: ReadonlyMap<string, Provenance> | undefined }, key: string): 'delete' | 'release' {
  const standing = standingOf(member, inv, key);
  if (standing.kind !== 'ours') return 'release';
  if (member.kind === 'Namespace' && standing.provenance !== 'created') return 'release';
  return 'delete';
}

/** `"kubectl-create", "helm"`, or words for an object no manager wrote. */
export function describeManagers(managers: readonly string[]): string {
  return managers.length ? `managed by ${managers.map((manager) => `"${manager}"`).join(', ')}` : 'with no field managers recorded';
}
