/**
 * Which paths of a build context are sent: the `.dockerignore` rules exactly as
 * `docker build` applies them (@balena/dockerignore is a port of docker's
 * matcher). The filter is pure: it takes the ignore file's text and answers
 * per path; readDockerignore reads that text, and only from inside the context.
 */
import dockerignoreModule from '@balena/dockerignore';
import { join } from 'node:path';
import type { FileSystem } from '../host/index.js';
import { isInside } from './context-paths.js';

// The package is CommonJS (`module.exports = factory`) with ESM-style typings:
// at run time the default import is the factory itself.
type Factory = typeof dockerignoreModule.default;
const dockerignore: Factory = (dockerignoreModule as unknown as { default?: Factory }).default ?? (dockerignoreModule as unknown as Factory);

export interface ContextFilter {
  /** True when the path (relative, `/`-separated) is left out of the context. */
  excludes(path: string): boolean;
  /**
   * True when nothing below an excluded folder can come back (no `!` rule),
   * so the walk can skip it whole, as docker does for `node_modules`.
   */
  canSkipFolder(path: string): boolean;
}

/** The patterns of a `.dockerignore` file, comments and blank lines removed. */
export function parseDockerignore(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * @param alwaysSent paths sent even when a rule excludes them: docker keeps the
 * Dockerfile and `.dockerignore` itself so the engine can read them.
 */
export function createContextFilter(ignoreText: string | undefined, alwaysSent: readonly string[] = []): ContextFilter {
  const patterns = parseDockerignore(ignoreText ?? '');
  if (patterns.length === 0) return { excludes: () => false, canSkipFolder: () => false };
  const matcher = dockerignore({ ignorecase: false }).add(patterns);
  const keep = new Set(alwaysSent);
  const hasExceptions = patterns.some((p) => p.startsWith('!'));
  return {
    excludes: (path) => !keep.has(path) && matcher.ignores(path),
    canSkipFolder: (path) => {
      if (hasExceptions || !matcher.ignores(path)) return false;
      for (const k of keep) if (k.startsWith(path + '/')) return false;
      return true;
    },
  };
}

/** A `.dockerignore` larger than this is refused: rules, not data. */
export const MAX_DOCKERIGNORE_BYTES = 1024 * 1024;

export type DockerignoreReading =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'none' }
  /** Not read: `problem` says why, in words (never the file's content). */
  | { readonly kind: 'refused'; readonly problem: string };

/**
 * The `.dockerignore` of a context (`realContext`: the context folder with
 * symlinks resolved). A symlink that leads out of the context is not followed:
 * the rules of another folder (or a host file) have no say over this one, and
 * ignoring the file silently would send what it meant to keep out, so it is refused.
 */
export async function readDockerignore(fs: FileSystem, realContext: string): Promise<DockerignoreReading> {
  const path = join(realContext, '.dockerignore');
  const link = await fs.stat(path, { followSymlinks: false });
  if (!link) return { kind: 'none' };
  let real: string;
  try {
    real = await fs.realpath(path);
  } catch {
    return { kind: 'refused', problem: '.dockerignore is a symlink to nothing' };
  }
  if (!isInside(realContext, real)) return { kind: 'refused', problem: `.dockerignore is a symlink that leads outside the build context (to ${real})` };
  const info = await fs.stat(real);
  if (!info || info.kind !== 'file') return { kind: 'refused', problem: '.dockerignore is not a regular file' };
  if (info.size > MAX_DOCKERIGNORE_BYTES) return { kind: 'refused', problem: `.dockerignore is larger than the limit of ${MAX_DOCKERIGNORE_BYTES / (1024 * 1024)} MiB` };
  return { kind: 'text', text: await fs.readText(real) };
}
