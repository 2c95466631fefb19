/** `encoding/json`, `encoding/yaml` and `encoding/base64`. */
import { createRequire } from 'node:module';

// The YAML library is loaded when a template first uses encoding/yaml.
let yamlModule: typeof import('yaml') | undefined;
const yaml = () => (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
import { BuiltinError, FloatValue, mkBool, mkBytes, mkInt, mkStr } from '../adt/scalar.js';
import { type Val, Vertex } from '../adt/vertex.js';
import { int, isNull, list, str, strOrBytes } from './args.js';
import { JSONSyntaxError, parseJSONExact } from './json-text.js';
import type { Builtin, CallContext, Package } from './types.js';

const fn = (name: string, arity: number, call: Builtin['call']): Builtin => ({ name, arity, call });

/** JSON text like Go's encoding/json (HTML-safe escapes), numbers as CUE writes them (`1.0`, `1.5E+3`, exact integers). */
export function marshalJSON(x: unknown, indent = '', prefix = '', level = 0): string {
  if (x instanceof FloatValue) return x.text;
  if (x === null || typeof x === 'boolean') return String(x);
  if (typeof x === 'number' || typeof x === 'bigint') return String(x);
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
    return parseJSONExact(s);
  } catch (e) {
    if (e instanceof JSONSyntaxError) throw new BuiltinError('eval', `json: invalid JSON: ${e.message}`);
    throw e;
  }
}

const exportKeep = (c: CallContext, v: Val) => c.exportValue(v, [], 0, true);

/** Floats print with CUE's text (`1.0`, `1.5E+3`), so YAML keeps them floats and exact. */
const FLOAT_OUT = {
  identify: (v: unknown) => v instanceof FloatValue,
  default: true,
  tag: 'tag:yaml.org,2002:float',
  resolve: (str: string) => new FloatValue(Number(str), str),
  stringify: (item: { value: unknown }) => (item.value as FloatValue).text,
};

export function marshalYAML(x: unknown): string {
  return yaml().stringify(x, { indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0, customTags: [FLOAT_OUT] });
}

type Tags = Parameters<Extract<NonNullable<import('yaml').SchemaOptions['customTags']>, (...a: never[]) => unknown>>[0];

/** Integers read exactly (bigints beyond 2^53) and floats with their text, as CUE reads YAML numbers. */
function exactNumbers(tags: Tags): Tags {
  return tags.map((t) => {
    const tag = t as { tag?: string; test?: RegExp; resolve?: unknown };
    if (tag.tag !== 'tag:yaml.org,2002:float' || !tag.test || /inf|nan/i.test(String(tag.test))) return t;
    return { ...tag, resolve: (str: string) => new FloatValue(Number(str.replace(/_/g, '')), str.replace(/_/g, '')) } as typeof t;
  });
}

/** Aliases that expand to more than this many nodes are refused (a "billion laughs" document). */
export const MAX_YAML_ALIASES = 100;

/** Flow collections nested deeper than this are refused before parsing: the YAML parser recurses on them. */
const MAX_YAML_NESTING = 1000;

function checkNesting(text: string): void {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') while (i < text.length && text[i] !== '\n') i++;
    else if (ch === '[' || ch === '{') {
      if (++depth > MAX_YAML_NESTING) throw new BuiltinError('limit', `yaml: nested more than ${MAX_YAML_NESTING} levels deep`);
    } else if (ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
  }
}

function fromYAML(text: string): unknown {
  checkNesting(text);
  const doc = yaml().parseDocument(text, { uniqueKeys: true, intAsBigInt: true, customTags: exactNumbers });
  if (doc.errors.length) throw new BuiltinError('eval', `yaml: ${doc.errors[0]!.message.split('\n')[0]}`);
  return docToJS(doc);
}

function docToJS(doc: import('yaml').Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    if (e instanceof ReferenceError || e instanceof RangeError) throw new BuiltinError('limit', `yaml: ${e.message}`);
    throw e;
  }
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
  Compact: fn('Compact', 1, ([s], c) => mkStr(marshalJSON(parseJSON(strOrBytes(c, s!).v)))),
  Indent: fn('Indent', 3, ([s, p, i], c) => mkStr(marshalJSON(parseJSON(strOrBytes(c, s!).v), str(c, i!), str(c, p!)))),
};

export const YAML_PKG: Package = {
  Marshal: fn('Marshal', 1, ([v], c) => mkStr(marshalYAML(exportKeep(c, v!)))),
  MarshalStream: fn('MarshalStream', 1, ([v], c) => mkStr(list(c, v!).map((e) => marshalYAML(exportKeep(c, e))).join('---\n'))),
  Unmarshal: fn('Unmarshal', 1, ([s], c) => c.fromJSON(fromYAML(strOrBytes(c, s!).v) ?? null)),
  UnmarshalStream: fn('UnmarshalStream', 1, ([s], c) => {
    const text = strOrBytes(c, s!).v;
    checkNesting(text);
    const docs = yaml().parseAllDocuments(text, { intAsBigInt: true, customTags: exactNumbers });
    if (!Array.isArray(docs)) throw new BuiltinError('eval', 'yaml: invalid stream');
    const bad = docs.find((d) => d.errors.length);
    if (bad) throw new BuiltinError('eval', `yaml: ${bad.errors[0]!.message.split('\n')[0]}`);
    return c.fromJSON(docs.map(docToJS));
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
  EncodedLen: fn('EncodedLen', 2, ([, n], c) => mkInt(Math.ceil(int(c, n!) / 3) * 4)),
  DecodedLen: fn('DecodedLen', 2, ([, n], c) => mkInt(Math.floor(int(c, n!) / 4) * 3)),
};
