/**
 * A service's `build` section:
 *   build:
 *     image: NAME                  (KubeVela's 2020 Appfile: the service's `image`)
 *     docker: {file, context, args, target}
 *     push: {registry}
 * As in docker compose, `build: ./dir` is short for `build: {docker: {context: ./dir}}`,
 * and build args may be a map or a list of `KEY=VALUE`; scalar values become strings.
 * `image` is only read here; resolve/ decides what it means next to the service's own.
 */
import { didYouMean, error, type Diagnostic, type Span } from '../source/index.js';
import { formatDocPath } from './doc-path.js';
import type { BuildSpec, DocPath } from './model.js';
import type { RawEntry } from './raw-app.js';
import { describe, type LEntry, type LMap, type LNode } from './yaml-tree.js';

const buildKeys = ['image', 'docker', 'push'] as const;
const dockerKeys = ['file', 'context', 'args', 'target'] as const;
const pushKeys = ['registry'] as const;

export interface BuildSection {
  readonly spec: BuildSpec;
  /** `build.image`, when given. */
  readonly image?: RawEntry;
}

/** The section, or undefined when anything in it is wrong (reported). */
export function readBuild(entry: LEntry, base: DocPath, diags: Diagnostic[]): BuildSection | undefined {
  const before = diags.length;
  const bad = (msg: string, span: Span, path: DocPath, hint?: string) =>
    diags.push(error(msg, span, { path: formatDocPath(path), code: 'appfile/build', ...(hint ? { hint } : {}) }));

  let file = 'Dockerfile';
  let context = '.';
  let target: string | undefined;
  let pushRegistry: string | undefined;
  let image: RawEntry | undefined;
  const args: Record<string, string> = {};

  const str = (n: LNode, path: DocPath): string | undefined => {
    if (n.kind === 'scalar' && typeof n.value === 'string' && n.value !== '') return n.value;
    bad(`must be a non-empty string (got ${describe(n)})`, n.span, path);
    return undefined;
  };
  const mapOf = (n: LNode, path: DocPath, example: string): LMap | undefined => {
    if (n.kind === 'map') return n;
    if (n.kind === 'scalar' && n.value === null) return { kind: 'map', entries: [], span: n.span, size: 1 };
    bad(`must be a map (got ${describe(n)})`, n.span, path, `for example \`${example}\``);
    return undefined;
  };

  const v = entry.value;
  if (v.kind === 'scalar' && typeof v.value === 'string') {
    context = str(v, base) ?? context;
  } else {
    const m = mapOf(v, base, 'build: {docker: {context: .}}');
    for (const e of m?.entries ?? []) {
      const p = [...base, e.key];
      if (e.key === 'image') {
        const name = str(e.value, p);
        if (name !== undefined) image = { key: e.key, keySpan: e.keySpan, value: name, valueSpan: e.value.span, path: p };
      } else if (e.key === 'docker') {
        const dm = mapOf(e.value, p, 'docker: {context: ., file: Dockerfile}');
        for (const d of dm?.entries ?? []) {
          const dp = [...p, d.key];
          switch (d.key) {
            case 'file':
              file = str(d.value, dp) ?? file;
              break;
            case 'context':
              context = str(d.value, dp) ?? context;
              break;
            case 'target':
              target = str(d.value, dp);
              break;
            case 'args':
              readArgs(d.value, dp, args, bad);
              break;
            default:
              bad(`unknown key "${d.key}" in docker`, d.keySpan, p, hintFor(d.key, dockerKeys, { dockerfile: 'file' }));
          }
        }
      } else if (e.key === 'push') {
        const pm = mapOf(e.value, p, 'push: {registry: localhost:5000}');
        for (const q of pm?.entries ?? []) {
          if (q.key === 'registry') {
            const r = str(q.value, [...p, q.key]);
            if (r !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(r)) {
              bad('a registry is a host name, not a URL', q.value.span, [...p, q.key], `write \`${r.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '')}\``);
            } else if (r !== undefined) pushRegistry = r.replace(/\/+$/, '');
          } else {
            const hint =
              q.key === 'local'
                ? 'vela does not load images into kind; push them to a registry the cluster can pull from'
                : hintFor(q.key, pushKeys, {});
            bad(`unknown key "${q.key}" in push`, q.keySpan, p, hint);
          }
        }
      } else if ((dockerKeys as readonly string[]).includes(e.key) || e.key === 'dockerfile') {
        const k = e.key === 'dockerfile' ? 'file' : e.key;
        bad(`unknown key "${e.key}" in build`, e.keySpan, base, `\`${k}\` goes under \`docker:\`, as in \`build: {docker: {${k}: ...}}\``);
      } else {
        bad(`unknown key "${e.key}" in build`, e.keySpan, base, hintFor(e.key, buildKeys, {}));
      }
    }
  }
  if (diags.length > before) return undefined;
  const spec: BuildSpec = {
    span: entry.keySpan,
    dockerfile: file,
    context,
    args,
    ...(target !== undefined ? { target } : {}),
    ...(pushRegistry !== undefined ? { pushRegistry } : {}),
  };
  return image ? { spec, image } : { spec };
}

function readArgs(
  n: LNode,
  path: DocPath,
  args: Record<string, string>,
  bad: (msg: string, span: Span, path: DocPath, hint?: string) => void,
): void {
  const noValue = 'vela does not read build args from the environment; give the value here';
  if (n.kind === 'map') {
    for (const e of n.entries) {
      const v = e.value;
      if (v.kind !== 'scalar') bad(`build arg "${e.key}" must be a string (got ${describe(v)})`, v.span, [...path, e.key]);
      else if (v.value === null) bad(`build arg "${e.key}" has no value`, e.keySpan, [...path, e.key], noValue);
      else args[e.key] = String(v.value);
    }
  } else if (n.kind === 'seq') {
    n.items.forEach((it, i) => {
      if (it.kind !== 'scalar' || typeof it.value !== 'string') {
        bad(`must be a string KEY=VALUE (got ${describe(it)})`, it.span, [...path, i]);
        return;
      }
      const eq = it.value.indexOf('=');
      if (eq <= 0) bad(`build arg "${it.value}" has no value`, it.span, [...path, i], eq === 0 ? 'write KEY=VALUE' : noValue);
      else args[it.value.slice(0, eq)] = it.value.slice(eq + 1);
    });
  } else if (n.value !== null) {
    bad(`must be a map of build args (got ${describe(n)})`, n.span, path, 'for example `args: {NODE_ENV: production}`');
  }
}

function hintFor(key: string, allowed: readonly string[], aliases: Record<string, string>): string {
  const alias = aliases[key];
  if (alias) return `did you mean \`${alias}\`?`;
  return didYouMean(key, allowed) ?? `allowed: ${allowed.join(', ')}`;
}
