/**
 * YAML documents of addon files with positions: a parsed document and the
 * span of the value at a path, so an error in `metadata.yaml` or a resource
 * points at its line and column.
 */
import { parseAllDocuments, parseDocument, type Document } from 'yaml';
import { error, type Diagnostic, type SourceFile, type Span } from '../source/index.js';

/** Aliases a document may use: enough for anchors, too few for a "billion laughs". */
const MAX_ALIASES = 100;

export interface YamlDoc {
  readonly doc: Document.Parsed;
  readonly src: SourceFile;
  /** The document as plain data. */
  readonly data: unknown;
  /** The span of the node at `path` (or of the closest existing ancestor). */
  at(path: readonly (string | number)[]): Span;
}

function wrap(doc: Document.Parsed, src: SourceFile): YamlDoc {
  const data = doc.toJS({ maxAliasCount: MAX_ALIASES }) as unknown;
  return {
    doc,
    src,
    data,
    at(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node?.range) return { file: src, start: node.range[0], end: node.range[1] };
      }
      const r = doc.contents?.range;
      return { file: src, start: r?.[0] ?? 0, end: r?.[1] ?? 0 };
    },
  };
}

function firstError(doc: Document.Parsed, src: SourceFile): Diagnostic | undefined {
  const e = doc.errors[0];
  return e ? error(`invalid YAML: ${e.message.split('\n')[0]}`, { file: src, start: e.pos[0], end: e.pos[1] }) : undefined;
}

/** One YAML document; a syntax error is a diagnostic at its position. */
export function readYamlDocument(src: SourceFile): { yaml?: YamlDoc; diagnostics: Diagnostic[] } {
  const doc = parseDocument(src.text, { uniqueKeys: true });
  const bad = firstError(doc, src);
  if (bad) return { diagnostics: [bad] };
  try {
    return { yaml: wrap(doc, src), diagnostics: [] };
  } catch (e) {
    return { diagnostics: [error(`invalid YAML: ${(e as Error).message}`, { file: src, start: 0, end: 0 })] };
  }
}

/** Every document of a YAML stream, empty ones left out. */
export function readYamlDocuments(src: SourceFile): { docs: YamlDoc[]; diagnostics: Diagnostic[] } {
  const docs: YamlDoc[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const doc of parseAllDocuments(src.text, { uniqueKeys: true }) as Document.Parsed[]) {
    const bad = firstError(doc, src);
    if (bad) {
      diagnostics.push(bad);
      continue;
    }
    try {
      const y = wrap(doc, src);
      if (y.data !== null && y.data !== undefined) docs.push(y);
    } catch (e) {
      diagnostics.push(error(`invalid YAML: ${(e as Error).message}`, { file: src, start: 0, end: 0 }));
    }
  }
  return { docs, diagnostics };
}

export const isPlainObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
