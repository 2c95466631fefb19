/**
 * The host side of an Appfile's variables and overrides: the environment,
 * `.env` beside the Appfile, and the files that `--values FILE` and
 * `--set-file PATH=FILE` name (relative to the working folder, as typed).
 * Everything is read here; the pure reader applies it (appfile/variables.ts,
 * appfile/overlay.ts), so each value keeps the position of the file or flag
 * it came from.
 */
import { resolve } from 'node:path';
import { defaultYamlLimits, overlayValue, type AppfileVariables, type Overlay } from '../appfile/index.js';
import type { Environment, FileSystem } from '../host/index.js';
import { DiagnosticError, error, SourceFile } from '../source/index.js';
import { displayPath } from './display-path.js';
import { readProjectFile } from './read-project-file.js';

/** `--values`, `--set`, `--set-string`, `--set-file`, each in the order given. */
export interface AppfileOverrides {
  readonly values?: readonly string[];
  readonly set?: readonly string[];
  readonly setString?: readonly string[];
  readonly setFile?: readonly string[];
}

export function hasOverrides(o: AppfileOverrides | undefined): boolean {
  return Boolean(o && (o.values?.length || o.set?.length || o.setString?.length || o.setFile?.length));
}

export interface AppfileInputs {
  readonly variables: AppfileVariables;
  /** In the order they apply: values files, then --set, --set-string, --set-file. */
  readonly overlays: readonly Overlay[];
}

export async function readAppfileInputs(opts: {
  readonly cwd: string;
  /** The Appfile's folder, where `.env` is. */
  readonly dir: string;
  readonly fs: FileSystem;
  readonly environment: Environment;
  readonly overrides?: AppfileOverrides;
}): Promise<AppfileInputs> {
  const { cwd, fs, overrides = {} } = opts;
  const dotenvPath = resolve(opts.dir, '.env');
  // Read under the rules a compose file's `.env` has (read-project-file.ts): inside the folder, a regular file, bounded.
  const reading = await readProjectFile(fs, '.env', { projectDir: opts.dir });
  if (reading.kind === 'refused') {
    throw new DiagnosticError([error(`cannot read ${displayPath(cwd, dotenvPath)}: it ${reading.problem}`, undefined, { code: 'appfile/file-refused', ...(reading.hint ? { hint: reading.hint } : {}) })]);
  }
  const dotenv = reading.kind === 'text' ? reading.text : undefined;
  const variables: AppfileVariables = {
    env: (name) => {
      const value = opts.environment.get(name);
      return typeof value === 'string' ? value : undefined;
    },
    ...(dotenv !== undefined ? { dotenv: new SourceFile(displayPath(cwd, dotenvPath), dotenv) } : {}),
  };
  const overlays: Overlay[] = [];
  for (const path of overrides.values ?? []) overlays.push({ kind: 'values', file: await readNamed(fs, cwd, path, '--values') });
  for (const arg of overrides.set ?? []) overlays.push({ kind: 'set', arg });
  for (const arg of overrides.setString ?? []) overlays.push({ kind: 'set', arg, asString: true });
  for (const arg of overrides.setFile ?? []) {
    const file = overlayValue(arg);
    // A malformed flag is reported by the reader, at its column; there is no file to read.
    const content = file ? await readNamed(fs, cwd, file, '--set-file') : new SourceFile('--set-file', '');
    overlays.push({ kind: 'set-file', arg, content });
  }
  return { variables, overlays };
}

/** A file a flag names: it must exist, be a file, and be no larger than an Appfile may be. */
async function readNamed(fs: FileSystem, cwd: string, path: string, flag: string): Promise<SourceFile> {
  const abs = resolve(cwd, path);
  const shown = displayPath(cwd, abs);
  const fail = (why: string) => new DiagnosticError([error(`${flag} ${path}: ${why}`, undefined, { code: 'appfile/overlay' })]);
  const info = await fs.stat(abs);
  if (!info) throw fail('no such file');
  if (info.kind !== 'file') throw fail(info.kind === 'directory' ? 'a folder, not a file' : 'not a regular file');
  if (info.size > defaultYamlLimits.maxBytes) throw fail(`too large (the limit is ${defaultYamlLimits.maxBytes / (1024 * 1024)} MiB)`);
  return new SourceFile(shown, await fs.readText(abs));
}
