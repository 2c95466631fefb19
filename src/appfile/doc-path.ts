/**
 * Document paths (['services', 'web', 'env', 0, 'name']) and how to find the
 * Appfile position of one.
 */
import type { Span } from '../source/index.js';
import type { DocPath } from './model.js';
import type { LNode } from './yaml-tree.js';

const plainKey = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `services.web.env[0].name`; keys that are not plain words are quoted: `http["/"]`. */
export function formatDocPath(path: DocPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (plainKey.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export interface Locator {
  /** Span of the value at `path`, or of its closest existing ancestor. */
  locate(path: DocPath): Span | undefined;
  /** Span of the key at `path` (for map entries), else as `locate`. */
  locateKey(path: DocPath): Span | undefined;
}

export function locator(root: LNode | undefined): Locator {
  const walk = (path: DocPath, wantKey: boolean): Span | undefined => {
    if (!root) return undefined;
    let node = root;
    let keySpan: Span | undefined;
    for (const seg of path) {
      const parentKey = keySpan;
      keySpan = undefined;
      let next: LNode | undefined;
      if (node.kind === 'map') {
        const e = node.entries.find((x) => x.key === String(seg));
        if (e) {
          next = e.value;
          keySpan = e.keySpan;
        }
      } else if (node.kind === 'seq' && typeof seg === 'number') {
        next = node.items[seg];
      }
      if (!next) return wantKey && parentKey ? parentKey : node.span;
      node = next;
    }
    return wantKey && keySpan ? keySpan : node.span;
  };
  return { locate: (p) => walk(p, false), locateKey: (p) => walk(p, true) };
}
