/**
 * Where each part of the model came from in the source file. The model speaks
 * in Appfile paths (['services', 'web', 'ports', 0]); a converted file (compose,
 * an Application) does not have those, and sugar moves values (`build.image` is
 * the service's `image`), so every such part records the source path it was made
 * from, and `locate` maps one to the other. A path without a record falls back
 * to its closest recorded ancestor; with no recorded ancestor at all, it is
 * looked up as it is (`unrecorded: 'as-is'`, an Appfile, whose paths are the
 * model's) or at the document's root (a converted file). The parser records
 * what it made; resolving records into a `fork`, leaving the raw app as it was.
 */
import type { Span } from '../source/index.js';
import type { Locator } from './doc-path.js';
import type { DocPath } from './model.js';

export class Origins implements Locator {
  private readonly map = new Map<string, { path: DocPath; deep: boolean }>();

  constructor(
    private readonly source: Locator,
    private readonly unrecorded: 'root' | 'as-is' = 'root',
  ) {}

  /** A copy with the same records, for more of them. */
  fork(): Origins {
    const copy = new Origins(this.source, this.unrecorded);
    for (const [k, v] of this.map) copy.map.set(k, v);
    return copy;
  }

  /** `modelPath` (and everything below it, unless recorded too) comes from `sourcePath`. */
  add(modelPath: DocPath, sourcePath: DocPath): void {
    this.map.set(key(modelPath), { path: sourcePath, deep: false });
  }

  /** `modelPath` is a copy of the subtree at `sourcePath`: deeper paths map segment by segment. */
  addTree(modelPath: DocPath, sourcePath: DocPath): void {
    this.map.set(key(modelPath), { path: sourcePath, deep: true });
  }

  private sourcePath(path: DocPath): DocPath {
    for (let k = path.length; k >= 0; k--) {
      const hit = this.map.get(key(path.slice(0, k)));
      // Deeper segments of a generated value have no source of their own: the ancestor's position stands for them.
      if (hit) return hit.deep ? [...hit.path, ...path.slice(k)] : hit.path;
    }
    return this.unrecorded === 'as-is' ? path : [];
  }

  locate = (path: DocPath): Span | undefined => this.source.locate(this.sourcePath(path));
  locateKey = (path: DocPath): Span | undefined => {
    const exact = this.map.get(key(path));
    if (exact) return this.source.locateKey(exact.path);
    return this.source.locateKey(this.sourcePath(path));
  };
}

const key = (p: DocPath) => JSON.stringify(p);
