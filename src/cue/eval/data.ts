/**
 * Plain data in and out of the evaluator: JSON-like values injected into an
 * instance (a template's `parameter` and `context`) or returned by builtins
 * become vertices whose children are made on first access; and a value is
 * turned back into plain data for builtins that need it (json.Marshal).
 */
import { decimalFromNumber, decimalToNumber, formatDecimal, parseDecimal, smallInt } from '../adt/number.js';
import { BuiltinError, FloatValue, NULL, isIncomplete, bottom, formatScalar, mkBool, mkFloat, mkInt, mkStr, type Scalar } from '../adt/scalar.js';
import { Status, Vertex, isRegularKey } from '../adt/vertex.js';
import type { Evaluator, Val } from './evaluator.js';


/** Builds a vertex tree from plain JSON (numbers that are integers become ints); children are made lazily. */
export function fromJSON(x: unknown, parent?: Vertex, label = ''): Val {
  if (x === null) return NULL;
  if (typeof x === 'boolean') return mkBool(x);
  if (typeof x === 'number') {
    if (Number.isInteger(x)) return mkInt(BigInt(x));
    const d = decimalFromNumber(x);
    return d ? mkFloat(d) : bottom('eval', `cannot convert ${x} to a CUE number`);
  }
  if (typeof x === 'bigint') return mkInt(x);
  if (typeof x === 'string') return mkStr(x);
  if (x instanceof FloatValue) {
    const d = parseDecimal(x.text) ?? decimalFromNumber(x.value);
    return d ? mkFloat(d) : bottom('eval', `cannot convert ${x.text} to a CUE number`);
  }
  if (typeof x !== 'object') return bottom('eval', `cannot convert ${typeof x} to a CUE value`);
  const v = new Vertex(parent, label);
  v.status = Status.Done;
  if (Array.isArray(x)) v.isList = true;
  else v.isStruct = true;
  v.json = x;
  return v;
}

Vertex.materializer = (v, x, made) => {
  if (Array.isArray(x)) {
    v.elems = x.map((elem, i) => jsonChild(v, String(i), elem));
    return;
  }
  // In the data's order; the children already asked for by name are kept (a reference may hold them).
  const arcs = new Map<string, Vertex>();
  const data = x as Record<string, unknown>;
  const keys = Object.keys(data);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const val = data[k];
    if (val !== undefined) arcs.set(k, made?.get(k) ?? jsonChild(v, k, val));
  }
  v.arcs = arcs;
};

Vertex.dataChild = (v, x, key) => {
  if (Array.isArray(x) || !Object.hasOwn(x as object, key)) return undefined;
  const val = (x as Record<string, unknown>)[key];
  return val === undefined ? undefined : jsonChild(v, key, val);
};

function jsonChild(parent: Vertex, label: string, x: unknown): Vertex {
  if (x !== null && typeof x === 'object' && !(x instanceof FloatValue)) return fromJSON(x, parent, label) as Vertex;
  const c = new Vertex(parent, label);
  // Provenance of injected scalars: the data vertex, whose path is the path in the injected data
  // (e.g. parameter.ports.0.port), computed only when an export asks for it.
  // Strings and integers, most of what is injected, are made with it in one step.
  if (typeof x === 'string') c.scalar = { k: 'string', v: x, src: undefined, from: c };
  else if (typeof x === 'number' && Number.isInteger(x)) c.scalar = { k: 'int', v: BigInt(x), src: undefined, from: c };
  else {
    const r = fromJSON(x, parent, label) as Scalar;
    c.scalar = r.k === 'bottom' ? r : ({ ...r, from: c } as Scalar);
    if (r.k === 'bottom') c.err = r;
  }
  c.status = Status.Done;
  return c;
}

/** Plain data of a concrete scalar: an int that a JavaScript number cannot hold stays a bigint; floats are FloatValues. */
export function scalarToJSON(s: Scalar): unknown {
  switch (s.k) {
    case 'null':
      return null;
    case 'int':
      return smallInt(s.v) ?? s.v;
    case 'float':
      return new FloatValue(decimalToNumber(s.v), formatDecimal(s.v));
    case 'bool':
    case 'string':
      return s.v;
    case 'bytes':
      return Buffer.from(s.v, 'latin1').toString('base64');
    case 'bottom':
      throw new BuiltinError(s.err.code, s.err.msg);
    default:
      throw new BuiltinError('incomplete', `incomplete value ${formatScalar(s)}`);
  }
}

/** Converts a value to concrete JSON, throwing BuiltinError when it is not concrete. */
export function exportValue(evaluator: Evaluator, v: Val, path: string[], depth = 0, keepFloats = false, allowIncomplete = false): unknown {
  if (depth > 200) throw new BuiltinError('eval', 'value nested too deeply');
  if (allowIncomplete) {
    const e = v instanceof Vertex ? evaluator.fatalError(v) : v.k === 'bottom' && !isIncomplete(v.err.code) ? v : undefined;
    if (e) throw new BuiltinError(e.err.code, e.err.msg);
    return null;
  }
  if (!(v instanceof Vertex)) return plainScalar(v, keepFloats);
  const d = evaluator.defaultOf(v);
  if (d.err) throw new BuiltinError(d.err.err.code, d.err.err.msg);
  if (d.disj) throw new BuiltinError('incomplete', `incomplete value ${d.disj.alts.map((a) => evaluator.describe(a)).join(' | ')}`);
  if (d.isStruct) {
    const out: Record<string, unknown> = {};
    for (const [key, a] of d.arcs ?? []) {
      if (!isRegularKey(key) || a.arcType === 'optional') continue;
      if (a.arcType === 'required') throw new BuiltinError('incomplete', `field ${key} is required but not present`);
      out[key] = exportValue(evaluator, a, [...path, key], depth + 1, keepFloats);
    }
    return out;
  }
  if (d.isList) return (d.elems ?? []).map((elem, i) => exportValue(evaluator, elem, [...path, String(i)], depth + 1, keepFloats));
  return plainScalar(d.scalar, keepFloats);
}

function plainScalar(s: Scalar, keepFloats: boolean): unknown {
  const x = scalarToJSON(s);
  return x instanceof FloatValue && !keepFloats ? x.value : x;
}
