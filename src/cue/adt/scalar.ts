/**
 * Scalar values of the evaluator (CUE spec "Values"): top, bottom, the
 * concrete basic values, and non-concrete constraints (a set of allowed
 * kinds plus bounds, e.g. `int & >=1 & <10`). Structs and lists are
 * vertices (vertex.ts). Errors are values (bottom) until export decides
 * what to report, as in CUE's adt.
 */
import type { Span } from '../../source/index.js';
import type * as ast from '../ast.js';
import { decimalFromInt, decimalFromNumber, decimalToNumber, formatDecimal, type Decimal } from './number.js';

// ---------------------------------------------------------------- kinds

export const K = {
  null: 1,
  bool: 2,
  int: 4,
  float: 8,
  string: 16,
  bytes: 32,
  list: 64,
  struct: 128,
} as const;
export const K_NUMBER = K.int | K.float;
export const K_SCALAR = K.null | K.bool | K_NUMBER | K.string | K.bytes;
export const K_ALL = K_SCALAR | K.list | K.struct;

/**
 * Whether a scalar or scalar constraint rules out a struct (`list`: a list): all do but `_`, `_|_` and a constraint
 * that admits that kind. Unifying it with a struct or list is then a conflict, known without unifying.
 */
export function excludesComposite(s: Scalar, list: boolean): boolean {
  if (s.k === 'top' || s.k === 'bottom') return false;
  return !(s.k === 'constraint' && s.kinds & (list ? K.list : K.struct));
}

export function kindName(kinds: number): string {
  if (kinds === K_ALL) return '_';
  const names: string[] = [];
  if (kinds & K.null) names.push('null');
  if (kinds & K.bool) names.push('bool');
  if ((kinds & K_NUMBER) === K_NUMBER) names.push('number');
  else if (kinds & K.int) names.push('int');
  else if (kinds & K.float) names.push('float');
  if (kinds & K.string) names.push('string');
  if (kinds & K.bytes) names.push('bytes');
  if (kinds & K.list) names.push('list');
  if (kinds & K.struct) names.push('struct');
  return names.length ? names.join('|') : '_|_';
}

// ---------------------------------------------------------------- errors

/**
 * - incomplete: not (yet) concrete or a field not (yet) present; not a
 *   reason to discard a disjunct, and `x == _|_` is true for it;
 * - conflict, eval, closed, cycle, structural-cycle, user: fatal.
 */
export type ErrorCode = 'incomplete' | 'conflict' | 'eval' | 'closed' | 'cycle' | 'structural-cycle' | 'user' | 'limit';

/**
 * Whether an error may still go away when more is known: a value not yet concrete, a field not yet present, or a
 * reference cycle (CUE: "considered to be an incomplete error, as reference errors may be broken by providing a
 * concrete value").
 */
export function isIncomplete(code: ErrorCode): boolean {
  return code === 'incomplete' || code === 'cycle';
}

export interface CueError {
  readonly code: ErrorCode;
  readonly msg: string;
  readonly spans: readonly Span[];
  /** Path of the vertex where the error arose (filled in by export when missing). */
  path?: readonly string[];
}

// ---------------------------------------------------------------- scalars

export type BoundOp = '<' | '<=' | '>' | '>=' | '!=' | '=~' | '!~' | 'call';

export interface Bound {
  readonly op: BoundOp;
  readonly v: Concrete;
  readonly src?: ast.Node;
  /** A validator (a builtin applied to all but its first argument, e.g. `strings.MinRunes(3)`). */
  readonly call?: {
    readonly name: string;
    readonly test: (x: unknown) => Scalar;
    /** The builtin's own name (`MinRunes`) and its arguments after the value, when all are integers. */
    readonly builtin?: string;
    readonly args?: readonly number[];
  };
}

interface Src {
  /** The expression that produced the value, for positions in errors. */
  readonly src?: ast.Node;
  /** For values injected as data (a template's `parameter`): their path in that data, and its first label. */
  readonly from?: { path(): string[]; topLabel(): string };
}

export type Top = Src & { readonly k: 'top' };
export type Bottom = Src & { readonly k: 'bottom'; readonly err: CueError };
export type Null = Src & { readonly k: 'null' };
export type Bool = Src & { readonly k: 'bool'; readonly v: boolean };
/** An integer, exact at any size. */
export type Int = Src & { readonly k: 'int'; readonly v: bigint };
/** A float: a decimal (number.ts). */
export type Float = Src & { readonly k: 'float'; readonly v: Decimal };
export type Str = Src & { readonly k: 'string'; readonly v: string };
/** Bytes as a binary string (one char per byte, 0–255). */
export type Bytes = Src & { readonly k: 'bytes'; readonly v: string };
/** A non-concrete scalar: the allowed kinds and bounds. `kinds` may include list/struct only as `_`. */
export type Constraint = Src & { readonly k: 'constraint'; readonly kinds: number; readonly bounds: readonly Bound[] };

export type Concrete = Null | Bool | Int | Float | Str | Bytes;
export type Scalar = Top | Bottom | Concrete | Constraint;

