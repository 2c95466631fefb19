/**
 * The bridge to builtins (CUE spec "Builtin functions", "Validators"): a call
 * evaluates its arguments and hands them to the builtin through the
 * CallContext (the Evaluator), which reads them in value position so that an
 * incomplete argument gives an incomplete result. A builtin called with one
 * argument fewer than it takes, where it is a validator (`strings.MinRunes(3)`),
 * becomes a constraint that calls it with the value as first argument.
 * A BuiltinError becomes a bottom at the call's position.
 */
import type * as ast from '../ast.js';
import type * as adt from '../adt/expr.js';
import type { Builtin } from '../builtins/index.js';
import { K_ALL, NULL, bottom, formatScalar, isConcrete, spanOf, BuiltinError, LimitError, type Scalar } from '../adt/scalar.js';
import { Status, Vertex, deref, isRegularKey, type Env } from '../adt/vertex.js';
import type { Evaluator, Val } from './evaluator.js';
import { withSrc } from './merge.js';

export function evalCall(evaluator: Evaluator, e: adt.Call, env: Env): Val {
  const fnNode = e.fn.node;
  let f: Builtin;
  if (e.fn.k === 'builtin') f = e.fn.builtin;
  else if (e.fn.k === 'importref') return bottom('eval', `cannot call package "${e.fn.path}"`, spanOf(fnNode), fnNode);
  else {
    const r = evaluator.resolveRef(e.fn, env);
    if (!(r instanceof Vertex) && r.k === 'bottom') return r;
    return bottom('eval', 'cannot call non-function', spanOf(fnNode), fnNode);
  }
  if (f.name === 'close' || f.name === 'and' || f.name === 'or') return evaluator.anon(e, env);
  const args: Val[] = new Array(e.args.length);
  for (let i = 0; i < args.length; i++) args[i] = evaluator.evalExpr(e.args[i]!, env);
  if (f.validator && f.arity !== undefined && args.length === f.arity - 1) return validator(evaluator, f, args, e.node);
  if (f.arity !== undefined && args.length !== f.arity && !(f.minArity !== undefined && args.length >= f.minArity)) {
    return bottom('eval', `${f.name}: expected ${f.arity} argument${f.arity === 1 ? '' : 's'}, got ${args.length}`, spanOf(e.node), e.node);
  }
  evaluator.callNode = e.node;
  evaluator.callEnv = env;
  try {
    const r = f.call(args, evaluator);
    if (r instanceof Vertex) return r;
    if (r.k === 'bottom' && r.err.spans.length === 0) return bottom(r.err.code, named(e, f, r.err.msg), spanOf(e.node), e.node);
    return withSrc(r, e.node);
  } catch (err) {
    if (err instanceof LimitError) throw err;
    if (err instanceof BuiltinError) return bottom(err.code, named(e, f, err.message), spanOf(e.node), e.node);
    // JavaScript's own limits (a string or array too long, a bad radix, a stack overflow) are errors at the call.
    if (err instanceof RangeError) return bottom('limit', named(e, f, rangeErrorMessage(err)), spanOf(e.node), e.node);
    throw err;
  }
}

/** An error message of a call, naming the function as written (`strings.Join`), once. */
function named(e: adt.Call, f: Builtin, msg: string): string {
  const written = exprName(e.node.fn);
  const name = written === 'validator' ? f.name : written;
  return msg.startsWith(`${name}:`) ? msg : `${name}: ${msg}`;
}

/** A JavaScript RangeError in the user's words. */
export function rangeErrorMessage(err: RangeError): string {
  if (/call stack/i.test(err.message)) return 'nested too deeply';
  if (/string length/i.test(err.message)) return 'string too long';
  if (/array length/i.test(err.message)) return 'list too long';
  return err.message;
}

function exprName(e: ast.Expr): string {
  if (e.kind === 'Ident') return e.name;
  if (e.kind === 'SelectorExpr') return `${exprName(e.x)}.${e.sel}`;
  return 'validator';
}

/** `strings.MinRunes(3)`: a constraint that calls the builtin with the value as first argument. */
function validator(evaluator: Evaluator, f: Builtin, args: Val[], e: ast.CallExpr): Scalar {
  const name = `${exprName(e.fn)}(${args.map((a) => (a instanceof Vertex ? describe(a) : formatScalar(a))).join(', ')})`;
  const test = (x: unknown): Scalar => {
    try {
      const r = f.call([x as Val, ...args], evaluator);
      return r instanceof Vertex ? concrete(evaluator, r) : r;
    } catch (err) {
      if (err instanceof BuiltinError) return bottom(err.code, `${name}: ${err.message}`, spanOf(e), e);
      if (err instanceof RangeError) return bottom('limit', `${name}: ${rangeErrorMessage(err)}`, spanOf(e), e);
      throw err;
    }
  };
  // The builtin and its plain arguments, for readers that translate known validators (a JSON Schema's maxLength).
  const plain = args.flatMap((a) => (a instanceof Vertex || a.k !== 'int' ? [] : [Number(a.v)]));
  const call = { name, test, builtin: f.name, ...(plain.length === args.length && { args: plain }) };
  return { k: 'constraint', kinds: K_ALL, bounds: [{ op: 'call', v: NULL, src: e, call }], src: e };
}

