/**
 * From source files to a program: parse (cached by content), check package
 * clauses and imports, and compile (compile.ts) once per program and set of
 * injected names, so that a definition evaluated many times is parsed and
 * compiled once.
 */
import { SourceFile, type Span, error, didYouMean, type Diagnostic } from '../../source/index.js';
import type * as ast from '../ast.js';
import type * as adt from '../adt/expr.js';
import { KNOWN_PACKAGES, lookupPackage } from '../builtins/index.js';
import { parseFile } from '../parser.js';
import { compileErrors, compileExpr, compileFile, fileScope, topScope } from './compile.js';

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

/**
 * A program whose top level is part of a parsed file: `body` (a struct literal of the file, or the file itself)
 * with the file's imports. A definition file's `template: {...}` block evaluates this way.
 */
export function programFromSyntax(file: ast.File, body: ast.StructLit | ast.File): Program {
  const top: ast.File = { kind: 'File', src: file.src, start: body.start, end: body.end, imports: file.imports, decls: body.decls, comments: file.comments };
  const imports = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const imp of file.imports) {
    if (!lookupPackage(imp.path)) {
      diagnostics.push(error(`package "${imp.path}" not found`, { file: imp.src, start: imp.start, end: imp.end }, { code: 'cue/unknown-package' }));
      continue;
    }
    imports.set(imp.name ?? imp.path.slice(imp.path.lastIndexOf('/') + 1), imp.path);
  }
  return { files: [top], diagnostics, imports: [imports] };
}

/** A program compiled for one set of injected names. */
export interface CompiledProgram {
  /** Per file: its declarations as the struct literal evaluated at the root. */
  readonly files: readonly adt.StructLit[];
  /** Compile errors (an alias or let that is never referenced). */
  readonly diagnostics: readonly Diagnostic[];
  /** An empty struct, the value of a program without files. */
  readonly empty: adt.StructLit;
  /** Compiles an expression (`cue export -e`) in the scope of the first file. */
  compileExpr(e: ast.Expr): adt.Expr;
}

const EMPTY_FILE: ast.File = { kind: 'File', src: new SourceFile('<empty>', ''), start: 0, end: 0, imports: [], decls: [], comments: [] };

const compiledCache = new WeakMap<Program, Map<string, CompiledProgram>>();

/**
 * The compiled form of a program, cached per program and names injected at
 * instantiation (they are visible to the files even when not declared).
 */
export function compiledProgram(program: Program, injected: readonly string[] = []): CompiledProgram {
  let byNames = compiledCache.get(program);
  if (!byNames) compiledCache.set(program, (byNames = new Map()));
  const sig = injected.join('\u0000');
  let c = byNames.get(sig);
  if (!c) {
    const top = topScope(program.files, injected);
    const scopes = program.files.map((_, i) => fileScope(top, program.imports[i] ?? new Map()));
    const files = program.files.map((f, i) => compileFile(f, scopes[i]!));
    // An expression gets scopes of its own, so that its compile errors do not stick to the cached program.
    const exprScope = () => ({ ...fileScope(top, program.imports[0] ?? new Map()), errors: [] });
    const empty: adt.StructLit = { k: 'struct', decls: [], keys: new Set(), declaresStruct: true, node: EMPTY_FILE };
    c = { files, empty, diagnostics: compileErrors(top), compileExpr: (e) => compileExpr(e, exprScope()) };
    byNames.set(sig, c);
  }
  return c;
}
