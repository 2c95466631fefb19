/**
 * `vela version`: what a bug report needs to reproduce a run. The definitions
 * digest covers the built-in definitions' file names and texts, so two
 * installations with the same digest render the same Appfile alike.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CUE_LANGUAGE_VERSION } from '../cue/index.js';
import { nodeFileSystem, type FileSystem } from '../host/index.js';
import { BUILTIN_DEFINITIONS } from './registry.js';

export interface VersionInfo {
  readonly version: string;
  readonly node: string;
  /** vela's own CUE engine (it ships with vela, so its version is vela's) and the CUE language version it follows. */
  readonly cue: { readonly engine: string; readonly language: string };
  readonly definitions: { readonly digest: string; readonly files: number };
}

export async function versionInfo(opts: { version: string; node?: string; builtinDir?: string; fs?: FileSystem }): Promise<VersionInfo> {
  const fs = opts.fs ?? nodeFileSystem;
  const dir = opts.builtinDir ?? BUILTIN_DEFINITIONS;
  const files = await definitionFiles(fs, dir, '');
  const hash = createHash('sha256');
  for (const rel of files) {
    // Name and text, each length-prefixed, so no two different sets hash alike.
    const text = await fs.readText(join(dir, rel));
    hash.update(`${rel.length}:${rel}${Buffer.byteLength(text)}:`).update(text);
  }
  return {
    version: opts.version,
    node: opts.node ?? process.version,
    cue: { engine: `vela ${opts.version}`, language: CUE_LANGUAGE_VERSION },
    definitions: { digest: `sha256:${hash.digest('hex')}`, files: files.length },
  };
}

/** Every definition file under `dir` (subfolders too: policies, workflow steps), as sorted relative paths. */
async function definitionFiles(fs: FileSystem, dir: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await fs.list(join(dir, prefix)))) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const info = await fs.stat(join(dir, rel));
    if (info?.kind === 'directory') out.push(...(await definitionFiles(fs, dir, rel)));
    else if (info?.kind === 'file' && /\.(cue|ya?ml)$/i.test(name)) out.push(rel);
  }
  return out.sort();
}
