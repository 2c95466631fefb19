/**
 * The value graph (CUE's adt): a vertex is one node of the evaluated value
 * tree (a field, a list element, or an anonymous value). It gathers
 * conjuncts (an expression with its environment) from every place that
 * contributes to it; evaluation unifies them (eval.ts).
 */
import type * as ast from '../ast.js';
import type { Expr, LetDecl, PatternDecl } from './expr.js';
import { TOP, type Bottom, type Scalar } from './scalar.js';

/**
 * A runtime frame: one per scope of the compiled program (expr.ts). A
 * reference goes `up` frames out, then reads an arc of the frame's vertex,
 * one of its `let`s, or one of its bindings.
 */
export interface Env {
  /** The vertex at which the frame's struct literal is being evaluated (for binding frames: the enclosing one's). */
  readonly vertex: Vertex;
  readonly parent?: Env;
  /** Comprehension variables, let clauses, pattern and value aliases, by slot. */
  readonly binds?: readonly Binding[];
  /** `let` declarations of this frame's struct, instantiated on first use. */
  lets?: Map<LetDecl, Vertex>;
}

export type Binding = Vertex | Scalar;

/** A value: a scalar, or a vertex (structs, lists, and anything not yet evaluated). */
export type Val = Scalar | Vertex;

/**
 * Closedness (CUE spec "Closed structs"): a conjunct that came from a
 * definition carries where it came from; the vertex then only allows the
 * labels that the definition allows.
 */
export type CloseInfo =
  | { readonly kind: 'def'; readonly defs: Vertex[]; readonly extra?: ReadonlySet<string> }
  | { readonly kind: 'arc'; readonly up: CloseInfo; readonly key: string };

export type Conjunct =
  | { readonly k: 'expr'; readonly expr: Expr; readonly env: Env; readonly close?: CloseInfo }
  | { readonly k: 'scalar'; readonly val: Scalar }
  /** The (evaluated) value of another vertex, merged without rebinding (injected data, builtin results). */
  | { readonly k: 'vertex'; readonly v: Vertex; readonly close?: CloseInfo };

export type ArcType = 'regular' | 'optional' | 'required';

export interface Pattern {
  readonly decl: PatternDecl;
  readonly env: Env;
  readonly close?: CloseInfo;
  /** The pattern value, evaluated once. */
  matcher?: Scalar | Vertex;
}

export interface DisjAlt {
  readonly conj: Conjunct;
  readonly def: boolean;
}

export interface DisjGroup {
  readonly alts: readonly DisjAlt[];
  /** Whether any alternative was marked with `*`. */
  readonly marked: boolean;
  /** Identity of the disjunction (its syntax node, or the vertex it came from) and its occurrence at the vertex. */
  key: object | undefined;
  occ: number;
}

/** A disjunction group, with every field set from the start: groups of one shape keep the evaluator's code monomorphic. */
export function disjGroup(alts: readonly DisjAlt[], marked: boolean): DisjGroup {
  return { alts, marked, key: undefined, occ: 0 };
}

export interface ListPart {
  readonly elems: Conjunct[];
  readonly open: boolean;
  readonly rest: Conjunct[];
  readonly src: ast.Node | undefined;
}

export const enum Status {
  Unevaluated = 0,
  Evaluating = 1,
  Done = 2,
}

/**
 * `list` with `x` added, made on first use. A one-element literal is a third of the size of an empty array after
 * a push (which reserves room for 17), and most of the evaluator's short lists never get a second element.
 */
export function append<T>(list: T[] | undefined, x: T): T[] {
  if (list === undefined) return [x];
  list.push(x);
  return list;
}

/** The conjuncts of a vertex that has none yet: shared, never added to (addConjunct replaces it). */
const NO_CONJUNCTS: Conjunct[] = [];

export class Vertex {
  conjuncts: Conjunct[] = NO_CONJUNCTS;
  status: Status = Status.Unevaluated;

