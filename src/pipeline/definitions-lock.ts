/**
 * `.vela/definitions.lock`: what `vela def install` put into the project's
 * `.vela/definitions/`, so that another machine (CI) renders with exactly the
 * same definitions. For each installed source: where it came from (the
 * source as given; for git the commit it resolved to), and each file it
 * installed with its sha256.
 *
 * Every command that loads the project's definitions checks the locked files
 * first: a file that changed or went missing is an error naming it (the
 * definitions a render uses must be the ones recorded), with the way back:
 * `vela def install` (no argument) restores them from their sources.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { FileSystem } from '../host/index.js';
import { DiagnosticError, error, SourceFile, type Diagnostic } from '../source/index.js';

export const LOCK_VERSION = 1;

export interface LockedFile {
  /** The file's name in `.vela/definitions/`. */
  readonly file: string;
  /** Its path inside the source (for a folder, git repository or package). */
  readonly from: string;
  readonly sha256: string;
}

export interface LockedSource {
  /** What `vela def uninstall NAME` takes. */
  readonly name: string;
  /** The source as given to `vela def install` (a path inside the project relative to it, so CI finds it; others absolute). */
  readonly source: string;
  /** For git sources: the commit the ref resolved to. */
  readonly commit?: string;
  readonly files: readonly LockedFile[];
}

export interface DefinitionsLock {
  readonly version: number;
  readonly sources: readonly LockedSource[];
}

export const projectDefinitionsDir = (cwd: string) => join(cwd, '.vela', 'definitions');
export const lockFilePath = (cwd: string) => join(cwd, '.vela', 'definitions.lock');

export const sha256 = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');

/** The lock file, or undefined when there is none. A damaged one is an error at its position. */
export async function readLock(fs: FileSystem, cwd: string): Promise<DefinitionsLock | undefined> {
  const path = lockFilePath(cwd);
  let text: string;
  try {
    text = await fs.readText(path);
  } catch {
    return undefined;
  }
  const src = new SourceFile('.vela/definitions.lock', text);
  const bad = (message: string) => new DiagnosticError([error(message, { file: src, start: 0, end: 0 }, { code: 'def/lock', hint: 'restore it from version control, or remove it and install the sources again' })]);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw bad(`the lock file is not JSON: ${(e as Error).message}`);
  }
  const lock = data as DefinitionsLock;
  if (!lock || typeof lock !== 'object' || !Array.isArray(lock.sources)) throw bad('the lock file has no `sources` list');
  if (lock.version !== LOCK_VERSION) throw bad(`the lock file has version ${JSON.stringify(lock.version)}; this vela reads version ${LOCK_VERSION}`);
  for (const s of lock.sources) {
    if (typeof s?.name !== 'string' || typeof s.source !== 'string' || !Array.isArray(s.files)) throw bad('a source of the lock file lacks name, source or files');
    for (const f of s.files) {
      if (typeof f?.file !== 'string' || typeof f.sha256 !== 'string' || f.file.includes('/') || f.file.startsWith('.')) throw bad(`source ${s.name}: a file entry is malformed`);
    }
  }
  return lock;
}

/** Writes the lock file: sources by name, files by name, so the same installs give the same bytes. */
export async function writeLock(fs: FileSystem, cwd: string, lock: DefinitionsLock): Promise<void> {
  const sources = [...lock.sources]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => ({ name: s.name, source: s.source, ...(s.commit && { commit: s.commit }), files: [...s.files].sort((a, b) => a.file.localeCompare(b.file)).map((f) => ({ file: f.file, from: f.from, sha256: f.sha256 })) }));
  if (!sources.length) {
    await fs.remove(lockFilePath(cwd));
    return;
  }
  await fs.writeFileAtomic(lockFilePath(cwd), JSON.stringify({ version: LOCK_VERSION, sources }, null, 2) + '\n');
}

/** Problems of the locked files on disk: changed or missing, each named. */
export async function verifyLockedFiles(fs: FileSystem, cwd: string, lock: DefinitionsLock): Promise<Diagnostic[]> {
  const dir = projectDefinitionsDir(cwd);
  const problems: Diagnostic[] = [];
  for (const s of lock.sources) {
    for (const f of s.files) {
      const path = join(dir, f.file);
      let text: string;
      try {
        text = await fs.readText(path);
      } catch {
        problems.push(error(`.vela/definitions/${f.file} is missing (installed from ${s.source})`, undefined, { code: 'def/lock-missing', hint: 'run `vela def install` to restore the locked definitions' }));
        continue;
      }
      const actual = sha256(text);
      if (actual !== f.sha256) {
        problems.push(
          error(`.vela/definitions/${f.file} changed since it was installed from ${s.source} (sha256 ${actual.slice(0, 12)}…, locked ${f.sha256.slice(0, 12)}…)`, { file: new SourceFile(`.vela/definitions/${f.file}`, text), start: 0, end: 0 }, {
            code: 'def/lock-mismatch',
            hint: `run \`vela def install\` to restore it, or \`vela def install ${s.source}\` to take the source's current files`,
          }),
        );
      }
    }
  }
  return problems;
}
