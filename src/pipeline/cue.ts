/**
 * `vela cue export` and `vela cue vet`: the CUE engine's own front door. Reads
 * the files (`-` is standard input), every unreadable one reported at once
 * before the engine loads, then evaluates them as one instance.
 */
import { nodeFileSystem, readStdin, type FileSystem } from '../host/index.js';
import { DiagnosticError, error, type Diagnostic } from '../source/index.js';

export interface CueInput {
  readonly name: string;
  readonly text: string;
}

export interface CueInputOptions {
  readonly fs?: FileSystem;
  readonly stdin?: AsyncIterable<Uint8Array | string>;
}

export async function readCueInputs(names: readonly string[], opts: CueInputOptions = {}): Promise<CueInput[]> {
  const fs = opts.fs ?? nodeFileSystem;
  const files: CueInput[] = [];
  const problems: Diagnostic[] = [];
  for (const name of names) {
    try {
      files.push({ name, text: name === '-' ? await readStdin(opts.stdin) : await fs.readText(name) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
      problems.push(error(`cannot read ${name}: ${why}`, undefined, { code: 'cli/unreadable-input' }));
    }
  }
  if (problems.length > 0) throw new DiagnosticError(problems);
  return files;
}

export interface CueExportOptions extends CueInputOptions {
  /** Export this expression instead of the whole value (`-e`). */
  readonly expression?: string;
  readonly out: 'json' | 'yaml';
}

/** The files unified and exported as JSON or YAML text (ending in a newline); a conflict or incomplete value is an error. */
export async function cueExport(names: readonly string[], opts: CueExportOptions): Promise<{ text: string }> {
  const files = await readCueInputs(names, opts);
  // The engine is loaded only when there is something to evaluate.
  const { exportFiles } = await import('../cue/index.js');
  const result = exportFiles(files, { expression: opts.expression, out: opts.out });
  if (!result.ok) throw new DiagnosticError(result.diagnostics);
  return { text: result.text.endsWith('\n') ? result.text : `${result.text}\n` };
}

/** Checks the files; errors throw, warnings alone are returned (they do not fail the check). */
export async function cueVet(names: readonly string[], opts: CueInputOptions = {}): Promise<{ warnings: Diagnostic[] }> {
  const files = await readCueInputs(names, opts);
  const { vetFiles } = await import('../cue/index.js');
  const diagnostics = vetFiles(files);
  if (diagnostics.some((d) => d.severity === 'error')) throw new DiagnosticError(diagnostics);
  return { warnings: diagnostics };
}
