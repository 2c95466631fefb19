/**
 * The JSON level of trait patching: `PatchError` and the JSON value helpers
 * that patch.ts shares, and the two standard patch formats a trait may choose with
 * `// +patchStrategy=jsonMergePatch` or `// +patchStrategy=jsonPatch` on its
 * `patch` field (KubeVela's `json-merge-patch` and `json-patch` traits):
 *
 * - RFC 7396 JSON merge patch: objects merge recursively, `null` deletes a
 *   member, anything else (lists included) replaces the target wholesale.
 * - RFC 6902 JSON patch: the patch is `{operations: [...]}`, each operation one
 *   of add, remove, replace, move, copy, test, addressed by RFC 6901 JSON
 *   pointers (`~1` is `/`, `~0` is `~`, `-` is the end of a list). The
 *   operations apply in order to a copy; the first failing one stops the whole
 *   patch with a `JsonPatchError` naming it, so a failed patch changes nothing.
 *
 * Both are pure: they never mutate their inputs. A merge patch's result
 * shares the members of the target the patch leaves alone (as `applyPatch`'s
 * does: rendered objects are never changed in place); a JSON patch's result
 * shares nothing with its inputs.
 */
import type { JsonObject, JsonValue } from '../appfile/index.js';

/**
 * Any patch that cannot be applied. `path` locates the problem in the
 * workload (object keys and list indices, outermost first). It lives here, in
 * the leaf module, so that patch.ts can import this file without a cycle.
 */
export class PatchError extends Error {
  constructor(
    readonly path: readonly string[],
    message: string,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}

// ---- JSON values -----------------------------------------------------------
// Own-property access throughout: a key such as "constructor" or "__proto__"
// in a manifest is data, never the prototype chain.

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getOwn(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

export function setOwn(object: JsonObject, key: string, value: JsonValue): void {
  // Plain assignment unless the key would reach the prototype (`__proto__`).
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

/** A deep copy sharing nothing with its input. */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (isJsonObject(value)) {
    const copy: JsonObject = {};
    for (const [key, item] of Object.entries(value)) setOwn(copy, key, cloneJson(item));
    return copy as T;
  }
  return value;
}

/** Structural equality (object member order does not matter, list order does). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i] as JsonValue));
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key] as JsonValue, b[key] as JsonValue));
  }
  return false;
}

// ---- RFC 7396 ---------------------------------------------------------------

/** RFC 7396: apply `patch` to `target` as a JSON merge patch. */
export function applyJsonMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return cloneJson(patch);
  // A shallow copy: members the patch does not name stay shared.
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      setOwn(result, key, applyJsonMergePatch(getOwn(result, key), value));
    }
  }
  return result;
}

// ---- RFC 6902 ---------------------------------------------------------------

export const JSON_PATCH_OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;
export type JsonPatchOp = (typeof JSON_PATCH_OPS)[number];

export interface JsonPatchOperation {
  readonly op: JsonPatchOp;
  readonly path: string;
  readonly from?: string;
  readonly value?: JsonValue;
}

/** A JSON patch operation that could not be applied; `path` is the pointer's segments. */
export class JsonPatchError extends PatchError {
  constructor(
    /** Position of the operation in `operations` (0-based). */
    readonly index: number,
    /** The operation as given (possibly malformed). */
    readonly operation: JsonValue,
    path: readonly string[],
    message: string,
  ) {
    super(path, message);
    this.name = 'JsonPatchError';
  }
}

/**
 * RFC 6902: apply `patch` (`{operations: [...]}`, the shape of KubeVela's
 * json-patch trait) to `target`.
 */
export function applyJsonPatch(target: JsonValue, patch: JsonValue): JsonValue {
  const operations = isJsonObject(patch) ? getOwn(patch, 'operations') : undefined;
  if (!Array.isArray(operations)) {
    throw new PatchError([], 'a jsonPatch patch must be {operations: [...]} (a list of RFC 6902 operations)');
  }
  let doc = cloneJson(target);
  operations.forEach((raw, index) => {
    doc = applyOperation(doc, readOperation(raw, index), raw, index);
  });
  return doc;
}

/** RFC 6901: the reference tokens of a JSON pointer (`""` is the whole document). */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer ${JSON.stringify(pointer)} must be empty or start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw new Error(`JSON pointer ${JSON.stringify(pointer)} has a bad escape ("~" must be followed by 0 or 1)`);
      // ~1 first, so that "~01" decodes to "~1" and not "/".
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

function readOperation(raw: JsonValue, index: number): JsonPatchOperation {
  const fail = (message: string): never => {
    throw new JsonPatchError(index, raw, [], `json patch operation ${index}: ${message}`);
  };
  if (!isJsonObject(raw)) return fail('must be an object {op, path, ...}');
  const op = getOwn(raw, 'op');
  if (typeof op !== 'string' || !(JSON_PATCH_OPS as readonly string[]).includes(op)) {
    return fail(`unknown op ${JSON.stringify(op ?? null)} (expected one of ${JSON_PATCH_OPS.join(', ')})`);
  }
  const path = getOwn(raw, 'path');
  if (typeof path !== 'string') return fail(`${op} needs a "path" string`);
  const from = getOwn(raw, 'from');
  if ((op === 'move' || op === 'copy') && typeof from !== 'string') return fail(`${op} needs a "from" string`);
  const value = getOwn(raw, 'value');
  if ((op === 'add' || op === 'replace' || op === 'test') && value === undefined) return fail(`${op} needs a "value"`);
  return { op: op as JsonPatchOp, path, ...(typeof from === 'string' ? { from } : {}), ...(value !== undefined ? { value } : {}) };
}

