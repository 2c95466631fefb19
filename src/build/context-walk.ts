/**
 * Reads a build context from disk: walks the folder in the order `docker build`
 * does (names sorted, a folder before its contents), applies the context
 * filter, and hashes each kept file. Symlinks are recorded as links, never
 * followed, so nothing outside the context is read or sent.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContextFilter } from './context-filter.js';
import type { ContextEntry } from './types.js';

const SMALL_FILE = 1 << 20;

export async function hashFile(file: string, size: number): Promise<string> {
  if (size <= SMALL_FILE) return createHash('sha256').update(await readFile(file)).digest('hex');
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Byte order, as Go's sort.Strings (docker's walk order). */
const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function walkContext(contextDir: string, filter: ContextFilter): Promise<ContextEntry[]> {
  const found: ContextEntry[] = [];
  const visit = async (rel: string): Promise<void> => {
    const names = (await readdir(rel === '' ? contextDir : join(contextDir, rel))).sort(byBytes);
    for (const name of names) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const source = join(contextDir, path);
      const st = await lstat(source);
      const excluded = filter.excludes(path);
      if (st.isDirectory()) {
        if (excluded && filter.canSkipFolder(path)) continue;
        // An excluded folder is still walked when a `!` rule may bring back
        // something inside it; the folder entry itself is not sent.
        if (!excluded) found.push({ path, type: 'directory', mode: st.mode & 0o7777, size: 0, mtimeMs: st.mtimeMs, source });
        await visit(path);
      } else if (excluded) {
        continue;
      } else if (st.isFile()) {
        found.push({ path, type: 'file', mode: st.mode & 0o7777, size: st.size, mtimeMs: st.mtimeMs, source });
      } else if (st.isSymbolicLink()) {
        found.push({ path, type: 'symlink', mode: st.mode & 0o7777, size: 0, mtimeMs: st.mtimeMs, linkname: await readlink(source), source });
      }
      // Sockets, fifos and devices are skipped: they cannot be meaningful build inputs.
    }
  };
  await visit('');
  return mapLimit(found, 16, async (e) => (e.type === 'file' ? { ...e, sha256: await hashFile(e.source, e.size) } : e));
}
