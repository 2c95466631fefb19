/** `encoding/json`, `encoding/yaml` and `encoding/base64`. */
import { createRequire } from 'node:module';

// The YAML library is loaded when a template first uses encoding/yaml.
let yamlModule: typeof import('yaml') | undefined;
const yaml = () => (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
import { BuiltinError, FloatValue, mkBool, mkBytes, mkStr, formatFloat } from '../adt/scalar.js';
import type { Val } from '../adt/vertex.js';
import { Vertex } from '../adt/vertex.js';
import { isNull, list, str, strOrBytes } from './args.js';
import type { Builtin, CallContext, Package } from './types.js';

const fn = (name: string, arity: number, call: Builtin['call']): Builtin => ({ name, arity, call });

/** JSON text like Go's encoding/json (HTML-safe escapes, floats keep a fraction). */
export function marshalJSON(x: unknown, indent = '', prefix = '', level = 0): string {
  if (x instanceof FloatValue) return formatFloat(x.value);
  if (x === null || typeof x === 'boolean') return String(x);
  if (typeof x === 'number') return Number.isInteger(x) ? String(x) : String(x);
  if (typeof x === 'string') return goQuote(x);
  const nl = indent ? '\n' + prefix + indent.repeat(level + 1) : '';
  const end = indent ? '\n' + prefix + indent.repeat(level) : '';
  if (Array.isArray(x)) {
    if (!x.length) return '[]';
    return '[' + x.map((e) => nl + marshalJSON(e, indent, prefix, level + 1)).join(',') + end + ']';
  }
  const entries = Object.entries(x as Record<string, unknown>);
  if (!entries.length) return '{}';
  const sep = indent ? ': ' : ':';
  return '{' + entries.map(([k, v]) => nl + goQuote(k) + sep + marshalJSON(v, indent, prefix, level + 1)).join(',') + end + '}';
}

function goQuote(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function parseJSON(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    throw new BuiltinError('eval', `json: invalid JSON: ${(e as Error).message}`);
  }
}

const exportKeep = (c: CallContext, v: Val) => c.exportValue(v, [], 0, true);

function toYAMLValue(x: unknown): unknown {
  if (x instanceof FloatValue) {
    const n = new (yaml().Scalar)(x.value);
    n.format = undefined;
    (n as unknown as { minFractionDigits: number }).minFractionDigits = Number.isInteger(x.value) ? 1 : 0;
    return n;
  }
  if (Array.isArray(x)) return x.map(toYAMLValue);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, toYAMLValue(v)]));
  return x;
}

export function marshalYAML(x: unknown): string {
  return yaml().stringify(toYAMLValue(x), { indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0 });
}

function fromYAML(text: string): unknown {
  const doc = yaml().parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) throw new BuiltinError('eval', `yaml: ${doc.errors[0]!.message.split('\n')[0]}`);
  return doc.toJS({ maxAliasCount: 100 });
}

export const JSON_PKG: Package = {
  Marshal: fn('Marshal', 1, ([v], c) => mkStr(marshalJSON(exportKeep(c, v!)))),
  MarshalStream: fn('MarshalStream', 1, ([v], c) => mkStr(list(c, v!).map((e) => marshalJSON(exportKeep(c, e)) + '\n').join(''))),
  Unmarshal: fn('Unmarshal', 1, ([s], c) => c.fromJSON(parseJSON(strOrBytes(c, s!).v))),
  Valid: fn('Valid', 1, ([s], c) => {
    try {
      JSON.parse(strOrBytes(c, s!).v);
      return mkBool(true);
    } catch {
      return mkBool(false);
    }
  }),
  Compact: fn('Compact', 1, ([s], c) => mkStr(JSON.stringify(parseJSON(strOrBytes(c, s!).v)))),
  Indent: fn('Indent', 3, ([s, p, i], c) => mkStr(marshalJSON(parseJSON(strOrBytes(c, s!).v), str(c, i!), str(c, p!)))),
};

export const YAML_PKG: Package = {
  Marshal: fn('Marshal', 1, ([v], c) => mkStr(marshalYAML(exportKeep(c, v!)))),
  MarshalStream: fn('MarshalStream', 1, ([v], c) => mkStr(list(c, v!).map((e) => marshalYAML(exportKeep(c, e))).join('---\n'))),
  Unmarshal: fn('Unmarshal', 1, ([s], c) => c.fromJSON(fromYAML(strOrBytes(c, s!).v) ?? null)),
  UnmarshalStream: fn('UnmarshalStream', 1, ([s], c) => {
    const docs = yaml().parseAllDocuments(strOrBytes(c, s!).v);
    if (!Array.isArray(docs)) throw new BuiltinError('eval', 'yaml: invalid stream');
    return c.fromJSON(docs.map((d) => d.toJS()));
  }),
  Validate: fn('Validate', 2, ([s, schema], c) => {
    const data = c.fromJSON(fromYAML(strOrBytes(c, s!).v) ?? null);
    if (schema instanceof Vertex) {
      const r = c.unify(schema, data);
      c.exportValue(r, [], 0, false, true);
    }
    return mkBool(true);
  }),
};

export const BASE64_PKG: Package = {
  Encode: fn('Encode', 2, ([enc, data], c) => {
    if (!isNull(c, enc!)) throw new BuiltinError('eval', 'base64: unsupported encoding: only null (standard) is supported');
    const d = strOrBytes(c, data!);
    return mkStr(Buffer.from(d.v, d.bytes ? 'latin1' : 'utf8').toString('base64'));
  }),
  Decode: fn('Decode', 2, ([enc, data], c) => {
    if (!isNull(c, enc!)) throw new BuiltinError('eval', 'base64: unsupported encoding: only null (standard) is supported');
    const s = str(c, data!);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new BuiltinError('eval', `illegal base64 data at input byte ${Math.max(0, s.search(/[^A-Za-z0-9+/=]/))}`);
    return mkBytes(Buffer.from(s, 'base64').toString('latin1'));
  }),
  EncodedLen: fn('EncodedLen', 2, ([, n], c) => c.fromJSON(Math.ceil(Number((c.concrete(n!) as { v: number }).v) / 3) * 4)),
  DecodedLen: fn('DecodedLen', 2, ([, n], c) => c.fromJSON(Math.floor(Number((c.concrete(n!) as { v: number }).v) / 4) * 3)),
};
