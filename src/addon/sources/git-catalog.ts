/**
 * A catalog in a git repository (KubeVela's own is github.com/kubevela/catalog,
 * with its addons under `addons/`): cloned once per run into vela's cache,
 * then read as a folder.
 */
import { join } from 'node:path';
import type { FileSystem } from '../../host/index.js';
import { gitCheckout, redactUrl, type GitCheckout } from '../git.js';
import type { AddonSource, AddonSummary, LoadedAddon } from '../types.js';
import { FolderSource } from './folder.js';

export interface GitCatalogOptions {
  readonly fs: FileSystem;
  readonly url: string;
  readonly ref?: string;
  readonly subdir?: string;
  /** The registry's name, or `local`. */
  readonly registry: string;
  /** The source as configured (for state files). */
  readonly source: string;
  readonly cacheDir: string;
  readonly signal?: AbortSignal;
}

export class GitCatalogSource implements AddonSource {
  readonly label: string;
  readonly registry: string;
  private checkout?: Promise<{ folder: FolderSource; git: GitCheckout }>;

  constructor(private readonly opts: GitCatalogOptions) {
    this.registry = opts.registry;
    this.label = `registry ${opts.registry} (${redactUrl(opts.url)}${opts.ref ? `#${opts.ref}` : ''})`;
  }

  private folder(): Promise<{ folder: FolderSource; git: GitCheckout }> {
    return (this.checkout ??= gitCheckout({ url: this.opts.url, ref: this.opts.ref, cacheDir: this.opts.cacheDir, signal: this.opts.signal }).then((git) => {
      const dir = this.opts.subdir ? join(git.dir, this.opts.subdir) : git.dir;
      const folder = new FolderSource({ fs: this.opts.fs, dir, label: this.label, origin: { registry: this.opts.registry, source: this.opts.source, commit: git.commit } });
      return { folder, git };
    }));
  }

  async list(): Promise<AddonSummary[]> {
    return (await this.folder()).folder.list();
  }

  async load(name: string, version?: string): Promise<LoadedAddon> {
    return (await this.folder()).folder.load(name, version);
  }
}
