/**
 * The evaluator: unifies the conjuncts of each vertex (CUE spec
 * "Unification", "Structs", "Lists", "Disjunction", "Default values",
 * "Comprehensions", "References"). Evaluation is lazy and per vertex:
 * a vertex is evaluated when it is looked up or exported, so a field may
 * refer to one defined later and the order of conjuncts does not matter.
 *
 * References in unification position splice the conjuncts of the vertex
 * they refer to, each with its own environment, while struct literals are
 * re-bound to the vertex they are evaluated at: that is what makes
 * `#D: {x: int, y: x}; a: #D & {x: 2}` give `a.y: 2`.
 */
import type * as ast from './ast.js';
import { isSourceMember, lookupBuiltin, lookupPackage, type Builtin, type CallContext } from './builtins/index.js';
import { parseExpr } from './parser.js';
import { SourceFile } from '../source/position.js';
import { binaryScalar, conflict, unaryScalar, unifyScalar, mkBound } from './ops.js';
import {
  K,
  K_ALL,
  K_NUMBER,
  NULL,
  TOP,
  bottom,
  formatScalar,
  isConcrete,
  mkBool,
  mkBytes,
  mkFloat,
  mkInt,
  mkKind,
  mkStr,
  spanOf,
  type Bottom,
  type Concrete,
  type Scalar,
  BuiltinError,
} from './value.js';
export { BuiltinError };
import {
  Status,
  Vertex,
  deref,
  identKey,
  isRegularKey,
  labelOfKey,
  type Binding,
  type CloseInfo,
  type Conjunct,
  type DisjAlt,
  type DisjGroup,
  type Env,
  type ListPart,
  type Pattern,
  type ScopeEntry,
} from './vertex.js';

export type Val = Scalar | Vertex;

export function isVertex(v: Val | Builtin | PackageRef): v is Vertex {
  return v instanceof Vertex;
}

interface PackageRef {
  readonly k: 'package';
  readonly path: string;
}

export class LimitError extends Error {}

const PREDECLARED_KINDS: Record<string, number> = {
  int: K.int,
  float: K.float,
  number: K_NUMBER,
  string: K.string,
  bytes: K.bytes,
  bool: K.bool,
  null: K.null,
};

// ---------------------------------------------------------------- scopes

const scopeCache = new WeakMap<object, Map<string, ScopeEntry>>();

function declaredName(label: ast.Label): string | undefined {
  if (label.kind === 'Ident') return label.name;
  if (label.kind === 'StringLabel' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(label.value) && !label.value.startsWith('#')) return label.value;
  return undefined;
}

export function labelKey(label: ast.Label): string | undefined {
  if (label.kind === 'Ident') return identKey(label.name);
  if (label.kind === 'StringLabel') return label.value;
  return undefined;
}

const scopeErrors = new WeakMap<object, ast.Node>();

function addScopeDecls(m: Map<string, ScopeEntry>, decls: readonly ast.Decl[], owner?: object): void {
  for (const d of decls) {
    if (d.kind === 'Field') {
      const key = labelKey(d.label);
      const name = declaredName(d.label);
      if (name !== undefined && key !== undefined) {
        const prev = m.get(name);
        if (prev?.kind === 'let' && owner) scopeErrors.set(owner, d);
        if (!prev) m.set(name, { kind: 'field', key });
      }
      if (d.alias !== undefined && key !== undefined) m.set(d.alias, { kind: 'alias', key });
    } else if (d.kind === 'LetDecl') {
      if (m.has(d.name) && owner) scopeErrors.set(owner, d);
      m.set(d.name, { kind: 'let', decl: d });
    }
  }
}

export function scopeOf(node: ast.StructLit): Map<string, ScopeEntry> {
  let m = scopeCache.get(node);
  if (!m) {
    m = new Map();
    addScopeDecls(m, node.decls, node);
    scopeCache.set(node, m);
  }
  return m;
}

export function fileScope(files: readonly ast.File[]): Map<string, ScopeEntry> {
  const m = new Map<string, ScopeEntry>();
  for (const f of files) addScopeDecls(m, f.decls);
  return m;
}

// ---------------------------------------------------------------- evaluator

export interface EvalOptions {
  /** Maximum number of evaluation steps before giving up. */
  maxSteps?: number;
  /** Maximum nesting of evaluation (guards the JavaScript stack). */
  maxDepth?: number;
}

export class Evaluator implements CallContext {
  steps = 0;
  depth = 0;
  readonly maxSteps: number;
  readonly maxDepth: number;

  constructor(opts: EvalOptions = {}) {
    this.maxSteps = opts.maxSteps ?? 1_000_000;
    this.maxDepth = opts.maxDepth ?? 1200;
  }

  private step(): void {
    if (++this.steps > this.maxSteps) throw new LimitError(`evaluation exceeded the step limit (${this.maxSteps} steps): is there an unbounded recursion?`);
  }

  // -------------------------------------------------------------- vertex evaluation

  /** Evaluates a vertex shallowly: its kind, scalar value and arcs (not the arcs' values). */
  evalVertex(v: Vertex): void {
    if (v.status !== Status.Unevaluated) return;
    if (++this.depth > this.maxDepth) {
      this.depth--;
      throw new LimitError(`evaluation nested too deeply (more than ${this.maxDepth} levels)`);
    }
    v.status = Status.Evaluating;
    try {
      do {
        v.lateConjuncts = false;
        this.unifyConjuncts(v);
      } while (v.lateConjuncts && this.resetForLate(v));
    } finally {
      v.status = Status.Done;
      this.depth--;
    }
  }

  private resetForLate(v: Vertex): boolean {
    v.status = Status.Done;
    v.reset();
    v.status = Status.Evaluating;
    return true;
  }

  private unifyConjuncts(v: Vertex): void {
    this.step();
    const pending = new Pending();
    // Literals first so that all static arcs exist before references and comprehensions look.
    let queue: readonly Conjunct[] = v.conjuncts;
    for (let j = 1; j < queue.length; j++) {
      if (rank(queue[j]!) < rank(queue[j - 1]!)) {
        queue = [...v.conjuncts].sort((a, b) => rank(a) - rank(b));
        break;
      }
    }
    const run = (c: Conjunct) => this.addConjunct(v, c, pending);
    let i = 0;
    const drain = () => {
      while (i < queue.length) run(queue[i++]!);
    };
    drain();
    for (let p = pending.next(); p; p = pending.next()) {
      p();
      drain();
    }
    if (v.structHint && !v.isStruct && !v.isList && v.scalar.k === 'top' && !v.err) v.isStruct = true;
    this.finishList(v);
    if (v.disjGroups && v.disjGroups.length) this.resolveDisjunctions(v);
    const d = deref(v);
    this.checkKinds(d);
    this.checkClosed(d);
  }

  /** Processes a conjunct in place, so that spliced fields keep the position of the reference. */
  private enqueue(v: Vertex, c: Conjunct, pending: Pending): void {
    this.addConjunct(v, c, pending);
  }

  private addConjunct(v: Vertex, c: Conjunct, pending: Pending): void {
    this.step();
    switch (c.k) {
      case 'scalar':
        this.mergeScalar(v, c.val);
        return;
      case 'vertex':
        this.mergeVertexValue(v, c.v, c.close, pending);
        return;
      case 'expr':
        this.addExpr(v, c.expr, c.env, c.close, pending, c.field);
        return;
    }
  }

  private mergeScalar(v: Vertex, s: Scalar): void {
    if (s.k === 'top') return;
    if (s.k === 'bottom') {
      if (!v.err || (v.err.err.code === 'incomplete' && s.err.code !== 'incomplete')) v.err = s;
      return;
    }
    if (isConcrete(s) && (v.isStruct || v.isList)) {
      v.err ??= conflict({ k: 'constraint', kinds: v.isList ? K.list : K.struct, bounds: [] }, s);
      return;
    }
    if (s.k === 'constraint' && !(s.kinds & (K.list | K.struct)) && (v.isStruct || v.isList)) {
      v.err ??= conflict({ k: 'constraint', kinds: v.isList ? K.list : K.struct, bounds: [] }, s);
      return;
    }
    const r = unifyScalar(v.scalar, s);
    if (r.k === 'bottom') {
      if (!v.err || v.err.err.code === 'incomplete') v.err = r;
    } else v.scalar = r;
  }

  private markStruct(v: Vertex, src?: ast.Node): void {
    if (v.isList) {
      v.err ??= bottom('conflict', 'conflicting values list and struct (mismatched types list and struct)', spanOf(src), src);
      return;
    }
    if (isConcrete(v.scalar) || (v.scalar.k === 'constraint' && !(v.scalar.kinds & K.struct))) {
      v.err ??= conflict(v.scalar, { k: 'constraint', kinds: K.struct, bounds: [], src });
      return;
    }
    v.isStruct = true;
  }