export const TOP: Top = { k: 'top' };
export const NULL: Null = { k: 'null' };
export const TRUE: Bool = { k: 'bool', v: true };
export const FALSE: Bool = { k: 'bool', v: false };

export const mkInt = (v: number | bigint, src?: ast.Node): Int => ({ k: 'int', v: typeof v === 'bigint' ? v : BigInt(v), src });
export const mkFloat = (v: Decimal, src?: ast.Node): Float => ({ k: 'float', v, src });

/** A float from a JavaScript number (math builtins); an error for NaN and infinities, which CUE has not. */
export function floatFromNumber(x: number, src?: ast.Node): Float {
  const d = decimalFromNumber(x);
  if (!d) throw new BuiltinError('eval', Number.isNaN(x) ? 'result is not a number' : 'result out of range');
  return mkFloat(d, src);
}

/** The value of an int or float as a decimal. */
export function decimalOf(s: Int | Float): Decimal {
  return s.k === 'int' ? decimalFromInt(s.v) : s.v;
}

/** The nearest JavaScript number of an int or float. */
export function numberOf(s: Int | Float): number {
  return s.k === 'int' ? Number(s.v) : decimalToNumber(s.v);
}
export const mkStr = (v: string, src?: ast.Node): Str => ({ k: 'string', v, src });
export const mkBytes = (v: string, src?: ast.Node): Bytes => ({ k: 'bytes', v, src });
export const mkBool = (v: boolean, src?: ast.Node): Bool => (src ? { k: 'bool', v, src } : v ? TRUE : FALSE);
export const mkKind = (kinds: number, src?: ast.Node): Constraint => ({ k: 'constraint', kinds, bounds: [], src });

export function bottom(code: ErrorCode, msg: string, spans: readonly Span[] = [], src?: ast.Node): Bottom {
  return { k: 'bottom', err: { code, msg, spans }, src };
}

/**
 * An error whose message and positions are worked out only when read: most
 * errors met while evaluating just eliminate a disjunct and are never shown.
 * Subclasses keep what the message needs; making one is one allocation.
 */
export abstract class LazyError implements CueError {
  private text: string | undefined;
  private where: readonly Span[] | undefined;
  path?: readonly string[];

  constructor(readonly code: ErrorCode) {}

  protected abstract message(): string;
  protected abstract positions(): readonly Span[];

  get msg(): string {
    return (this.text ??= this.message());
  }

  get spans(): readonly Span[] {
    return (this.where ??= this.positions());
  }
}

export function isConcrete(s: Scalar): s is Concrete {
  return s.k !== 'top' && s.k !== 'bottom' && s.k !== 'constraint';
}

export function kindOf(s: Concrete): number {
  switch (s.k) {
    case 'null':
      return K.null;
    case 'bool':
      return K.bool;
    case 'int':
      return K.int;
    case 'float':
      return K.float;
    case 'string':
      return K.string;
    case 'bytes':
      return K.bytes;
  }
}

export function spanOf(n: ast.Node | undefined): Span[] {
  return n ? [{ file: n.src, start: n.start, end: n.end }] : [];
}

// ---------------------------------------------------------------- formatting

/** CUE syntax for a string literal. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

export function formatFloat(v: Decimal): string {
  return formatDecimal(v);
}

export function formatBytes(v: string): string {
  let out = "'";
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x27) out += "\\'";
    else if (c === 0x5c) out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c >= 0x20 && c < 0x7f) out += v[i];
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out + "'";
}

/** A value as CUE would print it in an error message. */
export function formatScalar(s: Scalar): string {
  switch (s.k) {
    case 'top':
      return '_';
    case 'bottom':
      return '_|_';
    case 'null':
      return 'null';
    case 'bool':
      return String(s.v);
    case 'int':
      return String(s.v);
    case 'float':
      return formatFloat(s.v);
    case 'string':
      return quote(s.v);
    case 'bytes':
      return formatBytes(s.v);
    case 'constraint': {
      const parts: string[] = [];
      if (s.kinds !== K_ALL || s.bounds.length === 0) parts.push(kindName(s.kinds));
      for (const b of s.bounds) parts.push(b.call ? b.call.name : `${b.op}${formatScalar(b.v)}`);
      return parts.join(' & ');
    }
  }
}

/** The type name used in "mismatched types" messages. */
export function typeName(s: Scalar): string {
  switch (s.k) {
    case 'top':
      return '_';
    case 'bottom':
      return '_|_';
    case 'constraint':
      return kindName(s.kinds);
    default:
      return s.k;
  }
}

/** Thrown by builtins; the evaluator turns it into a bottom at the call. */
export class BuiltinError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A float in plain data (e.g. `1.0`, `1.5E+3`): in exported data it keeps the exact text CUE prints; given to
 * the engine (a number read as a float) only its value counts.
 */
export class FloatValue {
  readonly text: string;
  constructor(
    readonly value: number,
    text?: string,
  ) {
    this.text = text ?? (Number.isInteger(value) && Math.abs(value) < 1e21 ? `${value}.0` : String(value));
  }
}

/** Thrown when an evaluation limit is reached; turned into a diagnostic at the edge (export.ts guard). */
export class LimitError extends Error {}