/** A scalar for a value in value position: defaults resolved; structs/lists give a bottom. */
export function concrete(evaluator: Evaluator, v: Val, src?: ast.Node): Scalar {
  if (!(v instanceof Vertex)) return v;
  evaluator.evalVertex(v);
  if (v.status === Status.Evaluating && !v.err && !isConcrete(v.scalar) && !v.isStruct && !v.isList && !v.disjGroups) {
    // Its value is needed to compute itself (`a: b + 1, b: a - 1`): a reference cycle. The evaluation of v may
    // still find a value from its other conjuncts and evaluate its readers again with it (Evaluator.resolveCycle).
    const provisional = v.rare?.provisional;
    if (provisional) return provisional;
    const at = evaluator.stack.lastIndexOf(v);
    if (at >= 0) (v.more().cycleReaders ??= []).push(...evaluator.stack.slice(at + 1));
    return bottom('cycle', `cycle error: the value of ${v.path().join('.') || 'the root'} depends on itself`, spanOf(src), src);
  }
  const d = evaluator.defaultOf(v);
  if (d.err) {
    if (d.label !== '' && d.parent) evaluator.markFieldError(d.err);
    return d.err;
  }
  if (d.disj) return bottom('incomplete', `unresolved disjunction ${d.disj.alts.map((a) => describe(a)).join(' | ')}`, spanOf(src), src);
  if (d.isStruct || d.isList) return bottom('eval', `invalid operand: ${d.isList ? 'list' : 'struct'} used as a scalar`, spanOf(src), src);
  return d.scalar;
}

export function describe(v0: Vertex): string {
  const v = deref(v0);
  if (v.isStruct) return '{...}';
  if (v.isList) return '[...]';
  return formatScalar(v.err ?? v.scalar);
}

/** Whether a value fails (for `x == _|_`): an error after defaults; an unresolved disjunction does not. */
export function isBottomVertex(evaluator: Evaluator, v0: Vertex): boolean {
  evaluator.evalVertex(v0);
  return evaluator.defaultOf(v0).err !== undefined;
}

/** Unifies the conjuncts of `schema` (re-bound) with a value and returns the evaluated result. */
export function unifyWith(evaluator: Evaluator, schema: Vertex, value: Val): Vertex {
  const t = new Vertex(undefined, '');
  if (schema.conjuncts.length) for (const c of schema.conjuncts) t.addConjunct(c);
  else t.addConjunct({ k: 'vertex', v: schema });
  t.addConjunct(value instanceof Vertex ? { k: 'vertex', v: value } : { k: 'scalar', val: value });
  evaluator.evalVertex(t);
  return t;
}

/** Unifies the conjuncts of `v0` (re-bound) with extra fields (a comparator's x and y) and returns the default. */
export function fill(evaluator: Evaluator, v0: Vertex, fields: Record<string, Val>): Vertex {
  const t = new Vertex(undefined, '');
  const v = deref(v0);
  if (v0.conjuncts.length) for (const c of v0.conjuncts) t.addConjunct(c);
  else t.addConjunct({ k: 'vertex', v });
  const f = new Vertex(undefined, '');
  f.isStruct = true;
  f.status = Status.Done;
  f.arcs = new Map();
  for (const [k, val] of Object.entries(fields)) {
    const a = new Vertex(f, k);
    a.addConjunct(val instanceof Vertex ? { k: 'vertex', v: val } : { k: 'scalar', val });
    f.arcs.set(k, a);
  }
  t.addConjunct({ k: 'vertex', v: f });
  evaluator.evalVertex(t);
  return evaluator.defaultOf(t);
}

/** Regular fields of a struct, or undefined when the value is not a struct. */
export function structFields(evaluator: Evaluator, v0: Val): [string, Vertex][] | undefined {
  if (!(v0 instanceof Vertex)) return undefined;
  const v = evaluator.defaultOf(v0);
  if (!v.isStruct) return undefined;
  return [...(v.arcs ?? [])].filter(([k, a]) => isRegularKey(k) && a.arcType !== 'optional');
}