  private markList(v: Vertex, src?: ast.Node): void {
    if (v.isStruct) {
      v.err ??= bottom('conflict', 'conflicting values struct and list (mismatched types struct and list)', spanOf(src), src);
      return;
    }
    if (isConcrete(v.scalar) || (v.scalar.k === 'constraint' && !(v.scalar.kinds & K.list))) {
      v.err ??= conflict(v.scalar, { k: 'constraint', kinds: K.list, bounds: [], src });
      return;
    }
    v.isList = true;
  }

  /** Merges an already-built value (injected data, builtin results) without rebinding. */
  private mergeVertexValue(v: Vertex, w0: Vertex, close: CloseInfo | undefined, pending: Pending): void {
    this.evalVertex(w0);
    const w = deref(w0);
    if (w.disj) {
      this.addDisjGroup(
        v,
        {
          alts: w.disj.alts.map((a, i) => ({ conj: { k: 'vertex', v: a, close }, def: w.disj!.defaults[i]! })),
          marked: w.disj.defaults.some((d) => d) && !w.disj.defaults.every((d) => d),
        },
        w,
        pending,
      );
      return;
    }
    if (w.err) this.mergeScalar(v, w.err);
    if (w.isStruct) {
      this.markStruct(v);
      for (const [key, a] of w.arcs ?? []) {
        const child = this.arc(v, key, a.arcType, undefined);
        child.decls ??= a.decls;
        child.addConjunct({ k: 'vertex', v: a, close: close && { kind: 'arc', up: close, key } });
      }
      if (w.patterns) for (const p of w.patterns) this.addPattern(v, p);
      if (w.openEllipsis) v.openEllipsis = true;
      if (w.closeInfos) for (const ci of w.closeInfos) (v.closeInfos ??= []).push(ci);
    } else if (w.isList) {
      this.markList(v);
      (v.listParts ??= []).push({
        elems: (w.elems ?? []).map((e) => ({ k: 'vertex', v: e }) as Conjunct),
        open: w.listOpen,
        rest: w.listRest ?? [],
      });
    }
    this.mergeScalar(v, w.scalar);
    if (close) (v.closeInfos ??= []).push(close);
  }

  private addExpr(v: Vertex, e: ast.Expr, env: Env, close: CloseInfo | undefined, pending: Pending, field?: ast.Field): void {
    switch (e.kind) {
      case 'StructLit':
        this.addStructLit(v, e, env, close, pending);
        return;
      case 'ListLit':
        this.addListLit(v, e, env, close);
        return;
      case 'ParenExpr':
        this.addExpr(v, e.x, env, close, pending, field);
        return;
      case 'AliasExpr': {
        const bindings = new Map<string, Binding>([[e.name, v]]);
        this.addExpr(v, e.expr, { vertex: env.vertex, parent: env, bindings }, close, pending, field);
        return;
      }
      case 'BinaryExpr':
        if (e.op === '&') {
          this.addExpr(v, e.x, env, close, pending, field);
          this.addExpr(v, e.y, env, close, pending, field);
          return;
        }
        if (e.op === '|') {
          const alts: DisjAlt[] = [];
          collectDisjuncts(e, env, close, alts);
          if (close?.kind === 'def' && !close.extra) {
            // A definition that is a disjunction closes each alternative to its own fields.
            for (let i = 0; i < alts.length; i++) {
              const c = alts[i]!.conj as Extract<Conjunct, { k: 'expr' }>;
              alts[i] = { def: alts[i]!.def, conj: { ...c, close: { kind: 'def', defs: [this.shapeOf(c.expr, c.env)] } } };
            }
          }
          this.addDisjGroup(v, { alts, marked: alts.some((a) => a.def), src: e }, e, pending);
          return;
        }
        break;
      case 'UnaryExpr':
        if (e.op === '*') {
          // A default marker outside a disjunction: `a: *1` is a one-element disjunction.
          this.addDisjGroup(v, { alts: [{ conj: { k: 'expr', expr: e.x, env, close }, def: true }], marked: true, src: e }, e, pending);
          return;
        }
        break;
      case 'Ident':
      case 'SelectorExpr':
      case 'IndexExpr': {
        const r = this.resolveRef(e, env);
        if (r instanceof Vertex) {
          this.splice(v, r, e, close, pending);
          return;
        }
        if (isBuiltinOrPkg(r)) {
          this.mergeScalar(v, bottom('eval', `cannot use ${describeRef(r)} as a value`, spanOf(e), e));
          return;
        }
        this.mergeScalar(v, withSrc(r, e));
        return;
      }
      case 'CallExpr': {
        const special = this.specialCall(v, e, env, close, pending);
        if (special) return;
        break;
      }
      case 'BasicLit':
        this.mergeScalar(v, this.literal(e));
        return;
    }
    const val = this.evalExpr(e, env);
    if (val instanceof Vertex) this.mergeVertexValue(v, val, close, pending);
    else this.mergeScalar(v, val);
  }

  private shapes = new WeakMap<ast.Expr, WeakMap<Env, Vertex>>();

  /** One alternative of a definition evaluated on its own, to know which fields it allows. */
  private shapeOf(expr: ast.Expr, env: Env): Vertex {
    let m = this.shapes.get(expr);
    if (!m) this.shapes.set(expr, (m = new WeakMap()));
    let v = m.get(env);
    if (!v) {
      v = new Vertex(undefined, '#alt');
      v.addConjunct({ k: 'expr', expr, env });
      m.set(env, v);
      this.evalVertex(v);
    }
    return v;
  }

  /** `close(x)`, `and(list)`, `or(list)` act on conjuncts, not on values. */
  private specialCall(v: Vertex, e: ast.CallExpr, env: Env, close: CloseInfo | undefined, pending: Pending): boolean {
    if (e.fn.kind !== 'Ident') return false;
    const name = e.fn.name;
    if ((name !== 'close' && name !== 'and' && name !== 'or') || this.lookupIdent(name, env, e.fn) !== undefined) return false;
    if (e.args.length !== 1) {
      this.mergeScalar(v, bottom('eval', `${name}: expected 1 argument, got ${e.args.length}`, spanOf(e), e));
      return true;
    }
    const arg = e.args[0]!;
    if (name === 'close') {
      const anon = new Vertex(v.parent, v.label);
      anon.addConjunct({ k: 'expr', expr: arg, env, close });
      this.evalVertex(anon);
      anon.closedByCall = true;
      const a = deref(anon);
      if (!a.isStruct) {
        this.mergeScalar(v, bottom('eval', 'close: argument must be a struct', spanOf(arg), arg));
        return true;
      }
      this.markStruct(v, e);
      for (const c of anon.conjuncts) this.enqueue(v, withClose(c, { kind: 'def', defs: [anon] }), pending);
      return true;
    }
    const list = this.evalExpr(arg, env);
    const lv = list instanceof Vertex ? this.listElems(list) : undefined;
    if (!lv) {
      this.mergeScalar(v, bottom(list instanceof Vertex || list.k !== 'bottom' ? 'eval' : list.err.code, `${name}: argument must be a list`, spanOf(arg), arg));
      return true;
    }
    if (name === 'and') {
      for (const el of lv) this.enqueue(v, { k: 'vertex', v: el, close }, pending);
      return true;
    }
    if (lv.length === 0) {
      this.mergeScalar(v, bottom('conflict', 'empty disjunction: or of an empty list', spanOf(e), e));
      return true;
    }
    this.addDisjGroup(v, { alts: lv.map((el) => ({ conj: { k: 'vertex', v: el, close } as Conjunct, def: false })), marked: false, src: e }, e, pending);
    return true;
  }

  /** Unification with a referenced vertex: take its conjuncts, re-bound here. */
  private splice(v: Vertex, r: Vertex, src: ast.Node, close: CloseInfo | undefined, pending: Pending): void {
    if (r === v) return; // `a: a` adds nothing
    for (let p = v.parent; p; p = p.parent) {
      if (p === r) {
        this.mergeScalar(v, bottom('structural-cycle', 'structural cycle', spanOf(src), src));
        return;
      }
    }
    v.spliced ??= new Set();
    if (v.spliced.has(r)) return;
    v.spliced.add(r);
    if (r.status === Status.Unevaluated && r.parent) this.ensureParent(r);
    const isDef = r.isDef || r.closedByCall;
    let ci: CloseInfo | undefined = close;
    if (isDef) {
      this.evalVertex(r);
      ci = { kind: 'def', defs: [r] };
    }
    if (r.conjuncts.length === 0) {
      // A vertex built by the evaluator (e.g. a builtin result) has no conjuncts of its own.
      this.enqueue(v, { k: 'vertex', v: r, close: ci }, pending);
      return;
    }
    for (const c of r.conjuncts) this.enqueue(v, withClose(c, ci), pending);
  }

