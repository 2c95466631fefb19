/**
 * The engine's value API: what the rest of vela sees of an evaluated CUE
 * instance (in the spirit of cue's `cue.Value`). A Value wraps one vertex of
 * the value graph and answers questions about it: what is at a path, its
 * kind and whether it is concrete, its fields (optional ones and patterns
 * too), its disjuncts and default, its bounds, its doc comments and
 * attributes, and its data when exported.
 *
 * Evaluation is lazy: asking a question evaluates what the answer needs. An
 * evaluation limit (step count, nesting, a JavaScript RangeError) fails the
 * whole instance: every later question answers as for an error, and export
 * and validate report the limit.
 *
 * Doc comments follow cue's convention: a comment above a field shorthand
 * (`// c` over `a: b: c: 1`) documents the innermost field; `chain` says how
 * many fields up it was written.
 */
import type { Diagnostic, Span } from '../source/index.js';
import type * as ast from './ast.js';
import { K, isConcrete, type Bound as ScalarBound, type Concrete, type Scalar, numberOf, mkKind } from './adt/scalar.js';
import { deref, identKey, isRegularKey, labelOfKey, Vertex, type Env } from './adt/vertex.js';
import { formatDecimal } from './adt/number.js';
import type { Evaluator } from './eval/index.js';
import { Exporter, guard } from './export.js';

export type Kind = 'null' | 'bool' | 'int' | 'float' | 'string' | 'bytes' | 'list' | 'struct';

/** A bound of a non-concrete scalar (`>=1`, `=~"^a"`, `!=""`) or a validator (`strings.MinRunes(3)`). */
export type Bound =
  | { readonly op: '<' | '<=' | '>' | '>=' | '!=' | '=~' | '!~'; readonly value: null | boolean | number | string }
  | { readonly op: 'validator'; readonly name: string; readonly builtin?: string; readonly args?: readonly number[] };

export interface Field {
  /** The label as written (`name`, `#Def`, `_hidden`, `app.kubernetes.io/name`). */
  readonly label: string;
  readonly value: Value;
  /** `label?: T`: a constraint for when the field is set. */
  readonly optional: boolean;
  /** `label!: T`: must be set by the user. */
  readonly required: boolean;
}

export interface Pattern {
  /** The value every matching field is unified with. */
  readonly value: Value;
  /** Whether it applies to every label (`[string]: T`, `[_]: T`). */
  readonly anyLabel: boolean;
  /** A regular expression (RE2) the label must match, when the pattern says one (`[=~"^x"]: T`, `["a"]: T`). */
  readonly regex?: string;
  matches(label: string): boolean;
}

export interface DocComment {
  /** The comment's text without the slashes (one leading space kept as written). */
  readonly text: string;
  /** 0 when written above this field; n when written above the field n levels up whose shorthand leads here. */
  readonly chain: number;
}

export interface Attribute {
  readonly name: string;
  readonly body: string;
}

export type ValueExport =
  | { readonly ok: true; readonly data: unknown; readonly sources?: ReadonlyMap<string, readonly string[]> }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export interface ExportOptions {
  /**
   * Record where injected data ended up: for each exported scalar that came
   * from injected data, its field path in the result (`spec.ports[0].port`,
   * relative to this value) → its path in the data. A name (`parameter`)
   * records only what came from that injected value.
   */
  sources?: boolean | string;
  /** Accept values that are not concrete (reported nowhere, exported as null): checks only for real errors. */
  allowIncomplete?: boolean;
  /** The path reported in errors (default: this value's path). */
  path?: readonly string[];
}

/** The evaluation that a Value belongs to. */
export class ValueContext {
  /** The first limit that stopped evaluation; from then on every value is an error. */
  failure: Diagnostic | undefined;

  constructor(
    readonly evaluator: Evaluator,
    readonly env: Env,
  ) {}

  /** Runs an evaluation step, turning a limit into the context's failure. */
  run<T>(f: () => T, fallback: T): T {
    if (this.failure) return fallback;
    const r = guard(() => ({ value: f() }));
    if ('value' in r) return r.value;
    this.failure = r;
    return fallback;
  }
}

export class Value {
  /** @internal */
  constructor(
    private readonly ctx: ValueContext,
    /** @internal the arc (not dereferenced: its declarations and arc type matter). */
    readonly vertex: Vertex,
    readonly path: readonly string[],
  ) {}

