/**
 * What a source string (`--registry SRC`, `vela addon registry add NAME SRC`,
 * `vela def install SRC`) names:
 *
 *   ./catalog, /abs/path                    a folder (or a file) on disk
 *   https://host/repo.git#REF:SUBDIR        a git repository, as docker build
 *   git+https://host/repo#REF:SUBDIR        contexts name them: a branch or tag
 *   git://host/repo, ssh://…, git@host:repo after `#`, a folder after `:`
 *   file:///srv/repo.git                    (both optional)
 *   https://host/catalog[/index.yaml]       an HTTP(S) catalog index
 *   https://host/fluxcd-1.0.0.tgz           one packaged addon (or a file, for definitions)
 */
import { isAbsolute, resolve } from 'node:path';
import { DiagnosticError, error } from '../source/index.js';

export type SourceSpec =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'git'; readonly url: string; readonly ref?: string; readonly subdir?: string }
  | { readonly kind: 'http'; readonly url: string };

/** `#REF:SUBDIR` of a git source. */
function gitFragment(url: string, fragment: string | undefined): SourceSpec {
  if (fragment === undefined) return { kind: 'git', url };
  const colon = fragment.indexOf(':');
  const ref = colon >= 0 ? fragment.slice(0, colon) : fragment;
  const subdir = colon >= 0 ? fragment.slice(colon + 1).replace(/^\/+|\/+$/g, '') : '';
  if (subdir.split('/').includes('..')) throw new DiagnosticError([error(`the folder of a git source must stay inside the repository: ${JSON.stringify(subdir)}`, undefined, { code: 'source/spec' })]);
  return { kind: 'git', url, ...(ref && { ref }), ...(subdir && { subdir }) };
}

export function parseSourceSpec(text: string, cwd: string): SourceSpec {
  const s = text.trim();
  if (!s) throw new DiagnosticError([error('an empty source', undefined, { code: 'source/spec', hint: 'a folder, a git URL or an HTTP(S) URL' })]);
  const hash = s.indexOf('#');
  const base = hash >= 0 ? s.slice(0, hash) : s;
  const fragment = hash >= 0 ? s.slice(hash + 1) : undefined;
  if (base.startsWith('git+')) return gitFragment(base.slice(4), fragment);
  if (/^(git|ssh):\/\//i.test(base) || /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:/.test(base)) return gitFragment(base, fragment);
  if (/^(https?|file):\/\//i.test(base) && /\.git\/?$/.test(new URL(base).pathname)) return gitFragment(base, fragment);
  if (/^https?:\/\//i.test(base)) {
    if (fragment !== undefined) throw new DiagnosticError([error(`#${fragment}: only git sources take a #REF`, undefined, { code: 'source/spec', hint: 'a git repository URL ends with .git, or write git+URL' })]);
    return { kind: 'http', url: base };
  }
  if (/^file:\/\//i.test(base)) return { kind: 'path', path: decodeURIComponent(new URL(base).pathname) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) throw new DiagnosticError([error(`unsupported source ${JSON.stringify(s.replace(/\/\/[^/@]*@/, '//***@'))}`, undefined, { code: 'source/spec', hint: 'a folder, a git URL (https://…/repo.git, git://, ssh://, git@host:repo) or an HTTP(S) URL' })]);
  return { kind: 'path', path: isAbsolute(s) ? s : resolve(cwd, s) };
}

/** The spec as one string again, for configuration files and messages. */
export function formatSourceSpec(spec: SourceSpec): string {
  switch (spec.kind) {
    case 'path':
      return spec.path;
    case 'http':
      return spec.url;
    case 'git': {
      const plain = /\.git\/?$/.test(spec.url) || /^(git|ssh):\/\//i.test(spec.url) || /^[A-Za-z0-9._-]+@/.test(spec.url);
      const fragment = spec.ref || spec.subdir ? `#${spec.ref ?? ''}${spec.subdir ? `:${spec.subdir}` : ''}` : '';
      return `${plain ? '' : 'git+'}${spec.url}${fragment}`;
    }
  }
}
