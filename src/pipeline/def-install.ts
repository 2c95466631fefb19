/**
 * `vela def install SRC`, `vela def install` and `vela def uninstall NAME`:
 * definitions from a file, a folder, a git repository or a URL (one file, or a
 * `.tgz` package of them) copied into the project's `.vela/definitions/` and
 * recorded in `.vela/definitions.lock`
 * (definitions-lock.ts), so another machine renders with exactly these.
 *
 * Every file is read and checked before anything is written: a source with
 * one bad definition installs nothing. Restoring (no SRC) fetches each
 * locked source again (git at the locked commit) and refuses a file whose
 * content differs from the lock, naming it.
 */
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { fetchBytes, gitCheckout, parseSourceSpec, readTgz, readTree, redactUrl, type SourceSpec } from '../addon/index.js';
import { nodeFileSystem, type FileSystem } from '../host/index.js';
import { DiagnosticError, error, SourceFile, type Diagnostic } from '../source/index.js';
import { vetText, type DefContext } from './def-local.js';
import { lockFilePath, projectDefinitionsDir, readLock, sha256, writeLock, type DefinitionsLock, type LockedFile, type LockedSource } from './definitions-lock.js';
import { forgetLoadedRegistries, isDefinitionFile } from './registry.js';

const SOURCE_NAME = /^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/;

interface Fetched {
  /** Path inside the source → text. */
  readonly files: Map<string, string>;
  readonly commit?: string;
}

/** The source as the lock records it: a path inside the project relative to it (so CI finds it), else absolute. */
function lockedSourceText(ctx: DefContext, text: string, spec: SourceSpec): string {
  if (spec.kind !== 'path') return text.trim();
  const rel = relative(ctx.cwd, spec.path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : spec.path;
}

function defaultName(spec: SourceSpec): string {
  const last = (p: string) => basename(p.replace(/[/\\]+$/, ''));
  const raw = spec.kind === 'path' ? last(spec.path) : spec.kind === 'git' ? (spec.subdir ? last(spec.subdir) : last(spec.url).replace(/\.git$/, '')) : last(new URL(spec.url).pathname);
  return raw.replace(/\.(cue|ya?ml|tgz|tar\.gz)$/i, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '') || 'definitions';
}

/** The definition files of a source: a file, a folder (all of it), a git repository (at a commit), a URL of one file or of a .tgz package of them. */
async function fetchSource(ctx: DefContext, spec: SourceSpec, shown: string, commit?: string): Promise<Fetched> {
  const fs = ctx.fs ?? nodeFileSystem;
  const fromFolder = async (dir: string, display: string): Promise<Map<string, string>> => {
    const info = await fs.stat(dir);
    if (!info) throw new DiagnosticError([error(`${display}: no such file or folder`, undefined, { code: 'def/source' })]);
    if (info.kind !== 'directory') return new Map([[basename(dir), await fs.readText(dir)]]);
    const tree = await readTree(fs, dir, display);
    return new Map([...tree].filter(([p]) => isDefinitionFile(p)).map(([p, src]) => [p, src.text]));
  };
  switch (spec.kind) {
    case 'path':
      return { files: await fromFolder(spec.path, shown) };
    case 'git': {
      const checkout = await gitCheckout({ url: spec.url, ref: spec.ref, commit, cacheDir: join(ctx.velaHome, 'cache', 'git'), signal: ctx.signal });
      return { files: await fromFolder(spec.subdir ? join(checkout.dir, spec.subdir) : checkout.dir, shown), commit: checkout.commit };
    }
    case 'http': {
      const name = basename(new URL(spec.url).pathname);
      if (isPackageName(name)) {
        // A gzipped tar of definitions: every definition file in it, by its path inside the archive (other files ignored, as in a folder).
        const files = await readTgz(await fetchBytes(spec.url, { signal: ctx.signal, maxBytes: 16 * 1024 * 1024 }), { label: redactUrl(spec.url) });
        return { files: new Map([...files].filter(([p]) => isDefinitionFile(p) && !p.split('/').some((part) => part.startsWith('.'))).sort(([a], [b]) => a.localeCompare(b)).map(([p, bytes]) => [p, utf8(bytes, `${redactUrl(spec.url)}: ${p}`)])) };
      }
      if (!isDefinitionFile(name)) throw new DiagnosticError([error(`${redactUrl(spec.url)}: a URL must name one definition file (.cue, .yaml) or a package of them (.tgz, .tar.gz)`, undefined, { code: 'def/source', hint: 'for a folder of definitions, use a git repository, a local folder, or pack it: tar czf defs.tgz *.cue' })]);
      return { files: new Map([[name, (await fetchBytes(spec.url, { signal: ctx.signal, maxBytes: 4 * 1024 * 1024 })).toString('utf8')]]) };
    }
  }
}

const isPackageName = (name: string) => /\.(tgz|tar\.gz)$/i.test(name);

/** A file of a package as text; bytes that are not UTF-8 are not a definition. */
function utf8(bytes: Buffer, shown: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DiagnosticError([error(`${shown} is not UTF-8 text`, undefined, { code: 'def/source', hint: 'a definition is a .cue or .yaml text file' })]);
  }
}

