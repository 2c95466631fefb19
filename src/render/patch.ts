/**
 * Merging a trait's `patch` into the workload rendered so far, with the
 * strategies KubeVela reads from comments on the patch's fields
 * (`// +patchKey=...`, `// +patchStrategy=...`). The CUE engine extracts
 * those comments; this module gets them as a `PatchMeta` tree parallel to the
 * patch document and works on plain JSON.
 *
 * KubeVela (workflow `pkg/cue/model/sets`) rewrites the patch's CUE syntax by
 * the annotations, then unifies it with the workload whose lists it has
 * opened (`[a, b, ...]`). The rules below are what that amounts to:
 *
 * Default (no annotation): CUE unification.
 * - Objects merge member by member; members only in the patch are added (the
 *   workload's key order first, then the patch's new keys in patch order).
 * - Scalars (and null) must be equal; two different values are a
 *   `PatchConflictError`, e.g. `spec.replicas: conflicting values 2 and 3`.
 *   So are different kinds (an object against a string, a list against an
 *   object).
 * - Lists merge item by item, by index. The workload's lists are open, so the
 *   patch may be longer (its extra items are appended), but a shorter patch
 *   list is a conflict (CUE: incompatible list lengths) unless the patch list
 *   is open too (`[{...}, ...]`, `[...T]`): then the workload's further items
 *   stay. The element type of an open patch list (`[...{lifecycle: x}]`)
 *   merges into every item of the result, as CUE unifies it with each.
 * - A member missing from the workload is simply added, whatever its
 *   annotations say.
 *
 * `+patchKey=name` (on a field): lists at that field, and every list below it
 * that gives no key of its own, merge by key. KubeVela puts every annotation
 * of every enclosing field in effect for the lists inside, so `containers`
 * keyed by `name` also keys `env` and `volumeMounts` by `name`.
 * - A key is a dotted path inside the item (`secretRef.name`); several keys
 *   are separated by commas (`secretRef.name,configMapRef.name`) and an item
 *   is identified by the first of them it has. Key values are scalars,
 *   compared by type and value.
 * - Each workload item whose key matches a patch item is merged with it
 *   (recursively, with that item's annotations and the key still in effect);
 *   later workload items with the same key are left alone. Workload items
 *   without the key are kept as they are and never matched.
 * - Patch items that match nothing are appended, in patch order.
 * - If no patch item has the key at all (say `ports: [{containerPort: 80}]`
 *   under a `containers` keyed by `name`, or `args: ["-v"]`), the key does
 *   not apply and the list merges by index, as in KubeVela.
 * - Stricter than KubeVela, which silently drops such items or keeps only the
 *   last: a patch item without the key while others have it, two patch items
 *   with the same key, and a key whose value is an object or a list are
 *   `PatchError`s.
 * - An empty patch list leaves a keyed list unchanged.
 *
 * `+patchStrategy=retainKeys` (on a field):
 * - on an object or scalar field: the patch's value replaces the workload's
 *   (no merging; for a scalar, no conflict);
 * - on a keyed list: matched items are replaced by the patch's items instead
 *   of merged, unmatched ones appended; on a list without a key it does
 *   nothing special (KubeVela checks it only for keyed lists).
 *
 * `+patchStrategy=replace` (on a list field): the patch's list replaces the
 * workload's. On a non-list field it has no effect (as in KubeVela).
 *
 * On the `patch` root (`meta.strategy` of the top-level meta):
 * - `jsonMergePatch`: the patch is an RFC 7396 merge patch (`null` deletes);
 * - `jsonPatch`: the patch is `{operations: [...]}`, RFC 6902;
 * - `retainKeys` / `replace` there are ignored: KubeVela only looks at
 *   strategies on fields inside the patch. A root `patchKey` is in effect for
 *   every list of the patch.
 * `null` deletes only in a JSON merge patch; elsewhere it is a value like any
 * other (null against null is fine, null against anything else a conflict).
 * Annotations on list items (`items`) carry their fields' annotations; a
 * strategy on an item itself, or `jsonPatch`/`jsonMergePatch` below the root,
 * is ignored.
 *
 * `applyPatch` is pure: it never mutates its inputs. Its result shares no
 * structure with the patch, but shares with the target every part the patch
 * leaves alone (only the objects and lists along patched paths are copied):
 * rendered objects are never changed in place, so neither may the result be.
 */
import type { JsonObject, JsonValue } from '../appfile/index.js';
import { applyJsonMergePatch, applyJsonPatch, cloneJson, getOwn, isJsonObject, PatchError, setOwn } from './json-patch.js';

export type { JsonValue } from '../appfile/index.js';
export { PatchError, JsonPatchError, applyJsonMergePatch, applyJsonPatch, parseJsonPointer } from './json-patch.js';

