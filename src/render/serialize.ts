/**
 * Manifests as text: multi-document YAML or a JSON `List`, and the file
 * names of `--output DIR`. Same manifests, same bytes. The YAML is read the
 * same by YAML 1.2 readers and by YAML 1.1 ones (kubectl, Helm, Go): a string
 * either would take for a boolean, number, null or date is quoted.
 */
import { Document, parse, stringify, visit } from 'yaml';
import type { Manifest } from './types.js';
import { isAmbiguousInYaml11 } from './yaml-1-1-strings.js';
import { emitYaml } from './yaml-emitter.js';

const YAML_OPTIONS = { lineWidth: 0, indent: 2, indentSeq: true } as const;

export function toYaml(o: unknown): string {
  return emitYaml(o) ?? packageYaml(o);
}

/** The `yaml` package's text of `o`, with YAML 1.1's look-alikes quoted: what `emitYaml` must equal. */
export function packageYaml(o: unknown): string {
  const doc = new Document(o, { aliasDuplicateObjects: false });
  // The package quotes what YAML 1.2 would misread; this adds what YAML 1.1 would.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && (isAmbiguousInYaml11(node.value) || !blockScalarKeeps(node.value))) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString(YAML_OPTIONS);
}

/**
 * Whether the block scalar (`|`) the package would write for a multi-line
 * string reads back as the same string: it loses the spaces of a line that has
 * nothing else (`" \n"` comes back as `"\n"`). Checked by writing and reading
 * it, which only multi-line strings pay for.
 */
function blockScalarKeeps(s: string): boolean {
  if (!s.includes('\n')) return true;
  try {
    return parse(stringify(s, YAML_OPTIONS)) === s;
  } catch {
    // Some such strings even come back as invalid YAML.
    return false;
  }
}

/** `---`-separated YAML documents, each with a comment naming where it came from. */
export function manifestsToYaml(ms: readonly Manifest[]): string {
  return ms.map((m) => `# ${originComment(m)}\n${toYaml(m.object)}`).join('---\n');
}

export function manifestsToJson(ms: readonly Manifest[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: ms.map((m) => m.object) }, null, 2) + '\n';
}

export function originComment(m: Manifest): string {
  const o = m.origin;
  const by = o.trait ? `trait ${o.trait}` : `component ${o.definition}`;
  return `service ${o.service}, ${by}${o.outputName ? ` (outputs.${o.outputName})` : ''}`;
}

function slug(s: unknown): string {
  return String(s ?? '').toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
}

/** One file per object: `NN-<service>-<kind>-<name>.yaml`, numbered in apply order. */
export function manifestFileNames(ms: readonly Manifest[], ext: 'yaml' | 'json' = 'yaml'): string[] {
  const width = Math.max(2, String(ms.length).length);
  return ms.map((m, i) => {
    const meta = (m.object.metadata ?? {}) as { name?: unknown };
    return `${String(i + 1).padStart(width, '0')}-${slug(m.origin.service)}-${slug(m.object.kind)}-${slug(meta.name)}.${ext}`;
  });
}
