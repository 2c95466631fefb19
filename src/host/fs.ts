/**
 * The file system as the pipeline sees it: a few async operations on paths.
 * Injected, so pipelines can run against the in-memory twin in tests.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { lstat, mkdir, readFile, readlink, realpath, rename, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';

/** What a path is, as stat(2) tells it. */
export interface FileInfo {
  readonly kind: 'file' | 'directory' | 'symlink' | 'other';
  /** Bytes of a regular file. */
  readonly size: number;
  /** Permission bits only (`st_mode & 0o7777`). */
  readonly mode: number;
  readonly mtimeMs: number;
}

export interface FileSystem {
  /** UTF-8 text of a file; rejects with ENOENT like node:fs when it is missing. */
  readText(path: string): Promise<string>;
  /** The bytes of a file; rejects with ENOENT when it is missing. */
  readBytes(path: string): Promise<Buffer>;
  /** The bytes of a file in chunks, for files too large to hold in memory at once. */
  readChunks(path: string): AsyncIterable<Uint8Array>;
  /**
   * Write a file so readers never see it half-written: a temp file beside it, then rename. Creates parent folders.
   * `mode` (e.g. 0o600 for credentials) is the file's from its creation, so it is never readable by others.
   */
  writeFileAtomic(path: string, data: string | Uint8Array, opts?: { mode?: number }): Promise<void>;
  /** Delete a file; nothing happens when it is not there. */
  remove(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  /**
   * What the path is, following symlinks unless `followSymlinks` is false
   * (then a link is reported as a `symlink`); undefined when nothing is there.
   */
  stat(path: string, opts?: { followSymlinks?: boolean }): Promise<FileInfo | undefined>;
  /** The path with every symlink resolved; rejects with ENOENT when it does not exist. */
  realpath(path: string): Promise<string>;
  /** The target of a symlink, as stored in the link. */
  readLink(path: string): Promise<string>;
  /** Entry names of a folder, sorted; [] when the folder does not exist. */
  list(path: string): Promise<string[]>;
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR';

function infoOf(st: import('node:fs').Stats): FileInfo {
  const kind = st.isFile() ? 'file' : st.isDirectory() ? 'directory' : st.isSymbolicLink() ? 'symlink' : 'other';
  return { kind, size: st.size, mode: st.mode & 0o7777, mtimeMs: st.mtimeMs };
}

let tempCounter = 0;

export const nodeFileSystem: FileSystem = {
  readText: (path) => readFile(path, 'utf8'),
  readBytes: (path) => readFile(path),
  readChunks: (path) => createReadStream(path),

  async writeFileAtomic(path, data, opts = {}) {
    await mkdir(dirname(path), { recursive: true });
    // Same folder as the target: rename(2) is atomic only within one file system.
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++tempCounter}.tmp`);
    try {
      await writeFile(temp, data, opts.mode !== undefined ? { mode: opts.mode } : {});
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  },

  remove: (path) => rm(path, { force: true }),

  async exists(path) {
    try {
      await stat(path);
      return true;
    } catch {
      return false;
    }
  },

  async stat(path, opts = {}) {
    try {
      return infoOf(await (opts.followSymlinks === false ? lstat(path) : stat(path)));
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  },

  realpath: (path) => realpath(path),
  readLink: (path) => readlink(path),

  async list(path) {
    try {
      return (await readdir(path)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  },
};

function fsError(code: 'ENOENT' | 'EINVAL', path: string, syscall: string): NodeJS.ErrnoException {
  const text = code === 'ENOENT' ? 'no such file or directory' : 'invalid argument';
  const err: NodeJS.ErrnoException = new Error(`${code}: ${text}, ${syscall} '${path}'`);
  err.code = code;
  err.path = path;
  return err;
}

/**
 * An in-memory file system for tests; paths are resolved against `cwd`.
 * Folders exist through the files in them; there are no symlinks; files have
 * mode 0644 unless written with another, folders 0755, and every mtime is 0.
 */
export function memoryFileSystem(files: Record<string, string | Uint8Array> = {}, cwd = '/'): FileSystem & {
  readonly files: Map<string, string | Uint8Array>;
} {
  const abs = (p: string) => resolve(cwd, p);
  const map = new Map<string, string | Uint8Array>(Object.entries(files).map(([p, d]) => [abs(p), d]));
  const modes = new Map<string, number>();
  const isDir = (p: string) => [...map.keys()].some((k) => k.startsWith(p.endsWith('/') ? p : `${p}/`));
  const bytes = (path: string) => {
    const d = map.get(abs(path));
    if (d === undefined) throw fsError('ENOENT', path, 'open');
    return Buffer.from(d);
  };
  return {
    files: map,
    async readText(path) {
      return bytes(path).toString('utf8');
    },
    async readBytes(path) {
      return bytes(path);
    },
    async *readChunks(path) {
      yield bytes(path);
    },
    async writeFileAtomic(path, data, opts = {}) {
      map.set(abs(path), data);
      if (opts.mode !== undefined) modes.set(abs(path), opts.mode);
      else modes.delete(abs(path));
    },
    async remove(path) {
      map.delete(abs(path));
      modes.delete(abs(path));
    },
    async exists(path) {
      const p = abs(path);
      return map.has(p) || isDir(p);
    },
    async stat(path) {
      const p = abs(path);
      if (map.has(p)) return { kind: 'file', size: bytes(p).length, mode: modes.get(p) ?? 0o644, mtimeMs: 0 };
      return isDir(p) ? { kind: 'directory', size: 0, mode: 0o755, mtimeMs: 0 } : undefined;
    },
    async realpath(path) {
      const p = abs(path);
      if (!map.has(p) && !isDir(p)) throw fsError('ENOENT', path, 'realpath');
      return p;
    },
    async readLink(path) {
      throw fsError(map.has(abs(path)) || isDir(abs(path)) ? 'EINVAL' : 'ENOENT', path, 'readlink');
    },
    async list(path) {
      const p = abs(path);
      const prefix = p.endsWith('/') ? p : `${p}/`;
      const names = new Set<string>();
      for (const k of map.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
      return [...names].sort();
    },
  };
}

/** All of standard input as UTF-8 text (for `-` in place of a file name). */
export async function readStdin(stream: AsyncIterable<Uint8Array | string> = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A whole file, read at once, or undefined when it cannot be read: for the
 * few readers that must stay synchronous (the Docker connection's context and
 * TLS files, resolved the way the Docker CLI does).
 */
export function readFileIfExistsSync(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
