/**
 * The top-level `volumes`, `configs` and `secrets` of a compose file: the
 * named resources services mount. Volumes become PersistentVolumeClaims;
 * configs and secrets ConfigMaps and Secrets, whose content is read here from
 * `file:`, `content:` or `environment:` (storage.ts mounts them).
 */
import { posix } from 'node:path';
import { didYouMean, error, warning, type Diagnostic, type Span } from '../../source/index.js';
import { describe, type LEntry, type LMap } from '../yaml-tree.js';
import type { Lookup } from './interpolate.js';

export interface TopLevel {
  readonly volumes: Map<string, NamedResource>;
  readonly configs: Map<string, NamedResource>;
  readonly secrets: Map<string, NamedResource>;
}

/** A file the compose file refers to that the host refused to read, and why (never its content). */
export interface RefusedFile {
  /** What is wrong with it, to follow its path: "is outside the project folder …". */
  readonly problem: string;
  readonly hint?: string;
}

/** The text of a file the compose file refers to, by the path as written; undefined when it does not exist. */
export type FileSource = (path: string) => string | RefusedFile | undefined;

/** The diagnostic for a referenced file that was refused or is missing, at the compose value that names it. */
export function unreadableFile(what: string, got: RefusedFile | undefined, at: Span, missingHint: string): Diagnostic {
  if (got) return error(`cannot read ${what}: it ${got.problem}`, at, { code: 'compose/file-refused', ...(got.hint ? { hint: got.hint } : {}) });
  return error(`cannot read ${what}`, at, { code: 'compose/file-not-found', hint: missingHint });
}

export interface NamedResource {
  readonly name: string;
  readonly keySpan: Span;
  readonly path: readonly (string | number)[];
  /** `external: true`: it exists already; only mounted. */
  readonly external: boolean;
  /** `name:` given explicitly (used as is). */
  readonly explicitName?: string;
  /** Configs and secrets: the content, once resolved (file, content or environment). */
  content?: string;
  /** Configs and secrets with `file:`: the file name (the default key). */
  fileName?: string;
  readonly body?: LMap;
}

export function readNamed(e: LEntry, what: 'volume' | 'config' | 'secret', known: readonly string[], into: Map<string, NamedResource>, diags: Diagnostic[]): void {
  const v = e.value;
  if (v.kind === 'scalar' && v.value === null) return;
  if (v.kind !== 'map') {
    diags.push(error(`${e.key} must be a map of ${what} names to settings (got ${describe(v)})`, v.span, { code: 'compose/shape' }));
    return;
  }
  for (const ve of v.entries) {
    const body = ve.value.kind === 'map' ? ve.value : undefined;
    if (!body && !(ve.value.kind === 'scalar' && ve.value.value === null)) {
      diags.push(error(`a ${what} must be a map of its settings (got ${describe(ve.value)})`, ve.value.span, { code: 'compose/shape' }));
      continue;
    }
    let external = false;
    let explicitName: string | undefined;
    for (const b of body?.entries ?? []) {
      if (b.key === 'external') external = b.value.kind === 'scalar' && b.value.value === true;
      else if (b.key === 'name' && b.value.kind === 'scalar' && typeof b.value.value === 'string') explicitName = b.value.value;
      else if (b.key.startsWith('x-')) continue;
      else if (!known.includes(b.key)) {
        diags.push(error(`unknown key "${b.key}" in ${what} "${ve.key}"`, b.keySpan, { code: 'compose/unknown-key', hint: didYouMean(b.key, known) ?? `allowed: ${known.join(', ')}` }));
      } else if (what === 'volume' && b.key !== 'labels') {
        diags.push(warning(`${b.key} has no Kubernetes meaning here: the volume is a PersistentVolumeClaim of the cluster's default storage class; ignored`, b.keySpan, { code: 'compose/ignored' }));
      } else if (what !== 'volume' && !['file', 'content', 'environment'].includes(b.key)) {
        diags.push(warning(`${b.key} has no Kubernetes meaning here; ignored`, b.keySpan, { code: 'compose/ignored' }));
      }
    }
    into.set(ve.key, { name: ve.key, keySpan: ve.keySpan, path: [e.key, ve.key], external, ...(explicitName ? { explicitName } : {}), ...(body ? { body } : {}) });
  }
}

/** Configs and secrets: read `file:`, `content:` or `environment:` into `content`. */
export function resolveFileContents(top: TopLevel, files: FileSource, lookup: Lookup, diags: Diagnostic[]): void {
  for (const [what, map] of [['config', top.configs] as const, ['secret', top.secrets] as const]) {
    for (const r of map.values()) {
      if (r.external) continue;
      const get = (k: string) => r.body?.entries.find((e) => e.key === k);
      const file = get('file');
      const content = get('content');
      const env = get('environment');
      const given = [file, content, env].filter(Boolean);
      if (given.length !== 1) {
        diags.push(
          error(given.length === 0 ? `${what} "${r.name}" has no content` : `${what} "${r.name}" has more than one source`, r.keySpan, {
            code: 'compose/config',
            hint: 'give exactly one of `file: ./path`, `content: ...` or `environment: VAR` (or `external: true`)',
          }),
        );
        continue;
      }
      const e = given[0]!;
      const v = e.value;
      if (!(v.kind === 'scalar' && (typeof v.value === 'string' || typeof v.value === 'number'))) {
        diags.push(error(`${e.key} must be a string (got ${describe(v)})`, v.span, { code: 'compose/config' }));
        continue;
      }
      const s = String(v.value);
      if (e === file) {
        const text = files(s);
        if (typeof text !== 'string') {
          diags.push(unreadableFile(s, text, v.span, "the path is relative to the compose file's folder"));
          continue;
        }
        r.content = text;
        r.fileName = posix.basename(s.replaceAll('\\', '/'));
      } else if (e === content) r.content = s;
      else {
        const val = lookup(s);
        if (val === undefined) {
          diags.push(error(`variable ${s} is not set`, v.span, { code: 'compose/unset-variable', hint: `set ${s} in the environment or in .env` }));
          continue;
        }
        r.content = val;
      }
    }
  }
}