  /** Makes sure a vertex's parent has gathered all conjuncts of its arcs. */
  private ensureParent(r: Vertex): void {
    const p = r.parent;
    if (p && p.status === Status.Unevaluated) this.evalVertex(p);
  }

  private addDisjGroup(v: Vertex, g: DisjGroup, key: object, pending?: Pending): void {
    const occ = (v.choiceOcc ??= new Map());
    const o = occ.get(key) ?? 0;
    occ.set(key, o + 1);
    const chosen = v.choices?.get(key)?.[o];
    if (chosen !== undefined) {
      // A clone of a disjunction: take the chosen alternative in place.
      const alt = g.alts[chosen];
      if (alt) this.addConjunct(v, alt.conj, pending ?? new Pending());
      return;
    }
    g.key = key;
    g.occ = o;
    (v.disjGroups ??= []).push(g);
  }

  // -------------------------------------------------------------- structs

  arc(v: Vertex, key: string, type: 'regular' | 'optional' | 'required', field: ast.Field | undefined): Vertex {
    v.arcs ??= new Map();
    let a = v.arcs.get(key);
    if (!a) {
      a = new Vertex(v, labelOfKey(key));
      a.arcType = type;
      v.arcs.set(key, a);
      if (v.patterns && isRegularKey(key)) for (const p of v.patterns) this.applyPattern(a, key, p);
    } else if (type === 'regular') {
      a.arcType = 'regular';
    } else if (type === 'required' && a.arcType === 'optional') {
      a.arcType = 'required';
    }
    if (field) (a.decls ??= []).push(field);
    return a;
  }

  private addStructLit(v: Vertex, s: ast.StructLit, outer: Env, close: CloseInfo | undefined, pending: Pending): void {
    const env: Env = { vertex: v, scope: scopeOf(s), parent: outer };
    const dup = scopeErrors.get(s);
    if (dup) {
      const name = dup.kind === 'LetDecl' ? dup.name : dup.kind === 'Field' ? declaredName(dup.label) : '';
      this.mergeScalar(v, bottom('eval', `cannot have both alias and field with name "${name}" in same scope`, spanOf(dup), dup));
    }
    if (close && !v.closeInfos?.includes(close)) (v.closeInfos ??= []).push(close);
    let declaresStruct = s.decls.length === 0;
    let group: { defs: Vertex[]; extra: ReadonlySet<string> } | undefined;
    for (const d of s.decls) {
      switch (d.kind) {
        case 'Field': {
          declaresStruct = true;
          const key = labelKey(d.label);
          if (key !== undefined) {
            this.addField(v, key, d, env, close);
          } else if (d.label.kind === 'PatternLabel') {
            this.addPattern(v, { label: d.label, value: d.value, env, close });
          } else {
            pending.early(() => this.addDynamicField(v, d, env, close));
          }
          break;
        }
        case 'Comprehension':
          // Not a struct by itself: `x: { if c {"a"} }` embeds a scalar. Decided after the comprehensions ran.
          v.structHint = true;
          pending.push(() => this.addComprehension(v, d, env, close, pending));
          break;
        case 'Ellipsis':
          declaresStruct = true;
          v.openEllipsis = true;
          break;
        case 'EmbedDecl': {
          group ??= { defs: [], extra: declaredKeys(s) };
          this.addEmbed(v, d.expr, env, close, group, pending);
          break;
        }
        case 'LetDecl':
        case 'Attribute':
          break;
      }
    }
    if (declaresStruct) this.markStruct(v, s);
  }

  private addField(v: Vertex, key: string, d: ast.Field, env: Env, close: CloseInfo | undefined): void {
    const type = d.constraint === '?' ? 'optional' : d.constraint === '!' ? 'required' : 'regular';
    const child = this.arc(v, key, type, d);
    // A field declared by the definition itself (also from its comprehensions) is allowed by it.
    if (close && !child.addedUnder?.includes(close)) (child.addedUnder ??= []).push(close);
    child.addConjunct({ k: 'expr', expr: d.value, env, close: close && { kind: 'arc', up: close, key }, field: d });
  }

  private addDynamicField(v: Vertex, d: ast.Field, env: Env, close: CloseInfo | undefined): void {
    const l = d.label;
    const expr = l.kind === 'ParenLabel' ? l.expr : (l as ast.Interpolation);
    const name = this.concrete(this.evalExpr(expr, env), expr);
    if (name.k !== 'string') {
      const err = name.k === 'bottom' ? name : bottom('eval', `invalid label ${formatScalar(name)}: label must be a string`, spanOf(expr), expr);
      this.mergeScalar(v, err);
      return;
    }
    this.addField(v, name.v, d, env, close);
  }

  private addPattern(v: Vertex, p: Pattern): void {
    (v.patterns ??= []).push(p);
    if (v.arcs) for (const [key, a] of v.arcs) if (isRegularKey(key)) this.applyPattern(a, key, p);
  }

  private applyPattern(a: Vertex, key: string, p: Pattern): void {
    if (!this.patternMatches(p, key)) return;
    let env = p.env;
    if (p.label.alias) env = { vertex: env.vertex, parent: env, bindings: new Map([[p.label.alias, mkStr(key)]]) };
    a.addConjunct({ k: 'expr', expr: p.value, env, close: p.close && { kind: 'arc', up: p.close, key } });
  }

  patternMatches(p: Pattern, key: string): boolean {
    if (!p.matcher) {
      const m = this.evalExpr(p.label.expr, p.env);
      p.matcher = m instanceof Vertex ? (deref(m).err ?? deref(m).scalar) : m;
      if (m instanceof Vertex && deref(m).isStruct) p.matcher = bottom('eval', 'invalid pattern', spanOf(p.label), p.label);
    }
    const m = p.matcher as Scalar;
    if (m.k === 'top') return true;
    if (m.k === 'bottom') return false;
    return unifyScalar(m, mkStr(key)).k !== 'bottom';
  }

  private addEmbed(v: Vertex, e: ast.Expr, env: Env, close: CloseInfo | undefined, group: { defs: Vertex[]; extra: ReadonlySet<string> }, pending: Pending): void {
    // An embedded definition closes the embedding struct to its fields plus the struct's own.
    let target: ast.Expr = e;
    while (target.kind === 'ParenExpr') target = target.x;
    if (target.kind === 'Ident' || target.kind === 'SelectorExpr' || target.kind === 'IndexExpr') {
      const r = this.resolveRef(target, env);
      if (r instanceof Vertex && (r.isDef || r.closedByCall) && r !== v) {
        const wasGrouped = group.defs.length > 0;
        group.defs.push(r);
        const ci: CloseInfo = { kind: 'def', defs: group.defs, extra: group.extra };
        if (!wasGrouped) (v.closeInfos ??= []).push(ci);
        v.spliced ??= new Set();
        if (v.spliced.has(r)) return;
        v.spliced.add(r);
        this.evalVertex(r);
        for (const c of r.conjuncts) this.enqueue(v, withClose(c, ci), pending);
        return;
      }
    }
    this.addExpr(v, e, env, close, pending);
  }

  // -------------------------------------------------------------- comprehensions

  private addComprehension(v: Vertex, c: ast.Comprehension, env: Env, close: CloseInfo | undefined, pending: Pending): void {
    this.runClauses(c.clauses, 0, env, (e) => this.enqueue(v, { k: 'expr', expr: c.body, env: e, close }, pending), (err) => this.mergeScalar(v, err));
  }

