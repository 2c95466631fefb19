/**
 * What KubeVela does to a component's objects between rendering and
 * dispatching them (its "assemble" step), as far as it makes sense without a
 * controller in the cluster:
 * - a workload without `metadata.name` is named after the component; a trait's
 *   (or the component's auxiliary) object without one gets
 *   `<component>-<trait type>-<hash of the object>`, the shape of KubeVela's
 *   names (the hash is vela's own, over the object's canonical JSON);
 * - a trait with `workloadRefPath` gets `{apiVersion, kind, name}` of the
 *   workload at that path of each of its objects;
 * - a trait with `manageWorkload` creates the workload itself: the
 *   component's workload is not dispatched, and the trait's objects carry
 *   `trait.oam.dev/manage-workload: "true"`;
 * - `stage`: objects of PreDispatch traits come before the workload, those of
 *   PostDispatch traits after everything else of the component (and say so in
 *   their origin, for the deployer to wait for the workload's health first).
 */
import type { JsonObject, JsonValue } from '../appfile/index.js';
import type { TraitStage } from '../capability/index.js';
import type { Manifest } from './types.js';

const MANAGE_WORKLOAD_LABEL = 'trait.oam.dev/manage-workload';

function obj(x: JsonValue | undefined): JsonObject {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? x : {};
}

/** What the contract needs to know of the trait that produced an object. */
export interface TraitFacts {
  readonly workloadRefPath?: string;
  readonly manageWorkload?: boolean;
  readonly stage?: TraitStage;
}

/**
 * The component's manifests in dispatch order, named, with workload
 * references set: PreDispatch trait objects, the workload (unless a trait
 * manages it), the component's and default-stage traits' objects, then
 * PostDispatch ones. `traitOf` gives the facts of the trait behind a manifest.
 */
export function assembleComponent(workload: Manifest, outputs: readonly Manifest[], traitOf: (m: Manifest) => TraitFacts | undefined): Manifest[] {
  const named = nameWorkload(workload);
  const managed = outputs.some((m) => traitOf(m)?.manageWorkload);
  const ref = workloadReference(named.object);
  const finished = outputs.map((m) => {
    const facts = traitOf(m);
    let object = m.object;
    if (facts?.workloadRefPath) object = setPath(object, facts.workloadRefPath, ref);
    if (facts?.manageWorkload) object = withLabel(object, MANAGE_WORKLOAD_LABEL, 'true');
    object = nameObject(object, m.origin.service, m.origin.trait ?? 'auxiliaryworkload');
    return { ...m, object, origin: facts?.stage && facts.stage !== 'DefaultDispatch' ? { ...m.origin, stage: facts.stage } : m.origin };
  });
  const stageOf = (m: Manifest) => m.origin.stage ?? 'DefaultDispatch';
  return [
    ...finished.filter((m) => stageOf(m) === 'PreDispatch'),
    ...(managed ? [] : [named]),
    ...finished.filter((m) => stageOf(m) === 'DefaultDispatch'),
    ...finished.filter((m) => stageOf(m) === 'PostDispatch'),
  ];
}

function nameWorkload(m: Manifest): Manifest {
  const meta = obj(m.object.metadata);
  if (typeof meta.name === 'string' && meta.name !== '') return m;
  return { ...m, object: { ...m.object, metadata: { ...meta, name: m.origin.service } } };
}

function nameObject(object: JsonObject, component: string, type: string): JsonObject {
  const meta = obj(object.metadata);
  if ((typeof meta.name === 'string' && meta.name !== '') || typeof object.kind !== 'string') return object;
  return { ...object, metadata: { ...meta, name: `${component}-${type.toLowerCase()}-${objectHash(object)}` } };
}

/** `{apiVersion, kind, name}` of the workload, as KubeVela writes a workloadRef. */
function workloadReference(workload: JsonObject): JsonObject {
  return { apiVersion: workload.apiVersion ?? null, kind: workload.kind ?? null, name: obj(workload.metadata).name ?? null };
}

function withLabel(object: JsonObject, key: string, value: string): JsonObject {
  const meta = obj(object.metadata);
  return { ...object, metadata: { ...meta, labels: { ...obj(meta.labels), [key]: value } } };
}

/**
 * A copy of `object` with `value` at a field path (`spec.workloadRef`,
 * `spec.targets[0].ref`), creating the objects and lists on the way.
 */
export function setPath(object: JsonObject, path: string, value: JsonValue): JsonObject {
  const segments = pathSegments(path);
  if (segments.length === 0) return object;
  const put = (node: JsonValue | undefined, at: number): JsonValue => {
    const segment = segments[at]!;
    const last = at === segments.length - 1;
    if (typeof segment === 'number') {
      const list = Array.isArray(node) ? [...node] : [];
      while (list.length <= segment) list.push(null);
      list[segment] = last ? value : put(list[segment], at + 1);
      return list;
    }
    const struct = { ...obj(node) };
    struct[segment] = last ? value : put(struct[segment], at + 1);
    return struct;
  };
  return put(object, 0) as JsonObject;
}

/** `a.b[0].c` and `a["b.c"]` as segments. */
function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push((m[3] ?? m[4])!);
  }
  return out;
}

/** Consonants and digits only, as Kubernetes' generated names use, so a hash never spells a word. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** An FNV-1a hash of the object's canonical JSON (keys sorted), spelled in safe characters. */
function objectHash(object: JsonObject): string {
  let hash = 0x811c9dc5;
  for (const ch of canonicalJson(object)) {
    const code = ch.codePointAt(0)!;
    for (const byte of code < 0x80 ? [code] : [...new TextEncoder().encode(ch)]) {
      hash ^= byte;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return [...String(hash)].map((digit) => SAFE_ALPHABET[digit.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
