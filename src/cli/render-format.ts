/**
 * Output of the commands that render without a cluster: `vela dry-run` (the
 * manifests or the KubeVela Application) and `vela up --output DIR`, and the
 * warnings every rendering command prints first.
 */
import type { ApplicationResult } from '../pipeline/convert.js';
import type { DryRunResult } from '../pipeline/dry-run.js';
import type { ManifestOutput } from '../pipeline/manifest-output.js';
import { formatDiagnostics, formatPos, type Diagnostic } from '../source/index.js';
import type { CommandOutput } from './format.js';

type RenderedApp = DryRunResult['rendered'];

/** The warnings of loading and rendering, and a note per service whose image is the tag its build would get. */
export function formatRenderWarnings(warnings: readonly Diagnostic[], unbuilt: readonly { service: string; image: string }[], opts: { color: boolean }): string {
  const notes = unbuilt.map((u) => `note: service ${u.service} uses image ${u.image} (the tag its build would get; not built by dry-run)\n`);
  return (warnings.length ? formatDiagnostics(warnings, { color: opts.color }) + '\n' : '') + notes.join('');
}

/**
 * The manifests on stdout, or a line saying which folder they went to. The
 * --json document has each object with where it came from (`file:line:col`).
 */
export function formatManifestOutput(rendered: RenderedApp, output: ManifestOutput): CommandOutput {
  if (output.kind === 'gitops') {
    const count = `${output.files.length} manifest${output.files.length === 1 ? '' : 's'}`;
    const what = output.changed.length || output.removed.length ? `${output.changed.length} file${output.changed.length === 1 ? '' : 's'} changed${output.removed.length ? `, ${output.removed.length} removed` : ''}` : 'unchanged';
    return {
      stderr: `exported ${count} of app ${rendered.name} to ${output.dir} (${what})\n`,
      json: { app: rendered.name, namespace: rendered.namespace, dir: output.dir, folder: output.folder, files: output.files, changed: output.changed, removed: output.removed },
    };
  }
  if (output.kind === 'folder') {
    const count = `${output.files.length} manifest${output.files.length === 1 ? '' : 's'}`;
    const leftovers = output.removed.length ? ` (removed ${output.removed.length} left from an earlier run)` : '';
    return {
      stderr: `wrote ${count} of app ${rendered.name} to ${output.dir}${leftovers}\n`,
      json: { app: rendered.name, namespace: rendered.namespace, dir: output.dir, files: output.files, removed: output.removed },
    };
  }
  return {
    stdout: output.text,
    json: {
      app: rendered.name,
      namespace: rendered.namespace,
      manifests: rendered.manifests.map((m) => ({
        object: m.object,
        origin: { ...m.origin, span: undefined, fields: undefined, position: m.origin.span ? formatPos(m.origin.span) : undefined },
      })),
    },
  };
}

/** `vela dry-run` and `vela up --output`: warnings on stderr, then the manifests (or where they were written). */
export function formatRendered(
  r: { readonly rendered: RenderedApp; readonly warnings: readonly Diagnostic[]; readonly unbuilt?: DryRunResult['unbuilt']; readonly pinned?: DryRunResult['pinned']; readonly output: ManifestOutput; readonly clusters?: DryRunResult['clusters'] },
  opts: { color: boolean },
): CommandOutput {
  const manifests = formatManifestOutput(r.rendered, r.output);
  const pins = (r.pinned ?? []).map((p) => `note: service ${p.service} uses image ${p.image} (from ${p.from})\n`).join('');
  const perCluster = (r.clusters ?? []).map((c) => `  ${c.cluster}: ${c.output.kind !== 'text' ? `${c.output.files.length} in ${c.output.dir}` : ''}\n`).join('');
  const json = r.clusters ? { ...(manifests.json as object), clusters: r.clusters.map((c) => ({ cluster: c.cluster, ...(c.output.kind !== 'text' ? { dir: c.output.dir, files: c.output.files } : {}), ...(c.output.kind === 'gitops' ? { changed: c.output.changed } : {}) })) } : manifests.json;
  return { ...manifests, json, stderr: formatRenderWarnings(r.warnings, r.unbuilt ?? [], opts) + pins + (manifests.stderr ?? '') + perCluster };
}

/** `vela dry-run --emit application`: the Application on stdout, or the file it was written to. */
export function formatApplication(r: ApplicationResult, opts: { color: boolean }): CommandOutput {
  const warnings = formatRenderWarnings(r.warnings, r.unbuilt, opts);
  if (r.file !== undefined) return { stderr: `${warnings}wrote the Application of ${r.source} to ${r.file}\n`, json: { application: r.application, file: r.file } };
  return { stderr: warnings, stdout: r.text, json: { application: r.application } };
}
