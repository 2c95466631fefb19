/**
 * Where each part of the converted AppModel came from in the source file.
 * The AppModel speaks in Appfile paths (['services', 'web', 'ports', 0]);
 * a converted file does not have those, so every parameter and trait records
 * the source path it was made from, and `locate` maps one to the other. A path
 * without a record falls back to its closest recorded ancestor.
 */
import type { Span } from '../../source/index.js';
import { locator, type Locator } from '../doc-path.js';
import type { DocPath } from '../model.js';
import type { LNode } from '../yaml-tree.js';

export class Origins implements Locator {
  private readonly map = new Map<string, { path: DocPath; deep: boolean }>();
  private readonly loc: Locator;

  constructor(root: LNode) {
    this.loc = locator(root);
  }

  /** `modelPath` (and everything below it, unless recorded too) comes from `sourcePath`. */
  add(modelPath: DocPath, sourcePath: DocPath): void {
    this.map.set(key(modelPath), { path: sourcePath, deep: false });
  }

  /** `modelPath` is a copy of the subtree at `sourcePath`: deeper paths map segment by segment. */
  addTree(modelPath: DocPath, sourcePath: DocPath): void {
    this.map.set(key(modelPath), { path: sourcePath, deep: true });
  }

  private source(path: DocPath): DocPath {
    for (let k = path.length; k >= 0; k--) {
      const hit = this.map.get(key(path.slice(0, k)));
      // Deeper segments of a generated value have no source of their own: the ancestor's position stands for them.
      if (hit) return hit.deep ? [...hit.path, ...path.slice(k)] : hit.path;
    }
    return [];
  }

  locate = (path: DocPath): Span | undefined => this.loc.locate(this.source(path));
  locateKey = (path: DocPath): Span | undefined => {
    const exact = this.map.get(key(path));
    if (exact) return this.loc.locateKey(exact.path);
    const src = this.source(path);
    return this.loc.locateKey(src);
  };
}

const key = (p: DocPath) => JSON.stringify(p);
