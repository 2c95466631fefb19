/**
 * Loads capability definitions from the lookup path (APPFILE.md section 2),
 * first match by name wins: `--definitions DIR` (in order), the project's
 * `.vela/definitions/` (its files installed by `vela def install` checked
 * against `.vela/definitions.lock` first), the definitions of enabled addons
 * (the project's `.vela/addons/NAME/definitions/`, then the user's
 * `$VELA_HOME/addons/NAME/definitions/`), the user's `$VELA_HOME/definitions/`
 * (default `~/.vela/definitions/`) and what `vela def sync --from-cluster`
 * copied into `$VELA_HOME/definitions/cluster/`, then the built-in
 * `definitions/` shipped with vela.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import {
  DefinitionRegistry,
  definitionsFromIndex,
  parseDefinitionFile,
  type DefinitionIndexEntry,
  type DefinitionOrigin,
  type DefinitionSource,
} from '../capability/index.js';
import { DiagnosticError, error, warning, type Diagnostic, SourceFile } from '../source/index.js';
import { nodeEnvironment, nodeFileSystem, velaHome, type FileSystem } from '../host/index.js';
import { displayPath } from './display-path.js';
import { readLock, verifyLockedFiles } from './definitions-lock.js';

/** The built-in definitions folder of this installation (package root `definitions/`). */
export const BUILTIN_DEFINITIONS = fileURLToPath(new URL('../../definitions/', import.meta.url));

/**
 * Written by the build (`npm run build`, scripts/definitions-index.ts) beside
 * the compiled code: the headers of the built-in definitions, so that listing
 * them needs no CUE evaluation. Entries are used only while the file's hash matches.
 */
export const BUILTIN_INDEX = fileURLToPath(new URL('../definitions-index.json', import.meta.url));

/** The folder of ajv validators compiled by the build for the built-in definitions' schemas, one module each. */
export const BUILTIN_VALIDATORS = fileURLToPath(new URL('../validators/', import.meta.url));

/** Files of a definitions folder that hold definitions. */
export const isDefinitionFile = (name: string): boolean => /\.(cue|ya?ml)$/i.test(name);

/** Subfolders of the built-in folder that hold definitions of their own kind, kept apart from components and traits. */
export const BUILTIN_SUBFOLDERS = ['policies', 'workflow-steps'] as const;

/**
 * The definition files of a folder, as paths relative to it: its own files,
 * and for the built-in folder those of its policies/ and workflow-steps/ too.
 * Other folders are read flat, as they always were.
 */
export async function listDefinitionFiles(fs: FileSystem, dir: string, builtin: boolean): Promise<string[]> {
  const names = (await fs.list(dir)).filter(isDefinitionFile);
  if (!builtin) return names;
  for (const sub of BUILTIN_SUBFOLDERS) names.push(...(await fs.list(join(dir, sub))).filter(isDefinitionFile).map((n) => `${sub}/${n}`));
  return names;
}

/** The hash an index entry carries of its file's text: the entry is used only while it matches. */
export const definitionTextHash = (text: string): string => createHash('sha256').update(text).digest('hex');

async function readIndex(fs: FileSystem, path: string): Promise<Map<string, DefinitionIndexEntry>> {
  try {
    const entries = JSON.parse(await fs.readText(path)) as DefinitionIndexEntry[];
    return new Map(entries.map((e) => [e.file, e]));
  } catch {
    return new Map();
  }
}

/**
 * Registers the build's compiled validators for built-in definitions, so that
 * validating them neither loads nor runs the ajv compiler. Only those whose
 * name occurs in `text` (the Appfile) are loaded, plus `webservice`, the
 * default type; any other definition is still validated, compiled on first use.
 */
export async function useCompiledValidators(registry: DefinitionRegistry, text?: string, dir: string = BUILTIN_VALIDATORS): Promise<void> {
  const defs = [...registry.components(), ...registry.traits()].filter(
    (d) => d.validator && d.origin === 'builtin' && (text === undefined || d.name === 'webservice' || text.includes(d.name)),
  );
  if (!defs.length) return;
  const { registerCompiledValidator } = await import('../appfile/index.js');
  await Promise.all(
    defs.map(async (d) => {
      try {
        const mod = (await import(pathToFileURL(join(dir, `${d.validator}.mjs`)).href)) as { default?: unknown };
        if (typeof mod.default === 'function') registerCompiledValidator(d.schema, mod.default as Parameters<typeof registerCompiledValidator>[1]);
      } catch {
        // not built: compiled on first use instead
      }
    }),
  );
}

export interface RegistryOptions {
  cwd: string;
  /** `--definitions DIR`, repeatable, searched first. */
  definitionDirs?: readonly string[];
  /** `$VELA_HOME` (default `~/.vela`). */
  velaHome?: string;
  /** Replace the built-in folder (tests). */
  builtinDir?: string;
  /** Replace the built-in index file (tests). */
  builtinIndex?: string;
  fs?: FileSystem;
  /** Definitions searched before all others (an addon's own, while its Application renders). Never cached. */
  extraSources?: readonly DefinitionSource[];
}

