/**
 * Where the Appfile is: `-f PATH` (or `-` for stdin), else the first of
 * ./vela.yaml, ./vela.yml, ./vela.json, ./Appfile, then of the compose files
 * ./compose.yaml, ./compose.yml, ./docker-compose.yaml, ./docker-compose.yml. The one part of this module
 * that reads files, through `AppfileFiles` (the pipeline passes the host's file
 * system, tests an in-memory one); everything else takes text.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { error, type Diagnostic } from '../source/index.js';
import { defaultYamlLimits } from './yaml-tree.js';
import { composeFileNames } from './compose/detect-format.js';

export const appfileNames = ['vela.yaml', 'vela.yml', 'vela.json', 'Appfile'] as const;

/** The file operations finding an Appfile needs (the host's FileSystem has them). */
export interface AppfileFiles {
  /** What is at the path (following symlinks); undefined when nothing is there. */
  stat(path: string): Promise<{ readonly kind: 'file' | 'directory' | 'symlink' | 'other'; readonly size: number } | undefined>;
  readText(path: string): Promise<string>;
}

export interface FindAppfileOptions {
  /** Refuse larger files without reading them (default 1 MiB). */
  maxBytes?: number;
  /** Where `-f -` reads from (the pipeline passes the process's standard input). */
  stdin: AsyncIterable<Uint8Array | string>;
  /** Where files are read from (the pipeline passes the host's file system, tests an in-memory one too). */
  fs: AppfileFiles;
}

/**
 * `path` is the name to show in diagnostics: relative to `cwd` when the file is
 * inside it, `<stdin>` for standard input.
 */
export async function findAppfile(
  cwd: string,
  file: string | undefined,
  opts: FindAppfileOptions,
): Promise<{ path: string; text: string } | { error: Diagnostic }> {
  const maxBytes = opts.maxBytes ?? defaultYamlLimits.maxBytes;
  const { fs } = opts;
  if (file === '-') return readStdin(opts.stdin, maxBytes);
  if (file !== undefined) return readOne(fs, cwd, file, maxBytes, true);
  // A compose file is the fallback: a folder with both is deployed from its Appfile.
  for (const name of [...appfileNames, ...composeFileNames]) {
    const found = await readOne(fs, cwd, name, maxBytes, false);
    if (found) return found;
  }
  return {
    error: error(`no Appfile found in ${cwd}`, undefined, {
      code: 'appfile/not-found',
      hint: `create ${appfileNames[0]} (\`vela init\`), or pass one with -f PATH (looked for ${[...appfileNames, ...composeFileNames].join(', ')})`,
    }),
  };
}

async function readOne(fs: AppfileFiles, cwd: string, file: string, maxBytes: number, required: true): Promise<{ path: string; text: string } | { error: Diagnostic }>;
async function readOne(fs: AppfileFiles, cwd: string, file: string, maxBytes: number, required: false): Promise<{ path: string; text: string } | { error: Diagnostic } | undefined>;
async function readOne(fs: AppfileFiles, cwd: string, file: string, maxBytes: number, required: boolean) {
  const abs = resolve(cwd, file);
  const rel = relative(cwd, abs);
  const shown = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
  let size: number;
  try {
    const st = await fs.stat(abs);
    if (!st) {
      if (!required) return undefined;
      return { error: error(`cannot read ${shown}: no such file`, undefined, { code: 'appfile/not-found' }) };
    }
    if (st.kind === 'directory') {
      if (!required) return undefined;
      return { error: error(`${shown} is a folder, not an Appfile`, undefined, { code: 'appfile/not-found', hint: `try -f ${join(shown, appfileNames[0])}` }) };
    }
    size = st.size;
  } catch (e) {
    if (!required && isNotFound(e)) return undefined;
    return { error: error(`cannot read ${shown}: ${reason(e)}`, undefined, { code: 'appfile/not-found' }) };
  }
  if (size > maxBytes) return { error: tooLarge(shown, size, maxBytes) };
  try {
    return { path: shown, text: stripBom(await fs.readText(abs)) };
  } catch (e) {
    return { error: error(`cannot read ${shown}: ${reason(e)}`, undefined, { code: 'appfile/not-found' }) };
  }
}

async function readStdin(input: AsyncIterable<Uint8Array | string>, maxBytes: number): Promise<{ path: string; text: string } | { error: Diagnostic }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of input) {
    const b = typeof c === 'string' ? Buffer.from(c) : Buffer.from(c);
    size += b.length;
    if (size > maxBytes) return { error: tooLarge('<stdin>', size, maxBytes, true) };
    chunks.push(b);
  }
  return { path: '<stdin>', text: stripBom(Buffer.concat(chunks).toString('utf8')) };
}

function tooLarge(name: string, size: number, limit: number, atLeast = false): Diagnostic {
  const mib = (n: number) => `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  const what = atLeast ? `${name} is over the ${mib(limit)} limit` : `${name} is too large (${mib(size)}; the limit is ${mib(limit)})`;
  return error(what, undefined, {
    code: 'appfile/too-large',
    hint: 'an Appfile this large is almost certainly not one; check the file name',
  });
}

/** Editors on Windows may start a file with a byte-order mark; columns would be off by one. */
function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === 'ENOENT';
}

function reason(e: unknown): string {
  const code = typeof e === 'object' && e !== null ? (e as { code?: string }).code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
