/**
 * The first half of every pipeline: find and read the Appfile, load the
 * definitions it refers to, parse and validate it. Throws DiagnosticError
 * (exit code 1) for any problem in the input.
 */
import { dirname, resolve } from 'node:path';
import { findAppfile, parseAppfile, type ParsedApp } from '../appfile/index.js';
import { DiagnosticError, type Diagnostic } from '../source/diagnostic.js';
import { SourceFile } from '../source/position.js';
import { loadRegistry, type LoadedRegistry, type RegistryOptions } from './registry.js';

export interface LoadAppOptions extends Omit<RegistryOptions, 'cwd'> {
  cwd: string;
  /** `-f PATH` (or `-` for stdin). */
  file?: string;
  stdin?: AsyncIterable<Uint8Array | string>;
}

export interface LoadedApp {
  readonly app: ParsedApp;
  readonly loaded: LoadedRegistry;
  /** Warnings from every stage so far. */
  readonly warnings: Diagnostic[];
}

export async function loadApp(opts: LoadAppOptions): Promise<LoadedApp> {
  const [found, loaded] = await Promise.all([findAppfile(opts.cwd, opts.file, { stdin: opts.stdin }), loadRegistry(opts)]);
  if ('error' in found) throw new DiagnosticError([found.error]);
  const dir = opts.file === '-' ? opts.cwd : dirname(resolve(opts.cwd, found.path));
  const { app, diagnostics } = parseAppfile(new SourceFile(found.path, found.text), loaded.registry, { dir });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!app || errors.length) throw new DiagnosticError(errors.length ? errors : diagnostics);
  return { app, loaded, warnings: [...loaded.warnings, ...diagnostics.filter((d) => d.severity === 'warning')] };
}