export interface LoadedRegistry {
  readonly registry: DefinitionRegistry;
  /** Warnings (e.g. a definition hidden by another of the same name from the same folder level). */
  readonly warnings: readonly Diagnostic[];
  /** The folders searched, in order, with their origin. */
  readonly searched: readonly { dir: string; origin: DefinitionOrigin }[];
}

const cache = new Map<string, Promise<LoadedRegistry>>();

/** Reads every definition file of the lookup path; a broken definition is an error (exit 1) pointing into its file. */
export async function loadRegistry(opts: RegistryOptions): Promise<LoadedRegistry> {
  // What `vela def install` recorded must be what is there: checked on every load (a long-running
  // process keeps its registry), before any of it is used.
  const fs = opts.fs ?? nodeFileSystem;
  const lock = await readLock(fs, opts.cwd);
  const changed = lock ? await verifyLockedFiles(fs, opts.cwd, lock) : [];
  if (changed.length) throw new DiagnosticError(changed);
  const key = JSON.stringify([opts.cwd, opts.definitionDirs, opts.velaHome, opts.builtinDir, opts.builtinIndex]);
  const cacheable = !opts.fs && !opts.extraSources?.length;
  let p = cacheable ? cache.get(key) : undefined;
  if (!p) {
    p = load(opts);
    if (cacheable) cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/**
 * Forgets every loaded registry: after definitions were installed or removed
 * (an addon enabled, `vela def install`) or a definition file changed under
 * `vela dev`, the next load in this process reads the lookup path again.
 */
export function forgetLoadedRegistries(): void {
  cache.clear();
}

/** `ROOT/NAME/definitions` of every enabled addon under ROOT (folders starting with `.` are being written). */
async function addonDefinitionDirs(fs: FileSystem, root: string): Promise<string[]> {
  const names = (await fs.list(root)).filter((n) => !n.startsWith('.'));
  return names.map((n) => join(root, n, 'definitions'));
}

async function load(opts: RegistryOptions): Promise<LoadedRegistry> {
  const fs = opts.fs ?? nodeFileSystem;
  const home = opts.velaHome ?? velaHome(nodeEnvironment());
  const searched: { dir: string; origin: DefinitionOrigin }[] = [
    ...(opts.definitionDirs ?? []).map((d) => ({ dir: resolve(opts.cwd, d), origin: 'flag' as const })),
    { dir: join(opts.cwd, '.vela', 'definitions'), origin: 'project' },
    ...(await addonDefinitionDirs(fs, join(opts.cwd, '.vela', 'addons'))).map((dir) => ({ dir, origin: 'addon' as const })),
    ...(await addonDefinitionDirs(fs, join(home, 'addons'))).map((dir) => ({ dir, origin: 'addon' as const })),
    { dir: join(home, 'definitions'), origin: 'user' },
    { dir: join(home, 'definitions', 'cluster'), origin: 'user' },
    { dir: opts.builtinDir ?? BUILTIN_DEFINITIONS, origin: 'builtin' },
  ];
  const diagnostics: Diagnostic[] = [];
  const sources: DefinitionSource[] = [...(opts.extraSources ?? [])];
  for (const { dir, origin } of searched) {
    if (origin === 'flag' && !(await fs.exists(dir))) {
      diagnostics.push(error(`definitions folder ${dir} does not exist`, undefined, { hint: 'check the --definitions flag' }));
      continue;
    }
    const names = await listDefinitionFiles(fs, dir, origin === 'builtin');
    const texts = await Promise.all(names.map((n) => fs.readText(join(dir, n))));
    const indexFile = opts.builtinIndex ?? (opts.builtinDir || opts.fs ? undefined : BUILTIN_INDEX);
    const index = origin === 'builtin' && indexFile ? await readIndex(fs, indexFile) : new Map<string, DefinitionIndexEntry>();
    names.forEach((n, i) => {
      const path = join(dir, n);
      const shown = origin === 'builtin' ? join('definitions', n) : displayPath(opts.cwd, path);
      const src = new SourceFile(shown, texts[i]!);
      const entry = index.get(n);
      if (entry && entry.hash === definitionTextHash(texts[i]!)) {
        sources.push(...definitionsFromIndex(entry, src, origin));
        return;
      }
      const r = parseDefinitionFile(src, origin);
      diagnostics.push(...r.diagnostics);
      sources.push(...r.definitions);
    });
  }
  if (diagnostics.some((d) => d.severity === 'error')) throw new DiagnosticError(diagnostics);
  const registry = new DefinitionRegistry(sources);
  const warnings = registry.shadowed
    .filter((d) => {
      const w = registry.get(d.kind, d.name);
      // Within one folder; each addon is a level of its own.
      return w && w.origin === d.origin && (d.origin !== 'addon' || dirname(w.path) === dirname(d.path));
    })
    .map((d) => warning(`${d.kind} ${d.name} is defined twice in the same folder; ${d.path} is ignored`, d.span));
  return { registry, warnings, searched };
}

/** The addon a definition of origin `addon` came from, read from its path (`…/addons/NAME/definitions/FILE`). */
export function addonOf(path: string): string | undefined {
  return /(?:^|[\\/])addons[\\/]([^\\/]+)[\\/]definitions[\\/][^\\/]+$/.exec(path)?.[1];
}
