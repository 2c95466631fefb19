/**
 * The build context as a tar stream (tar-stream), written entry by entry from
 * a plan so a large context is never held in memory. Owners are 0:0 like the
 * tar `docker build` sends; symlinks stay links.
 */
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { nodeFileSystem, type FileSystem } from '../host/index.js';
import { tarName } from './tar-size.js';
import type { ContextEntry } from './types.js';

export interface ContextTar {
  readonly stream: Readable;
  /** Bytes written so far (the whole stream once it has ended). */
  bytes(): number;
}

export async function createContextTar(entries: readonly ContextEntry[], fs: FileSystem = nodeFileSystem): Promise<ContextTar> {
  const { pack: createPack } = await import('tar-stream');
  const pack = createPack();
  let bytes = 0;
  // Counts what passes through without switching the stream to flowing mode
  // (a 'data' listener would start it before the HTTP request reads it).
  const out = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  pack.on('error', (e: Error) => out.destroy(e));
  pack.pipe(out);

  // Small files not read during planning are read a few ahead of the writer,
  // so disk reads overlap with sending.
  const SMALL = 1 << 20;
  const AHEAD = 8;
  const pending = new Map<number, Promise<Buffer>>();
  const readAhead = (from: number) => {
    for (let j = from; j < entries.length && j < from + AHEAD; j++) {
      const e = entries[j]!;
      if (e.type === 'file' && !e.data && e.size <= SMALL && !pending.has(j)) {
        const read = fs.readBytes(e.source);
        read.catch(() => {}); // awaited (and its error raised) when its turn comes
        pending.set(j, read);
      }
    }
  };
  const writeAll = async () => {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      readAhead(i);
      const early = pending.get(i);
      pending.delete(i);
      const data = e.data ?? (early ? await early : undefined);
      const header = {
        name: tarName(e),
        mode: e.mode,
        mtime: new Date(Math.floor(e.mtimeMs / 1000) * 1000),
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
      };
      if (e.type === 'directory') {
        await new Promise<void>((res, rej) => pack.entry({ ...header, type: 'directory' }, (err) => (err ? rej(err) : res())));
      } else if (e.type === 'symlink') {
        await new Promise<void>((res, rej) => pack.entry({ ...header, type: 'symlink', linkname: e.linkname ?? '' }, (err) => (err ? rej(err) : res())));
      } else if (data) {
        await new Promise<void>((res, rej) => pack.entry({ ...header, type: 'file', size: data.length }, data, (err) => (err ? rej(err) : res())));
      } else {
        const sink = pack.entry({ ...header, type: 'file', size: e.size });
        // A file that changed size since it was planned would corrupt the tar: tar-stream rejects it.
        await pipeline(fs.readChunks(e.source), sink);
      }
    }
    pack.finalize();
  };
  writeAll().catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  return { stream: out, bytes: () => bytes };
}
