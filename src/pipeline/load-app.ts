/**
 * The first half of every pipeline: find and read the Appfile, load the
 * definitions it refers to, parse it (no definitions needed) and resolve it
 * against them. Throws DiagnosticError (exit code 1) for any problem in the
 * input. The file may also be a compose file or a KubeVela Application
 * (detected by name, then by content); each becomes the same AppModel. Files
 * and environment variables are read through the host (`fs`, `environment`),
 * so the in-memory host drives it in tests.
 */
import { dirname, join, resolve } from 'node:path';
import { findAppfile, parseAppfile, resolveAppModel, userMap, type AppModel, type ParseResult, composeFileKey, composeReferencedFiles, detectFormat, parseComposeFile, type InputFormat, type ParseComposeOptions, type RefusedFile, parseApplication } from '../appfile/index.js';
import { nodeEnvironment, nodeFileSystem, type Environment, type FileSystem } from '../host/index.js';
import { DiagnosticError, error, type Diagnostic, SourceFile } from '../source/index.js';
import { readProjectFile } from './read-project-file.js';
import { loadRegistry, useCompiledValidators, type LoadedRegistry, type RegistryOptions } from './registry.js';

export interface LoadAppOptions extends Omit<RegistryOptions, 'cwd'> {
  cwd: string;
  /** `-f PATH` (or `-` for stdin). */
  file?: string;
  stdin?: AsyncIterable<Uint8Array | string>;
  /** Compose files: the environment for interpolation and COMPOSE_PROFILES (default the process's), and the active profiles. */
  environment?: Environment;
  profiles?: readonly string[];
  /** `--allow-outside-project`: compose files may read `env_file`, configs and secrets from outside the project folder. */
  allowOutsideProject?: boolean;
}

export interface LoadedApp {
  readonly app: AppModel;
  /** What the file was read as. */
  readonly format: InputFormat;
  readonly loaded: LoadedRegistry;
  /** Warnings from every stage so far. */
  readonly warnings: Diagnostic[];
}

export async function loadApp(opts: LoadAppOptions): Promise<LoadedApp> {
  const fs = opts.fs ?? nodeFileSystem;
  const [found, loaded] = await Promise.all([findAppfile(opts.cwd, opts.file, { stdin: opts.stdin ?? process.stdin, fs }), loadRegistry(opts)]);
  if ('error' in found) throw new DiagnosticError([found.error]);
  await useCompiledValidators(loaded.registry, found.text);
  const dir = opts.file === '-' ? opts.cwd : dirname(resolve(opts.cwd, found.path));
  const file = new SourceFile(found.path, found.text);
  const format = detectFormat(file);
  const parsed: ParseResult =
    format === 'compose'
      ? parseComposeFile(file, await readComposeInputs(file, dir, fs, opts))
      : format === 'application'
        ? parseApplication(file, { dir })
        : parseAppfile(file, { dir });
  const { app, diagnostics } = resolveAppModel(parsed, loaded.registry);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!app || errors.length) throw new DiagnosticError(errors.length ? errors : diagnostics);
  return { app, format, loaded, warnings: [...loaded.warnings, ...diagnostics.filter((d) => d.severity === 'warning')] };
}

/**
 * The host side of a compose file: the environment, `.env` beside it and the
 * files it refers to, each read under the rules of read-project-file.ts. A
 * missing or refused file is reported by the parser, at the line that names it.
 */
async function readComposeInputs(file: SourceFile, dir: string, fs: FileSystem, opts: LoadAppOptions): Promise<ParseComposeOptions> {
  const environment = opts.environment ?? nodeEnvironment();
  const rules = { projectDir: dir, allowOutside: opts.allowOutsideProject === true };
  const dotenvReading = await readProjectFile(fs, '.env', rules);
  if (dotenvReading.kind === 'refused') {
    throw new DiagnosticError([error(`cannot read ${join(dir, '.env')}: it ${dotenvReading.problem}`, undefined, { code: 'compose/file-refused', ...(dotenvReading.hint ? { hint: dotenvReading.hint } : {}) })]);
  }
  const env = (name: string) => {
    const value = environment.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const base = {
    dir,
    env,
    ...(dotenvReading.kind === 'text' ? { dotenv: dotenvReading.text } : {}),
    ...(opts.profiles ? { profiles: opts.profiles } : {}),
  };
  const files: Record<string, string | RefusedFile> = userMap();
  for (const p of composeReferencedFiles(file, base)) {
    const reading = await readProjectFile(fs, p, rules);
    if (reading.kind === 'text') files[composeFileKey(p)] = reading.text;
    else if (reading.kind === 'refused') files[composeFileKey(p)] = { problem: reading.problem, ...(reading.hint ? { hint: reading.hint } : {}) };
  }
  return { ...base, files };
}
