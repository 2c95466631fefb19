/**
 * Manifests as text: multi-document YAML or a JSON `List`, and the file
 * names of `--output DIR`. Same manifests, same bytes.
 */
import { stringify } from 'yaml';
import type { Manifest } from './types.js';

const YAML_OPTIONS = { lineWidth: 0, indent: 2, indentSeq: true, aliasDuplicateObjects: false } as const;

export function toYaml(o: unknown): string {
  return stringify(o, YAML_OPTIONS);
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
