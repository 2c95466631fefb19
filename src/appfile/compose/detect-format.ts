/**
 * Which reader a file needs: an Appfile, a compose file or a KubeVela
 * Application. The file name decides first (compose.yaml, docker-compose.yml,
 * *.compose.yaml, docker-compose.*.yml); otherwise the content: `kind:
 * Application` of core.oam.dev is an Application; a top-level `services:`
 * whose services use compose-only keys (or a compose-only top-level key, or no
 * `name`) is a compose file; anything else is an Appfile, so an Appfile with
 * mistakes still gets the Appfile's messages.
 */
import type { SourceFile } from '../../source/index.js';
import { parseYamlTree, type LNode } from '../yaml-tree.js';

export type InputFormat = 'appfile' | 'compose' | 'application';

/** Looked up, in this order, when there is no Appfile. */
export const composeFileNames = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

const composeName = /^(?:(?:docker-)?compose(?:\.[\w-]+)*|[\w.-]+\.compose)\.ya?ml$/i;

/** Keys only a compose service has (an Appfile service has `type`, `dependsOn`, `traits`, Appfile parameters). */
const composeServiceKeys = new Set([
  'environment',
  'depends_on',
  'command',
  'entrypoint',
  'deploy',
  'healthcheck',
  'restart',
  'expose',
  'env_file',
  'networks',
  'container_name',
  'volumes',
  'profiles',
  'extends',
  'stdin_open',
  'tty',
  'working_dir',
  'extra_hosts',
  'pull_policy',
  'cap_add',
  'privileged',
  'tmpfs',
]);
const appfileServiceKeys = new Set(['type', 'dependsOn', 'traits', 'cmd', 'env']);
const composeTopKeys = new Set(['version', 'volumes', 'networks', 'configs', 'secrets', 'include']);

export function detectFormat(file: SourceFile): InputFormat {
  return explainFormat(file).format;
}

/** The format, and how it was decided: by the file's name, or guessed from its content (and whether that guess was close). */
export interface DetectedFormat {
  readonly format: InputFormat;
  /** False when the file name decided. */
  readonly guessed: boolean;
  /** Why, in words: "its services use compose keys (environment, depends_on)". */
  readonly reason: string;
  /** The content pointed both ways (Appfile and compose keys); the Appfile won. */
  readonly ambiguous?: boolean;
}

export function explainFormat(file: SourceFile): DetectedFormat {
  const base = file.name.split(/[\\/]/).at(-1) ?? '';
  if (composeName.test(base)) return { format: 'compose', guessed: false, reason: `the file name ${base}` };
  if (/^vela\.(ya?ml|json)$/i.test(base) || base === 'Appfile') {
    // An Application kept under an Appfile's name is still an Application (a cheap look, no parse).
    const application = /^kind:\s*["']?Application["']?\s*$/m.test(file.text) && /^apiVersion:\s*["']?core\.oam\.dev\//m.test(file.text);
    return application ? { format: 'application', guessed: true, reason: 'kind: Application of core.oam.dev' } : { format: 'appfile', guessed: false, reason: `the file name ${base}` };
  }
  const guess = (format: InputFormat, reason: string, ambiguous = false): DetectedFormat => ({ format, guessed: true, reason, ...(ambiguous ? { ambiguous } : {}) });
  const { root } = parseYamlTree(file);
  if (root?.kind !== 'map') return guess('appfile', 'it is not a map of keys');
  const get = (n: LNode, k: string) => (n.kind === 'map' ? n.entries.find((e) => e.key === k)?.value : undefined);
  const kind = get(root, 'kind');
  const apiVersion = get(root, 'apiVersion');
  if (kind?.kind === 'scalar' && kind.value === 'Application' && (apiVersion === undefined || (apiVersion.kind === 'scalar' && String(apiVersion.value).startsWith('core.oam.dev/')))) {
    return guess('application', 'kind: Application of core.oam.dev');
  }
  const services = get(root, 'services');
  if (!services) return guess('appfile', 'it has no services: key');
  const top = root.entries.filter((e) => composeTopKeys.has(e.key)).map((e) => e.key);
  if (top.length) return guess('compose', `it has compose's top-level ${listed(top)}`);
  const composeKeys = new Set<string>();
  const appfileKeys = new Set<string>();
  if (services.kind === 'map') {
    for (const s of services.entries) {
      if (s.value.kind !== 'map') continue;
      for (const e of s.value.entries) {
        if (composeServiceKeys.has(e.key)) composeKeys.add(e.key);
        if (appfileServiceKeys.has(e.key)) appfileKeys.add(e.key);
        // Compose ports are strings or numbers; an Appfile's `ports` are maps with `port`.
        if (e.key === 'ports' && e.value.kind === 'seq' && e.value.items.some((i) => i.kind === 'scalar')) composeKeys.add('ports: ["HOST:CONTAINER"]');
        if (e.key === 'build' && e.value.kind === 'map' && e.value.entries.some((b) => b.key === 'context' || b.key === 'dockerfile')) composeKeys.add('build.context');
      }
    }
  }
  if (appfileKeys.size > 0) {
    const both = composeKeys.size > 0;
    return guess('appfile', `its services use Appfile keys (${[...appfileKeys].join(', ')})${both ? ` and also compose keys (${[...composeKeys].join(', ')})` : ''}`, both);
  }
  if (composeKeys.size > 0) return guess('compose', `its services use compose keys (${[...composeKeys].join(', ')})`);
  return get(root, 'name') === undefined ? guess('compose', 'it has services: and no name:') : guess('appfile', 'it has name: and services:');
}

function listed(keys: readonly string[]): string {
  return `${keys.length === 1 ? 'key' : 'keys'} ${keys.join(', ')}`;
}
