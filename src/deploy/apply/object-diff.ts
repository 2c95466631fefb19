/**
 * Comparing a live object with what applying would make of it (the server's
 * dry-run answer). Fields the server changes on every read or that no user
 * sets are left out, so "unchanged" means "applying would change nothing".
 */
import type { KubeObject } from '../api/index.js';

type Json = unknown;

/** The object without bookkeeping that differs between a dry run and the live copy even when nothing changes. */
export function comparable(obj: KubeObject): KubeObject {
  const c = structuredClone(obj);
  const m = c.metadata as Record<string, unknown> | undefined;
  if (m) {
    delete m.resourceVersion;
    delete m.generation;
    delete m.selfLink;
    // Timestamps of managedFields move even on a no-op in some server versions; who owns what still counts.
    if (Array.isArray(m.managedFields)) {
      m.managedFields = (m.managedFields as Array<Record<string, unknown>>).map(({ time: _time, ...rest }) => rest);
    }
  }
  return c;
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const right = b as Json[];
    return a.length === right.length && a.every((x, i) => deepEqual(x, right[i]));
  }
  const leftObject = a as Record<string, Json>;
  const rightObject = b as Record<string, Json>;
  const leftKeys = Object.keys(leftObject).filter((k) => leftObject[k] !== undefined);
  const rightKeys = Object.keys(rightObject).filter((k) => rightObject[k] !== undefined);
  return leftKeys.length === rightKeys.length && leftKeys.every((k) => k in rightObject && deepEqual(leftObject[k], rightObject[k]));
}

/** True when applying (as the dry run showed) would leave the live object as it is. */
export function sameObject(live: KubeObject, applied: KubeObject): boolean {
  return deepEqual(comparable(live), comparable(applied));
}

export interface FieldChange {
  /** Dotted path, list items by index: `spec.template.spec.containers[0].image`. */
  readonly path: string;
  readonly before?: Json;
  readonly after?: Json;
}

/** The leaf fields that differ, for `--plan` output (status and metadata bookkeeping are not changes the user made). */
export function changedFields(live: KubeObject, applied: KubeObject): FieldChange[] {
  const strip = (o: KubeObject) => {
    const c = comparable(o) as Record<string, unknown>;
    delete c.status;
    const m = c.metadata as Record<string, unknown> | undefined;
    if (m) {
      delete m.managedFields;
      delete m.creationTimestamp;
      delete m.uid;
    }
    return c;
  };
  const out: FieldChange[] = [];
  walk(strip(live), strip(applied), '', out);
  return out;
}

function join(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

function walk(a: Json, b: Json, path: string, out: FieldChange[]): void {
  if (deepEqual(a, b)) return;
  const isObj = (x: Json) => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (isObj(a) && isObj(b)) {
    const leftObject = a as Record<string, Json>;
    const rightObject = b as Record<string, Json>;
    for (const k of [...new Set([...Object.keys(leftObject), ...Object.keys(rightObject)])].sort()) walk(leftObject[k], rightObject[k], join(path, k), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => walk(x, b[i], `${path}[${i}]`, out));
    return;
  }
  out.push({ path, before: a, after: b });
}
