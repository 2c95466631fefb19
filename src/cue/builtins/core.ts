/** Predeclared functions (CUE spec "Builtin functions"): len, div, mod, quo, rem. `close`, `and`, `or` act on conjuncts and live in the evaluator. */
import { Vertex } from '../adt/vertex.js';
import { BuiltinError, formatScalar, isConcrete, mkInt } from '../adt/scalar.js';
import { bigInt } from './args.js';
import { euclidDiv, euclidMod } from '../adt/number.js';
import type { Builtin } from './types.js';

function intOp(name: string, f: (a: bigint, b: bigint) => bigint): Builtin {
  return {
    name,
    arity: 2,
    call([a, b], ctx) {
      const x = bigInt(ctx, a!);
      const y = bigInt(ctx, b!);
      if (y === 0n) throw new BuiltinError('eval', 'division by zero');
      return mkInt(f(x, y));
    },
  };
}

export const CORE: Record<string, Builtin> = {
  len: {
    name: 'len',
    arity: 1,
    call([a], ctx) {
      if (a instanceof Vertex) {
        const d = ctx.defaultOf(a);
        if (d.isList) return mkInt((d.elems ?? []).length);
        if (d.isStruct) return mkInt(ctx.structFields(d)!.length);
      }
      const s = ctx.concrete(a!);
      if (s.k === 'bottom') throw new BuiltinError(s.err.code, s.err.msg);
      if (s.k === 'string') return mkInt(Buffer.byteLength(s.v, 'utf8'));
      if (s.k === 'bytes') return mkInt(s.v.length);
      if (!isConcrete(s)) throw new BuiltinError('incomplete', `non-concrete argument ${formatScalar(s)}`);
      throw new BuiltinError('eval', `invalid argument ${formatScalar(s)} (type ${s.k}) for len`);
    },
  },
  // div and mod are Euclidean (the remainder is never negative), quo and rem truncate (spec: "Integer operators").
  div: intOp('div', euclidDiv),
  mod: intOp('mod', euclidMod),
  quo: intOp('quo', (a, b) => a / b),
  rem: intOp('rem', (a, b) => a % b),
};
