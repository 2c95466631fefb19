/**
 * KubeVela's comment conventions for parameters: `// +usage=...` describes
 * a field, `// +short=x` gives its one-letter flag, `// +alias=name` another
 * name, `// +ignore` hides it. The legacy forms `// +vela:cli:usage=...`,
 * `// +vela:cli:short=x` and `// +vela:cli:enabled=false` (hidden) mean the
 * same. The first value of a tag wins.
 */
import type { DocComment } from '../cue/index.js';

export interface FieldDoc {
  usage?: string;
  short?: string;
  alias?: string;
  ignore?: boolean;
}

const TAG = /^\s*\+(?:vela:cli:)?(usage|short|alias|ignore|enabled)\b(?:=(.*))?$/;

/** Reads the documentation tags of a field from its doc comments. */
export function fieldDoc(comments: readonly DocComment[]): FieldDoc {
  const doc: FieldDoc = {};
  for (const c of comments) {
    const m = TAG.exec(c.text);
    if (!m) continue;
    const value = (m[2] ?? '').trim();
    switch (m[1]) {
      case 'ignore':
        doc.ignore = true;
        break;
      case 'enabled':
        if (value === 'false') doc.ignore = true;
        break;
      case 'usage':
        doc.usage ??= value;
        break;
      case 'short':
        doc.short ??= value;
        break;
      case 'alias':
        doc.alias ??= value;
        break;
    }
  }
  return doc;
}