  /** Runs comprehension clauses, calling `yieldBody` with the environment of each iteration. */
  private runClauses(clauses: readonly ast.Clause[], i: number, env: Env, yieldBody: (env: Env) => void, fail: (err: Bottom) => void): void {
    // A step per iteration too, so that a runaway comprehension stops at the limit before it fills memory.
    this.step();
    if (i === clauses.length) {
      yieldBody(env);
      return;
    }
    const cl = clauses[i]!;
    switch (cl.kind) {
      case 'IfClause': {
        const cv = this.evalExpr(cl.cond, env);
        const c = this.concrete(cv, cl.cond);
        if (c.k === 'bottom') {
          // A field that fails on its own reports its error where it is; the comprehension just does not run.
          if (c.err.code === 'incomplete' || !this.fieldErrors.has(c)) fail(c);
          return;
        }
        if (c.k !== 'bool') {
          fail(bottom('eval', `cannot use ${formatScalar(c)} (type ${c.k === 'constraint' ? 'non-concrete' : c.k}) as bool in if clause`, spanOf(cl.cond), cl.cond));
          return;
        }
        if (c.v) this.runClauses(clauses, i + 1, env, yieldBody, fail);
        return;
      }
      case 'LetClause': {
        const lv = new Vertex(env.vertex, cl.name);
        lv.addConjunct({ k: 'expr', expr: cl.expr, env });
        this.runClauses(clauses, i + 1, { vertex: env.vertex, parent: env, bindings: new Map([[cl.name, lv]]) }, yieldBody, fail);
        return;
      }
      case 'ForClause': {
        const src0 = this.evalExpr(cl.source, env);
        if (!(src0 instanceof Vertex)) {
          const s = this.concrete(src0, cl.source);
          fail(s.k === 'bottom' ? s : bottom('eval', `cannot range over ${formatScalar(s)} (found ${s.k === 'constraint' ? 'non-concrete value' : s.k}, want list or struct)`, spanOf(cl.source), cl.source));
          return;
        }
        const src = this.defaultOf(src0);
        if (src.err) {
          fail(src.err);
          return;
        }
        if (src.isList) {
          const elems = this.listElems(src) ?? [];
          elems.forEach((el, idx) => {
            const b = new Map<string, Binding>([[cl.value, el]]);
            if (cl.key !== undefined) b.set(cl.key, mkInt(idx));
            this.runClauses(clauses, i + 1, { vertex: env.vertex, parent: env, bindings: b }, yieldBody, fail);
          });
          return;
        }
        if (src.isStruct) {
          for (const [key, a] of [...(src.arcs ?? [])]) {
            if (!isRegularKey(key) || a.arcType === 'optional' || (a.arcType === 'required' && !hasValue(a))) continue;
            const b = new Map<string, Binding>([[cl.value, a]]);
            if (cl.key !== undefined) b.set(cl.key, mkStr(key));
            this.runClauses(clauses, i + 1, { vertex: env.vertex, parent: env, bindings: b }, yieldBody, fail);
          }
          return;
        }
        const s = src.scalar;
        fail(bottom(isConcrete(s) ? 'eval' : 'incomplete', `cannot range over ${formatScalar(s)} (found ${isConcrete(s) ? s.k : 'non-concrete value'}, want list or struct)`, spanOf(cl.source), cl.source));
        return;
      }
    }
  }

  // -------------------------------------------------------------- lists

  private addListLit(v: Vertex, l: ast.ListLit, env: Env, close: CloseInfo | undefined): void {
    this.markList(v, l);
    const part: ListPart = { elems: [], open: false, rest: [], src: l };
    for (const el of l.elts) {
      if (el.kind === 'Ellipsis') {
        (part as { open: boolean }).open = true;
        if (el.type) part.rest.push({ k: 'expr', expr: el.type, env, close });
      } else if (el.kind === 'Comprehension') {
        this.runClauses(
          el.clauses,
          0,
          env,
          (e) => part.elems.push({ k: 'expr', expr: el.body, env: e, close }),
          (err) => this.mergeScalar(v, err),
        );
      } else {
        part.elems.push({ k: 'expr', expr: el, env, close });
      }
    }
    (v.listParts ??= []).push(part);
  }

  private finishList(v: Vertex): void {
    if (!v.isList || !v.listParts) return;
    const parts = v.listParts;
    const closed = parts.filter((p) => !p.open);
    let len: number;
    if (closed.length) {
      len = closed[0]!.elems.length;
      for (const p of closed) {
        if (p.elems.length !== len) {
          this.mergeScalar(v, bottom('conflict', `incompatible list lengths (${len} and ${p.elems.length})`, [...spanOf(closed[0]!.src), ...spanOf(p.src)], p.src));
          return;
        }
      }
      for (const p of parts) {
        if (p.open && p.elems.length > len) {
          this.mergeScalar(v, bottom('conflict', `incompatible list lengths (${len} and at least ${p.elems.length})`, spanOf(p.src), p.src));
          return;
        }
      }
    } else {
      len = Math.max(0, ...parts.map((p) => p.elems.length));
    }
    const elems: Vertex[] = [];
    for (let i = 0; i < len; i++) {
      const el = new Vertex(v, String(i));
      for (const p of parts) {
        const c = p.elems[i];
        if (c) el.conjuncts.push(c);
        else if (p.open) for (const r of p.rest) el.conjuncts.push(r);
      }
      elems.push(el);
    }
    v.elems = elems;
    v.listOpen = closed.length === 0;
    if (v.listOpen) v.listRest = parts.flatMap((p) => p.rest);
  }

  /** The elements of a list value (after defaults), or undefined when it is not a list. */
  listElems(v0: Vertex): Vertex[] | undefined {
    this.evalVertex(v0);
    const v = this.defaultOf(v0);
    if (!v.isList) return undefined;
    return v.elems ?? [];
  }

  // -------------------------------------------------------------- disjunctions

  /**
   * Disjunctions (spec "Disjunction", "Default values"): each alternative of
   * the first open disjunction is evaluated in a clone of the vertex with all
   * its other conjuncts; the clone resolves the remaining disjunctions itself.
   * Alternatives that fail are dropped; the default of the result is the set
   * of surviving alternatives that were defaults in every disjunction.
   */
  private resolveDisjunctions(v: Vertex): void {
    const groups = v.disjGroups!;
    v.disjGroups = undefined;
    if (groups.length === 1 && this.scalarDisjunction(v, groups[0]!)) return;
    const g = groups[0]!;
    const errors: Bottom[] = [];
    const alts: Vertex[] = [];
    const defaults: boolean[] = [];
    const push = (a: Vertex, d: boolean) => {
      const idx = alts.findIndex((x) => this.sameValue(x, a));
      if (idx >= 0) {
        defaults[idx] = defaults[idx]! || d;
        return;
      }
      alts.push(a);
      defaults.push(d);
    };
    for (let ai = 0; ai < g.alts.length; ai++) {
      const choices = new Map(v.choices);
      const arr = [...(choices.get(g.key!) ?? [])];
      arr[g.occ!] = ai;
      choices.set(g.key!, arr);
      const clone = this.evalClone(v, choices);
      const err = this.fatalError(clone);
      if (err) {
        errors.push(err);
        continue;
      }
      let def = g.marked ? g.alts[ai]!.def : true;
      for (let x: Vertex = clone; x.forward; x = x.forward) def &&= x.forwardDefault ?? true;
      const cl = deref(clone);
      if (cl.disj) {
        const anyDef = cl.disj.defaults.some((d) => d);
        cl.disj.alts.forEach((a, i) => push(a, def && (anyDef ? cl.disj!.defaults[i]! : true)));
      } else push(cl, def);
    }
    this.settleDisjunction(v, alts, defaults, errors);
  }

  private settleDisjunction(v: Vertex, alts: Vertex[], defaults: boolean[], errors: Bottom[]): void {
    if (alts.length === 0) {
      const msgs = [...new Set(errors.map((e) => e.err.msg))];
      const spans = errors.flatMap((e) => e.err.spans);
      const code = errors.every((e) => e.err.code === 'incomplete') ? 'incomplete' : 'conflict';
      v.err = bottom(code, msgs.length === 1 ? msgs[0]! : `${msgs.length} errors in empty disjunction: ${msgs.join('; ')}`, spans);
      return;
    }
    if (alts.length === 1) {
      v.forward = alts[0];
      v.forwardDefault = defaults[0];
      return;
    }
    v.disj = { alts, defaults };
  }

  /** Fast path: a disjunction of scalars on a vertex that is not a struct or list. */
  private scalarDisjunction(v: Vertex, g: DisjGroup): boolean {
    if (v.isStruct || v.isList || v.err) return false;
    const vals: Scalar[] = [];
    for (const a of g.alts) {
      let s: Scalar;
      if (a.conj.k === 'scalar') s = a.conj.val;
      else if (a.conj.k === 'expr') {
        const e = a.conj.expr;
        if (e.kind === 'BasicLit') s = this.literal(e);
        else if (e.kind === 'UnaryExpr' && e.op !== '*' && e.x.kind === 'BasicLit') s = unaryScalar(e.op, this.literal(e.x), e);
        else if (e.kind === 'Ident' && PREDECLARED_KINDS[e.name] !== undefined && !this.lookupIdent(e.name, a.conj.env, e)) s = this.evalExpr(e, a.conj.env) as Scalar;
        else return false;
      } else return false;
      vals.push(s);
    }
    const alts: Vertex[] = [];
    const defaults: boolean[] = [];
    const errors: Bottom[] = [];
    vals.forEach((s, i) => {
      const r = unifyScalar(v.scalar, s);
      if (r.k === 'bottom') {
        errors.push(r);
        return;
      }
      const d = g.marked ? g.alts[i]!.def : true;
      const idx = alts.findIndex((x) => sameScalar(x.scalar, r));
      if (idx >= 0) {
        defaults[idx] = defaults[idx]! || d;
        return;
      }
      const alt = new Vertex(v.parent, v.label);
      alt.arcType = v.arcType;
      alt.decls = v.decls;
      alt.scalar = r;
      alt.status = Status.Done;
      alts.push(alt);
      defaults.push(d);
    });
    this.settleDisjunction(v, alts, defaults, errors);
    return true;
  }

