/** Argument readers for builtins: they throw BuiltinError with CUE-like messages. */
import { Vertex, type Val } from '../adt/vertex.js';
import { BuiltinError, decimalOf, formatScalar, isConcrete, numberOf, type Scalar } from '../adt/scalar.js';
import { smallInt, type Decimal } from '../adt/number.js';
import type { CallContext } from './types.js';

function describe(s: Scalar): string {
  return s.k === 'constraint' ? 'non-concrete value' : s.k;
}

function scalarArg(ctx: CallContext, v: Val, want: string): Scalar {
  const s = ctx.concrete(v);
  if (s.k === 'bottom') throw new BuiltinError(s.err.code, s.err.msg);
  if (!isConcrete(s)) throw new BuiltinError('incomplete', `non-concrete argument ${formatScalar(s)} (want ${want})`);
  return s;
}

export function str(ctx: CallContext, v: Val): string {
  const s = scalarArg(ctx, v, 'string');
  if (s.k !== 'string') throw new BuiltinError('eval', `cannot use ${formatScalar(s)} (type ${describe(s)}) as string`);
  return s.v;
}

export function strOrBytes(ctx: CallContext, v: Val): { v: string; bytes: boolean } {
  const s = scalarArg(ctx, v, 'string or bytes');
  if (s.k !== 'string' && s.k !== 'bytes') throw new BuiltinError('eval', `cannot use ${formatScalar(s)} (type ${describe(s)}) as string or bytes`);
  return { v: s.v, bytes: s.k === 'bytes' };
}

/** An int argument of any size. */
export function bigInt(ctx: CallContext, v: Val): bigint {
  const s = scalarArg(ctx, v, 'int');
  if (s.k !== 'int') throw new BuiltinError('eval', `cannot use ${formatScalar(s)} (type ${describe(s)}) as int`);
  return s.v;
}

/** An int argument used as a count, index or size: it must fit a JavaScript number exactly. */
export function int(ctx: CallContext, v: Val): number {
  const x = bigInt(ctx, v);
  const n = smallInt(x);
  if (n === undefined) throw new BuiltinError('eval', `value ${x} out of range`);
  return n;
}

/** A number argument, exact. */
export function decimal(ctx: CallContext, v: Val): { v: Decimal; float: boolean } {
  const s = scalarArg(ctx, v, 'number');
  if (s.k !== 'int' && s.k !== 'float') throw new BuiltinError('eval', `cannot use ${formatScalar(s)} (type ${describe(s)}) as number`);
  return { v: decimalOf(s), float: s.k === 'float' };
}

/** A number argument as a JavaScript number (for math functions computed in floating point). */
export function num(ctx: CallContext, v: Val): { v: number; float: boolean } {
  const s = scalarArg(ctx, v, 'number');
  if (s.k !== 'int' && s.k !== 'float') throw new BuiltinError('eval', `cannot use ${formatScalar(s)} (type ${describe(s)}) as number`);
  return { v: numberOf(s), float: s.k === 'float' };
}

export function bool(ctx: CallContext, v: Val): boolean {
  const s = scalarArg(ctx, v, 'bool');
  if (s.k !== 'bool') throw new BuiltinError('eval', `cannot use ${formatScalar(s)} (type ${describe(s)}) as bool`);
  return s.v;
}

export function list(ctx: CallContext, v: Val): Vertex[] {
  if (v instanceof Vertex) {
    const elems = ctx.listElems(v);
    if (elems) return elems;
  }
  const s = ctx.concrete(v);
  if (s.k === 'bottom') throw new BuiltinError(s.err.code, s.err.msg);
  if (!isConcrete(s)) throw new BuiltinError('incomplete', `non-concrete argument ${formatScalar(s)} (want list)`);
  throw new BuiltinError('eval', `cannot use ${formatScalar(s)} (type ${describe(s)}) as list`);
}

export function isNull(ctx: CallContext, v: Val): boolean {
  if (v instanceof Vertex) {
    const d = ctx.defaultOf(v);
    if (d.isStruct || d.isList) return false;
  }
  return ctx.concrete(v).k === 'null';
}
