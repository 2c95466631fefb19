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
import { findAppfile, parseAppfile, resolveAppModel, userMap, type AppModel, type ParseResult, composeFileKey, composeReferencedFiles, explainFormat, parseComposeFile, type DetectedFormat, type InputFormat, type ParseComposeOptions, type RefusedFile, parseApplication } from '../appfile/index.js';
import { announce, nodeEnvironment, nodeFileSystem, type Environment, type FileSystem } from '../host/index.js';
import { DiagnosticError, error, warning, type Diagnostic, SourceFile } from '../source/index.js';
import { readProjectFile } from './read-project-file.js';
import { loadRegistry, useCompiledValidators, type LoadedRegistry, type RegistryOptions } from './registry.js';
import { hasOverrides, readAppfileInputs, type AppfileOverrides } from './appfile-inputs.js';

export interface LoadAppOptions extends Omit<RegistryOptions, 'cwd'> {
  cwd: string;
  /** `-f PATH` (or `-` for stdin). */
  file?: string;
  stdin?: AsyncIterable<Uint8Array | string>;
  /** Compose files: the environment for interpolation and COMPOSE_PROFILES (default the process's), and the active profiles. */
  environment?: Environment;
  profiles?: readonly string[];
  /** `--values`, `--set`, `--set-string`, `--set-file`: overrides applied onto an Appfile before it is read. */
  overrides?: AppfileOverrides;
  /** `--allow-outside-project`: compose files may read `env_file`, configs and secrets from outside the project folder. */
  allowOutsideProject?: boolean;
}

export interface LoadedApp {
  readonly app: AppModel;
  /** What the file was read as. */
  readonly format: InputFormat;
  /** How that was decided (by name, or guessed from the content), for `-v`. */
  readonly detected: DetectedFormat;
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
  const detected = explainFormat(file);
  const format = detected.format;
  if (format !== 'appfile' && hasOverrides(opts.overrides)) throw overridesNeedAnAppfile(file.name, format);
  const parsed: ParseResult =
    format === 'compose'
      ? parseComposeFile(file, await readComposeInputs(file, dir, fs, opts))
      : format === 'application'
        ? parseApplication(file, { dir })
        : parseAppfile(file, { dir, ...(await readAppfileInputs({ cwd: opts.cwd, dir, fs, environment: opts.environment ?? nodeEnvironment(), overrides: opts.overrides })) });
  const { app, diagnostics } = resolveAppModel(parsed, loaded.registry);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  // A close guess is said with the errors too: reading the file as the wrong format explains them.
  const guessWarning = detected.ambiguous ? [ambiguousFormat(file, detected)] : [];
  if (!app || errors.length) throw new DiagnosticError([...guessWarning, ...(errors.length ? errors : diagnostics)]);
  // Said through the notice channel, so every command that reads the file says it alike (base-command.ts), also
  // those that only take the app's name from it.
  const note = formatNote(file.name, detected);
  if (note !== undefined) announce({ kind: 'note', text: note });
  for (const diagnostic of guessWarning) announce({ kind: 'warning', diagnostic });
  return { app, format, detected, loaded, warnings: [...loaded.warnings, ...diagnostics.filter((d) => d.severity === 'warning')] };
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

function overridesNeedAnAppfile(name: string, format: InputFormat): DiagnosticError {
  return new DiagnosticError([
    error(`--values and --set apply to an Appfile; ${name} is ${format === 'compose' ? 'a compose file' : 'a KubeVela Application'}`, undefined, {
      code: 'appfile/overlay',
      hint: `convert it once (\`vela convert ${name} -o vela.yaml\`), then override the Appfile${format === 'compose' ? ", or use compose's own variables (${VAR:-default})" : ''}`,
    }),
  ]);
}

/** The content looked like both an Appfile and a compose file: say which reading won, and how to settle it. */
function ambiguousFormat(file: SourceFile, detected: DetectedFormat): Diagnostic {
  const as = detected.format === 'appfile' ? 'an Appfile' : detected.format === 'compose' ? 'a compose file' : 'a KubeVela Application';
  return warning(`read ${file.name} as ${as}, a guess: ${detected.reason}`, { file, start: 0, end: 0 }, {
    code: 'appfile/format-guess',
    hint: 'name the file vela.yaml (an Appfile) or compose.yaml (a compose file) to settle it',
  });
}

/** `-v`: how the file's format was decided, when it was guessed. */
export function formatNote(file: string, detected: DetectedFormat): string | undefined {
  if (!detected.guessed) return undefined;
  const as = detected.format === 'appfile' ? 'an Appfile' : detected.format === 'compose' ? 'a compose file' : 'a KubeVela Application';
  return `read ${file} as ${as} (guessed from its content: ${detected.reason})`;
}