  private evalClone(v: Vertex, choices: Map<object, number[]>): Vertex {
    const clone = new Vertex(v.parent, v.label);
    clone.arcType = v.arcType;
    clone.decls = v.decls;
    clone.conjuncts = [...v.conjuncts];
    clone.choices = choices;
    this.evalVertex(clone);
    return clone;
  }

  /** The first fatal (non-incomplete) error in a vertex tree, evaluating it fully. */
  fatalError(v0: Vertex, depth = 0): Bottom | undefined {
    this.evalVertex(v0);
    const v = deref(v0);
    if (v.err && v.err.err.code !== 'incomplete') return v.err;
    if (depth > 64) return undefined;
    if (v.disj) return undefined;
    if (v.arcs) for (const a of v.arcs.values()) {
      if (a.arcType !== 'regular' && !hasValue(a)) continue;
      const e = this.fatalError(a, depth + 1);
      if (e) return e;
    }
    if (v.elems) for (const a of v.elems) {
      const e = this.fatalError(a, depth + 1);
      if (e) return e;
    }
    return undefined;
  }

  /** Structural equality of two evaluated values (for merging equal disjuncts). */
  sameValue(a0: Vertex, b0: Vertex, depth = 0): boolean {
    if (depth > 32) return false;
    this.evalVertex(a0);
    this.evalVertex(b0);
    const a = deref(a0);
    const b = deref(b0);
    if (a === b) return true;
    if (a.err || b.err || a.disj || b.disj) return false;
    if (a.isStruct !== b.isStruct || a.isList !== b.isList) return false;
    if (a.isStruct) {
      const ka = regularArcs(a);
      const kb = regularArcs(b);
      if (ka.length !== kb.length) return false;
      if (a.closeInfos?.length !== b.closeInfos?.length) return false;
      for (const [k, x] of ka) {
        const y = b.arcs!.get(k);
        if (!y || y.arcType !== x.arcType || !this.sameValue(x, y, depth + 1)) return false;
      }
      if (!!a.patterns !== !!b.patterns) return false;
      return sameScalar(a.scalar, b.scalar);
    }
    if (a.isList) {
      const ea = a.elems ?? [];
      const eb = b.elems ?? [];
      if (ea.length !== eb.length || a.listOpen !== b.listOpen) return false;
      return ea.every((x, i) => this.sameValue(x, eb[i]!, depth + 1));
    }
    return sameScalar(a.scalar, b.scalar);
  }

  /** The default of a disjunction (or the vertex itself). */
  defaultOf(v0: Vertex): Vertex {
    this.evalVertex(v0);
    const v = deref(v0);
    if (!v.disj) return v;
    const { alts, defaults } = v.disj;
    const d = alts.filter((_, i) => defaults[i]);
    if (d.length === 1) return this.defaultOf(d[0]!);
    return v;
  }

  // -------------------------------------------------------------- checks

  private checkKinds(v: Vertex): void {
    if (v.err) return;
    if ((v.isStruct || v.isList) && v.scalar.k === 'constraint') {
      for (const b of v.scalar.bounds) {
        if (!b.call) continue;
        const r = b.call.test(v);
        if (r.k === 'bottom') {
          if (r.err.code !== 'incomplete') v.err = r;
        } else if (!(r.k === 'bool' && r.v)) {
          v.err = bottom('conflict', `invalid value ${this.describe(v)} (does not satisfy ${b.call.name})`, spanOf(b.src), b.src);
        }
        if (v.err) return;
      }
    }
    if ((v.isStruct || v.isList) && v.scalar.k === 'constraint') {
      const need = v.isStruct ? K.struct : K.list;
      if (!(v.scalar.kinds & need)) v.err = conflict(v.scalar, { k: 'constraint', kinds: need, bounds: [] });
    }
  }

  private checkClosed(v: Vertex): void {
    if (!v.closeInfos || !v.arcs || !v.isStruct) return;
    for (const ci of v.closeInfos) {
      const allowed = this.allowedBy(ci);
      if (!allowed) continue;
      for (const [key, a] of v.arcs) {
        if (!isRegularKey(key) || a.addedUnder?.includes(ci)) continue;
        if (!allowed(key)) {
          const src = a.decls?.[0]?.label;
          a.err ??= bottom('closed', `field not allowed: ${labelOfKey(key)}`, spanOf(src), src);
          a.status = Status.Done;
        }
      }
    }
  }

  /** A predicate for the labels a close info allows, or undefined when it allows everything. */
  private allowedBy(ci: CloseInfo): ((key: string) => boolean) | undefined {
    const origins = this.resolveClose(ci);
    if (!origins) return undefined;
    const { defs, extra } = origins;
    for (const d of defs) if (d.openEllipsis || !d.isStruct) return undefined;
    return (key) => {
      if (extra?.has(key)) return true;
      for (const d of defs) {
        if (d.arcs?.has(key)) return true;
        if (d.patterns?.some((p) => this.patternMatches(p, key))) return true;
      }
      return false;
    };
  }

  private resolveClose(ci: CloseInfo): { defs: Vertex[]; extra?: ReadonlySet<string> } | undefined {
    if (ci.kind === 'def') {
      return { defs: ci.defs.map((d) => (this.evalVertex(d), deref(d))), extra: ci.extra };
    }
    const up = this.resolveClose(ci.up);
    if (!up) return undefined;
    const defs: Vertex[] = [];
    for (const d of up.defs) {
      const a = d.arcs?.get(ci.key);
      if (a) {
        this.evalVertex(a);
        defs.push(this.defaultOf(a));
      } else {
        return undefined; // came in through a pattern or an open struct: not closed here
      }
    }
    return { defs };
  }

  // -------------------------------------------------------------- references

  lookupIdent(name: string, env: Env, node: ast.Node): Binding | Builtin | PackageRef | undefined {
    for (let e: Env | undefined = env; e; e = e.parent) {
      const b = e.bindings?.get(name);
      if (b !== undefined) return b;
      const s = e.scope?.get(name);
      if (s) {
        if (e.vertex.status === Status.Unevaluated) this.evalVertex(e.vertex);
        if (s.kind === 'let') {
          e.lets ??= new Map();
          let lv = e.lets.get(name);
          if (!lv) {
            lv = new Vertex(e.vertex, name);
            lv.addConjunct({ k: 'expr', expr: s.decl!.expr, env: e });
            e.lets.set(name, lv);
          }
          return lv;
        }
        // The scope's vertex may have collapsed into a disjunct clone.
        const a = deref(e.vertex).arcs?.get(s.key!) ?? e.vertex.arcs?.get(s.key!);
        if (a) return a;
        return this.arc(e.vertex, s.key!, 'regular', undefined);
      }
      if (e.imports) {
        const path = e.imports.get(name);
        if (path !== undefined) return { k: 'package', path };
      }
    }
    void node;
    return undefined;
  }