/** Checks every file; the installed names (basenames) must be unique. */
function checkFiles(files: Map<string, string>, shown: string): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const names = new Map<string, string>();
  for (const [from, text] of files) {
    const file = basename(from);
    const other = names.get(file);
    if (other) problems.push(error(`${shown}: ${other} and ${from} would both be installed as ${file}`, undefined, { code: 'def/install-name', hint: 'install the folders separately, or rename one' }));
    names.set(file, from);
    problems.push(...vetText(new SourceFile(`${shown.replace(/[/\\]+$/, '')}/${from}`, text)).diagnostics);
  }
  return problems;
}

export interface InstalledSource {
  readonly name: string;
  readonly source: string;
  readonly commit?: string;
  readonly files: readonly { file: string; action: 'added' | 'updated' | 'unchanged' | 'restored' }[];
  /** Files of an earlier install of the same source that it no longer has. */
  readonly removed: readonly string[];
}

export interface InstallResult {
  readonly installed: readonly InstalledSource[];
  readonly lockFile: string;
}

/** `vela def install SRC [--name NAME]`, or with no SRC the lock file's sources restored. */
export async function installDefinitions(ctx: DefContext, source: string | undefined, opts: { name?: string } = {}): Promise<InstallResult> {
  const fs = ctx.fs ?? nodeFileSystem;
  const lock: DefinitionsLock = (await readLock(fs, ctx.cwd)) ?? { version: 1, sources: [] };
  if (source === undefined) return restore(ctx, fs, lock);
  const spec = parseSourceSpec(source, ctx.cwd);
  const text = lockedSourceText(ctx, source, spec);
  const name = opts.name ?? defaultName(spec);
  if (!SOURCE_NAME.test(name)) throw new DiagnosticError([error(`${JSON.stringify(name)} is not a name for a source`, undefined, { code: 'def/install-name', hint: 'lower case letters, digits, ".", "_" and -; give one with --name' })]);
  const fetched = await fetchSource(ctx, spec, source);
  if (!fetched.files.size) throw new DiagnosticError([error(`${source}: no definition files (.cue, .yaml)`, undefined, { code: 'def/source' })]);
  const problems = checkFiles(fetched.files, source);
  const previous = lock.sources.find((s) => s.name === name);
  // A file another source installed, or one of the user's own, is not overwritten.
  const dir = projectDefinitionsDir(ctx.cwd);
  const owner = new Map(lock.sources.filter((s) => s.name !== name).flatMap((s) => s.files.map((f) => [f.file, s] as const)));
  for (const from of fetched.files.keys()) {
    const file = basename(from);
    const other = owner.get(file);
    if (other) problems.push(error(`.vela/definitions/${file} belongs to the installed source ${other.name} (${other.source})`, undefined, { code: 'def/install-conflict', hint: `uninstall it first (vela def uninstall ${other.name})` }));
    else if (!previous?.files.some((f) => f.file === file) && (await fs.exists(join(dir, file)))) {
      problems.push(error(`.vela/definitions/${file} exists and was not installed by vela def install`, undefined, { code: 'def/install-conflict', hint: 'move or remove your own file first' }));
    }
  }
  if (problems.length) throw new DiagnosticError(problems);

  const files: LockedFile[] = [];
  const report: InstalledSource['files'][number][] = [];
  for (const [from, content] of fetched.files) {
    const file = basename(from);
    const path = join(dir, file);
    const before = (await fs.exists(path)) ? await fs.readText(path) : undefined;
    if (before !== content) await fs.writeFileAtomic(path, content);
    files.push({ file, from, sha256: sha256(content) });
    report.push({ file, action: before === undefined ? 'added' : before === content ? 'unchanged' : 'updated' });
  }
  const removed = (previous?.files ?? []).map((f) => f.file).filter((f) => !files.some((n) => n.file === f));
  for (const f of removed) await fs.remove(join(dir, f));
  const entry: LockedSource = { name, source: text, ...(fetched.commit && { commit: fetched.commit }), files };
  await writeLock(fs, ctx.cwd, { version: lock.version, sources: [...lock.sources.filter((s) => s.name !== name), entry] });
  forgetLoadedRegistries();
  return { installed: [{ name, source: text, ...(fetched.commit && { commit: fetched.commit }), files: report.sort((a, b) => a.file.localeCompare(b.file)), removed }], lockFile: lockFilePath(ctx.cwd) };
}