  /** The label of this field (the last element of its path; '' at the root). */
  get label(): string {
    return this.path[this.path.length - 1] ?? '';
  }

  private eval(): Vertex {
    return this.ctx.run(() => {
      this.ctx.evaluator.evalVertex(this.vertex);
      return this.ctx.evaluator.defaultOf(this.vertex);
    }, this.vertex);
  }

  /** The value without its defaults applied (a disjunction stays one). */
  private raw(): Vertex {
    return this.ctx.run(() => {
      this.ctx.evaluator.evalVertex(this.vertex);
      return deref(this.vertex);
    }, this.vertex);
  }

  private child(v: Vertex, label: string): Value {
    return new Value(this.ctx, v, [...this.path, label]);
  }

  // ------------------------------------------------------------------ navigation

  /** The field at a path of labels as written (`lookup('spec', 'template')`), optional fields included. */
  lookup(...labels: string[]): Value | undefined {
    let cur: Value | undefined = this;
    for (const label of labels) {
      if (!cur) return undefined;
      const v: Vertex = cur.eval();
      const key = label.startsWith('#') || (label.startsWith('_') && label.length > 1) ? identKey(label) : label;
      const a: Vertex | undefined = v.isStruct ? v.arcs?.get(key) : undefined;
      cur = a ? cur.child(a, label) : undefined;
    }
    return cur;
  }

  /** Whether this field is set (not only declared optional or required). */
  get isSet(): boolean {
    return this.vertex.arcType === 'regular';
  }

  get optional(): boolean {
    return this.vertex.arcType === 'optional';
  }

  get required(): boolean {
    return this.vertex.arcType === 'required';
  }

  /** The evaluation limit that stopped this instance, if one did (every answer after it is an error's). */
  failure(): Diagnostic | undefined {
    return this.ctx.failure;
  }

  // ------------------------------------------------------------------ kind and value

  /** The error of this value itself (after defaults), if it has one; incomplete says it may still get a value. */
  error(): { readonly message: string; readonly incomplete: boolean } | undefined {
    if (this.ctx.failure) return { message: this.ctx.failure.message, incomplete: false };
    const v = this.eval();
    if (!v.err) return undefined;
    return { message: v.err.err.msg, incomplete: v.err.err.code === 'incomplete' || v.err.err.code === 'cycle' };
  }

  /** The kind of a concrete value, a struct or a list (after defaults); undefined when it is not known yet. */
  kind(): Kind | undefined {
    const v = this.eval();
    if (v.err || v.disj) return undefined;
    if (v.isStruct) return 'struct';
    if (v.isList) return 'list';
    return isConcrete(v.scalar) ? v.scalar.k : undefined;
  }

  /** The kinds the value may still take (all of them for `_`, one for a concrete value). */
  allowedKinds(): Kind[] {
    const v = this.eval();
    if (v.err) return [];
    if (v.isStruct) return ['struct'];
    if (v.isList) return ['list'];
    const s = v.scalar;
    if (isConcrete(s)) return [s.k];
    const bits = s.k === 'top' ? K.null | K.bool | K.int | K.float | K.string | K.bytes | K.list | K.struct : s.k === 'constraint' ? s.kinds : 0;
    return (Object.keys(K) as Kind[]).filter((k) => bits & K[k]);
  }

  /** A concrete scalar (after defaults) as plain data: numbers, strings, booleans, null; bytes in base64. */
  scalar(): null | boolean | number | bigint | string | undefined {
    const v = this.eval();
    if (v.err || v.disj || v.isStruct || v.isList || !isConcrete(v.scalar)) return undefined;
    return plainScalar(v.scalar);
  }

  /** The exact text of a concrete number (`9007199254740993`, `1.5E+3`). */
  numberText(): string | undefined {
    const v = this.eval();
    const s = v.scalar;
    if (v.err || v.disj) return undefined;
    if (s.k === 'int') return String(s.v);
    if (s.k === 'float') return formatDecimal(s.v);
    return undefined;
  }

  /** Whether the value is concrete all the way down (export would succeed). */
  isConcrete(): boolean {
    return this.export().ok;
  }

  /** The bounds of a non-concrete scalar (`int & >=1 & <=65535`). */
  bounds(): Bound[] {
    const v = this.eval();
    if (v.err || v.disj || v.scalar.k !== 'constraint') return [];
    return v.scalar.bounds.map(publicBound);
  }

  // ------------------------------------------------------------------ disjunctions

