/**
 * References (CUE spec "References", "Selectors", "Index expressions"): a
 * compiled reference names its frame by how far up it is, so resolving it
 * is a walk of `up` frames and one arc lookup. The frame's vertex is
 * evaluated first, so that the arc exists with all its conjuncts.
 *
 * Selecting from a value that is not (yet) a struct, or a field that is not
 * (yet) set, is incomplete; selecting from a concrete scalar is an error.
 */
import type * as ast from '../ast.js';
import type * as adt from '../adt/expr.js';
import { K, LazyError, bottom, formatScalar, isConcrete, spanOf, type Bottom } from '../adt/scalar.js';
import { Status, Vertex, deref, type Env } from '../adt/vertex.js';
import { SourceFile, type Span } from '../../source/index.js';
import { parseExpr } from '../parser.js';
import { compileExpr, topScope } from '../compile/compile.js';
import type { Evaluator, Val } from './evaluator.js';

function frameAt(env: Env, up: number): Env {
  let f = env;
  for (let i = 0; i < up; i++) f = f.parent!;
  return f;
}

/** Resolves a reference expression to a vertex, or to a scalar (a bottom when it fails); other expressions are evaluated. */
export function resolveRef(evaluator: Evaluator, e: adt.Expr, env: Env): Val {
  evaluator.step();
  switch (e.k) {
    case 'fieldref': {
      const f = frameAt(env, e.up);
      if (f.vertex.status !== Status.Done) evaluator.evalVertex(f.vertex);
      // The frame's vertex may have collapsed into a disjunct clone.
      const a = deref(f.vertex).arcs?.get(e.key) ?? f.vertex.arcs?.get(e.key);
      return a ?? evaluator.arc(f.vertex, e.key, 'regular', undefined);
    }
    case 'letref': {
      const f = frameAt(env, e.up);
      if (f.vertex.status !== Status.Done) evaluator.evalVertex(f.vertex);
      f.lets ??= new Map();
      let letVertex = f.lets.get(e.decl);
      if (!letVertex) {
        letVertex = new Vertex(f.vertex, e.decl.name);
        letVertex.addConjunct({ k: 'expr', expr: e.decl.expr, env: f });
        f.lets.set(e.decl, letVertex);
      }
      return letVertex;
    }
    case 'bindref':
      return frameAt(env, e.up).binds![e.slot]!;
    case 'select':
      return select(evaluator, resolveRef(evaluator, e.x, env), e.key, e.name, e.node);
    case 'index': {
      const base = resolveRef(evaluator, e.x, env);
      const idx = evaluator.concrete(evaluator.evalExpr(e.index, env), e.index.node);
      const at = e.index.node;
      if (idx.k === 'bottom') return idx;
      if (idx.k === 'string') return select(evaluator, base, idx.v, idx.v, e.node);
      if (idx.k === 'int') return index(evaluator, base, idx.v, e.node);
      if (!isConcrete(idx)) return bottom('incomplete', `index ${formatScalar(idx)} is not concrete`, spanOf(at), at);
      return bottom('eval', `invalid index ${formatScalar(idx)} (type ${idx.k})`, spanOf(at), at);
    }
    case 'source':
      return sourceValue(evaluator, e);
    default:
      return evaluator.evalExpr(e, env);
  }
}

function select(evaluator: Evaluator, base: Val, key: string, name: string, e: ast.Node): Val {
  if (!(base instanceof Vertex)) {
    if (base.k === 'bottom') return base;
    const code = isConcrete(base) ? 'eval' : 'incomplete';
    return bottom(code, `invalid selector ${name} for value of type ${base.k === 'constraint' ? formatScalar(base) : base.k}`, spanOf(e), e);
  }
  evaluator.evalVertex(base);
  const b = evaluator.defaultOf(base);
  if (b.err && !b.isStruct) return b.err;
  if (b.disj) return bottom('incomplete', `cannot select ${name} from unresolved disjunction`, spanOf(e), e);
  if (!b.isStruct) {
    const s = b.scalar;
    if (!isConcrete(s) && (s.k === 'top' || (s.k === 'constraint' && s.kinds & K.struct))) return undefinedField(name, e);
    return bottom('eval', `invalid selector ${name} for value of type ${b.isList ? 'list' : s.k === 'constraint' ? formatScalar(s) : s.k}`, spanOf(e), e);
  }
  const a = b.arcNamed(key);
  if (!a || a.arcType !== 'regular') return undefinedField(name, e);
  return a;
}

/**
 * `undefined field: NAME`, an incomplete error: met far more often than shown (every `x.f != _|_` of an optional
 * field that was not given), so its message and position are made only when read.
 */
class UndefinedField extends LazyError {
  constructor(
    private readonly name: string,
    private readonly at: ast.Node,
  ) {
    super('incomplete');
  }

  protected message(): string {
    return `undefined field: ${this.name}`;
  }

  protected positions(): readonly Span[] {
    return spanOf(this.at);
  }
}

function undefinedField(name: string, e: ast.Node): Bottom {
  return { k: 'bottom', err: new UndefinedField(name, e), src: e };
}

function index(evaluator: Evaluator, base: Val, i: bigint, e: ast.Node): Val {
  if (!(base instanceof Vertex)) {
    if (base.k === 'bottom') return base;
    return bottom(isConcrete(base) ? 'eval' : 'incomplete', `cannot index value of type ${base.k === 'constraint' ? formatScalar(base) : base.k}`, spanOf(e), e);
  }
  const elems = evaluator.listElems(base);
  if (!elems) {
    const b = evaluator.defaultOf(base);
    if (b.err) return b.err;
    return bottom(b.isStruct ? 'eval' : 'incomplete', `invalid operation: index ${i} of non-list`, spanOf(e), e);
  }
  if (i < 0n || i >= BigInt(elems.length)) return bottom('eval', `index out of range [${i}] with length ${elems.length}`, spanOf(e), e);
  return elems[Number(i)]!;
}

/** A package member written in CUE (e.g. list.Ascending), evaluated once per evaluator. */
function sourceValue(evaluator: Evaluator, ref: adt.SourceRef): Vertex {
  let v = evaluator.sourceValues.get(ref.name);
  if (!v) {
    const { expr } = parseExpr(new SourceFile(`<${ref.name}>`, ref.source));
    v = new Vertex(undefined, ref.name);
    v.addConjunct({ k: 'expr', expr: compileExpr(expr, topScope([], [])), env: { vertex: v } });
    evaluator.evalVertex(v);
    evaluator.sourceValues.set(ref.name, v);
  }
  return v;
}
