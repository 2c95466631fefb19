/**
 * vela's CUE engine. The stack follows cue-lang/cue: token, scanner,
 * literal, ast, parser (syntax); compile/ (every name resolved once, cached
 * per program); adt/ (numbers, scalars, the value graph, compiled
 * expressions); eval/ (unification, one module per concern); export.ts
 * (concrete data); value.ts (the Value API).
 *
 * This file is the engine's whole surface: the rest of vela imports
 * nothing else from src/cue. It offers
 * - `exportFiles` and `vetFiles`: `cue export` and `cue vet` over source texts;
 * - `parseFile`, `compile`, `programFromSyntax`, `labelKey`: programs from text or syntax;
 * - `evaluate`: a program's root as a Value (lookup, kind, fields, disjuncts,
 *   bounds, doc comments, attributes, export).
 * KubeVela's conventions (`+usage`, `+patchKey`, parameter schemas) are not
 * the engine's: they live in src/capability.
 */
import { SourceFile, type Diagnostic } from '../source/index.js';
import { marshalYAML } from './builtins/index.js';
import { compile, type CueSource, type Program } from './compile/program.js';
import { evalInInstance, instantiate } from './eval/index.js';
import { Exporter, guard, toJSONText, toPlain, type ExportData } from './export.js';
import { parseExpr } from './parser.js';
import type { Vertex } from './adt/vertex.js';
import { Value, ValueContext } from './value.js';

export { parseFile } from './parser.js';
export { compile, programFromSyntax, type CueSource, type Program } from './compile/program.js';
export { labelKey } from './compile/compile.js';
export { formatPath } from './export.js';
export { Value, type Attribute, type Bound, type DocComment, type ExportOptions, type Field, type Kind, type Pattern, type ValueExport } from './value.js';
export type * as ast from './ast.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type ExportResult = { ok: true; value: JsonValue; text: string } | { ok: false; diagnostics: Diagnostic[] };

export interface ExportFilesOptions {
  /** An expression to export instead of the whole value (`cue export -e`). */
  expression?: string;
  out?: 'json' | 'yaml';
  /** Concrete data unified into top-level fields. */
  inject?: Record<string, unknown>;
  /** Evaluation limits (defaults: 1 million steps, 1,200 nested evaluations). */
  maxSteps?: number;
  maxDepth?: number;
}

/**
 * Evaluates CUE files as one instance and exports concrete data, like `cue export`. `value` is plain JSON
 * (integers beyond 2^53 as the nearest number); `text` is exact.
 */
export function exportFiles(files: readonly CueSource[], opts: ExportFilesOptions = {}): ExportResult {
  const program = compile(files);
  if (program.diagnostics.length) return { ok: false, diagnostics: [...program.diagnostics] };
  const r = guard((): { diagnostics: Diagnostic[] } | { data: ExportData } => {
    const inst = instantiate(program, { inject: opts.inject, maxSteps: opts.maxSteps, maxDepth: opts.maxDepth });
    if (inst.compiled.diagnostics.length) return { diagnostics: [...inst.compiled.diagnostics] };
    let target: Vertex = inst.root;
    if (opts.expression !== undefined) {
      const { expr, diagnostics } = parseExpr(new SourceFile('<expression>', opts.expression));
      if (diagnostics.length) return { diagnostics };
      // Like `cue export -e`: a conflict anywhere in the instance is an error, even outside the expression.
      const whole = new Exporter(inst.evaluator, { allowIncomplete: true });
      whole.export(inst.root);
      if (whole.errors.length) return { diagnostics: whole.diagnostics() };
      target = evalInInstance(inst, inst.compiled.compileExpr(expr));
    }
    const exporter = new Exporter(inst.evaluator);
    const data = exporter.export(target);
    const diags = exporter.diagnostics();
    if (diags.length || data === undefined) return { diagnostics: diags };
    return { data };
  });
  if ('severity' in r) return { ok: false, diagnostics: [r] };
  if ('diagnostics' in r) return { ok: false, diagnostics: r.diagnostics };
  const data = r.data;
  const out = opts.out;
  let text: string | undefined;
  let value: JsonValue | undefined;
  return {
    ok: true,
    // Both made on demand: a caller wants the data or the text, seldom both.
    get value() {
      return (value ??= toPlain(data) as JsonValue);
    },
    get text() {
      return (text ??= out === 'yaml' ? marshalYAML(data) : toJSONText(data) + '\n');
    },
  };
}

/** Checks CUE files like `cue vet`: errors other than incompleteness. An empty list means valid. */
export function vetFiles(files: readonly CueSource[]): Diagnostic[] {
  const program = compile(files);
  if (program.diagnostics.length) return [...program.diagnostics];
  const r = guard(() => {
    const inst = instantiate(program);
    if (inst.compiled.diagnostics.length) return [...inst.compiled.diagnostics];
    const exporter = new Exporter(inst.evaluator, { allowIncomplete: true });
    exporter.export(inst.root);
    return exporter.diagnostics();
  });
  return Array.isArray(r) ? r : [r];
}

export interface EvaluateOptions {
  /** Concrete data unified into top-level fields (a template's `parameter` and `context`). */
  inject?: Record<string, unknown>;
  /** Evaluation limits (defaults: 1 million steps, 1,200 nested evaluations). */
  maxSteps?: number;
  maxDepth?: number;
}

export type EvaluateResult = { readonly ok: true; readonly root: Value } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Evaluates a program (lazily: values are computed as they are asked for) and gives its root value; or the
 * program's syntax and compile errors.
 */
export function evaluate(program: Program, opts: EvaluateOptions = {}): EvaluateResult {
  if (program.diagnostics.length) return { ok: false, diagnostics: program.diagnostics };
  const inst = instantiate(program, opts);
  if (inst.compiled.diagnostics.length) return { ok: false, diagnostics: inst.compiled.diagnostics };
  return { ok: true, root: new Value(new ValueContext(inst.evaluator, inst.env), inst.root, []) };
}
