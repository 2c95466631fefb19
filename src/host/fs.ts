/**
 * The file system as the pipeline sees it: a few async operations on paths.
 * Injected, so pipelines can run against the in-memory twin in tests.
 */
import { mkdir, readFile, rename, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';

export interface FileSystem {
  /** UTF-8 text of a file; rejects with ENOENT like node:fs when it is missing. */
  readText(path: string): Promise<string>;
  /** Write a file so readers never see it half-written: a temp file beside it, then rename. Creates parent folders. */
  writeFileAtomic(path: string, data: string | Uint8Array): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** Size in bytes and whether it is a folder; rejects with ENOENT like node:fs when the path is missing. */
  stat(path: string): Promise<FileStat>;
  /** Entry names of a folder, sorted; [] when the folder does not exist. */
  list(path: string): Promise<string[]>;
}

export interface FileStat {
  readonly size: number;
  readonly isDirectory: boolean;
}

let tempCounter = 0;

export const nodeFileSystem: FileSystem = {
  readText: (path) => readFile(path, 'utf8'),

  async writeFileAtomic(path, data) {
    await mkdir(dirname(path), { recursive: true });
    // Same folder as the target: rename(2) is atomic only within one file system.
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++tempCounter}.tmp`);
    try {
      await writeFile(temp, data);
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  },

  async exists(path) {
    try {
      await stat(path);
      return true;
    } catch {
      return false;
    }
  },

  async stat(path) {
    const st = await stat(path);
    return { size: st.size, isDirectory: st.isDirectory() };
  },

  async list(path) {
    try {
      return (await readdir(path)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  },
};

function enoent(path: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`ENOENT: no such file or directory, open '${path}'`);
  err.code = 'ENOENT';
  err.path = path;
  return err;
}

/** An in-memory file system for tests; paths are resolved against `cwd`. */
export function memoryFileSystem(files: Record<string, string | Uint8Array> = {}, cwd = '/'): FileSystem & {
  readonly files: Map<string, string | Uint8Array>;
} {
  const abs = (p: string) => resolve(cwd, p);
  const map = new Map<string, string | Uint8Array>(Object.entries(files).map(([p, d]) => [abs(p), d]));
  const isDir = (p: string) => [...map.keys()].some((k) => k.startsWith(p.endsWith('/') ? p : `${p}/`));
  return {
    files: map,
    async readText(path) {
      const d = map.get(abs(path));
      if (d === undefined) throw enoent(path);
      return typeof d === 'string' ? d : new TextDecoder().decode(d);
    },
    async writeFileAtomic(path, data) {
      map.set(abs(path), data);
    },
    async exists(path) {
      const p = abs(path);
      return map.has(p) || isDir(p);
    },
    async stat(path) {
      const p = abs(path);
      const d = map.get(p);
      if (d !== undefined) return { size: typeof d === 'string' ? Buffer.byteLength(d) : d.byteLength, isDirectory: false };
      if (isDir(p)) return { size: 0, isDirectory: true };
      throw enoent(path);
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
