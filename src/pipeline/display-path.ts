import { isAbsolute, relative, sep } from 'node:path';

/** A path as messages show it: relative to the working folder when it is inside it, else as given. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  const outside = rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  return outside ? path : rel;
}
