/**
 * Whole folders on the real disk, for what the FileSystem interface does not
 * cover: making a folder (or a fresh temporary one), removing a tree, and
 * renaming in one step (how an addon's folder or a git checkout is swapped
 * in whole, never half-written). Plain files go through FileSystem.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Makes the folder and its parents; nothing happens when it exists. */
export async function makeDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
}

/** A new empty folder under the system's temporary folder. */
export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Removes a file or a folder with everything in it; nothing happens when it is not there. */
export async function removeTree(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/** rename(2): atomic within one file system. A missing source rejects with ENOENT. */
export function renamePath(from: string, to: string): Promise<void> {
  return rename(from, to);
}

/** Writes a file in place (inside a folder being built, which is swapped in whole afterwards). */
export async function writeFileInPlace(path: string, text: string, opts: { mode?: number } = {}): Promise<void> {
  await writeFile(path, text, opts.mode === undefined ? undefined : { mode: opts.mode });
}
