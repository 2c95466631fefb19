/**
 * Export: turn an evaluated value into concrete data (CUE spec "Values";
 * `cue export`). Only regular fields are exported (not optional, hidden or
 * definitions); every non-concrete or failing value is reported with its
 * path and the positions that contributed.
 */
import { type Span, error, type Diagnostic } from '../source/index.js';
import type * as ast from './ast.js';
import type { Evaluator } from './eval/index.js';
import { decimalToNumber, formatDecimal, smallInt } from './adt/number.js';
import { FloatValue, LimitError, formatScalar, isIncomplete, isConcrete, spanOf, type CueError } from './adt/scalar.js';
import { deref, isRegularKey, labelOfKey, type Vertex } from './adt/vertex.js';
import { MAX_EXPORT_NODES, tooLarge } from './adt/limits.js';

/** Exported data: an int that a JavaScript number cannot hold is a bigint; floats are FloatValues (value and CUE's text). */
export type ExportData = null | boolean | number | bigint | string | FloatValue | ExportData[] | { [k: string]: ExportData };

export interface ExportOptions {
  /**
   * Collect where injected data ended up: for every exported scalar that came
   * from injected data, its field path in the result (Kubernetes style,
   * `spec.ports[0].port`, relative to the exported value) → its path in the data.
   */
  sources?: Map<string, readonly string[]>;
  /** Record in `sources` only the fields that came from this injected value (`parameter`): the others are never read. */
  sourcesFrom?: string;
  /** Stop after this many errors. */
  maxErrors?: number;
  /** Accept non-concrete values (vet without -c): they are reported nowhere and exported as null. */
  allowIncomplete?: boolean;
  /** Produce plain JSON data directly (floats and big integers as the nearest number), as toPlain would. */
  plain?: boolean;
  /** Only find the errors (`cue vet`): walk and evaluate everything, build no data (the result is an empty struct or list). */
  checkOnly?: boolean;
}

export class Exporter {
  readonly errors: { err: CueError; path: string[] }[] = [];
  private readonly max: number;
  /** Whether to record where injected data ended up (`sources`). */
  private readonly track: boolean;
  /** Whether to build the data (not when only checking). */
  private readonly keep: boolean;

  constructor(
    private readonly evaluator: Evaluator,
    private readonly opts: ExportOptions = {},
  ) {
    this.max = opts.maxErrors ?? 20;
    this.track = opts.sources !== undefined;
    this.keep = !opts.checkOnly;
  }

  /** Field path of the value being walked, for `sources`: labels and list indices, spelled `a.b[0].c` when recorded. */
  private field: (string | number)[] = [];

  export(v: Vertex, path: readonly string[] = []): ExportData | undefined {
    this.field = [];
    return this.walk(v, [...path], 0);
  }

  private fail(err: CueError, path: readonly string[]): undefined {
    if (this.opts.allowIncomplete && isIncomplete(err.code)) return undefined;
    const p = [...path];
    if (this.errors.length < this.max && !this.errors.some((e) => e.err.msg === err.msg && e.path.join('.') === p.join('.'))) {
      this.errors.push({ err, path: p });
    }
    return undefined;
  }

  /** Values produced so far (bounded by MAX_EXPORT_NODES), and whether the bound stopped the walk. */
  private nodes = 0;
  private exhausted = false;

  private walk(v0: Vertex, path: string[], depth: number): ExportData | undefined {
    if (this.exhausted || this.errors.length >= this.max) return undefined;
    if (++this.nodes > MAX_EXPORT_NODES) {
      this.exhausted = true;
      this.errors.push({ err: { code: 'limit', msg: tooLarge('exported value', `more than ${MAX_EXPORT_NODES} values`, MAX_EXPORT_NODES), spans: declSpans(v0) }, path: [...path] });
      return undefined;
    }
    if (depth > 1000) return this.fail({ code: 'limit', msg: 'value nested too deeply', spans: [] }, path);
    this.evaluator.evalVertex(v0);
    const v = this.evaluator.defaultOf(v0);
    if (v.err) return this.fail(v.err.err, path);
    if (v.disj) {
      const alts = v.disj.alts.map((a) => this.evaluator.describe(a)).join(' | ');
      return this.fail({ code: 'incomplete', msg: `incomplete value ${alts}`, spans: declSpans(v0) }, path);
    }
    if (v.isStruct) return this.walkStruct(v, path, depth);
    if (v.isList) {
      const elems = v.elems ?? [];
      // As long as the list (a pushed-to array would keep room for 17 elements for as long as the data lives).
      const out = new Array<ExportData>(this.keep ? elems.length : 0);
      let n = 0;
      for (let i = 0; i < elems.length; i++) {
        path.push(String(i));
        if (this.track) this.field.push(i);
        const x = this.walk(elems[i]!, path, depth + 1);
        if (this.track) this.field.pop();
        path.pop();
        if (x !== undefined && this.keep) out[n++] = x;
      }
      return n === out.length ? out : out.slice(0, n);
    }
    const s = v.scalar;
    if (isConcrete(s)) {
      if (s.from && this.opts.sources && (this.opts.sourcesFrom === undefined || s.from.topLabel() === this.opts.sourcesFrom)) this.opts.sources.set(fieldPath(this.field), s.from.path());
      switch (s.k) {
        case 'null':
          return null;
        case 'int':
          return this.opts.plain ? Number(s.v) : (smallInt(s.v) ?? s.v);
        case 'float':
          return this.opts.plain ? decimalToNumber(s.v) : new FloatValue(decimalToNumber(s.v), formatDecimal(s.v));
        case 'bytes':
          return Buffer.from(s.v, 'latin1').toString('base64');
        default:
          return s.v;
      }
    }
    return this.fail({ code: 'incomplete', msg: `incomplete value ${formatScalar(s)}`, spans: [...spanOf(s.src), ...declSpans(v0)] }, path);
  }