export const PATCH_STRATEGIES = ['retainKeys', 'replace', 'jsonMergePatch', 'jsonPatch'] as const;
export type PatchStrategy = (typeof PATCH_STRATEGIES)[number];

/** Strategy annotations found on the patch's fields (parallel to the patch document). */
export interface PatchMeta {
  /** `// +patchKey=name`: lists of objects under this field merge by that key (inherited by nested lists). */
  patchKey?: string;
  /** `// +patchStrategy=...` */
  strategy?: PatchStrategy;
  /** Annotations of struct fields by name. */
  fields?: Record<string, PatchMeta>;
  /** Annotations of list elements by index in the patch (the same element patch shape). */
  items?: PatchMeta[];
  /** The patch list is open (`[...T]`, `[a, ...]`): a longer workload list is fine, its extra items are kept. */
  open?: boolean;
  /** The concrete part of an open list's element type, merged into every item of the result (CUE unifies `T` with each). */
  each?: { value: JsonValue; meta?: PatchMeta };
}

/** Two values that do not unify: different scalars, different kinds, or list lengths. */
export class PatchConflictError extends PatchError {
  constructor(
    override readonly path: string[],
    readonly existing: JsonValue,
    readonly incoming: JsonValue,
    message: string,
  ) {
    super(path, message);
    this.name = 'PatchConflictError';
  }
}

/**
 * Merges `patch` into `target` (the workload so far) by the strategies in
 * `meta`; see the file comment. Throws `PatchError` (`PatchConflictError` for
 * conflicts, `JsonPatchError` for RFC 6902 failures) with the path of the
 * problem; the caller names the trait.
 */
export function applyPatch(target: JsonValue, patch: JsonValue, meta: PatchMeta | undefined): JsonValue {
  switch (meta?.strategy) {
    case 'jsonMergePatch':
      return applyJsonMergePatch(target, patch);
    case 'jsonPatch':
      return applyJsonPatch(target, patch);
    default:
      // A strategy on the root itself is not a field strategy (see above).
      return merge(target, patch, meta, undefined, undefined, []);
  }
}

/** A path segment: an object key (string) or a list index (number). */
type Segment = string | number;

/**
 * `spec.template.spec.containers[0].image`, `metadata.labels["app.kubernetes.io/name"]`.
 * Segments of a `PatchError.path` that are all digits are shown as indices.
 */
export function formatPatchPath(path: readonly Segment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number' || /^(0|[1-9][0-9]*)$/.test(segment)) text += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text === '' ? '(the workload)' : text;
}

function conflict(path: readonly Segment[], existing: JsonValue, incoming: JsonValue, detail?: string): PatchConflictError {
  const kinds = kindOf(existing) === kindOf(incoming) ? '' : ` (mismatched types ${kindOf(existing)} and ${kindOf(incoming)})`;
  const message = `${formatPatchPath(path)}: ${detail ?? `conflicting values ${show(existing)} and ${show(incoming)}${kinds}`}`;
  return new PatchConflictError(path.map(String), cloneJson(existing), cloneJson(incoming), message);
}

function failure(path: readonly Segment[], message: string): PatchError {
  return new PatchError(path.map(String), `${formatPatchPath(path)}: ${message}`);
}

function kindOf(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/** A value as a conflict message shows it: scalars in full, containers abbreviated. */
function show(value: JsonValue): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : '[...]';
  if (isJsonObject(value)) return Object.keys(value).length === 0 ? '{}' : '{...}';
  return JSON.stringify(value);
}

function fieldMeta(meta: PatchMeta | undefined, name: string): PatchMeta | undefined {
  return meta?.fields !== undefined && Object.hasOwn(meta.fields, name) ? meta.fields[name] : undefined;
}

function itemMeta(meta: PatchMeta | undefined, index: number): PatchMeta | undefined {
  return meta?.items?.[index];
}

/**
 * Unifies `patch` into the existing `base`. `strategy` is the annotation of
 * the field holding this value (none for list items and the root); `key` is
 * the patch key in effect from enclosing fields.
 */
function merge(
  base: JsonValue,
  patch: JsonValue,
  meta: PatchMeta | undefined,
  strategy: PatchStrategy | undefined,
  inheritedKey: string | undefined,
  path: readonly Segment[],
): JsonValue {
  const key = meta?.patchKey ?? inheritedKey;

  if (Array.isArray(patch)) {
    if (!Array.isArray(base)) throw conflict(path, base, patch);
    if (strategy === 'replace') return cloneJson(patch);
    let merged: JsonValue[] | undefined;
    if (key !== undefined) merged = mergeByKey(base, patch, meta, strategy === 'retainKeys', key, path);
    merged ??= mergeByIndex(base, patch, meta, key, path);
    const each = meta?.each;
    return each ? merged.map((item, i) => merge(item, each.value, each.meta, undefined, key, [...path, i])) : merged;
  }

  if (strategy === 'retainKeys') return cloneJson(patch);

  if (isJsonObject(patch)) {
    if (!isJsonObject(base)) throw conflict(path, base, patch);
    // A shallow copy: the members the patch does not name stay shared (spread copies a `__proto__` key as data).
    const result: JsonObject = { ...base };
    for (const [name, incoming] of Object.entries(patch)) {
      const existing = getOwn(base, name);
      const childMeta = fieldMeta(meta, name);
      setOwn(
        result,
        name,
        existing === undefined ? cloneJson(incoming) : merge(existing, incoming, childMeta, childMeta?.strategy, key, [...path, name]),
      );
    }
    return result;
  }

  if (base !== patch) throw conflict(path, base, patch);
  return patch;
}

