/**
 * Reading a file an input refers to (a compose file's `env_file`, `configs`
 * and `secrets` with `file:`, the `.env` beside it) without reading the host
 * by accident. The rule it keeps: a file is read only when, after following
 * symlinks, it is
 * - inside the project folder, unless the user passed --allow-outside-project;
 * - a regular file: a FIFO would block forever, a device or socket is no
 *   configuration, and nothing under /proc, /sys or /dev is read even when
 *   allowed (`/proc/self/environ` is vela's own environment);
 * - at most `maxBytes` long, counted while reading, since a file can grow
 *   after stat(2) and files under /proc report size 0.
 * A refusal says why in words and never carries the file's content.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { FileSystem } from '../host/index.js';

/** 1 MiB: far more than any env file or config, far less than memory. */
export const MAX_REFERENCED_FILE_BYTES = 1024 * 1024;

export interface ReadProjectFileOptions {
  /** The project folder (the input file's folder). */
  readonly projectDir: string;
  /** `--allow-outside-project`: files outside the project folder may be read. */
  readonly allowOutside?: boolean;
  readonly maxBytes?: number;
}

export type ProjectFileReading =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'missing' }
  /** Not read, for `problem` (a sentence fragment: "is a FIFO"), with a hint. */
  | { readonly kind: 'refused'; readonly problem: string; readonly hint?: string };

const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev'];

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 && n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n >= 1024 && n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}

export async function readProjectFile(fs: FileSystem, path: string, opts: ReadProjectFileOptions): Promise<ProjectFileReading> {
  const maxBytes = opts.maxBytes ?? MAX_REFERENCED_FILE_BYTES;
  const absolute = resolve(opts.projectDir, path);
  // Refused before anything else: even stat(2) of some device files has effects.
  if (SYSTEM_FOLDERS.some((d) => isInside(d, absolute))) return systemFile();
  let real: string;
  let realProject: string;
  try {
    real = await fs.realpath(absolute);
    realProject = await fs.realpath(opts.projectDir);
  } catch (err) {
    if (isMissing(err)) return { kind: 'missing' };
    return { kind: 'refused', problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (SYSTEM_FOLDERS.some((d) => isInside(d, real))) return systemFile();
  if (!opts.allowOutside && !isInside(realProject, real)) {
    const via = real === absolute ? '' : ` (through a symlink, to ${real})`;
    return {
      kind: 'refused',
      problem: `is outside the project folder ${realProject}${via}`,
      hint: 'move the file into the project folder, or pass --allow-outside-project to read it from there',
    };
  }
  const info = await fs.stat(real).catch(() => undefined);
  if (!info) return { kind: 'missing' };
  if (info.kind === 'directory') return { kind: 'refused', problem: 'is a folder, not a file' };
  if (info.kind !== 'file') return { kind: 'refused', problem: 'is not a regular file (a FIFO, socket or device)', hint: 'vela reads regular files only: a FIFO would block it' };
  const tooLarge = (): ProjectFileReading => ({ kind: 'refused', problem: `is larger than the limit of ${formatBytes(maxBytes)}`, hint: 'a file this large is almost certainly not configuration' });
  if (info.size > maxBytes) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of fs.readChunks(real)) {
      size += chunk.length;
      if (size > maxBytes) return tooLarge();
      chunks.push(Buffer.from(chunk));
    }
  } catch (err) {
    if (isMissing(err)) return { kind: 'missing' };
    return { kind: 'refused', problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  return { kind: 'text', text: Buffer.concat(chunks).toString('utf8') };
}

function systemFile(): ProjectFileReading {
  return { kind: 'refused', problem: 'is a system file (under /proc, /sys or /dev)', hint: 'vela never reads these: they hold the state of this machine, not configuration' };
}

const isMissing = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');
