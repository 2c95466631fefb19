/**
 * The compile step (CUE's internal/core/compile): syntax tree → compiled
 * expressions (../adt/expr.ts) in which every identifier is resolved once,
 * following the scoping rules of the CUE spec ("Declarations and scopes"):
 *
 * - the innermost declaration wins: comprehension variables, let clauses and
 *   aliases, then the fields, field aliases and lets of each enclosing struct
 *   literal, then the file's imports, then the top-level fields of every file
 *   of the package (and names injected into the instance), and last the
 *   predeclared identifiers (`int`, `string`, `_`, `len`, `close`, ...);
 * - a name declared twice in one struct as a let and as a field is an error.
 *
 * Constant subexpressions (`>=1`, `-2`, `int`) become literals here, and
 * package members (`strings.Join`) are looked up here, so evaluation does
 * neither.
 */
import { error, type Diagnostic } from '../../source/index.js';
import type * as ast from '../ast.js';
import { lookupBuiltin, lookupPackage, isSourceMember, type Builtin } from '../builtins/index.js';
import type * as adt from '../adt/expr.js';
import { unaryScalar } from '../adt/ops.js';
import { K, K_NUMBER, bottom, isConcrete, mkBool, mkBytes, mkFloat, mkInt, mkKind, mkStr, spanOf, type Scalar } from '../adt/scalar.js';
import { identKey, type ArcType } from '../adt/vertex.js';
import { decodeExactNumber } from '../literal.js';

const PREDECLARED_KINDS: Record<string, number> = {
  int: K.int,
  float: K.float,
  number: K_NUMBER,
  string: K.string,
  bytes: K.bytes,
  bool: K.bool,
  null: K.null,
};

/** The arc key of a static label: identifiers that are definitions or hidden are kept apart from quoted labels. */
export function labelKey(label: ast.Label): string | undefined {
  if (label.kind === 'Ident') return identKey(label.name);
  if (label.kind === 'StringLabel') return label.value;
  return undefined;
}

/**
 * The name a field declares in its scope. Only an identifier label declares one: a quoted label (`"name": x`)
 * is not referable (CUE spec, "Declarations and scopes"), so inside `for name, v in x {"name": name}` the
 * reference is the loop variable, not the field.
 */
function declaredName(label: ast.Label): string | undefined {
  return label.kind === 'Ident' ? label.name : undefined;
}

/** A declared name; `declaredAt` marks an alias or let, which must be referenced (CUE reports one that is not). */
type Entry = ({ readonly kind: 'field'; readonly key: string } | { readonly kind: 'let'; readonly decl: ast.LetDecl }) & {
  readonly declaredAt?: { readonly name: string; readonly node: ast.Node };
  used?: boolean;
};

/**
 * One compile-time scope; each corresponds to exactly one runtime frame.
 * - struct: the fields, field aliases and lets of a struct literal (or of all files, at the top);
 * - bind: the slots of a binding frame;
 * - file: a file's imports (the frame has no names of its own at run time).
 */
interface Scope {
  readonly parent?: Scope;
  /** Compile errors of the program (shared by all its scopes). */
  readonly errors: Diagnostic[];
  readonly names?: ReadonlyMap<string, Entry>;
  readonly slots?: ReadonlyMap<string, number>;
  /** Slots that were referenced (a value alias must be). */
  usedSlots?: Set<string>;
  readonly imports?: ReadonlyMap<string, string>;
  /** Compiled lets of a struct scope, by declaration. */
  lets?: Map<ast.LetDecl, adt.LetDecl>;
}

function addDecls(names: Map<string, Entry>, decls: readonly ast.Decl[], onDuplicate?: (name: string, node: ast.Node) => void): void {
  for (const d of decls) {
    if (d.kind === 'Field') {
      const key = labelKey(d.label);
      const name = declaredName(d.label);
      if (name !== undefined && key !== undefined) {
        const prev = names.get(name);
        if (prev?.kind === 'let') onDuplicate?.(name, d);
        if (!prev) names.set(name, { kind: 'field', key });
      }
      if (d.alias !== undefined && key !== undefined) names.set(d.alias, { kind: 'field', key, declaredAt: { name: d.alias, node: d } });
    } else if (d.kind === 'LetDecl') {
      if (names.has(d.name)) onDuplicate?.(d.name, d);
      names.set(d.name, { kind: 'let', decl: d, declaredAt: { name: d.name, node: d } });
    }
  }
}