/** Applies one operation to `doc`, which this module owns (a private copy), so it may be mutated. */
function applyOperation(doc: JsonValue, operation: JsonPatchOperation, raw: JsonValue, index: number): JsonValue {
  const describe = `json patch operation ${index} (${operation.op} ${operation.path})`;
  const pointer = (text: string): string[] => {
    try {
      return parseJsonPointer(text);
    } catch (e) {
      throw new JsonPatchError(index, raw, [], `${describe}: ${(e as Error).message}`);
    }
  };
  const fail = (segments: readonly string[], message: string): never => {
    throw new JsonPatchError(index, raw, segments, `${describe}: ${message}`);
  };
  const path = pointer(operation.path);

  switch (operation.op) {
    case 'add':
      return add(doc, path, cloneJson(operation.value as JsonValue), fail);
    case 'remove':
      return remove(doc, path, fail).doc;
    case 'replace': {
      resolve(doc, path, fail);
      if (path.length === 0) return cloneJson(operation.value as JsonValue);
      const removed = remove(doc, path, fail).doc;
      return add(removed, path, cloneJson(operation.value as JsonValue), fail);
    }
    case 'move': {
      const from = pointer(operation.from as string);
      if (from.length < path.length && from.every((segment, i) => path[i] === segment)) {
        fail(path, `cannot move ${operation.from} into one of its own children`);
      }
      const { doc: removed, value } = remove(doc, from, fail);
      return add(removed, path, value, fail);
    }
    case 'copy': {
      const value = resolve(doc, pointer(operation.from as string), fail);
      return add(doc, path, cloneJson(value), fail);
    }
    case 'test': {
      const actual = resolve(doc, path, fail);
      if (!jsonEqual(actual, operation.value as JsonValue)) {
        fail(path, `test failed: the value is ${JSON.stringify(actual)}, not ${JSON.stringify(operation.value)}`);
      }
      return doc;
    }
  }
}

type Fail = (segments: readonly string[], message: string) => never;

/** RFC 6901 array index: "0" or digits without a leading zero. */
function arrayIndex(token: string, length: number, allowEnd: boolean, at: readonly string[], fail: Fail): number {
  if (token === '-') {
    if (allowEnd) return length;
    return fail(at, `"-" (the end of the list) names no existing item`);
  }
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return fail(at, `${JSON.stringify(token)} is not a list index`);
  const i = Number(token);
  const limit = allowEnd ? length : length - 1;
  if (i > limit) return fail(at, `index ${i} is out of range (the list has ${length} items)`);
  return i;
}

function resolve(doc: JsonValue, path: readonly string[], fail: Fail): JsonValue {
  let current = doc;
  for (let i = 0; i < path.length; i++) {
    const token = path[i] as string;
    const at = path.slice(0, i + 1);
    if (Array.isArray(current)) {
      current = current[arrayIndex(token, current.length, false, at, fail)] as JsonValue;
    } else if (isJsonObject(current)) {
      const next = getOwn(current, token);
      if (next === undefined) return fail(at, `path not found (no ${JSON.stringify(token)})`);
      current = next;
    } else {
      return fail(at, `path not found (${pointerOf(path.slice(0, i))} is not an object or a list)`);
    }
  }
  return current;
}

function add(doc: JsonValue, path: readonly string[], value: JsonValue, fail: Fail): JsonValue {
  if (path.length === 0) return value;
  const parent = resolve(doc, path.slice(0, -1), fail);
  const token = path[path.length - 1] as string;
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(token, parent.length, true, path, fail), 0, value);
  } else if (isJsonObject(parent)) {
    setOwn(parent, token, value);
  } else {
    fail(path, `cannot add to ${pointerOf(path.slice(0, -1))}: it is not an object or a list`);
  }
  return doc;
}

function remove(doc: JsonValue, path: readonly string[], fail: Fail): { doc: JsonValue; value: JsonValue } {
  if (path.length === 0) return fail(path, 'cannot remove the whole document');
  const parent = resolve(doc, path.slice(0, -1), fail);
  const token = path[path.length - 1] as string;
  if (Array.isArray(parent)) {
    const [value] = parent.splice(arrayIndex(token, parent.length, false, path, fail), 1);
    return { doc, value: value as JsonValue };
  }
  if (isJsonObject(parent)) {
    const value = getOwn(parent, token);
    if (value === undefined) return fail(path, `path not found (no ${JSON.stringify(token)})`);
    delete parent[token];
    return { doc, value };
  }
  return fail(path, `path not found (${pointerOf(path.slice(0, -1))} is not an object or a list)`);
}

function pointerOf(path: readonly string[]): string {
  return path.length === 0 ? 'the document' : '/' + path.map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}
