/**
 * Compiled expressions (CUE's adt expression nodes): what the compile step
 * (../compile) makes of the syntax tree and what the evaluator (../eval)
 * runs. Every identifier is already resolved: a reference says how many
 * scopes up its declaration is and which field, let or binding it names, so
 * evaluation never looks a name up.
 *
 * Scopes and runtime frames correspond one to one (see Env in vertex.ts):
 * a struct literal opens a frame whose vertex is the struct being evaluated;
 * a value alias (`X=expr`), a `for` or `let` clause and a pattern alias
 * (`[X=string]: ...`) open a frame of bindings. The file of a program opens
 * one frame (its imports) between its struct and the top frame.
 *
 * Each node keeps the syntax node it came from, for positions in errors.
 */
import type * as ast from '../ast.js';
import type { Builtin } from '../builtins/types.js';
import type { ArcType, DisjAlt } from './vertex.js';
import type { Scalar } from './scalar.js';

export type Expr =
  | Lit
  | BottomLit
  | StructLit
  | ListLit
  | FieldRef
  | LetRef
  | BindRef
  | ImportRef
  | BuiltinRef
  | SourceRef
  | Unresolved
  | Selector
  | Index
  | Slice
  | Call
  | Unary
  | Binary
  | Disjunction
  | Interpolation
  | Alias
  | Bad;

/** A constant: a literal, a predeclared type (`int`, `string`, `_`), or a folded unary bound (`>=1`, `-2`). */
export interface Lit {
  readonly k: 'lit';
  readonly value: Scalar;
  readonly node: ast.Node;
}

/** `_|_` */
export interface BottomLit {
  readonly k: 'bottom';
  readonly node: ast.Node;
}

export interface StructLit {
  readonly k: 'struct';
  readonly decls: readonly Decl[];
  /** The static field keys it declares (an embedded definition allows them too). */
  readonly keys: ReadonlySet<string>;
  /** Whether the literal makes a struct by itself: it declares a field or `...`, or nothing but lets (else it may embed a scalar). */
  readonly declaresStruct: boolean;
  /** A name declared both as a let and as a field or alias. */
  readonly duplicate?: { readonly name: string; readonly node: ast.Node };
  readonly node: ast.Node;
}

export type Decl = FieldDecl | DynamicFieldDecl | PatternDecl | EmbedDecl | Comprehension | EllipsisDecl;

export interface FieldDecl {
  readonly k: 'field';
  readonly key: string;
  readonly type: ArcType;
  readonly value: Expr;
  readonly node: ast.Field;
}

/** `(expr): v` or `"\(x)": v`: the label is evaluated in the struct's frame. */
export interface DynamicFieldDecl {
  readonly k: 'dynamic';
  readonly label: Expr;
  readonly type: ArcType;
  readonly value: Expr;
  readonly node: ast.Field;
}

/** `[expr]: v`; with an alias (`[X=expr]: v`) the value is compiled in a frame binding X to the label. */
export interface PatternDecl {
  readonly k: 'pattern';
  readonly label: Expr;
  readonly alias: boolean;
  readonly value: Expr;
  readonly node: ast.Field;
}

export interface EmbedDecl {
  readonly k: 'embed';
  readonly expr: Expr;
  readonly node: ast.Node;
}

export interface EllipsisDecl {
  readonly k: 'ellipsis';
  readonly node: ast.Node;
}

/** `for`/`if`/`let` clauses and a body; each `for` and `let` clause opens a frame. */
export interface Comprehension {
  readonly k: 'comprehension';
  readonly clauses: readonly Clause[];
  readonly body: StructLit;
  readonly node: ast.Comprehension;
}

export type Clause =
  | { readonly k: 'for'; readonly hasKey: boolean; readonly source: Expr; readonly node: ast.ForClause }
  | { readonly k: 'if'; readonly cond: Expr; readonly node: ast.IfClause }
  | { readonly k: 'let'; readonly name: string; readonly expr: Expr; readonly node: ast.LetClause };

/** Slots of a `for` clause frame. */
export const FOR_VALUE = 0;
export const FOR_KEY = 1;

export interface ListLit {
  readonly k: 'list';
  readonly elems: readonly ListElem[];
  readonly node: ast.Node;
}

