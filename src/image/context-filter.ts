/**
 * Which paths of a build context are sent: the `.dockerignore` rules exactly as
 * `docker build` applies them (@balena/dockerignore is a port of docker's
 * matcher). Pure: takes the ignore file's text, answers per path.
 */
import dockerignoreModule from '@balena/dockerignore';

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