  /** Struct fields (incl. optional, hidden and definitions) in insertion order. */
  get arcs(): Map<string, Vertex> | undefined {
    if (this.json !== undefined) this.materialize();
    return this._arcs;
  }
  set arcs(m: Map<string, Vertex> | undefined) {
    this._arcs = m;
  }
  private _arcs: Map<string, Vertex> | undefined;
  /**
   * Concrete data not yet turned into child vertices (injected `parameter` and
   * `context`, builtin results): children are made on first access, so a
   * template pays only for the parts of `context.output` it reads. While it is
   * pending, `_arcs` holds the children that were asked for by name.
   */
  json: unknown = undefined;
  /** Makes the children of `json` (reusing those in `made`); set by the evaluator (which knows how to build values). */
  static materializer: ((v: Vertex, json: unknown, made: Map<string, Vertex> | undefined) => void) | undefined;
  /** Makes the child `key` of `json`, or undefined when it has none; set with `materializer`. */
  static dataChild: ((v: Vertex, json: unknown, key: string) => Vertex | undefined) | undefined;
  private materialize(): void {
    const j = this.json;
    this.json = undefined;
    Vertex.materializer!(this, j, this._arcs);
  }
  /** The arc `key` (as `arcs.get(key)`): of data not yet turned into children, only that child is made. */
  arcNamed(key: string): Vertex | undefined {
    let a = this._arcs?.get(key);
    if (a !== undefined || this.json === undefined) return a;
    a = Vertex.dataChild!(this, this.json, key);
    if (a !== undefined) (this._arcs ??= new Map()).set(key, a);
    return a;
  }
  arcType: ArcType = 'regular';
  /** Whether any conjunct was a struct literal (or embedded struct). */
  isStruct = false;
  isList = false;
  /** A struct literal with comprehensions contributed: a struct unless they embedded something else. */
  structHint = false;
  get elems(): Vertex[] | undefined {
    if (this.json !== undefined) this.materialize();
    return this._elems;
  }
  set elems(e: Vertex[] | undefined) {
    this._elems = e;
  }
  private _elems: Vertex[] | undefined;

  scalar: Scalar = TOP;
  /** A fatal or incomplete error of this vertex (not of its children). */
  err: Bottom | undefined;

  patterns: Pattern[] | undefined;
  /** `...` seen in a struct literal of this vertex. */
  openEllipsis = false;
  closeInfos: CloseInfo[] | undefined;

  disjGroups: DisjGroup[] | undefined;
  /** The identities of the disjunctions met at this vertex, one entry per occurrence. */
  choiceOcc: object[] | undefined;
  /** An unresolved disjunction: the surviving alternatives. */
  disj: { alts: Vertex[]; defaults: boolean[] } | undefined;
  /** After a disjunction collapsed to one alternative: the vertex that holds the value. */
  forward: Vertex | undefined;

  /** Field declarations that created this arc (for documentation comments). */
  decls: ast.Field[] | undefined;
  /** Vertices already spliced into this one (guards reference cycles): a short list, a set once it grows. */
  spliced: Vertex[] | Set<Vertex> | undefined;
  /** What few vertices need (lists, comprehensions, disjunction clones, cycles, closedness): made on first use. */
  rare: VertexRare | undefined;

  /** Records that `r` is spliced into this vertex; false when it already was (a second reference adds nothing). */
  markSpliced(r: Vertex): boolean {
    const seen = this.spliced;
    if (seen === undefined) {
      this.spliced = [r];
      return true;
    }
    if (Array.isArray(seen)) {
      if (seen.includes(r)) return false;
      if (seen.length < 16) seen.push(r);
      else this.spliced = new Set(seen).add(r);
      return true;
    }
    if (seen.has(r)) return false;
    seen.add(r);
    return true;
  }

  /** The vertex's rare part, made if it has none yet (for writing). */
  more(): VertexRare {
    return (this.rare ??= new VertexRare());
  }

  constructor(
    readonly parent: Vertex | undefined,
    /** The label as written: `a`, `#D`, `_h`, `0` for list elements. */
    readonly label: string,
  ) {}

  addConjunct(c: Conjunct): void {
    // Most vertices get one conjunct: a one-element array is a third of the size of an empty array after a push
    // (which reserves room for 17). Only an unevaluated vertex's list is replaced: the evaluator reads the list
    // of a vertex it is evaluating while conjuncts arrive.
    if (this.status === Status.Unevaluated) {
      if (this.conjuncts.length === 0) this.conjuncts = [c];
      else this.conjuncts.push(c);
      return;
    }
    // A vertex evaluated with no conjuncts still has the shared empty list: it gets a list of its own
    // (reset makes one being evaluated run again, with the new list).
    if (this.conjuncts === NO_CONJUNCTS) this.conjuncts = [c];
    else this.conjuncts.push(c);
    this.reset();
  }