  /** The alternatives of a disjunction that is not resolved to one (each with whether it is a default), else undefined. */
  disjuncts(): { readonly value: Value; readonly isDefault: boolean }[] | undefined {
    const v = this.raw();
    if (!v.disj) return undefined;
    const { alts, defaults } = v.disj;
    return alts.map((a, i) => ({ value: new Value(this.ctx, a, this.path), isDefault: defaults[i]! }));
  }

  /** The value with its default applied (itself when it has no single default). */
  default(): Value {
    const v = this.eval();
    return v === this.vertex ? this : new Value(this.ctx, v, this.path);
  }

  // ------------------------------------------------------------------ structs

  /**
   * The fields of a struct (after defaults), in order: regular and required fields, optional ones when asked,
   * hidden fields and definitions never. With `incomplete`, also the fields a struct has so far when it is
   * incomplete (a comprehension over a field not given yet), as Go CUE's `Value.Fields` lists them.
   */
  fields(opts: { optional?: boolean; incomplete?: boolean } = {}): Field[] {
    const v = this.eval();
    if (!v.isStruct || (v.err && !(opts.incomplete && v.err.err.code === 'incomplete'))) return [];
    const out: Field[] = [];
    for (const [key, a] of v.arcs ?? []) {
      if (!isRegularKey(key)) continue;
      if (a.arcType === 'optional' && !opts.optional) continue;
      const label = labelOfKey(key);
      out.push({ label, value: this.child(a, label), optional: a.arcType === 'optional', required: a.arcType === 'required' });
    }
    return out;
  }

  /** The pattern constraints of a struct (`[string]: T`, `[=~"^a"]: T`). */
  patterns(): Pattern[] {
    const v = this.eval();
    if (!v.isStruct || v.err) return [];
    const evaluator = this.ctx.evaluator;
    return (v.patterns ?? []).map((p) => {
      this.ctx.run(() => evaluator.patternMatches(p, ''), false);
      const m = p.matcher;
      const matcher = m && !(m instanceof Vertex) ? m : undefined;
      const regex = matcher ? patternRegex(matcher) : undefined;
      const anyLabel = !matcher || matcher.k === 'top' || (matcher.k === 'constraint' && matcher.bounds.length === 0 && (matcher.kinds & K.string) !== 0);
      // The pattern's value on its own; an alias of the label (`[X=string]: ...`) stands for any string here.
      const patternValue = new Vertex(undefined, '');
      const env: Env = p.decl.alias ? { vertex: p.env.vertex, parent: p.env, binds: [mkKind(K.string)] } : p.env;
      patternValue.addConjunct({ k: 'expr', expr: p.decl.value, env });
      return {
        value: new Value(this.ctx, patternValue, [...this.path, '[pattern]']),
        anyLabel,
        ...(regex !== undefined ? { regex } : {}),
        matches: (label: string) => this.ctx.run(() => evaluator.patternMatches(p, label), false),
      };
    });
  }

  /** Whether the struct is closed (a definition, `close()`): fields it does not declare are refused. */
  isClosed(): boolean {
    const v = this.eval();
    return v.isStruct && !!v.closeInfos?.length && !v.openEllipsis;
  }

  /** Whether the struct says `...` (any field allowed). */
  isOpen(): boolean {
    return this.eval().openEllipsis;
  }

  // ------------------------------------------------------------------ lists

  /** The elements of a list (after defaults). */
  elements(): Value[] {
    const v = this.eval();
    if (!v.isList || v.err) return [];
    return (v.elems ?? []).map((e, i) => this.child(e, String(i)));
  }

  /** Whether a list accepts more elements (`[...T]`, `[a, ...]`). */
  isOpenList(): boolean {
    const v = this.eval();
    return v.isList && (v.rare?.listOpen ?? false);
  }

  /** The constraint on further elements of an open list (`T` of `[...T]`), if it has one. */
  elementType(): Value | undefined {
    const v = this.eval();
    const rest = v.rare?.listRest;
    if (!v.isList || !v.rare?.listOpen || !rest?.length) return undefined;
    const elem = new Vertex(v, '*');
    for (const c of rest) elem.addConjunct(c);
    return new Value(this.ctx, elem, [...this.path, '*']);
  }

  // ------------------------------------------------------------------ export and validation

  /** Concrete data, like `cue export` of this value; or every error, with its path and positions. */
  export(opts: ExportOptions = {}): ValueExport {
    return this.walk(opts, false);
  }

