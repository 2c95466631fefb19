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
import { mapLimit } from './map-limit.js';
import type { ContextEntry } from './types.js';

const SMALL_FILE = 1 << 20;
/** Bytes of small files' contents a plan keeps in memory for the tar. */
const KEEP_BUDGET = 16 << 20;

export async function hashFile(file: string, size: number): Promise<string> {
  return (await readAndHash(file, size, false)).sha256;
}

async function readAndHash(file: string, size: number, keep: boolean): Promise<{ sha256: string; data?: Buffer }> {
  if (size <= SMALL_FILE) {
    const data = await readFile(file);
    return { sha256: createHash('sha256').update(data).digest('hex'), data: keep ? data : undefined };
  }
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return { sha256: h.digest('hex') };
}

/** Byte order, as Go's sort.Strings (docker's walk order). */
const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface WalkOptions {
  /** Hash file contents (needed only when the tag is derived from them). */
  readonly hash: boolean;
}

export async function walkContext(contextDir: string, filter: ContextFilter, opts: WalkOptions = { hash: true }): Promise<ContextEntry[]> {
  const found: ContextEntry[] = [];
  const visit = async (rel: string): Promise<void> => {
    const names = (await readdir(rel === '' ? contextDir : join(contextDir, rel))).sort(byBytes);
    // lstat a folder's entries together: the walk is I/O-bound.
    const stats = await Promise.all(names.map((name) => lstat(join(contextDir, rel === '' ? name : `${rel}/${name}`))));
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const st = stats[i]!;
      const path = rel === '' ? name : `${rel}/${name}`;
      const source = join(contextDir, path);
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
  if (!opts.hash) return found;
  let budget = KEEP_BUDGET;
  return mapLimit(found, 16, async (e) => {
    if (e.type !== 'file') return e;
    const keep = e.size <= SMALL_FILE && budget >= e.size;
    if (keep) budget -= e.size;
    const { sha256, data } = await readAndHash(e.source, e.size, keep);
    // A file that changed size between stat and read would not match its tar header.
    const entry: ContextEntry = { ...e, size: data ? data.length : e.size, sha256 };
    // Not enumerable: a plan printed as JSON (`vela dry-run --json`) must not dump file contents.
    if (data) Object.defineProperty(entry, 'data', { value: data, enumerable: false });
    return entry;
  });
}
