/** Builtin functions and the standard packages that capability definitions import. */
import { CORE } from './core.js';
import { BASE64_PKG, JSON_PKG, YAML_PKG } from './encoding.js';
import { LIST } from './list.js';
import { MATH } from './math.js';
import { REGEXP } from './regexp.js';
import { STRCONV } from './strconv.js';
import { STRINGS } from './strings.js';
import { STRUCT } from './struct.js';
import type { Builtin, Package } from './types.js';

export type { Builtin, CallContext, Package } from './types.js';
export { marshalJSON, marshalYAML } from './encoding.js';

/** Package members written in CUE (evaluated by the evaluator on first use). */
export interface SourceMember {
  readonly source: string;
}

const LIST_SOURCE: Record<string, SourceMember> = {
  Ascending: { source: '{T: number | string, x: T, y: T, less: x < y}' },
  Descending: { source: '{T: number | string, x: T, y: T, less: x > y}' },
};

const PACKAGES: Record<string, Package | undefined> = {
  strings: STRINGS,
  strconv: STRCONV,
  list: { ...LIST, ...(LIST_SOURCE as unknown as Package) },
  math: MATH,
  regexp: REGEXP,
  struct: STRUCT,
  'encoding/json': JSON_PKG,
  'encoding/yaml': YAML_PKG,
  'encoding/base64': BASE64_PKG,
};

export const KNOWN_PACKAGES = Object.keys(PACKAGES);

export function lookupPackage(path: string): Package | undefined {
  return PACKAGES[path];
}

export function lookupBuiltin(name: string): Builtin | undefined {
  return CORE[name] ?? (name === 'close' || name === 'and' || name === 'or' ? SPECIAL[name] : undefined);
}

/** `close`, `and` and `or` are handled by the evaluator; these entries make them callable names. */
const SPECIAL: Record<string, Builtin> = Object.fromEntries(
  ['close', 'and', 'or'].map((name) => [name, { name, arity: 1, call: () => { throw new Error(`${name} is evaluated by the evaluator`); } }]),
);

export function isSourceMember(m: unknown): m is SourceMember {
  return typeof m === 'object' && m !== null && 'source' in m && typeof (m as SourceMember).source === 'string';
}
