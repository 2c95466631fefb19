/**
 * What `vela dev` watches, and what a changed path means: the Appfile (and the
 * files beside it that it may read: `.env`, compose's `env_file`s), the
 * definitions folders of the lookup path (a change there re-reads the
 * definitions), and each build context, as `docker build` would send it (a
 * path its `.dockerignore` leaves out changes nothing; the Dockerfile and
 * `.dockerignore` always count). Pure: paths in, answers out.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { ContextFilter } from '../image/index.js';

export interface WatchedContext {
  readonly service: string;
  /** Absolute. */
  readonly dir: string;
  readonly filter: ContextFilter;
}

export interface DevInputs {
  /** The Appfile's folder (absolute): its own files count, its subfolders only as contexts or definitions. */
  readonly appDir: string;
  /** Definitions folders of the lookup path that the user can edit (absolute). */
  readonly definitionDirs: readonly string[];
  readonly contexts: readonly WatchedContext[];
  /** Never an input (`--output DIR`: vela writes there). */
  readonly outputDir?: string;
}

/** `path` relative to `dir` with `/` separators, or undefined when it is not inside (or is) `dir`. */
function inside(dir: string, path: string): string | undefined {
  const rel = relative(dir, path);
  if (rel === '') return '';
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** Is `dir` an ancestor of `path` (so the watch must go through it)? */
const leadsTo = (dir: string, path: string) => {
  const rel = inside(dir, path);
  return rel !== undefined && rel !== '';
};

/** The roots to watch: the Appfile's folder and the definitions folders. */
export function watchRoots(inputs: DevInputs): string[] {
  return [inputs.appDir, ...inputs.definitionDirs];
}

/**
 * Does a change at `path` matter? `folder` says whether it is one (unknown:
 * either). A folder matters when it leads to an input or lies in one.
 */
export function isDevInput(inputs: DevInputs, path: string, folder?: boolean): boolean {
  if (inputs.outputDir !== undefined && inside(inputs.outputDir, path) !== undefined) return false;
  if (path === inputs.appDir) return true;
  if (inputs.definitionDirs.some((dir) => inside(dir, path) !== undefined || leadsTo(path, dir))) return true;
  for (const context of inputs.contexts) {
    const rel = inside(context.dir, path);
    if (rel === '') return true;
    if (rel !== undefined) {
      if (folder !== false && context.filter.excludes(rel) && context.filter.canSkipFolder(rel)) return false;
      if (folder === true) return true;
      if (!context.filter.excludes(rel)) return true;
      if (folder === undefined) return !context.filter.canSkipFolder(rel);
      continue;
    }
    if (folder !== false && leadsTo(path, context.dir)) return true;
  }
  // The Appfile's own folder: its files (the Appfile, `.env`, files a compose file reads), not its subfolders.
  const rel = inside(inputs.appDir, path);
  return rel !== undefined && !rel.includes('/') && folder !== true && !rel.startsWith('.git');
}

/** The services whose build context (as sent) holds one of `paths`. */
export function touchedContexts(inputs: DevInputs, paths: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const context of inputs.contexts) {
    for (const path of paths) {
      const rel = inside(context.dir, path);
      if (rel === undefined || rel === '') continue;
      // A removed folder's files, a renamed file: anything not left out by .dockerignore counts.
      if (!context.filter.excludes(rel)) out.add(context.service);
    }
  }
  return out;
}

/** Did one of `paths` change a definition? */
export function touchesDefinitions(inputs: DevInputs, paths: readonly string[]): boolean {
  return paths.some((path) => inputs.definitionDirs.some((dir) => inside(dir, path) !== undefined));
}