  /** Resolves a reference expression to a vertex, or to a scalar (a bottom when it fails). */
  resolveRef(e: ast.Expr, env: Env): Val | Builtin | PackageRef {
    this.step();
    switch (e.kind) {
      case 'Ident': {
        const r = this.lookupIdent(e.name, env, e);
        if (r !== undefined) return r;
        if (e.name === '_') return { k: 'top', src: e };
        const kinds = PREDECLARED_KINDS[e.name];
        if (kinds !== undefined) return e.name === 'null' ? { k: 'null', src: e } : mkKind(kinds, e);
        const b = lookupBuiltin(e.name);
        if (b) return b;
        return bottom('eval', `reference "${e.name}" not found`, spanOf(e), e);
      }
      case 'SelectorExpr': {
        const base = this.resolveRef(e.x, env);
        if (isBuiltinOrPkg(base)) {
          if ('k' in base && base.k === 'package') {
            const pkg = lookupPackage(base.path);
            if (!pkg) return bottom('eval', `package "${base.path}" is not available`, spanOf(e.x), e.x);
            const m = Object.prototype.hasOwnProperty.call(pkg, e.sel) ? pkg[e.sel] : undefined;
            if (m === undefined) return bottom('eval', `undefined field ${e.sel} in package "${base.path}"`, spanOf(e), e);
            if (isSourceMember(m)) return this.sourceValue(`${base.path}.${e.sel}`, m.source);
            return m;
          }
          return bottom('eval', `cannot select ${e.sel} from a builtin`, spanOf(e), e);
        }
        return this.select(base, e.sel.startsWith('#') || (e.sel.startsWith('_') && e.sel.length > 1) ? identKey(e.sel) : e.sel, e.sel, e);
      }
      case 'IndexExpr': {
        const base = this.resolveRef(e.x, env);
        if (isBuiltinOrPkg(base)) return bottom('eval', 'cannot index a builtin', spanOf(e), e);
        const idx = this.concrete(this.evalExpr(e.index, env), e.index);
        if (idx.k === 'bottom') return idx;
        if (idx.k === 'string') return this.select(base, idx.v, idx.v, e);
        if (idx.k === 'int') return this.index(base, idx.v, e);
        if (!isConcrete(idx)) return bottom('incomplete', `index ${formatScalar(idx)} is not concrete`, spanOf(e.index), e.index);
        return bottom('eval', `invalid index ${formatScalar(idx)} (type ${idx.k})`, spanOf(e.index), e.index);
      }
      default:
        return this.evalExpr(e, env);
    }
  }

  private select(base: Val, key: string, name: string, e: ast.Node): Val {
    if (!(base instanceof Vertex)) {
      if (base.k === 'bottom') return base;
      const code = isConcrete(base) ? 'eval' : 'incomplete';
      return bottom(code, `invalid selector ${name} for value of type ${base.k === 'constraint' ? formatScalar(base) : base.k}`, spanOf(e), e);
    }
    this.evalVertex(base);
    const b = this.defaultOf(base);
    if (b.err && !b.isStruct) return b.err;
    if (b.disj) return bottom('incomplete', `cannot select ${name} from unresolved disjunction`, spanOf(e), e);
    if (!b.isStruct) {
      const s = b.scalar;
      if (!isConcrete(s) && (s.k === 'top' || (s.k === 'constraint' && s.kinds & K.struct))) return bottom('incomplete', `undefined field: ${name}`, spanOf(e), e);
      return bottom('eval', `invalid selector ${name} for value of type ${b.isList ? 'list' : s.k === 'constraint' ? formatScalar(s) : s.k}`, spanOf(e), e);
    }
    const a = b.arcs?.get(key);
    if (!a || ((a.arcType === 'optional' || a.arcType === 'required') && !hasValue(a))) {
      return bottom('incomplete', `undefined field: ${name}`, spanOf(e), e);
    }
    return a;
  }

  private index(base: Val, i: number, e: ast.Node): Val {
    if (!(base instanceof Vertex)) {
      if (base.k === 'bottom') return base;
      return bottom(isConcrete(base) ? 'eval' : 'incomplete', `cannot index value of type ${base.k === 'constraint' ? formatScalar(base) : base.k}`, spanOf(e), e);
    }
    const elems = this.listElems(base);
    if (!elems) {
      const b = this.defaultOf(base);
      if (b.err) return b.err;
      return bottom(b.isStruct ? 'eval' : 'incomplete', `invalid operation: index ${i} of non-list`, spanOf(e), e);
    }
    if (i < 0 || i >= elems.length) return bottom('eval', `index out of range [${i}] with length ${elems.length}`, spanOf(e), e);
    return elems[i]!;
  }

  // -------------------------------------------------------------- expressions

  literal(e: ast.BasicLit): Scalar {
    switch (e.type) {
      case 'int':
        return mkInt(e.value, e);
      case 'float':
        return mkFloat(e.value, e);
      case 'string':
        return mkStr(e.value, e);
      case 'bytes':
        return mkBytes(e.value, e);
      case 'bool':
        return mkBool(e.value, e);
      case 'null':
        return { k: 'null', src: e };
      case 'bottom':
        return bottom('user', 'explicit error (_|_ literal) in source', spanOf(e), e);
    }
  }

  /** Evaluates an expression in value position. */
  evalExpr(e: ast.Expr, env: Env): Val {
    this.step();
    switch (e.kind) {
      case 'BasicLit':
        return this.literal(e);
      case 'Ident':
      case 'SelectorExpr':
      case 'IndexExpr': {
        const r = this.resolveRef(e, env);
        if (isBuiltinOrPkg(r)) return bottom('eval', `cannot use ${describeRef(r)} as a value`, spanOf(e), e);
        if (r instanceof Vertex) this.evalVertex(r);
        return r;
      }
      case 'ParenExpr':
        return this.evalExpr(e.x, env);
      case 'UnaryExpr': {
        if (e.op === '*') return this.anon(e, env);
        return unaryScalar(e.op, this.concrete(this.evalExpr(e.x, env), e.x), e);
      }
      case 'BinaryExpr':
        return this.evalBinary(e, env);
      case 'Interpolation':
        return this.evalInterpolation(e, env);
      case 'CallExpr':
        return this.evalCall(e, env);
      case 'SliceExpr':
        return this.evalSlice(e, env);
      case 'StructLit':
      case 'ListLit':
      case 'AliasExpr':
        return this.anon(e, env);
      case 'BadExpr':
        return bottom('eval', 'invalid expression', spanOf(e), e);
    }
  }

  /** An anonymous vertex holding one expression (struct and list literals, unifications, disjunctions). */
  anon(e: ast.Expr, env: Env): Vertex {
    const v = new Vertex(env.vertex, '');
    v.addConjunct({ k: 'expr', expr: e, env });
    this.evalVertex(v);
    return v;
  }

  private evalBinary(e: ast.BinaryExpr, env: Env): Val {
    if (e.op === '&' || e.op === '|') return this.anon(e, env);
    // Existence tests: `x == _|_` / `x != _|_` (true when x fails or is undefined).
    if ((e.op === '==' || e.op === '!=') && (isBottomLit(e.y) || isBottomLit(e.x))) {
      const other = isBottomLit(e.y) ? e.x : e.y;
      const val = this.evalExpr(other, env);
      const isBottom = val instanceof Vertex ? this.isBottomVertex(val) : val.k === 'bottom';
      return mkBool(e.op === '==' ? isBottom : !isBottom, e);
    }
    if (e.op === '&&' || e.op === '||') {
      const a = this.concrete(this.evalExpr(e.x, env), e.x);
      if (a.k === 'bottom') return a;
      if (a.k === 'bool' && ((e.op === '&&' && !a.v) || (e.op === '||' && a.v))) return mkBool(a.v, e);
      const b = this.concrete(this.evalExpr(e.y, env), e.y);
      if (b.k === 'bottom') return b;
      if (!isConcrete(a) || !isConcrete(b)) return bottom('incomplete', `operand of ${e.op} is not concrete`, spanOf(e), e);
      return binaryScalar(e.op, a, b, e);
    }
    const x = this.evalExpr(e.x, env);
    const y = this.evalExpr(e.y, env);
    // Lists: concatenation and repetition; structs/lists: equality.
    const xv = x instanceof Vertex ? this.defaultOf(x) : undefined;
    const yv = y instanceof Vertex ? this.defaultOf(y) : undefined;
    if ((xv && (xv.isList || xv.isStruct)) || (yv && (yv.isList || yv.isStruct))) return this.compositeBinary(e, x, y, xv, yv, env);
    const a = this.concrete(x, e.x);
    const b = this.concrete(y, e.y);
    if (a.k === 'bottom') return a;
    if (b.k === 'bottom') return b;
    if (!isConcrete(a) || !isConcrete(b)) {
      const nc = !isConcrete(a) ? a : b;
      return bottom('incomplete', `non-concrete value ${formatScalar(nc)} in operand to ${e.op}`, spanOf(e), e);
    }
    return binaryScalar(e.op, a, b, e);
  }