  /** Export's walk; `checkOnly` finds the errors without building the data (validate). */
  private walk(opts: ExportOptions, checkOnly: boolean): ValueExport {
    if (this.ctx.failure) return { ok: false, diagnostics: [this.ctx.failure] };
    const sources = opts.sources ? new Map<string, readonly string[]>() : undefined;
    const sourcesFrom = typeof opts.sources === 'string' ? opts.sources : undefined;
    const exporter = new Exporter(this.ctx.evaluator, { sources, ...(sourcesFrom !== undefined ? { sourcesFrom } : {}), allowIncomplete: opts.allowIncomplete, plain: true, checkOnly });
    const data = this.ctx.run(() => exporter.export(this.vertex, opts.path ?? this.path), undefined);
    if (this.ctx.failure) return { ok: false, diagnostics: [this.ctx.failure] };
    const diagnostics = exporter.diagnostics();
    if (diagnostics.length) return { ok: false, diagnostics };
    return { ok: true, data: data === undefined ? null : data, ...(sources ? { sources } : {}) };
  }

  /** Errors other than incompleteness (`cue vet` without -c): an empty list means the value can still be completed. */
  validate(opts: { path?: readonly string[] } = {}): readonly Diagnostic[] {
    const r = this.walk({ allowIncomplete: true, path: opts.path }, true);
    return r.ok ? [] : r.diagnostics;
  }

  // ------------------------------------------------------------------ documentation

  /** The comments documenting this field (see the module comment for shorthand chains). */
  doc(): DocComment[] {
    const out: DocComment[] = [];
    const labels: string[] = [];
    let v: Vertex | undefined = this.vertex;
    for (let up = 0; v && up < 64; up++) {
      for (const d of v.decls ?? []) {
        const chain = chainOf(d);
        if (chain.length !== up || chain.some((l, i) => l !== labels[labels.length - 1 - i])) continue;
        for (const c of d.doc) out.push({ text: c.text, chain: up });
        if (up === 0 && d.lineComment) out.push({ text: d.lineComment.text, chain: 0 });
      }
      labels.push(v.label);
      v = v.parent;
    }
    return out;
  }

  /** The attributes of the field's declarations (`@go(Name)`, `@deprecated()`). */
  attributes(): Attribute[] {
    const out: Attribute[] = [];
    for (const d of this.vertex.decls ?? []) for (const a of d.attrs) out.push({ name: a.name, body: a.body });
    return out;
  }

  /** Where the field is declared (its first declaration). */
  position(): Span | undefined {
    const d = this.vertex.decls?.[0];
    return d ? { file: d.src, start: d.start, end: d.end } : undefined;
  }
}

/** The labels of a shorthand chain `a: b: c: v` below a field, or [] when its value is not one. */
function chainOf(d: ast.Field): string[] {
  const out: string[] = [];
  let v: ast.Expr = d.value;
  while (v.kind === 'StructLit' && v.decls.length === 1 && v.decls[0]!.kind === 'Field' && v.start === v.decls[0]!.start) {
    const f = v.decls[0] as ast.Field;
    if (f.label.kind === 'Ident') out.push(f.label.name);
    else if (f.label.kind === 'StringLabel') out.push(f.label.value);
    else break;
    v = f.value;
  }
  return out;
}

function plainScalar(s: Concrete): null | boolean | number | bigint | string {
  switch (s.k) {
    case 'null':
      return null;
    case 'int':
      return Number.isSafeInteger(Number(s.v)) ? Number(s.v) : s.v;
    case 'float':
      return numberOf(s);
    case 'bytes':
      return Buffer.from(s.v, 'latin1').toString('base64');
    default:
      return s.v;
  }
}

function publicBound(b: ScalarBound): Bound {
  if (b.op === 'call') return { op: 'validator', name: b.call?.name ?? 'validator', ...(b.call?.builtin && { builtin: b.call.builtin }), ...(b.call?.args && { args: b.call.args }) };
  const value = plainScalar(b.v);
  return { op: b.op, value: typeof value === 'bigint' ? Number(value) : value };
}

/** The regular expression a pattern's label matcher stands for, when it is one or a single string. */
function patternRegex(m: Scalar): string | undefined {
  if (m.k === 'constraint') {
    const regexBound = m.bounds.find((b) => b.op === '=~');
    return regexBound && regexBound.v.k === 'string' ? regexBound.v.v : undefined;
  }
  if (m.k === 'string') return `^${m.v.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')}$`;
  return undefined;
}
