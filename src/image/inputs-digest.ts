/**
 * The digest of a build's inputs, from which an untagged image gets its tag:
 * every entry the context sends (path, type, permission bits, content digest or
 * link target), the Dockerfile, the build args and the target. Timestamps and
 * owners are left out on purpose: the engine ignores them too (they are not in
 * its build cache key), so touching a file does not force a rebuild.
 */
import { createHash } from 'node:crypto';
import type { ContextEntry } from './types.js';

export interface BuildInputs {
  readonly entries: readonly Pick<ContextEntry, 'path' | 'type' | 'mode' | 'sha256' | 'linkname'>[];
  /** The Dockerfile's path in the context and its content digest. */
  readonly dockerfile: { readonly path: string; readonly sha256: string };
  readonly args: Readonly<Record<string, string>>;
  readonly target?: string;
}

/** Bumped when the serialisation changes, so old tags are not reused by mistake. */
const VERSION = 'vela-build-inputs/1';

export function digestBuildInputs(inputs: BuildInputs): string {
  const h = createHash('sha256');
  const field = (s: string) => h.update(`${Buffer.byteLength(s)}:${s};`);
  field(VERSION);
  const entries = [...inputs.entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  field(String(entries.length));
  for (const e of entries) {
    field(e.path);
    field(e.type);
    field((e.mode & 0o7777).toString(8));
    field(e.type === 'file' ? (e.sha256 ?? '') : e.type === 'symlink' ? (e.linkname ?? '') : '');
  }
  field(inputs.dockerfile.path);
  field(inputs.dockerfile.sha256);
  const args = Object.keys(inputs.args).sort();
  field(String(args.length));
  for (const k of args) {
    field(k);
    field(inputs.args[k]!);
  }
  field(inputs.target ?? '');
  return h.digest('hex');
}

/** The tag an untagged image gets: `vela-` and 12 hex digits of the inputs digest. */
export function digestTag(inputsDigest: string): string {
  return `vela-${inputsDigest.slice(0, 12)}`;
}
