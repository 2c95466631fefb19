/**
 * `.tgz` packages (KubeVela's `vela addon package` output, Helm-chart style:
 * every file under one top folder named after the addon): unpacked in memory
 * with the dangers of archives refused. Paths must stay inside the package
 * (no `/…`, no `..`), only regular files are taken (links and devices are
 * skipped), and the number and size of files are bounded.
 */
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { DiagnosticError, error } from '../source/index.js';
import { TREE_LIMITS } from './sources/read-folder.js';

export interface TgzOptions {
  /** How the package is named in messages. */
  readonly label: string;
  /** Drop the first path segment (the package's top folder), as Helm's loader does. */
  readonly stripTopFolder?: boolean;
}

function bad(label: string, message: string): DiagnosticError {
  return new DiagnosticError([error(`${label}: ${message}`, undefined, { code: 'addon/package' })]);
}

/** The files of a gzipped tar: path (with `/`) → bytes. Throws DiagnosticError (exit 1) for an archive that is not one or not safe. */
export async function readTgz(bytes: Uint8Array, opts: TgzOptions): Promise<Map<string, Buffer>> {
  const { extract: createExtract } = await import('tar-stream');
  const extract = createExtract();
  const gunzip = createGunzip();
  const files = new Map<string, Buffer>();
  let total = 0;
  const source = Readable.from([Buffer.from(bytes)]);
  const failed = new Promise<never>((_, reject) => {
    gunzip.on('error', (e) => reject(bad(opts.label, `not a gzipped tar archive (${e.message})`)));
  });
  // Settled or not, never an unhandled rejection after the race is decided.
  failed.catch(() => undefined);
  source.pipe(gunzip).pipe(extract);
  const read = (async () => {
    for await (const entry of extract) {
      const h = entry.header;
      const raw = h.name.replace(/\\/g, '/');
      if (raw.startsWith('/') || raw.split('/').includes('..')) throw bad(opts.label, `the archive has a path outside the package: ${JSON.stringify(h.name)}`);
      const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
      const path = (opts.stripTopFolder ? parts.slice(1) : parts).join('/');
      if (h.type !== 'file' || !path) {
        entry.resume();
        continue;
      }
      if ((h.size ?? 0) > TREE_LIMITS.maxFileBytes) throw bad(opts.label, `${path} is larger than ${TREE_LIMITS.maxFileBytes / 1024 / 1024} MiB`);
      total += h.size ?? 0;
      if (total > TREE_LIMITS.maxTotalBytes) throw bad(opts.label, `it unpacks to more than ${TREE_LIMITS.maxTotalBytes / 1024 / 1024} MiB`);
      if (files.size >= TREE_LIMITS.maxFiles) throw bad(opts.label, `it has more than ${TREE_LIMITS.maxFiles} files`);
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      files.set(path, Buffer.concat(chunks));
    }
    return files;
  })();
  try {
    return await Promise.race([read, failed]);
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    throw bad(opts.label, `not a valid tar archive (${(e as Error).message})`);
  } finally {
    source.destroy();
    gunzip.destroy();
    extract.destroy();
  }
}