/** CUE list unification against an open list: item by item, the patch may add items at the end. */
function mergeByIndex(
  base: readonly JsonValue[],
  patch: readonly JsonValue[],
  meta: PatchMeta | undefined,
  key: string | undefined,
  path: readonly Segment[],
): JsonValue[] {
  if (patch.length < base.length && !meta?.open) {
    throw conflict(
      path,
      base as JsonValue[],
      patch as JsonValue[],
      `conflicting lists: the workload has ${base.length} items and the patch ${patch.length} ` +
        '(without +patchKey a patch list merges item by item and can only add items at the end; ' +
        '+patchKey=<field> merges by key, +patchStrategy=replace replaces the list)',
    );
  }
  const merged = patch.map((incoming, i) =>
    i < base.length ? merge(base[i] as JsonValue, incoming, itemMeta(meta, i), undefined, key, [...path, i]) : cloneJson(incoming),
  );
  // An open patch list (`[{...}, ...]`) leaves the workload's further items as they are.
  for (let i = patch.length; i < base.length; i++) merged.push(base[i] as JsonValue);
  return merged;
}

/** Where an item's key lives: one dotted path per alternative key. */
function parseKey(key: string): string[][] {
  return key
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '')
    .map((k) => k.split('.'));
}

type Identity = { readonly found: true; readonly id: string; readonly label: string } | { readonly found: false; readonly reason?: string };

/** The identity of a list item under the key: the first key path it has, with that path's (scalar) value. */
function identify(item: JsonValue, keys: readonly string[][]): Identity {
  if (!isJsonObject(item)) return { found: false };
  for (const [index, keyPath] of keys.entries()) {
    let value: JsonValue | undefined = item;
    for (const segment of keyPath) value = isJsonObject(value) ? getOwn(value, segment) : undefined;
    if (value === undefined || value === null) continue;
    const name = keyPath.join('.');
    if (typeof value === 'object') return { found: false, reason: `its "${name}" is ${kindOf(value) === 'list' ? 'a list' : 'an object'}, not a key value` };
    return { found: true, id: `${index}\u0000${typeof value}\u0000${String(value)}`, label: `${name} ${JSON.stringify(value)}` };
  }
  return { found: false };
}

/**
 * Merge by key; `undefined` when no patch item has the key, so the list
 * merges by index instead (KubeVela does the same).
 */
function mergeByKey(
  base: readonly JsonValue[],
  patch: readonly JsonValue[],
  meta: PatchMeta | undefined,
  replaceMatched: boolean,
  key: string,
  path: readonly Segment[],
): JsonValue[] | undefined {
  if (patch.length === 0) return [...base];
  const keys = parseKey(key);
  const identities = patch.map((item) => identify(item, keys));
  // No item carries the key at all: it is not meant for this list.
  if (identities.every((identity) => !identity.found && identity.reason === undefined)) return undefined;

  /** Patch item index by identity, in patch order. */
  const byId = new Map<string, number>();
  identities.forEach((identity, i) => {
    if (!identity.found) {
      const why = identity.reason ?? `it has no ${keys.map((k) => `"${k.join('.')}"`).join(' or ')}`;
      throw failure(path, `item ${i} of the patch cannot be matched by +patchKey=${key}: ${why}`);
    }
    if (byId.has(identity.id)) {
      throw failure(path, `the patch has two items with ${identity.label} (items ${byId.get(identity.id)} and ${i}; +patchKey=${key})`);
    }
    byId.set(identity.id, i);
  });

  const matched = new Set<number>();
  const result = base.map((existing, position) => {
    const identity = identify(existing, keys);
    if (!identity.found) return existing;
    const index = byId.get(identity.id);
    if (index === undefined || matched.has(index)) return existing;
    matched.add(index);
    const incoming = patch[index] as JsonValue;
    return replaceMatched ? cloneJson(incoming) : merge(existing, incoming, itemMeta(meta, index), undefined, key, [...path, position]);
  });
  patch.forEach((incoming, i) => {
    if (!matched.has(i)) result.push(cloneJson(incoming));
  });
  return result;
}