/** The top scope of a program: the top-level declarations of every file, and the names injected at instantiation. */
export function topScope(files: readonly ast.File[], injected: readonly string[]): Scope {
  const names = new Map<string, Entry>();
  for (const f of files) addDecls(names, f.decls);
  for (const k of injected) if (!names.has(k)) names.set(k, { kind: 'field', key: k });
  return { names, errors: [] };
}

export function fileScope(top: Scope, imports: ReadonlyMap<string, string>): Scope {
  return { parent: top, imports, errors: top.errors };
}

/** The compile errors found so far in the scopes below `top`. */
export function compileErrors(top: Scope): readonly Diagnostic[] {
  return top.errors;
}

function unreferenced(scope: Scope, name: string, node: ast.Node): void {
  scope.errors.push(error(`unreferenced alias or let clause ${name}`, { file: node.src, start: node.start, end: node.end }, { code: 'cue/unused-alias', hint: `use ${name} or remove it` }));
}

/** Compiles a file's declarations as the struct literal evaluated at the root. */
export function compileFile(file: ast.File, scope: Scope): adt.StructLit {
  return compileStruct(file.decls, file, scope);
}

export function compileExpr(e: ast.Expr, scope: Scope): adt.Expr {
  switch (e.kind) {
    case 'BasicLit':
      if (e.type === 'bottom') return { k: 'bottom', node: e };
      return { k: 'lit', value: literal(e), node: e };
    case 'Ident':
      return resolve(e, scope);
    case 'ParenExpr':
      return compileExpr(e.x, scope);
    case 'StructLit':
      return compileStruct(e.decls, e, scope);
    case 'ListLit':
      return compileList(e, scope);
    case 'AliasExpr': {
      const inner: Scope = { parent: scope, slots: new Map([[e.name, 0]]), errors: scope.errors };
      const x = compileExpr(e.expr, inner);
      if (!inner.usedSlots?.has(e.name)) unreferenced(scope, e.name, e);
      return { k: 'alias', x, node: e };
    }
    case 'UnaryExpr': {
      if (e.op === '*') return disjunction([{ expr: compileExpr(e.x, scope), def: true }], e);
      const x = compileExpr(e.x, scope);
      if (x.k === 'lit' && isConcrete(x.value)) {
        const folded = unaryScalar(e.op, x.value, e);
        if (folded.k !== 'bottom') return { k: 'lit', value: folded, node: e };
      }
      return { k: 'unary', op: e.op, x, node: e };
    }
    case 'BinaryExpr': {
      if (e.op === '|') {
        const alts: { expr: adt.Expr; def: boolean }[] = [];
        collectDisjuncts(e, scope, alts, false);
        return disjunction(alts, e);
      }
      return { k: 'binary', op: e.op, x: compileExpr(e.x, scope), y: compileExpr(e.y, scope), node: e };
    }
    case 'SelectorExpr': {
      const x = compileExpr(e.x, scope);
      if (x.k === 'importref') return packageMember(x.path, e);
      const key = e.sel.startsWith('#') || (e.sel.startsWith('_') && e.sel.length > 1) ? identKey(e.sel) : e.sel;
      return { k: 'select', x, key, name: e.sel, node: e };
    }
    case 'IndexExpr':
      return { k: 'index', x: compileExpr(e.x, scope), index: compileExpr(e.index, scope), node: e };
    case 'SliceExpr':
      return {
        k: 'slice',
        x: compileExpr(e.x, scope),
        ...(e.lo ? { lo: compileExpr(e.lo, scope) } : {}),
        ...(e.hi ? { hi: compileExpr(e.hi, scope) } : {}),
        node: e,
      };
    case 'CallExpr':
      return { k: 'call', fn: compileExpr(e.fn, scope), args: e.args.map((a) => compileExpr(a, scope)), node: e };
    case 'Interpolation':
      return { k: 'interpolation', type: e.type, parts: e.parts.map((p) => (typeof p === 'string' ? p : compileExpr(p, scope))), node: e };
    case 'BadExpr':
      return { k: 'bad', node: e };
  }
}