  private compositeBinary(e: ast.BinaryExpr, x: Val, y: Val, xv: Vertex | undefined, yv: Vertex | undefined, env: Env): Val {
    if (xv?.err) return xv.err;
    if (yv?.err) return yv.err;
    if ((e.op === '==' || e.op === '!=') && xv && yv) {
      const eq = this.sameValue(xv, yv);
      return mkBool(e.op === '==' ? eq : !eq, e);
    }
    if ((e.op === '==' || e.op === '!=') && (xv || yv)) {
      const other = xv ? y : x;
      if (!(other instanceof Vertex) && other.k === 'null') return mkBool(e.op === '!=', e);
    }
    if (e.op === '+' && xv?.isList && yv?.isList) {
      return this.makeList(env.vertex, [...(xv.elems ?? []), ...(yv.elems ?? [])]);
    }
    if (e.op === '*' && (xv?.isList || yv?.isList)) {
      const list = xv?.isList ? xv : yv!;
      const n = this.concrete(xv?.isList ? y : x, e);
      if (n.k !== 'int') return bottom('eval', `invalid operation: list ${e.op} ${formatScalar(n)}`, spanOf(e), e);
      const elems: Vertex[] = [];
      for (let i = 0; i < n.v; i++) elems.push(...(list.elems ?? []));
      return this.makeList(env.vertex, elems);
    }
    return bottom('eval', `invalid operation ${e.op} on ${xv ? (xv.isList ? 'list' : 'struct') : 'scalar'} and ${yv ? (yv.isList ? 'list' : 'struct') : 'scalar'}`, spanOf(e), e);
  }

  private evalInterpolation(e: ast.Interpolation, env: Env): Scalar {
    let out = '';
    for (const p of e.parts) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      const c = this.concrete(this.evalExpr(p, env), p);
      switch (c.k) {
        case 'string':
        case 'bytes':
          out += c.v;
          break;
        case 'int':
          out += String(c.v);
          break;
        case 'float':
          out += formatNumberForString(c.v);
          break;
        case 'bool':
          out += String(c.v);
          break;
        case 'bottom':
          return c;
        case 'null':
          return bottom('eval', 'cannot use null in interpolation', spanOf(p), p);
        default:
          return bottom('incomplete', `invalid interpolation: non-concrete value ${formatScalar(c)}`, spanOf(p), p);
      }
    }
    return e.type === 'bytes' ? mkBytes(out, e) : mkStr(out, e);
  }

  private evalSlice(e: ast.SliceExpr, env: Env): Val {
    const base = this.evalExpr(e.x, env);
    const lo = e.lo ? this.concrete(this.evalExpr(e.lo, env), e.lo) : mkInt(0);
    if (lo.k !== 'int') return lo.k === 'bottom' ? lo : bottom('eval', 'slice index must be an int', spanOf(e), e);
    if (base instanceof Vertex) {
      const elems = this.listElems(base);
      if (!elems) return bottom('eval', 'cannot slice a non-list', spanOf(e), e);
      const hi = e.hi ? this.concrete(this.evalExpr(e.hi, env), e.hi) : mkInt(elems.length);
      if (hi.k !== 'int') return hi.k === 'bottom' ? hi : bottom('eval', 'slice index must be an int', spanOf(e), e);
      if (lo.v < 0 || hi.v > elems.length || lo.v > hi.v) return bottom('eval', `invalid slice index [${lo.v}:${hi.v}] with length ${elems.length}`, spanOf(e), e);
      return this.makeList(env.vertex, elems.slice(lo.v, hi.v));
    }
    const s = this.concrete(base, e.x);
    if (s.k !== 'string' && s.k !== 'bytes') return s.k === 'bottom' ? s : bottom('eval', 'cannot slice this value', spanOf(e), e);
    const hi = e.hi ? this.concrete(this.evalExpr(e.hi, env), e.hi) : mkInt(s.v.length);
    if (hi.k !== 'int') return hi.k === 'bottom' ? hi : bottom('eval', 'slice index must be an int', spanOf(e), e);
    return { k: s.k, v: s.v.slice(lo.v, hi.v), src: e };
  }

  private evalCall(e: ast.CallExpr, env: Env): Val {
    const f = this.resolveRef(e.fn, env);
    if (f instanceof Vertex || !isBuiltinOrPkg(f)) {
      if (!(f instanceof Vertex) && f.k === 'bottom') return f;
      return bottom('eval', 'cannot call non-function', spanOf(e.fn), e.fn);
    }
    if (!('call' in f)) return bottom('eval', `cannot call package "${f.path}"`, spanOf(e.fn), e.fn);
    if (f.name === 'close' || f.name === 'and' || f.name === 'or') return this.anon(e, env);
    const args = e.args.map((a) => this.evalExpr(a, env));
    if (f.validator && f.arity !== undefined && args.length === f.arity - 1) return this.validator(f, args, e);
    if (f.arity !== undefined && args.length !== f.arity && !(f.minArity !== undefined && args.length >= f.minArity)) {
      return bottom('eval', `${f.name}: expected ${f.arity} argument${f.arity === 1 ? '' : 's'}, got ${args.length}`, spanOf(e), e);
    }
    this.callNode = e;
    this.callEnv = env;
    try {
      const r = f.call(args, this);
      if (r instanceof Vertex) return r;
      if (r.k === 'bottom' && r.err.spans.length === 0) return bottom(r.err.code, `${f.name}: ${r.err.msg}`, spanOf(e), e);
      return withSrc(r, e);
    } catch (err) {
      if (err instanceof LimitError) throw err;
      if (err instanceof BuiltinError) return bottom(err.code, `${f.name}: ${err.message}`, spanOf(e), e);
      throw err;
    }
  }

  callNode: ast.Node | undefined;
  callEnv: Env | undefined;
  /** Errors of fields, which are reported at the field itself. */
  private fieldErrors = new WeakSet<Bottom>();

  /** `strings.MinRunes(3)`: a constraint that calls the builtin with the value as first argument. */
  private validator(f: Builtin, args: Val[], e: ast.CallExpr): Scalar {
    const name = `${exprName(e.fn)}(${args.map((a) => (a instanceof Vertex ? this.describe(a) : formatScalar(a))).join(', ')})`;
    const test = (x: unknown): Scalar => {
      try {
        const r = f.call([x as Val, ...args], this);
        return r instanceof Vertex ? this.concrete(r) : r;
      } catch (err) {
        if (err instanceof BuiltinError) return bottom(err.code, `${name}: ${err.message}`, spanOf(e), e);
        throw err;
      }
    };
    return { k: 'constraint', kinds: K_ALL, bounds: [{ op: 'call', v: NULL, src: e, call: { name, test } }], src: e };
  }

  private sourceValues = new Map<string, Vertex>();

  /** A package member written in CUE (e.g. list.Ascending), evaluated once per evaluator. */
  private sourceValue(name: string, source: string): Vertex {
    let v = this.sourceValues.get(name);
    if (!v) {
      const { expr } = parseExpr(new SourceFile(`<${name}>`, source));
      v = new Vertex(undefined, name);
      v.addConjunct({ k: 'expr', expr, env: { vertex: v } });
      this.evalVertex(v);
      this.sourceValues.set(name, v);
    }
    return v;
  }

  fill(v0: Vertex, fields: Record<string, Val>): Vertex {
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
      a.conjuncts.push(val instanceof Vertex ? { k: 'vertex', v: val } : { k: 'scalar', val });
      f.arcs.set(k, a);
    }
    t.addConjunct({ k: 'vertex', v: f });
    this.evalVertex(t);
    return this.defaultOf(t);
  }

  // -------------------------------------------------------------- CallContext for builtins

  /** A scalar for a value in value position: defaults resolved; structs/lists give a bottom. */
  concrete(v: Val, src?: ast.Node): Scalar {
    if (!(v instanceof Vertex)) return v;
    this.evalVertex(v);
    const d = this.defaultOf(v);
    if (d.err) {
      if (d.label !== '' && d.parent) this.fieldErrors.add(d.err);
      return d.err;
    }
    if (d.disj) return bottom('incomplete', `unresolved disjunction ${d.disj.alts.map((a) => this.describe(a)).join(' | ')}`, spanOf(src), src);
    if (d.isStruct || d.isList) return bottom('eval', `invalid operand: ${d.isList ? 'list' : 'struct'} used as a scalar`, spanOf(src), src);
    return d.scalar;
  }

  describe(v0: Vertex): string {
    const v = deref(v0);
    if (v.isStruct) return '{...}';
    if (v.isList) return '[...]';
    return formatScalar(v.err ?? v.scalar);
  }

  isBottomVertex(v0: Vertex): boolean {
    this.evalVertex(v0);
    const v = this.defaultOf(v0);
    if (v.err) return true;
    if (v.disj) return false;
    return false;
  }

  toJSON(v: Val): unknown {
    return this.exportValue(v, []);
  }

  /** Converts a value to concrete JSON (int/float distinction lost), throwing BuiltinError when not concrete. */
  unify(schema: Vertex, value: Val): Vertex {
    const t = new Vertex(undefined, '');
    if (schema.conjuncts.length) for (const c of schema.conjuncts) t.addConjunct(c);
    else t.addConjunct({ k: 'vertex', v: schema });
    t.addConjunct(value instanceof Vertex ? { k: 'vertex', v: value } : { k: 'scalar', val: value });
    this.evalVertex(t);
    return t;
  }

  exportValue(v: Val, path: string[], depth = 0, keepFloats = false, allowIncomplete = false): unknown {
    if (depth > 200) throw new BuiltinError('eval', 'value nested too deeply');
    if (allowIncomplete) {
      const e = v instanceof Vertex ? this.fatalError(v) : v.k === 'bottom' && v.err.code !== 'incomplete' ? v : undefined;
      if (e) throw new BuiltinError(e.err.code, e.err.msg);
      return null;
    }
    if (!(v instanceof Vertex)) return keepFloats && v.k === 'float' ? new FloatValue(v.v) : scalarToJSON(v);
    const d = this.defaultOf(v);
    if (d.err) throw new BuiltinError(d.err.err.code, d.err.err.msg);
    if (d.disj) throw new BuiltinError('incomplete', `incomplete value ${d.disj.alts.map((a) => this.describe(a)).join(' | ')}`);
    if (d.isStruct) {
      const out: Record<string, unknown> = {};
      for (const [key, a] of d.arcs ?? []) {
        if (!isRegularKey(key) || a.arcType === 'optional') continue;
        if (a.arcType === 'required' && !hasValue(a)) throw new BuiltinError('incomplete', `field ${key} is required but not present`);
        out[key] = this.exportValue(a, [...path, key], depth + 1, keepFloats);
      }
      return out;
    }
    if (d.isList) return (d.elems ?? []).map((el, i) => this.exportValue(el, [...path, String(i)], depth + 1, keepFloats));
    return keepFloats && d.scalar.k === 'float' ? new FloatValue(d.scalar.v) : scalarToJSON(d.scalar);
  }

  fromJSON(x: unknown, parent?: Vertex): Val {
    return fromJSON(x, parent);
  }

  makeList(parent: Vertex | undefined, elems: readonly Val[]): Vertex {
    const v = new Vertex(parent, '');
    v.isList = true;
    v.status = Status.Done;
    v.elems = elems.map((el, i) => {
      const c = new Vertex(v, String(i));
      c.conjuncts.push(el instanceof Vertex ? { k: 'vertex', v: el } : { k: 'scalar', val: el });
      return c;
    });
    return v;
  }

  structFields(v0: Val): [string, Vertex][] | undefined {
    if (!(v0 instanceof Vertex)) return undefined;
    const v = this.defaultOf(v0);
    if (!v.isStruct) return undefined;
    return [...(v.arcs ?? [])].filter(([k, a]) => isRegularKey(k) && a.arcType !== 'optional');
  }
}

