/**
 * An instance: a compiled program ready to evaluate. The root vertex gets
 * one conjunct per file (its declarations, in a frame for the file's
 * imports below the top frame), plus the injected data.
 */
import type * as adt from '../adt/expr.js';
import { Vertex, type Env } from '../adt/vertex.js';
import { compiledProgram, type CompiledProgram, type Program } from '../compile/program.js';
import { fromJSON } from './data.js';
import { Evaluator, type EvalOptions } from './evaluator.js';

export interface Instance {
  readonly evaluator: Evaluator;
  readonly root: Vertex;
  /** The frame of the first file: expressions (`-e`) are evaluated in it. */
  readonly env: Env;
  readonly compiled: CompiledProgram;
}

/**
 * Builds the root vertex of a program. `inject` unifies concrete data into
 * top-level fields (e.g. `parameter` and `context` of a template).
 */
export function instantiate(program: Program, opts: EvalOptions & { inject?: Record<string, unknown> } = {}): Instance {
  const evaluator = new Evaluator(opts);
  const root = new Vertex(undefined, '');
  const compiled = compiledProgram(program, Object.keys(opts.inject ?? {}));
  const top: Env = { vertex: root };
  let first: Env | undefined;
  for (const file of compiled.files) {
    const fileEnv: Env = { vertex: root, parent: top };
    first ??= fileEnv;
    root.addConjunct({ k: 'expr', expr: file, env: fileEnv });
  }
  first ??= { vertex: root, parent: top };
  if (compiled.files.length === 0) root.addConjunct({ k: 'expr', expr: compiled.empty, env: first });
  if (opts.inject) {
    const data = fromJSON(opts.inject);
    if (data instanceof Vertex) root.addConjunct({ k: 'vertex', v: data });
  }
  return { evaluator, root, env: first, compiled };
}

/** Evaluates an expression (`cue export -e`) in the scope of the instance's first file. */
export function evalInInstance(inst: Instance, expr: adt.Expr): Vertex {
  return inst.evaluator.anon(expr, inst.env);
}
