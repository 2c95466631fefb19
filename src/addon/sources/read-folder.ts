/**
 * Reading an addon's (or a definitions folder's) files from disk, bounded:
 * every file is read as text, folders are walked, symbolic links are not
 * followed (a link in a downloaded catalog must not read the user's files),
 * and there are limits on the number and size of files.
 */
import { join } from 'node:path';
import type { FileSystem } from '../../host/index.js';
import { DiagnosticError, error, SourceFile } from '../../source/index.js';

export const TREE_LIMITS = { maxFiles: 2000, maxFileBytes: 4 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024, maxDepth: 16 };

/** Files under `dir` (relative paths with `/`, sorted) → SourceFiles named `display/relative`. Hidden files and folders (`.git`) are skipped. */
export async function readTree(fs: FileSystem, dir: string, display: string): Promise<Map<string, SourceFile>> {
  const out = new Map<string, SourceFile>();
  let total = 0;
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > TREE_LIMITS.maxDepth) throw tooBig(`${display}/${rel}: folders nested deeper than ${TREE_LIMITS.maxDepth} levels`);
    for (const name of await fs.list(rel ? join(dir, rel) : dir)) {
      if (name.startsWith('.')) continue;
      const path = rel ? `${rel}/${name}` : name;
      const info = await fs.stat(join(dir, path), { followSymlinks: false });
      if (!info) continue;
      if (info.kind === 'directory') await walk(path, depth + 1);
      if (info.kind !== 'file') continue;
      if (info.size > TREE_LIMITS.maxFileBytes) throw tooBig(`${display}/${path} is larger than ${TREE_LIMITS.maxFileBytes / 1024 / 1024} MiB`);
      total += info.size;
      if (total > TREE_LIMITS.maxTotalBytes) throw tooBig(`${display} is larger than ${TREE_LIMITS.maxTotalBytes / 1024 / 1024} MiB`);
      if (out.size >= TREE_LIMITS.maxFiles) throw tooBig(`${display} has more than ${TREE_LIMITS.maxFiles} files`);
      out.set(path, new SourceFile(`${display}/${path}`, await fs.readText(join(dir, path))));
    }
  };
  await walk('', 0);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function tooBig(message: string): DiagnosticError {
  return new DiagnosticError([error(message, undefined, { code: 'addon/too-big' })]);
}
