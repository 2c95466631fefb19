/**
 * From source files to an evaluable program: parse (cached by content),
 * check package clauses and imports, and build the root environment in
 * which the files' top-level declarations see each other.
 */
import { SourceFile, type Span } from '../source/position.js';
import { error, didYouMean, type Diagnostic } from '../source/diagnostic.js';
import type * as ast from './ast.js';
import { KNOWN_PACKAGES, lookupPackage } from './builtins/index.js';
import { fileScope, fromJSON, Evaluator, type EvalOptions } from './eval.js';
import { parseFile } from './parser.js';
import { Vertex, type Env } from './vertex.js';

export interface CueSource {
  readonly name: string;
  readonly text: string;
}

export interface Program {
  readonly files: readonly ast.File[];
  readonly diagnostics: readonly Diagnostic[];
  /** Per file: import name → path. */
  readonly imports: readonly ReadonlyMap<string, string>[];
}

const MAX_CACHE = 256;
const cache = new Map<string, Program>();

/** Parses and checks a set of files forming one CUE instance. Cached by names and contents. */
export function compile(sources: readonly CueSource[]): Program {
  const key = sources.map((s) => `${s.name}\u0000${s.text}`).join('\u0001');
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const files: ast.File[] = [];
  const diagnostics: Diagnostic[] = [];
  const imports: Map<string, string>[] = [];
  let pkg: { name: string; span: Span } | undefined;
  for (const s of sources) {
    const { file, diagnostics: d } = parseFile(new SourceFile(s.name, s.text));
    diagnostics.push(...d);
    files.push(file);
    if (file.packageName !== undefined) {
      if (pkg && pkg.name !== file.packageName) {
        diagnostics.push(error(`found packages "${pkg.name}" and "${file.packageName}"`, { file: file.src, start: file.start, end: file.start }));
      }
      pkg ??= { name: file.packageName, span: { file: file.src, start: file.start, end: file.start } };
    }
    const m = new Map<string, string>();
    for (const imp of file.imports) {
      const span = { file: imp.src, start: imp.start, end: imp.end };
      if (!lookupPackage(imp.path)) {
        diagnostics.push(
          error(`package "${imp.path}" not found`, span, {
            hint: didYouMean(imp.path, KNOWN_PACKAGES) ?? `the standard packages available are ${KNOWN_PACKAGES.map((p) => `"${p}"`).join(', ')}`,
            code: 'cue/unknown-package',
          }),
        );
        continue;
      }
      const name = imp.name ?? imp.path.slice(imp.path.lastIndexOf('/') + 1);
      m.set(name, imp.path);
    }
    imports.push(m);
  }
  const program: Program = { files, diagnostics, imports };
  cache.set(key, program);
  if (cache.size > MAX_CACHE) cache.delete(cache.keys().next().value!);
  return program;
}

export interface Instance {
  readonly evaluator: Evaluator;
  readonly root: Vertex;
  /** The environment of the first file: expressions (`-e`) are evaluated in it. */
  readonly env: Env;
}

/**
 * Builds the root vertex of a program. `inject` unifies concrete data into
 * top-level fields (e.g. `parameter` and `context` of a template).
 */
export function instantiate(program: Program, opts: EvalOptions & { inject?: Record<string, unknown> } = {}): Instance {
  const evaluator = new Evaluator(opts);
  const root = new Vertex(undefined, '');
  const scope = fileScope(program.files);
  // Injected fields (a template's `context`) are visible to the files even when they do not declare them.
  for (const k of Object.keys(opts.inject ?? {})) if (!scope.has(k)) scope.set(k, { kind: 'field', key: k });
  const top: Env = { vertex: root, scope };
  let first: Env | undefined;
  program.files.forEach((f, i) => {
    const fileEnv: Env = { vertex: root, parent: top, imports: program.imports[i] };
    first ??= fileEnv;
    const body: ast.StructLit = { kind: 'StructLit', decls: f.decls, src: f.src, start: f.start, end: f.end };
    root.addConjunct({ k: 'expr', expr: body, env: fileEnv });
  });
  if (program.files.length === 0) root.addConjunct({ k: 'expr', expr: { kind: 'StructLit', decls: [], src: new SourceFile('<empty>', ''), start: 0, end: 0 }, env: top });
  if (opts.inject) {
    const data = fromJSON(opts.inject);
    if (data instanceof Vertex) root.addConjunct({ k: 'vertex', v: data });
  }
  return { evaluator, root, env: first ?? top };
}
