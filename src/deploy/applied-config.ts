/**
 * What one field manager applied to an object, read back from the object's
 * `managedFields` (client-go's `Extract*` functions do the same): the live
 * values of exactly the fields that manager's Apply entry owns.
 *
 * Why: a server-side apply releases every field of its manager that the
 * applied object leaves out. To change one field as `vela` (the image, in
 * `vela canary promote`) without touching the others, apply this whole
 * configuration with that field changed; the next `vela up`, applying the
 * same fields with the same values, then changes nothing.
 */
import type { KubeObject } from './api/index.js';

type Tree = Record<string, unknown>;
type Json = unknown;

const isObj = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

function equal(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The configuration `manager` applied (identity included), or undefined when it applied nothing to the object. */
export function appliedConfiguration(live: KubeObject, manager: string): KubeObject | undefined {
  const entries = (live.metadata?.managedFields ?? []) as Array<{ manager?: string; operation?: string; apiVersion?: string; fieldsV1?: Tree; subresource?: string }>;
  const mine = entries.filter((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource);
  if (mine.length !== 1 || mine[0]!.apiVersion !== live.apiVersion || !isObj(mine[0]!.fieldsV1)) return undefined;
  const owned = extract(live, mine[0]!.fieldsV1) as Record<string, Json>;
  const metadata = isObj(owned.metadata) ? owned.metadata : {};
  return {
    ...owned,
    apiVersion: live.apiVersion,
    kind: live.kind,
    metadata: { ...metadata, name: live.metadata?.name, ...(live.metadata?.namespace !== undefined && { namespace: live.metadata.namespace }) },
  } as KubeObject;
}

/**
 * The part of `value` a field set covers. A node without children owns its
 * value whole (a scalar, an atomic list or map); `f:name` is a field of a map,
 * `k:{...}` an item of a list keyed by those fields, `v:value` an item of a set,
 * `i:N` an item by index. List items keep the live order.
 */
function extract(value: Json, tree: Tree): Json {
  const children = Object.keys(tree).filter((k) => k !== '.');
  if (children.length === 0) return structuredClone(value);
  if (isObj(value)) {
    const out: Record<string, Json> = {};
    for (const child of children) {
      if (!child.startsWith('f:')) continue;
      const name = child.slice(2);
      const sub = tree[child];
      if (name in value && isObj(sub)) out[name] = extract(value[name], sub);
    }
    return out;
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => {
      for (const child of children) {
        const sub = tree[child];
        if (!isObj(sub)) continue;
        if (child.startsWith('k:') && isObj(item)) {
          const key = parseKey(child.slice(2));
          if (key && Object.entries(key).every(([f, v]) => equal(item[f], v))) return [{ ...key, ...(extract(item, sub) as Record<string, Json>) }];
        } else if (child.startsWith('v:')) {
          if (child === `v:${JSON.stringify(item)}`) return [structuredClone(item)];
        } else if (child === `i:${index}`) {
          return [extract(item, sub)];
        }
      }
      return [];
    });
  }
  return structuredClone(value);
}

function parseKey(text: string): Record<string, Json> | undefined {
  try {
    const key = JSON.parse(text) as Json;
    return isObj(key) ? key : undefined;
  } catch {
    return undefined;
  }
}
