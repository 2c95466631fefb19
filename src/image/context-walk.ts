/**
 * Reads a build context through the host file system: walks the folder in the
 * order `docker build` does (names sorted, a folder before its contents),
 * applies the context filter, and hashes each kept file. Symlinks are recorded
 * as links, never followed, so nothing outside the context is read or sent.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type FileSystem, mapLimit } from '../host/index.js';
import type { ContextFilter } from './context-filter.js';
import type { ContextEntry } from './types.js';

const SMALL_FILE = 1 << 20;
/** Bytes of small files' contents a plan keeps in memory for the tar. */
const KEEP_BUDGET = 16 << 20;

export async function hashFile(fs: FileSystem, file: string, size: number): Promise<string> {
  return (await readAndHash(fs, file, size, false)).sha256;
}

async function readAndHash(fs: FileSystem, file: string, size: number, keep: boolean): Promise<{ sha256: string; data?: Buffer }> {
  if (size <= SMALL_FILE) {
    const data = await fs.readBytes(file);
    return { sha256: createHash('sha256').update(data).digest('hex'), data: keep ? data : undefined };
  }
  const hash = createHash('sha256');
  for await (const chunk of fs.readChunks(file)) hash.update(chunk);
  return { sha256: hash.digest('hex') };
}

export interface WalkOptions {
  /** Hash file contents (needed only when the tag is derived from them). */
  readonly hash: boolean;
}

export async function walkContext(fs: FileSystem, contextDir: string, filter: ContextFilter, opts: WalkOptions = { hash: true }): Promise<ContextEntry[]> {
  const found: ContextEntry[] = [];
  const visit = async (rel: string): Promise<void> => {
    // fs.list sorts the names: docker walks a folder in sorted order too.
    const names = await fs.list(rel === '' ? contextDir : join(contextDir, rel));
    // Stat a folder's entries together: the walk is I/O-bound.
    const infos = await Promise.all(names.map((name) => fs.stat(join(contextDir, rel === '' ? name : `${rel}/${name}`), { followSymlinks: false })));
    for (let i = 0; i < names.length; i++) {
      const info = infos[i];
      // Gone since the folder was listed: there is nothing to send.
      if (!info) continue;
      const path = rel === '' ? names[i]! : `${rel}/${names[i]!}`;
      const source = join(contextDir, path);
      const excluded = filter.excludes(path);
      if (info.kind === 'directory') {
        if (excluded && filter.canSkipFolder(path)) continue;
        // An excluded folder is still walked when a `!` rule may bring back
        // something inside it; the folder entry itself is not sent.
        if (!excluded) found.push({ path, type: 'directory', mode: info.mode, size: 0, mtimeMs: info.mtimeMs, source });
        await visit(path);
      } else if (excluded) {
        continue;
      } else if (info.kind === 'file') {
        found.push({ path, type: 'file', mode: info.mode, size: info.size, mtimeMs: info.mtimeMs, source });
      } else if (info.kind === 'symlink') {
        found.push({ path, type: 'symlink', mode: info.mode, size: 0, mtimeMs: info.mtimeMs, linkname: await fs.readLink(source), source });
      }
      // Sockets, fifos and devices are skipped: they cannot be meaningful build inputs.
    }
  };
  await visit('');
  if (!opts.hash) return found;
  let budget = KEEP_BUDGET;
  return mapLimit(found, 16, async (entry) => {
    if (entry.type !== 'file') return entry;
    const keep = entry.size <= SMALL_FILE && budget >= entry.size;
    if (keep) budget -= entry.size;
    const { sha256, data } = await readAndHash(fs, entry.source, entry.size, keep);
    // A file that changed size between stat and read would not match its tar header.
    const hashed: ContextEntry = { ...entry, size: data ? data.length : entry.size, sha256 };
    // Not enumerable: a plan printed as JSON (`vela dry-run --json`) must not dump file contents.
    if (data) Object.defineProperty(hashed, 'data', { value: data, enumerable: false });
    return hashed;
  });
}