// ---------------------------------------------------------------- helpers

/** Deferred work of one vertex: embeddings and dynamic fields before comprehensions. */
class Pending {
  private readonly first: Array<() => void> = [];
  private readonly last: Array<() => void> = [];
  early(f: () => void): void {
    this.first.push(f);
  }
  push(f: () => void): void {
    this.last.push(f);
  }
  next(): (() => void) | undefined {
    return this.first.shift() ?? this.last.shift();
  }
}


const declaredKeysCache = new WeakMap<ast.StructLit, Set<string>>();

/** The static field keys a struct literal declares (an embedded definition allows them too). */
function declaredKeys(s: ast.StructLit): Set<string> {
  let keys = declaredKeysCache.get(s);
  if (!keys) {
    keys = new Set();
    for (const x of s.decls) {
      if (x.kind !== 'Field') continue;
      const k = labelKey(x.label);
      if (k !== undefined) keys.add(k);
    }
    declaredKeysCache.set(s, keys);
  }
  return keys;
}

function exprName(e: ast.Expr): string {
  if (e.kind === 'Ident') return e.name;
  if (e.kind === 'SelectorExpr') return `${exprName(e.x)}.${e.sel}`;
  return 'validator';
}

function rank(c: Conjunct): number {
  if (c.k !== 'expr') return 0;
  const k = c.expr.kind;
  return k === 'StructLit' || k === 'ListLit' || k === 'BasicLit' ? 0 : 1;
}

function withClose(c: Conjunct, close: CloseInfo | undefined): Conjunct {
  if (!close || c.k === 'scalar') return c;
  return { ...c, close };
}

function withSrc(s: Scalar, e: ast.Node): Scalar {
  return s.src ? s : ({ ...s, src: e } as Scalar);
}

function isBottomLit(e: ast.Expr): boolean {
  return e.kind === 'BasicLit' && e.type === 'bottom';
}

function isBuiltinOrPkg(r: unknown): r is Builtin | PackageRef {
  return !(r instanceof Vertex) && typeof r === 'object' && r !== null && ('call' in r || (r as { k?: string }).k === 'package');
}

function describeRef(r: Builtin | PackageRef): string {
  return 'call' in r ? `builtin ${r.name}` : `package "${r.path}"`;
}

function collectDisjuncts(e: ast.Expr, env: Env, close: CloseInfo | undefined, out: DisjAlt[], def = false): void {
  if (e.kind === 'BinaryExpr' && e.op === '|') {
    collectDisjuncts(e.x, env, close, out, def);
    collectDisjuncts(e.y, env, close, out, def);
    return;
  }
  if (e.kind === 'ParenExpr' && e.x.kind === 'BinaryExpr' && e.x.op === '|') {
    // A nested disjunction contributes its alternatives and its own defaults.
    collectDisjuncts(e.x, env, close, out, def);
    return;
  }
  if (e.kind === 'UnaryExpr' && e.op === '*') {
    collectDisjuncts(e.x, env, close, out, true);
    return;
  }
  out.push({ conj: { k: 'expr', expr: e, env, close }, def });
}

/** Whether a field is set (not only constrained by `?` or `!`). */
function hasValue(a: Vertex): boolean {
  return a.arcType === 'regular';
}

function regularArcs(v: Vertex): [string, Vertex][] {
  return [...(v.arcs ?? [])].filter(([k, a]) => isRegularKey(k) && a.arcType !== 'optional');
}

function sameScalar(a: Scalar, b: Scalar): boolean {
  if (a.k !== b.k) return false;
  if (a.k === 'top') return true;
  if (a.k === 'constraint' && b.k === 'constraint') return a.kinds === b.kinds && formatScalar(a) === formatScalar(b);
  if (isConcrete(a) && isConcrete(b)) return (a as { v: unknown }).v === (b as { v: unknown }).v;
  return false;
}

export function scalarToJSON(s: Scalar): unknown {
  switch (s.k) {
    case 'null':
      return null;
    case 'bool':
    case 'int':
    case 'float':
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

function formatNumberForString(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/** Builds a vertex tree from plain JSON (numbers that are integers become ints); children are made lazily. */
export function fromJSON(x: unknown, parent?: Vertex, label = ''): Val {
  if (x === null) return NULL;
  if (typeof x === 'boolean') return mkBool(x);
  if (typeof x === 'number') return Number.isInteger(x) ? mkInt(x) : mkFloat(x);
  if (typeof x === 'string') return mkStr(x);
  if (x instanceof FloatValue) return mkFloat(x.value);
  if (typeof x !== 'object') return bottom('eval', `cannot convert ${typeof x} to a CUE value`);
  const v = new Vertex(parent, label);
  v.status = Status.Done;
  if (Array.isArray(x)) v.isList = true;
  else v.isStruct = true;
  v.json = x;
  return v;
}

Vertex.materializer = (v, x) => {
  if (Array.isArray(x)) {
    v.elems = x.map((el, i) => jsonChild(v, String(i), el));
    return;
  }
  const arcs = new Map<string, Vertex>();
  for (const [k, val] of Object.entries(x as Record<string, unknown>)) {
    if (val === undefined) continue;
    arcs.set(k, jsonChild(v, k, val));
  }
  v.arcs = arcs;
};

function jsonChild(parent: Vertex, label: string, x: unknown): Vertex {
  const r = fromJSON(x, parent, label);
  if (r instanceof Vertex) return r;
  const c = new Vertex(parent, label);
  // Provenance of injected scalars: the path in the injected data (e.g. parameter.ports.0.port).
  c.scalar = r.k === 'bottom' ? r : ({ ...r, from: dataPath(c) } as Scalar);
  if (r.k === 'bottom') c.err = r;
  c.status = Status.Done;
  return c;
}

/** The path of a vertex inside injected data: labels up to the first vertex that is not data. */
function dataPath(v: Vertex): string[] {
  const out: string[] = [];
  for (let x: Vertex | undefined = v; x && x.label !== ''; x = x.parent) out.push(x.label);
  return out.reverse();
}

/** Marks a JSON number as a float for fromJSON (e.g. 1.0). */
export class FloatValue {
  constructor(readonly value: number) {}
}

export { TOP, K_ALL };
