/**
 * Loads capability definitions from the lookup path (APPFILE.md section 2),
 * first match by name wins: `--definitions DIR` (in order), the project's
 * `.vela/definitions/`, the user's `$VELA_HOME/definitions/` (default
 * `~/.vela/definitions/`), then the built-in `definitions/` shipped with vela.
 */
import { join, resolve } from 'node:path';
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
export function loadRegistry(opts: RegistryOptions): Promise<LoadedRegistry> {
  const key = JSON.stringify([opts.cwd, opts.definitionDirs, opts.velaHome, opts.builtinDir, opts.builtinIndex]);
  let p = opts.fs ? undefined : cache.get(key);
  if (!p) {
    p = load(opts);
    if (!opts.fs) cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function load(opts: RegistryOptions): Promise<LoadedRegistry> {
  const fs = opts.fs ?? nodeFileSystem;
  const searched: { dir: string; origin: DefinitionOrigin }[] = [
    ...(opts.definitionDirs ?? []).map((d) => ({ dir: resolve(opts.cwd, d), origin: 'flag' as const })),
    { dir: join(opts.cwd, '.vela', 'definitions'), origin: 'project' },
    { dir: join(opts.velaHome ?? velaHome(nodeEnvironment()), 'definitions'), origin: 'user' },
    { dir: opts.builtinDir ?? BUILTIN_DEFINITIONS, origin: 'builtin' },
  ];
  const diagnostics: Diagnostic[] = [];
  const sources: DefinitionSource[] = [];
  for (const { dir, origin } of searched) {
    if (origin === 'flag' && !(await fs.exists(dir))) {
      diagnostics.push(error(`definitions folder ${dir} does not exist`, undefined, { hint: 'check the --definitions flag' }));
      continue;
    }
    const names = (await fs.list(dir)).filter(isDefinitionFile);
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
      const w = d.kind === 'component' ? registry.component(d.name) : registry.trait(d.name);
      return w && w.origin === d.origin;
    })
    .map((d) => warning(`${d.kind} ${d.name} is defined twice in the same folder; ${d.path} is ignored`, d.span));
  return { registry, warnings, searched };
}
