/**
 * The reading half of build planning: what the disk says about one service's
 * build, through the host file system. It never reads outside the project
 * folder: the context and the Dockerfile are checked after following symlinks
 * before anything in them is read. What the facts mean (errors, the tag) is
 * the planner's business (plan-builds.ts); this module only reports them.
 */
import type { FileSystem } from '../host/index.js';
import { createContextFilter, readDockerignore } from './context-filter.js';
import { dockerfileInContext, dockerfileTarPath, isInside } from './context-paths.js';
import { hashFile, walkContext } from './context-walk.js';
import type { ContextEntry } from './types.js';

/** Where a build's files are, already checked to lie inside the project folder (before symlinks). */
export interface ContextLocation {
  readonly projectDir: string;
  readonly contextDir: string;
  readonly dockerfilePath: string;
}

export type ContextReading =
  | {
      readonly kind: 'read';
      /** The context folder with symlinks resolved: what the tar is made from. */
      readonly contextDir: string;
      /** The Dockerfile's path in the tar and its content digest. */
      readonly dockerfile: { readonly tarPath: string; readonly sha256: string };
      /** What the context sends, in walk order; a Dockerfile from outside it comes last. */
      readonly entries: ContextEntry[];
    }
  | { readonly kind: 'context-missing' | 'context-not-folder' | 'dockerfile-missing' }
  /** A symlink leads out of the project folder, to `realPath`. */
  | { readonly kind: 'context-escapes' | 'dockerfile-escapes'; readonly realPath: string }
  | { readonly kind: 'unreadable'; readonly error: NodeJS.ErrnoException }
  /** The context's `.dockerignore` could not be used (a symlink out of the context, not a file, too large). */
  | { readonly kind: 'dockerignore-refused'; readonly problem: string };

export interface ReadContextOptions {
  /** Hash file contents: only an image whose tag comes from them needs it. */
  readonly hash: boolean;
}

export async function readBuildContext(fs: FileSystem, where: ContextLocation, opts: ReadContextOptions): Promise<ContextReading> {
  const contextInfo = await fs.stat(where.contextDir);
  if (!contextInfo) return { kind: 'context-missing' };
  if (contextInfo.kind !== 'directory') return { kind: 'context-not-folder' };
  const realProject = await fs.realpath(where.projectDir);
  const realContext = await fs.realpath(where.contextDir);
  if (!isInside(realProject, realContext)) return { kind: 'context-escapes', realPath: realContext };
  const dockerfileInfo = await fs.stat(where.dockerfilePath);
  if (!dockerfileInfo || dockerfileInfo.kind !== 'file') return { kind: 'dockerfile-missing' };
  const realDockerfile = await fs.realpath(where.dockerfilePath);
  if (!isInside(realProject, realDockerfile)) return { kind: 'dockerfile-escapes', realPath: realDockerfile };

  const sha256 = await hashFile(fs, realDockerfile, dockerfileInfo.size);
  const tarPath = dockerfileTarPath(where.contextDir, where.dockerfilePath, sha256);
  const ignore = await readDockerignore(fs, realContext);
  if (ignore.kind === 'refused') return { kind: 'dockerignore-refused', problem: ignore.problem };
  const filter = createContextFilter(ignore.kind === 'text' ? ignore.text : undefined, ['.dockerignore', tarPath]);
  let entries: ContextEntry[];
  try {
    entries = await walkContext(fs, realContext, filter, { hash: opts.hash });
  } catch (err) {
    return { kind: 'unreadable', error: err as NodeJS.ErrnoException };
  }
  if (!dockerfileInContext(where.contextDir, where.dockerfilePath)) {
    const { mode, size, mtimeMs } = dockerfileInfo;
    entries.push({ path: tarPath, type: 'file', mode, size, mtimeMs, sha256, source: realDockerfile });
  }
  return { kind: 'read', contextDir: realContext, dockerfile: { tarPath, sha256 }, entries };
}
