/**
 * Appfile text → the raw app (raw-app.ts). Pure, and needs no definitions: the
 * text comes in, the raw app and diagnostics (sorted by position) go out. The
 * raw app is returned whenever the file is a map, even with errors, so that
 * resolving it reports the problems of its services too.
 */
import { didYouMean, error, type Diagnostic, type SourceFile, type Span } from '../source/index.js';
import { checkDependencies } from './depends-on.js';
import { locator } from './doc-path.js';
import { dns1123LabelProblem, suggestLabel } from './names.js';
import { Origins } from './origins.js';
import type { ParseResult, RawAppfile, RawAppfileService } from './raw-app.js';
import { readService } from './read-service.js';
import { sortDiagnostics } from './sort-diagnostics.js';
import { readDelivery } from './read-delivery.js';
import { applyOverlays, type Overlay } from './overlay.js';
import { interpolateAppfile, variableLookup, type AppfileVariables } from './variables.js';
import { describe, parseYamlTree, type LEntry, type LNode } from './yaml-tree.js';

export interface ParseAppfileOptions {
  /** The folder of the Appfile (build contexts are relative to it). */
  dir: string;
  /** Refuse larger files (default 1 MiB). */
  maxBytes?: number;
  /** Interpolate `${VAR}` in values from these (variables.ts); without them values are taken as written. */
  variables?: AppfileVariables;
  /** `--values` files and `--set` flags, applied in order onto the Appfile before it is read (overlay.ts). */
  overlays?: readonly Overlay[];
}

const topLevelKeys = ['name', 'namespace', 'services', 'policies', 'workflow'] as const;

export function parseAppfile(file: SourceFile, opts: ParseAppfileOptions): ParseResult<RawAppfile> {
  const tree = parseYamlTree(file, opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {});
  const diags = [...tree.diagnostics];
  // Go on after duplicate keys (the first one is kept), so the rest is checked too; stop after
  // other YAML errors, whose placeholder values would only cause confusing follow-up errors.
  const stop = () => diags.some((d) => d.severity === 'error' && d.code !== 'appfile/duplicate-key');
  if (!tree.root || stop()) return { diagnostics: sortDiagnostics(diags) };
  // Variables, then overrides; an unset variable or a broken override stops here too (an empty image
  // after an unset ${TAG} would only add a second, misleading error).
  const root = prepareTree(tree.root, opts, diags);
  if (stop()) return { diagnostics: sortDiagnostics(diags) };
  const docStart: Span = { file, start: root.span.start, end: root.span.start };

  if (root.kind !== 'map') {
    diags.push(
      error(`an Appfile must be a map with \`name\` and \`services\` (got ${describe(root)})`, root.span, {
        code: 'appfile/not-a-map',
      }),
    );
    return { diagnostics: sortDiagnostics(diags) };
  }

  let name: string | undefined;
  let namespace: string | undefined;
  let namespaceSpan: Span | undefined;
  let servicesEntry: LEntry | undefined;
  let policies: LEntry | undefined;
  let workflow: LEntry | undefined;
  for (const e of root.entries) {
    switch (e.key) {
      case 'name':
        name = readLabel(e, 'app name', diags);
        break;
      case 'namespace':
        namespace = readLabel(e, 'namespace', diags);
        namespaceSpan = e.value.span;
        break;
      case 'services':
        servicesEntry = e;
        break;
      case 'policies':
        policies = e;
        break;
      case 'workflow':
        workflow = e;
        break;
      default:
        // `x-` keys are free, as in docker compose: a place for YAML anchors.
        if (e.key.startsWith('x-')) break;
        diags.push(
          error(`unknown top-level key "${e.key}"`, e.keySpan, {
            code: 'appfile/unknown-key',
            hint: topLevelHint(e.key),
          }),
        );
    }
  }
  if (!root.entries.some((e) => e.key === 'name')) {
    const guess = suggestLabel(baseName(opts.dir)) ?? (dns1123LabelProblem(baseName(opts.dir)) ? 'my-app' : baseName(opts.dir));
    diags.push(error('missing required key "name"', docStart, { code: 'appfile/missing-name', hint: `add \`name: ${guess}\`` }));
  }

  const services: RawAppfileService[] = [];
  if (!servicesEntry) {
    diags.push(
      error('missing required key "services"', docStart, {
        code: 'appfile/missing-services',
        hint: 'add `services:` with at least one service, e.g. `services: {web: {image: nginx:1.27}}`',
      }),
    );
  } else {
    const v = servicesEntry.value;
    if (v.kind !== 'map') {
      const empty = v.kind === 'scalar' && v.value === null;
      diags.push(
        error(empty ? 'services must list at least one service' : `services must be a map of service name to settings (got ${describe(v)})`, empty ? servicesEntry.keySpan : v.span, {
          path: 'services',
          code: 'appfile/services',
          hint: 'for example `services: {web: {image: nginx:1.27}}`',
        }),
      );
    } else if (v.entries.length === 0) {
      diags.push(error('services must list at least one service', v.span, { path: 'services', code: 'appfile/services' }));
    } else {
      v.entries.forEach((se, index) => {
        const problem = dns1123LabelProblem(se.key);
        if (problem) {
          const s = suggestLabel(se.key);
          diags.push(
            error(`invalid service name "${se.key}": ${problem}`, se.keySpan, {
              path: 'services',
              code: 'appfile/invalid-name',
              ...(s ? { hint: `try "${s}"` } : {}),
            }),
          );
        }
        services.push(readService(se, diags, v.entries[index - 1]));
      });
      checkDependencies(
        services.map((s) => ({ name: s.name, deps: s.dependsOn })),
        diags,
      );
    }
  }

  // The yaml reader reports a repeated service as a duplicate key under `services`; say it plainly (below).
  // Read before the duplicate-key rewording below, so their diagnostics join the rest.
  const delivery = readDelivery(policies, workflow, [], diags);
  const out = diags.map((d) =>
    d.code === 'appfile/duplicate-key' && d.path === 'services' ? { ...d, message: d.message.replace('duplicate key', 'duplicate service'), code: 'appfile/duplicate-service' } : d,
  );
  const raw: RawAppfile = {
    format: 'appfile',
    file,
    dir: opts.dir,
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace, namespaceSpan } : {}),
    services,
    origins: new Origins(locator(root), 'as-is'),
    ...(policies ? { policies } : {}),
    ...(workflow ? { workflow } : {}),
    ...(delivery ? { delivery } : {}),
  };
  return { raw, diagnostics: sortDiagnostics(out) };
}