export type ListElem = { readonly k: 'elem'; readonly expr: Expr } | Comprehension | { readonly k: 'rest'; readonly type?: Expr; readonly node: ast.Node };

/** A field (or field alias) of an enclosing struct: `up` frames out, then the arc `key`. */
export interface FieldRef {
  readonly k: 'fieldref';
  readonly up: number;
  readonly key: string;
  readonly name: string;
  readonly node: ast.Node;
}

/** A `let` declaration of an enclosing struct, instantiated once per frame. */
export interface LetRef {
  readonly k: 'letref';
  readonly up: number;
  readonly decl: LetDecl;
  readonly node: ast.Node;
}

export interface LetDecl {
  readonly name: string;
  readonly expr: Expr;
  readonly node: ast.LetDecl;
}

/** A binding of an enclosing frame: comprehension variable, let clause, value or pattern alias. */
export interface BindRef {
  readonly k: 'bindref';
  readonly up: number;
  readonly slot: number;
  readonly name: string;
  readonly node: ast.Node;
}

/** An imported package used as a value (only selecting from it is valid). */
export interface ImportRef {
  readonly k: 'importref';
  readonly path: string;
  readonly node: ast.Node;
}

export interface BuiltinRef {
  readonly k: 'builtin';
  readonly builtin: Builtin;
  readonly node: ast.Node;
}

/** A package member written in CUE (list.Ascending), evaluated once per evaluator. */
export interface SourceRef {
  readonly k: 'source';
  readonly name: string;
  readonly source: string;
  readonly node: ast.Node;
}

/** A name that no scope declares: an error when evaluated. */
export interface Unresolved {
  readonly k: 'unresolved';
  readonly name: string;
  readonly message: string;
  readonly node: ast.Node;
}

export interface Selector {
  readonly k: 'select';
  readonly x: Expr;
  readonly key: string;
  readonly name: string;
  readonly node: ast.SelectorExpr;
}

export interface Index {
  readonly k: 'index';
  readonly x: Expr;
  readonly index: Expr;
  readonly node: ast.IndexExpr;
}

export interface Slice {
  readonly k: 'slice';
  readonly x: Expr;
  readonly lo?: Expr;
  readonly hi?: Expr;
  readonly node: ast.SliceExpr;
}

export interface Call {
  readonly k: 'call';
  readonly fn: Expr;
  readonly args: readonly Expr[];
  readonly node: ast.CallExpr;
}

export interface Unary {
  readonly k: 'unary';
  readonly op: ast.UnaryOp;
  readonly x: Expr;
  readonly node: ast.Node;
}

export interface Binary {
  readonly k: 'binary';
  readonly op: ast.BinaryOp;
  readonly x: Expr;
  readonly y: Expr;
  readonly node: ast.BinaryExpr;
}

/** `a | *b | c`, flattened; `*x` alone is a disjunction of one marked default. */
export interface Disjunction {
  readonly k: 'disjunction';
  readonly alts: readonly { readonly expr: Expr; readonly def: boolean }[];
  readonly marked: boolean;
  readonly node: ast.Node;
  /**
   * When every alternative is a literal (`*"TCP" | "UDP"`, `*false | bool`): the alternatives as conjuncts,
   * made once here, since a literal needs no frame (most disjunctions of a template are such).
   */
  readonly literals?: readonly DisjAlt[];
}

export interface Interpolation {
  readonly k: 'interpolation';
  readonly type: 'string' | 'bytes';
  readonly parts: readonly (string | Expr)[];
  readonly node: ast.Node;
}

/** `X=expr` in value position: X (slot 0 of a new frame) is the vertex being evaluated. */
export interface Alias {
  readonly k: 'alias';
  readonly x: Expr;
  readonly node: ast.Node;
}

export interface Bad {
  readonly k: 'bad';
  readonly node: ast.Node;
}

/** Whether an expression is a reference (in unification position it splices the referenced vertex). */
export function isReference(e: Expr): e is FieldRef | LetRef | BindRef | Selector | Index {
  return e.k === 'fieldref' || e.k === 'letref' || e.k === 'bindref' || e.k === 'select' || e.k === 'index';
}