function disjunction(alts: { expr: adt.Expr; def: boolean }[], node: ast.Node): adt.Disjunction {
  const marked = alts.some((a) => a.def);
  const literals = alts.every((a) => a.expr.k === 'lit')
    ? alts.map((a) => ({ conj: { k: 'scalar' as const, val: (a.expr as adt.Lit).value }, def: a.def }))
    : undefined;
  return { k: 'disjunction', alts, marked, node, ...(literals && { literals }) };
}

function collectDisjuncts(e: ast.Expr, scope: Scope, out: { expr: adt.Expr; def: boolean }[], def: boolean): void {
  if (e.kind === 'BinaryExpr' && e.op === '|') {
    collectDisjuncts(e.x, scope, out, def);
    collectDisjuncts(e.y, scope, out, def);
    return;
  }
  if (e.kind === 'ParenExpr' && e.x.kind === 'BinaryExpr' && e.x.op === '|') {
    // A nested disjunction contributes its alternatives and its own defaults.
    collectDisjuncts(e.x, scope, out, def);
    return;
  }
  if (e.kind === 'UnaryExpr' && e.op === '*') {
    collectDisjuncts(e.x, scope, out, true);
    return;
  }
  out.push({ expr: compileExpr(e, scope), def });
}

function literal(e: ast.BasicLit): Scalar {
  switch (e.type) {
    case 'int':
    case 'float': {
      // The exact value, from the literal's text (the syntax tree keeps a JavaScript number for display).
      const n = decodeExactNumber(e.raw, e.type === 'float');
      return n.type === 'int' ? mkInt(n.value, e) : mkFloat(n.value, e);
    }
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

/** Resolves an identifier: innermost scope first, then the predeclared names. */
function resolve(e: ast.Ident, scope: Scope): adt.Expr {
  const name = e.name;
  let up = 0;
  for (let s: Scope | undefined = scope; s; s = s.parent, up++) {
    const slot = s.slots?.get(name);
    if (slot !== undefined) {
      (s.usedSlots ??= new Set()).add(name);
      return { k: 'bindref', up, slot, name, node: e };
    }
    const entry = s.names?.get(name);
    if (entry) {
      entry.used = true;
      if (entry.kind === 'field') return { k: 'fieldref', up, key: entry.key, name, node: e };
      return { k: 'letref', up, decl: letDecl(s, entry.decl), node: e };
    }
    const path = s.imports?.get(name);
    if (path !== undefined) return { k: 'importref', path, node: e };
  }
  if (name === '_') return { k: 'lit', value: { k: 'top', src: e }, node: e };
  const kinds = PREDECLARED_KINDS[name];
  if (kinds !== undefined) return { k: 'lit', value: name === 'null' ? { k: 'null', src: e } : mkKind(kinds, e), node: e };
  const b: Builtin | undefined = lookupBuiltin(name);
  if (b) return { k: 'builtin', builtin: b, node: e };
  return { k: 'unresolved', name, message: `reference "${name}" not found`, node: e };
}

/** A let of a struct scope, compiled on first reference (in the struct's scope, so it sees its siblings). */
function letDecl(scope: Scope, d: ast.LetDecl): adt.LetDecl {
  scope.lets ??= new Map();
  let c = scope.lets.get(d);
  if (!c) {
    // Registered before compiling its expression: a let that refers to itself resolves to itself (a cycle at run time).
    const placeholder: { name: string; expr: adt.Expr; node: ast.LetDecl } = { name: d.name, expr: { k: 'bad', node: d }, node: d };
    scope.lets.set(d, placeholder);
    placeholder.expr = compileExpr(d.expr, scope);
    c = placeholder;
  }
  return c;
}

function packageMember(path: string, e: ast.SelectorExpr): adt.Expr {
  const pkg = lookupPackage(path);
  if (!pkg) return { k: 'unresolved', name: e.sel, message: `package "${path}" is not available`, node: e.x };
  const m = Object.prototype.hasOwnProperty.call(pkg, e.sel) ? pkg[e.sel] : undefined;
  if (m === undefined) return { k: 'unresolved', name: e.sel, message: `undefined field ${e.sel} in package "${path}"`, node: e };
  if (isSourceMember(m)) return { k: 'source', name: `${path}.${e.sel}`, source: m.source, node: e };
  if ('call' in (m as object)) return { k: 'builtin', builtin: m as Builtin, node: e };
  return { k: 'lit', value: m as Scalar, node: e };
}

function arcType(f: ast.Field): ArcType {
  return f.constraint === '?' ? 'optional' : f.constraint === '!' ? 'required' : 'regular';
}

function compileStruct(decls: readonly ast.Decl[], node: ast.Node, outer: Scope): adt.StructLit {
  const names = new Map<string, Entry>();
  let duplicate: { name: string; node: ast.Node } | undefined;
  addDecls(names, decls, (name, at) => (duplicate ??= { name, node: at }));
  const scope: Scope = { parent: outer, names, errors: outer.errors };
  const out: adt.Decl[] = [];
  const keys = new Set<string>();
  for (const d of decls) {
    switch (d.kind) {
      case 'Field': {
        const key = labelKey(d.label);
        if (key !== undefined) {
          keys.add(key);
          out.push({ k: 'field', key, type: arcType(d), value: compileExpr(d.value, scope), node: d });
        } else if (d.label.kind === 'PatternLabel') {
          const alias = d.label.alias;
          const valueScope: Scope = alias !== undefined ? { parent: scope, slots: new Map([[alias, 0]]), errors: scope.errors } : scope;
          out.push({ k: 'pattern', label: compileExpr(d.label.expr, scope), alias: alias !== undefined, value: compileExpr(d.value, valueScope), node: d });
        } else {
          const label = d.label.kind === 'ParenLabel' ? compileExpr(d.label.expr, scope) : compileExpr(d.label as ast.Interpolation, scope);
          out.push({ k: 'dynamic', label, type: arcType(d), value: compileExpr(d.value, scope), node: d });
        }
        break;
      }
      case 'Comprehension':
        out.push(compileComprehension(d, scope));
        break;
      case 'Ellipsis':
        out.push({ k: 'ellipsis', node: d });
        break;
      case 'EmbedDecl':
        out.push({ k: 'embed', expr: compileExpr(d.expr, scope), node: d });
        break;
      case 'LetDecl':
        // Compiled when first referenced; an unused let still has to compile (its errors are the program's).
        letDecl(scope, d);
        break;
      case 'Attribute':
        break;
    }
  }
  for (const entry of names.values()) if (entry.declaredAt && !entry.used) unreferenced(scope, entry.declaredAt.name, entry.declaredAt.node);
  const declaresStruct = decls.every((d) => d.kind === 'LetDecl' || d.kind === 'Attribute') || decls.some((d) => d.kind === 'Field' || d.kind === 'Ellipsis');
  return { k: 'struct', decls: out, keys, declaresStruct, ...(duplicate ? { duplicate } : {}), node };
}

function compileComprehension(c: ast.Comprehension, outer: Scope): adt.Comprehension {
  let scope = outer;
  const clauses: adt.Clause[] = [];
  for (const cl of c.clauses) {
    switch (cl.kind) {
      case 'ForClause': {
        const source = compileExpr(cl.source, scope);
        const slots = new Map<string, number>();
        if (cl.key !== undefined) slots.set(cl.key, 1);
        slots.set(cl.value, 0);
        clauses.push({ k: 'for', hasKey: cl.key !== undefined, source, node: cl });
        scope = { parent: scope, slots, errors: scope.errors };
        break;
      }
      case 'IfClause':
        clauses.push({ k: 'if', cond: compileExpr(cl.cond, scope), node: cl });
        break;
      case 'LetClause': {
        const expr = compileExpr(cl.expr, scope);
        clauses.push({ k: 'let', name: cl.name, expr, node: cl });
        scope = { parent: scope, slots: new Map([[cl.name, 0]]), errors: scope.errors };
        break;
      }
    }
  }
  return { k: 'comprehension', clauses, body: compileStruct(c.body.decls, c.body, scope), node: c };
}

function compileList(l: ast.ListLit, scope: Scope): adt.ListLit {
  const elems: adt.ListElem[] = [];
  for (const elem of l.elts) {
    if (elem.kind === 'Ellipsis') elems.push({ k: 'rest', ...(elem.type ? { type: compileExpr(elem.type, scope) } : {}), node: elem });
    else if (elem.kind === 'Comprehension') elems.push(compileComprehension(elem, scope));
    else elems.push({ k: 'elem', expr: compileExpr(elem, scope) });
  }
  return { k: 'list', elems, node: l };
}
