/**
 * A catalog on disk, laid out as KubeVela's: one folder per addon, each with
 * its metadata.yaml (`addons/NAME/...`; a catalog whose addons sit under
 * `addons/` may be named by its root). Each addon has the one version its
 * metadata.yaml says.
 */
import { join } from 'node:path';
import type { FileSystem } from '../../host/index.js';
import { DiagnosticError, didYouMean, error, SourceFile } from '../../source/index.js';
import { readMetadata } from '../metadata.js';
import type { AddonOrigin, AddonSource, AddonSummary, LoadedAddon } from '../types.js';
import { readTree } from './read-folder.js';

export interface FolderSourceOptions {
  readonly fs: FileSystem;
  /** The catalog folder on disk. */
  readonly dir: string;
  /** How files are named in messages (default `dir`). */
  readonly display?: string;
  readonly label: string;
  readonly origin: Omit<AddonOrigin, 'commit'> & { commit?: string };
}

/** The folder holding the addons: `dir`, or `dir/addons` when `dir` has no addon of its own but that folder exists. */
async function addonsRoot(fs: FileSystem, dir: string): Promise<{ dir: string; prefix: string }> {
  for (const name of await fs.list(dir)) {
    if (await fs.exists(join(dir, name, 'metadata.yaml'))) return { dir, prefix: '' };
  }
  const nested = join(dir, 'addons');
  if ((await fs.stat(nested))?.kind === 'directory') return { dir: nested, prefix: 'addons/' };
  return { dir, prefix: '' };
}

export class FolderSource implements AddonSource {
  readonly label: string;
  readonly registry: string;

  constructor(private readonly opts: FolderSourceOptions) {
    this.label = opts.label;
    this.registry = opts.origin.registry;
  }

  async list(): Promise<AddonSummary[]> {
    const { fs } = this.opts;
    const root = await this.root();
    const out: AddonSummary[] = [];
    for (const name of await fs.list(root.dir)) {
      const file = join(root.dir, name, 'metadata.yaml');
      if (!(await fs.exists(file))) continue;
      const metaFile = new SourceFile(`${this.display()}/${root.prefix}${name}/metadata.yaml`, await fs.readText(file));
      const { meta, diagnostics } = readMetadata(metaFile, name);
      if (!meta) {
        out.push({ name, versions: [], description: `(broken: ${diagnostics[0]?.message ?? 'invalid metadata.yaml'})`, tags: [], invisible: false });
        continue;
      }
      out.push({ name: meta.name, versions: meta.version ? [meta.version] : [], description: meta.description, tags: meta.tags, invisible: meta.invisible });
    }
    return out;
  }

  async load(name: string, version?: string): Promise<LoadedAddon> {
    const { fs } = this.opts;
    const root = await this.root();
    const dir = join(root.dir, name);
    if (!(await fs.exists(join(dir, 'metadata.yaml')))) {
      const names = (await this.list()).map((a) => a.name);
      throw new DiagnosticError([
        error(`${this.label} has no addon "${name}"`, undefined, { code: 'addon/not-found', hint: didYouMean(name, names) ?? (names.length ? `it has: ${names.join(', ')}` : 'it has no addons') }),
      ]);
    }
    const files = await readTree(fs, dir, `${this.display()}/${root.prefix}${name}`);
    if (version !== undefined) {
      const { meta } = readMetadata(files.get('metadata.yaml')!, name);
      if (meta && stripV(meta.version) !== stripV(version)) {
        throw new DiagnosticError([error(`${this.label} has ${name} ${meta.version || '(no version)'}, not ${version}`, undefined, { code: 'addon/no-such-version', hint: `leave out --version, or use a registry that has ${name} ${version}` })]);
      }
    }
    return { files, origin: this.opts.origin };
  }

  private root() {
    return addonsRoot(this.opts.fs, this.opts.dir);
  }

  private display() {
    return this.opts.display ?? this.opts.dir;
  }
}

/** One addon folder given on the command line (`vela addon enable ./my-addon`). */
export class SingleAddonSource implements AddonSource {
  readonly label: string;
  readonly registry = 'local';

  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private readonly display: string,
  ) {
    this.label = `the folder ${display}`;
  }

  async list(): Promise<AddonSummary[]> {
    const files = await readTree(this.fs, this.dir, this.display);
    const metaFile = files.get('metadata.yaml');
    const meta = metaFile && readMetadata(metaFile).meta;
    return meta ? [{ name: meta.name, versions: meta.version ? [meta.version] : [], description: meta.description, tags: meta.tags, invisible: meta.invisible }] : [];
  }

  async load(): Promise<LoadedAddon> {
    return { files: await readTree(this.fs, this.dir, this.display), origin: { registry: 'local', source: this.dir } };
  }
}

const stripV = (v: string) => v.replace(/^v/, '');