/** Every locked source fetched again and compared with the lock before one file is written. */
async function restore(ctx: DefContext, fs: FileSystem, lock: DefinitionsLock): Promise<InstallResult> {
  if (!lock.sources.length) throw new DiagnosticError([error('nothing to install: there is no .vela/definitions.lock', undefined, { code: 'def/no-lock', hint: 'install a source first: vela def install ./definitions (a folder, a file, a git URL or a URL)' })]);
  const problems: Diagnostic[] = [];
  const plan: { source: LockedSource; texts: Map<string, string> }[] = [];
  for (const s of lock.sources) {
    const spec = parseSourceSpec(s.source, ctx.cwd);
    const fetched = await fetchSource(ctx, spec, s.source, s.commit);
    const texts = new Map<string, string>();
    for (const f of s.files) {
      const text = fetched.files.get(f.from);
      if (text === undefined) {
        problems.push(error(`${s.source}: ${f.from} is gone from the source (locked as .vela/definitions/${f.file})`, undefined, { code: 'def/lock-source', hint: `install the source again to take its current files: vela def install ${s.source} --name ${s.name}` }));
        continue;
      }
      const actual = sha256(text);
      if (actual !== f.sha256) {
        problems.push(
          error(`${s.source}: ${f.from} changed since it was locked (sha256 ${actual.slice(0, 12)}…, locked ${f.sha256.slice(0, 12)}…)`, { file: new SourceFile(`${s.source.replace(/[/\\]+$/, '')}/${f.from}`, text), start: 0, end: 0 }, {
            code: 'def/lock-mismatch',
            hint: `if the change is meant, take it with: vela def install ${s.source} --name ${s.name}`,
          }),
        );
        continue;
      }
      texts.set(f.file, text);
    }
    plan.push({ source: s, texts });
  }
  if (problems.length) throw new DiagnosticError(problems);
  const dir = projectDefinitionsDir(ctx.cwd);
  const installed: InstalledSource[] = [];
  for (const { source, texts } of plan) {
    const files: InstalledSource['files'][number][] = [];
    for (const [file, text] of texts) {
      const path = join(dir, file);
      const before = (await fs.exists(path)) ? await fs.readText(path) : undefined;
      if (before !== text) await fs.writeFileAtomic(path, text);
      files.push({ file, action: before === text ? 'unchanged' : 'restored' });
    }
    installed.push({ name: source.name, source: source.source, ...(source.commit && { commit: source.commit }), files, removed: [] });
  }
  forgetLoadedRegistries();
  return { installed, lockFile: lockFilePath(ctx.cwd) };
}

/** `vela def uninstall NAME`: its files removed from `.vela/definitions/`, its entry from the lock. */
export async function uninstallDefinitions(ctx: DefContext, name: string): Promise<{ name: string; source: string; removed: string[] }> {
  const fs = ctx.fs ?? nodeFileSystem;
  const lock = await readLock(fs, ctx.cwd);
  const entry = lock?.sources.find((s) => s.name === name);
  if (!lock || !entry) {
    const known = lock?.sources.map((s) => s.name) ?? [];
    throw new DiagnosticError([error(`no installed source ${JSON.stringify(name)}`, undefined, { code: 'def/not-installed', hint: known.length ? `installed: ${known.join(', ')}` : 'nothing is installed (.vela/definitions.lock has no sources)' })]);
  }
  const dir = projectDefinitionsDir(ctx.cwd);
  for (const f of entry.files) await fs.remove(join(dir, f.file));
  await writeLock(fs, ctx.cwd, { version: lock.version, sources: lock.sources.filter((s) => s !== entry) });
  forgetLoadedRegistries();
  return { name, source: entry.source, removed: entry.files.map((f) => f.file) };
}