  /** A struct's regular fields. Its own method: the closure's variables live in a heap context only for structs. */
  private walkStruct(v: Vertex, path: string[], depth: number): { [k: string]: ExportData } {
    const out: { [k: string]: ExportData } = {};
    // forEach, not for-of: no iterator objects per field while the code is still cold (a CLI run is short).
    v.arcs?.forEach((a, key) => {
      if (!isRegularKey(key)) {
        // Hidden fields and definitions are not exported, but their errors are still errors.
        const e = this.evaluator.fatalError(a);
        if (e) this.fail(e.err, [...path, labelOfKey(key)]);
        return;
      }
      if (a.arcType === 'optional') return;
      path.push(key);
      if (this.track) this.field.push(key);
      if (a.arcType === 'required') this.fail({ code: 'incomplete', msg: `field is required but not present`, spans: declSpans(a) }, path);
      else {
        const x = this.walk(a, path, depth + 1);
        if (x !== undefined && this.keep) out[key] = x;
      }
      if (this.track) this.field.pop();
      path.pop();
    });
    return out;
  }

  diagnostics(): Diagnostic[] {
    return this.errors.map(({ err, path }) => toDiagnostic(err, err.path ?? path));
  }
}

function declSpans(v: Vertex): Span[] {
  const d = deref(v).decls ?? v.decls;
  return (d ?? []).slice(0, 3).map((f) => ({ file: f.src, start: f.value.start, end: f.value.end }));
}

function uniqSpans(spans: readonly Span[]): Span[] {
  const seen = new Set<string>();
  const out: Span[] = [];
  for (const s of spans) {
    const k = `${s.file.name}:${s.start}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(s);
  }
  return out;
}

/** `a.b[0].c`: the spelling of `sources` keys (built only for the fields that came from injected data). */
function fieldPath(parts: readonly (string | number)[]): string {
  // Joined (one flat string), from an array exactly as long as the path.
  const out = new Array<string>(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    out[i] = typeof p === 'number' ? `[${p}]` : i > 0 ? `.${p}` : p;
  }
  return out.join('');
}

export function toDiagnostic(err: CueError, path: readonly string[]): Diagnostic {
  const spans = uniqSpans(err.spans);
  return error(err.msg, spans[0], { path: path.length ? formatPath(path) : undefined, related: spans.slice(1), code: `cue/${err.code}` });
}

export function formatPath(path: readonly string[]): string {
  return path.map((p) => (/^[A-Za-z_$#][A-Za-z0-9_$#]*$/.test(p) || /^\d+$/.test(p) ? p : JSON.stringify(p))).join('.');
}

/** JSON text as `cue export` prints it: 4-space indentation, numbers exactly as CUE writes them. */
export function toJSONText(x: ExportData, indent = '    ', level = 0): string {
  if (x instanceof FloatValue) return x.text;
  if (typeof x === 'bigint') return String(x);
  if (x === null || typeof x !== 'object') return JSON.stringify(x);
  const pad = indent.repeat(level + 1);
  const end = indent.repeat(level);
  if (Array.isArray(x)) {
    if (!x.length) return '[]';
    return '[\n' + x.map((e) => pad + toJSONText(e, indent, level + 1)).join(',\n') + '\n' + end + ']';
  }
  const entries = Object.entries(x);
  if (!entries.length) return '{}';
  return '{\n' + entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${toJSONText(v, indent, level + 1)}`).join(',\n') + '\n' + end + '}';
}

/** Plain JSON (floats become numbers; integers beyond 2^53 become the nearest number: use the text for exact values). */
export function toPlain(x: ExportData): unknown {
  if (x instanceof FloatValue) return x.value;
  if (typeof x === 'bigint') return Number(x);
  if (Array.isArray(x)) return x.map(toPlain);
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = toPlain(v);
    return out;
  }
  return x;
}

/** Runs `f`, turning evaluation limits and stack exhaustion into diagnostics. */
export function guard<T>(f: () => T, at?: ast.Node): T | Diagnostic {
  try {
    return f();
  } catch (e) {
    if (e instanceof LimitError) return error(e.message, at && { file: at.src, start: at.start, end: at.end }, { code: 'cue/limit' });
    if (e instanceof RangeError) {
      const span = at && { file: at.src, start: at.start, end: at.end };
      if (/call stack/i.test(e.message)) return error('evaluation nested too deeply (stack exhausted): is there an unbounded recursion?', span, { code: 'cue/limit' });
      // Any other limit of JavaScript itself (a string or list too long for it): an error, never a crash.
      return error(`evaluation exceeded a size limit (${e.message})`, span, { code: 'cue/limit', hint: 'a definition builds a value far larger than any Kubernetes object' });
    }
    throw e;
  }
}
