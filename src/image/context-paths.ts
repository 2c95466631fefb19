/**
 * Path arithmetic of a build: where the context and the Dockerfile are, and
 * whether a path stays inside a folder. Pure: no disk access, so the same
 * rules hold for the planner's lexical checks and for the reader's checks on
 * real paths.
 */
import { isAbsolute, relative, sep } from 'node:path';

/** `child` is `parent` or inside it (both absolute, normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

export const toPosix = (p: string): string => p.split(sep).join('/');

/** Whether the Dockerfile sits inside the context, so it travels at its own path. */
export function dockerfileInContext(contextDir: string, dockerfilePath: string): boolean {
  return isInside(contextDir, dockerfilePath) && !relative(contextDir, dockerfilePath).split(sep).includes('..');
}

/**
 * The Dockerfile's path in the tar: its own path when it is in the context
 * (even if .dockerignore'd, as docker does), else a fixed name made from its
 * content digest.
 */
export function dockerfileTarPath(contextDir: string, dockerfilePath: string, sha256: string): string {
  return dockerfileInContext(contextDir, dockerfilePath) ? toPosix(relative(contextDir, dockerfilePath)) : `.dockerfile.vela-${sha256.slice(0, 12)}`;
}
