/** Predeclared functions (CUE spec "Builtin functions"): len, div, mod, quo, rem. `close`, `and`, `or` act on conjuncts and live in the evaluator. */
import { Vertex } from '../adt/vertex.js';
import { BuiltinError, formatScalar, isConcrete, mkInt } from '../adt/scalar.js';
import { int } from './args.js';
import type { Builtin } from './types.js';

function intOp(name: string, f: (a: number, b: number) => number): Builtin {
  return {
    name,
    arity: 2,
    call([a, b], ctx) {
      const x = int(ctx, a!);
      const y = int(ctx, b!);
      if (y === 0) throw new BuiltinError('eval', 'division by zero');
      return mkInt(f(x, y));
    },
  };
}

/** Euclidean division: the remainder is never negative (spec: div/mod). */
const euclidDiv = (a: number, b: number) => {
  const q = Math.trunc(a / b);
  const r = a - q * b;
  return r < 0 ? (b > 0 ? q - 1 : q + 1) : q;
};

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
  div: intOp('div', euclidDiv),
  mod: intOp('mod', (a, b) => a - b * euclidDiv(a, b)),
  quo: intOp('quo', (a, b) => Math.trunc(a / b)),
  rem: intOp('rem', (a, b) => a - b * Math.trunc(a / b)),
};