function prepareTree(root: LNode, opts: ParseAppfileOptions, diags: Diagnostic[]): LNode {
  const lookup = opts.variables ? variableLookup(opts.variables, diags) : undefined;
  const interpolated = lookup ? interpolateAppfile(root, lookup, diags) : root;
  if (!opts.overlays?.length || interpolated.kind !== 'map') return interpolated;
  return applyOverlays(interpolated, opts.overlays, diags, { ...(lookup ? { lookup } : {}), ...(opts.maxBytes !== undefined ? { limits: { maxBytes: opts.maxBytes } } : {}) });
}

function readLabel(e: LEntry, what: string, diags: Diagnostic[]): string | undefined {
  const v = e.value;
  if (!(v.kind === 'scalar' && typeof v.value === 'string')) {
    diags.push(
      error(`the ${what} must be a string (got ${describe(v)})`, v.span, {
        path: e.key,
        code: 'appfile/invalid-name',
        ...(v.kind === 'scalar' && v.value !== null ? { hint: `quote it: \`${e.key}: "${String(v.value)}"\`` } : {}),
      }),
    );
    return undefined;
  }
  const problem = dns1123LabelProblem(v.value);
  if (problem) {
    const s = suggestLabel(v.value);
    diags.push(
      error(`invalid ${what} "${v.value}": ${problem}`, v.span, {
        path: e.key,
        code: 'appfile/invalid-name',
        ...(s ? { hint: `try "${s}"` } : {}),
      }),
    );
    return undefined;
  }
  return v.value;
}

function topLevelHint(key: string): string {
  if (key === 'apiVersion' || key === 'kind' || key === 'metadata' || key === 'spec') {
    return 'this looks like a Kubernetes object; an Appfile has `name`, `namespace` and `services`';
  }
  if (key === 'version') return 'an Appfile has no `version`; remove it';
  return didYouMean(key, topLevelKeys) ?? `an Appfile has ${topLevelKeys.map((k) => `\`${k}\``).join(', ')} (and \`x-\` keys for anchors)`;
}

function baseName(dir: string): string {
  const parts = dir.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  return parts.at(-1) ?? 'app';
}
