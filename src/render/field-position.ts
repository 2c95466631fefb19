/**
 * The Appfile position of a field of a rendered object: the field itself when
 * it came straight from a parameter, else its closest parent that did.
 */
import type { Span } from '../source/index.js';
import type { ManifestOrigin } from './types.js';

/** One step up: `a.b[0].c` → `a.b[0]` → `a.b` → `a`; `data[key]` → `data`. */
const LAST_STEP = /(\.[^.[\]]+|\[[^\]]*\])$/;

export function fieldPosition(origin: ManifestOrigin | undefined, field: string): Span | undefined {
  if (!origin?.fields) return undefined;
  for (let path = field; path; path = path.replace(LAST_STEP, '')) {
    const span = origin.fields.get(path);
    if (span) return span;
    if (!LAST_STEP.test(path)) break;
  }
  return undefined;
}