  /** Forget an evaluation result (a conjunct arrived late). */
  reset(): void {
    if (this.status === Status.Evaluating) {
      this.lateConjuncts = true;
      return;
    }
    this.status = Status.Unevaluated;
    this.arcs = undefined;
    this.isStruct = false;
    this.isList = false;
    this.structHint = false;
    this.elems = undefined;
    this.scalar = TOP;
    this.err = undefined;
    this.patterns = undefined;
    this.openEllipsis = false;
    this.closeInfos = undefined;
    this.disjGroups = undefined;
    this.disj = undefined;
    this.forward = undefined;
    this.spliced = undefined;
    this.choiceOcc = undefined;
    this.rare?.reset();
  }

  /** Set when a conjunct is added while the vertex is being evaluated; the evaluator picks it up. */
  lateConjuncts = false;

  get isDef(): boolean {
    return this.label.startsWith('#') || this.label.startsWith('_#');
  }

  /** The first label of path(): for injected data, the name it was injected as (`parameter`). */
  topLabel(): string {
    let top: Vertex = this;
    while (top.parent?.parent) top = top.parent;
    return top.label;
  }

  path(): string[] {
    // Exactly as long as the path (a pushed-to array would keep room for 17): export keeps one per recorded source.
    let n = 0;
    for (let v: Vertex | undefined = this; v && v.parent; v = v.parent) n++;
    const out = new Array<string>(n);
    for (let v: Vertex | undefined = this; v && v.parent; v = v.parent) out[--n] = v.label;
    return out;
  }
}

/**
 * The parts of a vertex that most vertices never use, kept apart so that the
 * hundreds of vertices of a template evaluation stay small.
 */
export class VertexRare {
  /** Explicitly closed by close() or being a definition. */
  closedByCall = false;
  /** Choices forced on a clone during disjunction evaluation: per disjunction identity, the alternative per occurrence. */
  choices: Map<object, number[]> | undefined = undefined;
  /** Whether the one surviving alternative was a default (matters when an outer disjunction combines it). */
  forwardDefault: boolean | undefined = undefined;
  /** The closedness contexts whose own declarations added this arc. */
  addedUnder: CloseInfo[] | undefined = undefined;
  listParts: ListPart[] | undefined = undefined;
  /** For an open list: the element constraint conjuncts of `...T`. */
  listRest: Conjunct[] | undefined = undefined;
  listOpen = false;
  /**
   * While a comprehension yields into this vertex: the arc index where the comprehension stands among the
   * struct's fields. Arcs its static fields create are moved there once evaluation ends (`placed`), so that
   * the fields come out in source order; fields with dynamic labels stay last, as in current CUE.
   */
  insertAnchor: { readonly path: readonly number[]; next: number } | undefined = undefined;
  placed: { readonly key: string; readonly anchor: readonly number[] }[] | undefined = undefined;
  /** Vertices whose evaluation needed this one's value while it was being computed (a reference cycle). */
  cycleReaders: Vertex[] | undefined = undefined;
  /** While re-evaluating after a reference cycle: the value the first pass found, given to the cycle's readers. */
  provisional: Scalar | undefined = undefined;

  /** Forget what an evaluation found (Vertex.reset); what was forced or declared stays. */
  reset(): void {
    this.listParts = undefined;
    this.listRest = undefined;
    this.listOpen = false;
    this.forwardDefault = undefined;
    this.insertAnchor = undefined;
    this.placed = undefined;
    this.cycleReaders = undefined;
  }
}

/** The vertex that holds the value (follows collapsed disjunctions). */
export function deref(v: Vertex): Vertex {
  while (v.forward) v = v.forward;
  return v;
}

/**
 * Arc keys: regular fields use their name; identifiers that are
 * definitions or hidden (`#x`, `_x`) are kept apart from quoted labels
 * with the same spelling.
 */
export function identKey(name: string): string {
  return name.startsWith('#') || (name.startsWith('_') && name.length > 1) ? '\u0000' + name : name;
}

export function isRegularKey(key: string): boolean {
  return key.charCodeAt(0) !== 0;
}

export function labelOfKey(key: string): string {
  return key.charCodeAt(0) === 0 ? key.slice(1) : key;
}
