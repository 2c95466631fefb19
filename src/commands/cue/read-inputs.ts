/**
 * The files named on a `vela cue` command line, read as text; `-` is standard
 * input (named `-` in diagnostics, as cue does). A file that cannot be read is
 * the user's mistake (exit 1), reported together with every other one.
 */
import { nodeFileSystem, readStdin, type FileSystem } from '../../host/index.js';
import { DiagnosticError, error, type Diagnostic } from '../../source/index.js';

export interface InputFile {
  readonly name: string;
  readonly text: string;
}

export async function readInputs(names: readonly string[], fs: FileSystem = nodeFileSystem): Promise<InputFile[]> {
  const files: InputFile[] = [];
  const problems: Diagnostic[] = [];
  for (const name of names) {
    try {
      files.push({ name, text: name === '-' ? await readStdin() : await fs.readText(name) });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
      problems.push(error(`cannot read ${name}: ${why}`, undefined, { code: 'cli/unreadable-input' }));
    }
  }
  if (problems.length > 0) throw new DiagnosticError(problems);
  return files;
}
