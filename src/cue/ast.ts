/**
 * The CUE abstract syntax tree (CUE spec: "Source code representation",
 * "Lexical elements", "Expressions", "Structs"). Every node keeps its file
 * and its half-open offset range; comments are attached where definitions
 * give them meaning (`// +usage=` above a field, `// +patchKey=` above a
 * patch field).
 *
 * The parser decodes literals: string values have their escapes resolved and
 * multi-line indentation removed, numbers have their value and whether they
 * are integers. Nodes are discriminated unions on `kind`.
 */
import type { SourceFile } from '../source/index.js';

export interface NodeBase {
  readonly src: SourceFile;
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

/** A `//` comment; `text` excludes the slashes and one leading space is kept as written. */
export interface Comment extends NodeBase {
  readonly kind: 'Comment';
  readonly text: string;
}

// ---------------------------------------------------------------- files

export interface File extends NodeBase {
  readonly kind: 'File';
  readonly packageName?: string;
  readonly imports: readonly ImportSpec[];
  readonly decls: readonly Decl[];
  /** Every comment in the file, in order. */
  readonly comments: readonly Comment[];
}

export interface ImportSpec extends NodeBase {
  readonly kind: 'ImportSpec';
  /** Explicit name (`import foo "strings"`), else undefined. */
  readonly name?: string;
  /** The import path, decoded (e.g. `encoding/json`). */
  readonly path: string;
}

// ---------------------------------------------------------------- declarations

export type Decl = Field | EmbedDecl | LetDecl | Comprehension | Ellipsis | Attribute;

/** `label: value`, `label?: value`, `label!: value`, `X=label: value`. */
export interface Field extends NodeBase {
  readonly kind: 'Field';
  readonly label: Label;
  /** `?` optional, `!` required, `` regular. */
  readonly constraint: '' | '?' | '!';
  /** `X=label: v`: an alias for the field's value, visible in the enclosing scope. */
  readonly alias?: string;
  readonly value: Expr;
  readonly attrs: readonly Attribute[];
  /** Comments directly above the field (no blank line in between), in order. */
  readonly doc: readonly Comment[];
  /** A comment on the same line after the value. */
  readonly lineComment?: Comment;
}

/** An expression written as a declaration inside a struct (embedding). */
export interface EmbedDecl extends NodeBase {
  readonly kind: 'EmbedDecl';
  readonly expr: Expr;
  readonly doc: readonly Comment[];
}

/** `let X = expr` as a declaration. */
export interface LetDecl extends NodeBase {
  readonly kind: 'LetDecl';
  readonly name: string;
  readonly expr: Expr;
  readonly doc: readonly Comment[];
}

/** `...` or `...T` in a struct (opens a definition) or as the last list element. */
export interface Ellipsis extends NodeBase {
  readonly kind: 'Ellipsis';
  readonly type?: Expr;
}

/** `@name(body)`, on a field or at file/struct level. */
export interface Attribute extends NodeBase {
  readonly kind: 'Attribute';
  readonly name: string;
  readonly body: string;
}

// ---------------------------------------------------------------- labels

/**
 * - Ident: `foo`, `#Foo`, `_foo`, `_#foo` (the name as written);
 * - StringLabel: `"foo-bar"` (decoded);
 * - Interpolation: `"\(x)-y"` as a label (dynamic);
 * - ParenLabel: `(expr)` dynamic label;
 * - PatternLabel: `[expr]` or `[X=expr]` pattern constraint.
 */
export type Label = Ident | StringLabel | Interpolation | ParenLabel | PatternLabel;

export interface StringLabel extends NodeBase {
  readonly kind: 'StringLabel';
  readonly value: string;
}

export interface ParenLabel extends NodeBase {
  readonly kind: 'ParenLabel';
  readonly expr: Expr;
}

export interface PatternLabel extends NodeBase {
  readonly kind: 'PatternLabel';
  /** `[X=string]`: the name X refers to the label inside the value. */
  readonly alias?: string;
  readonly expr: Expr;
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | Ident
  | BasicLit
  | Interpolation
  | StructLit
  | ListLit
  | UnaryExpr
  | BinaryExpr
  | SelectorExpr
  | IndexExpr
  | SliceExpr
  | CallExpr
  | ParenExpr
  | AliasExpr
  | BadExpr;

/** An identifier; `_` alone is top. `null`, `true`, `false` are BasicLit. */
export interface Ident extends NodeBase {
  readonly kind: 'Ident';
  readonly name: string;
}

export type BasicLit =
  | (NodeBase & { readonly kind: 'BasicLit'; readonly type: 'int'; readonly value: number; readonly raw: string })
  | (NodeBase & { readonly kind: 'BasicLit'; readonly type: 'float'; readonly value: number; readonly raw: string })
  | (NodeBase & { readonly kind: 'BasicLit'; readonly type: 'string'; readonly value: string; readonly raw: string })
  | (NodeBase & { readonly kind: 'BasicLit'; readonly type: 'bytes'; readonly value: string; readonly raw: string })
  | (NodeBase & { readonly kind: 'BasicLit'; readonly type: 'bool'; readonly value: boolean; readonly raw: string })
  | (NodeBase & { readonly kind: 'BasicLit'; readonly type: 'null'; readonly value: null; readonly raw: string })
  | (NodeBase & { readonly kind: 'BasicLit'; readonly type: 'bottom'; readonly value: null; readonly raw: string });

/** `"a\(x)b"`: decoded literal parts alternate with expressions. */
export interface Interpolation extends NodeBase {
  readonly kind: 'Interpolation';
  /** 'string' for "..." and """...""", 'bytes' for '...'. */
  readonly type: 'string' | 'bytes';
  readonly parts: readonly (string | Expr)[];
}

export interface StructLit extends NodeBase {
  readonly kind: 'StructLit';
  readonly decls: readonly Decl[];
}

export type ListElem = Expr | Comprehension | Ellipsis;

export interface ListLit extends NodeBase {
  readonly kind: 'ListLit';
  readonly elts: readonly ListElem[];
}

/**
 * Unary operators: `-x`, `+x`, `!x`, `*x` (default marker), and the unary
 * bounds `<x`, `<=x`, `>x`, `>=x`, `!=x`, `=~x`, `!~x`.
 */
export type UnaryOp = '-' | '+' | '!' | '*' | '<' | '<=' | '>' | '>=' | '!=' | '=~' | '!~';

export interface UnaryExpr extends NodeBase {
  readonly kind: 'UnaryExpr';
  readonly op: UnaryOp;
  readonly x: Expr;
}

/**
 * Binary operators by precedence (CUE spec "Operator precedence"):
 * 7 `*` `/`; 6 `+` `-`; 4 `==` `!=` `<` `<=` `>` `>=` `=~` `!~`;
 * 3 `&&`; 2 `||`; 1 `&`; 0 `|` (lowest).
 * (CUE v0.4 also had `div` `mod` `quo` `rem` as builtins, not operators.)
 */
export type BinaryOp = '*' | '/' | '+' | '-' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | '!~' | '&&' | '||' | '&' | '|';

export interface BinaryExpr extends NodeBase {
  readonly kind: 'BinaryExpr';
  readonly op: BinaryOp;
  readonly x: Expr;
  readonly y: Expr;
  /** Offset of the operator. */
  readonly opPos: number;
}

/** `x.sel`; `sel` is the decoded selector (`x."a-b"` gives `a-b`, `x.#D` gives `#D`). */
export interface SelectorExpr extends NodeBase {
  readonly kind: 'SelectorExpr';
  readonly x: Expr;
  readonly sel: string;
  /** Offset of the selector name. */
  readonly selPos: number;
}

export interface IndexExpr extends NodeBase {
  readonly kind: 'IndexExpr';
  readonly x: Expr;
  readonly index: Expr;
}

/** `x[lo:hi]` (either bound may be absent). */
export interface SliceExpr extends NodeBase {
  readonly kind: 'SliceExpr';
  readonly x: Expr;
  readonly lo?: Expr;
  readonly hi?: Expr;
}

export interface CallExpr extends NodeBase {
  readonly kind: 'CallExpr';
  readonly fn: Expr;
  readonly args: readonly Expr[];
}

export interface ParenExpr extends NodeBase {
  readonly kind: 'ParenExpr';
  readonly x: Expr;
}

/** `X=expr` in value position (a value alias: `a: X={...}`); X refers to the value. */
export interface AliasExpr extends NodeBase {
  readonly kind: 'AliasExpr';
  readonly name: string;
  readonly expr: Expr;
}

/** Placeholder left by error recovery. */
export interface BadExpr extends NodeBase {
  readonly kind: 'BadExpr';
}

// ---------------------------------------------------------------- comprehensions

export type Clause = ForClause | IfClause | LetClause;

/** `for k, v in src` or `for v in src`. */
export interface ForClause extends NodeBase {
  readonly kind: 'ForClause';
  readonly key?: string;
  readonly value: string;
  readonly source: Expr;
}

export interface IfClause extends NodeBase {
  readonly kind: 'IfClause';
  readonly cond: Expr;
}

export interface LetClause extends NodeBase {
  readonly kind: 'LetClause';
  readonly name: string;
  readonly expr: Expr;
}

/** `for ... if ... let ... { body }` in a struct or a list. */
export interface Comprehension extends NodeBase {
  readonly kind: 'Comprehension';
  readonly clauses: readonly Clause[];
  readonly body: StructLit;
}

export type Node = File | ImportSpec | Decl | Label | Expr | Clause | Comment;
