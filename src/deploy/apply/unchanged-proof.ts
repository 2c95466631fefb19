/**
 * Proving, without asking the server, that applying an object would change
 * nothing: every field we would set already has that value, and the fields
 * our manager owns (its `managedFields` entry) are exactly the fields we would
 * set. When the proof fails for any reason (another shape of list, a value the
 * server normalised, no entry at all) the caller falls back to a server-side
 * dry run, so this may say "don't know" often but must never say "unchanged"
 * wrongly.
 */
import type { KubeObject } from '../api/index.js';

type Tree = Record<string, unknown>;
type Json = unknown;

const isObj = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

function equal(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return false;
}

/** The `k:{...}` child of a list's field tree that names this item, with its key fields. */
function keyedChild(tree: Tree, item: Json): { child: Tree; key: Record<string, Json> } | undefined {
  if (!isObj(item)) return undefined;
  for (const [k, child] of Object.entries(tree)) {
    if (!k.startsWith('k:') || !isObj(child)) continue;
    let key: Record<string, Json>;
    try {
      key = JSON.parse(k.slice(2)) as Record<string, Json>;
    } catch {
      return undefined;
    }
    if (Object.entries(key).every(([f, v]) => equal(item[f], v))) return { child: child as Tree, key };
  }
  return undefined;
}

/**
 * Does our field tree cover exactly the fields of `value`, each with the value
 * `live` has? Both directions: every field of the value has its node, and every
 * node names a field of the value. A node without children owns its value
 * whole (a scalar, an atomic list or map), so there the live value must be equal.
 */
function sameFields(value: Json, tree: Tree, live: Json): boolean {
  const children = Object.keys(tree).filter((k) => k !== '.');
  if (children.length === 0) return equal(value, live);
  if (isObj(value)) {
    const keys = Object.keys(value);
    if (!isObj(live) || children.length !== keys.length) return false;
    return keys.every((k) => {
      const child = tree[`f:${k}`];
      return isObj(child) && sameFields(value[k], child as Tree, live[k]);
    });
  }
  if (Array.isArray(value)) {
    // Items of other managers may sit in the live list; only ours must match.
    if (!Array.isArray(live) || children.length !== value.length) return false;
    return value.every((item) => {
      if (isObj(item)) {
        const found = keyedChild(tree, item);
        if (!found) return false;
        const liveItem = live.find((l) => isObj(l) && Object.entries(found.key).every(([f, v]) => equal(l[f], v)));
        return liveItem !== undefined && sameFields(item, found.child, liveItem);
      }
      // A set of scalars.
      return `v:${JSON.stringify(item)}` in tree && live.some((l) => equal(l, item));
    });
  }
  return false;
}

/** True only when applying `desired` as `manager` to `live` is certain to change nothing. */
export function provablyUnchanged(desired: KubeObject, live: KubeObject, manager = 'vela'): boolean {
  const entries = (live.metadata?.managedFields ?? []) as Array<{ manager?: string; operation?: string; apiVersion?: string; fieldsV1?: Tree; subresource?: string }>;
  const mine = entries.filter((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource);
  if (mine.length !== 1 || mine[0]!.apiVersion !== desired.apiVersion || !isObj(mine[0]!.fieldsV1)) return false;
  // Identity is not owned: compare the rest.
  const { apiVersion: _a, kind: _k, metadata, ...rest } = desired;
  const { name: _n, namespace: _ns, ...meta } = metadata ?? {};
  const body: Record<string, Json> = { ...rest, ...(Object.keys(meta).length ? { metadata: meta } : {}) };
  return sameFields(body, mine[0]!.fieldsV1, live);
}
