import { isAbsolute, relative } from 'node:path';

/** A path as messages show it: relative to the working folder when it is inside it, else as given. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
