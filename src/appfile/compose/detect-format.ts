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
  const base = file.name.split(/[\\/]/).at(-1) ?? '';
  if (composeName.test(base)) return 'compose';
  if (/^vela\.(ya?ml|json)$/i.test(base) || base === 'Appfile') {
    // An Application kept under an Appfile's name is still an Application (a cheap look, no parse).
    return /^kind:\s*["']?Application["']?\s*$/m.test(file.text) && /^apiVersion:\s*["']?core\.oam\.dev\//m.test(file.text) ? 'application' : 'appfile';
  }
  const { root } = parseYamlTree(file);
  if (root?.kind !== 'map') return 'appfile';
  const get = (n: LNode, k: string) => (n.kind === 'map' ? n.entries.find((e) => e.key === k)?.value : undefined);
  const kind = get(root, 'kind');
  const apiVersion = get(root, 'apiVersion');
  if (kind?.kind === 'scalar' && kind.value === 'Application' && (apiVersion === undefined || (apiVersion.kind === 'scalar' && String(apiVersion.value).startsWith('core.oam.dev/')))) {
    return 'application';
  }
  const services = get(root, 'services');
  if (!services) return 'appfile';
  if (root.entries.some((e) => composeTopKeys.has(e.key))) return 'compose';
  let compose = 0;
  let appfile = 0;
  let listPorts = false;
  if (services.kind === 'map') {
    for (const s of services.entries) {
      if (s.value.kind !== 'map') continue;
      for (const e of s.value.entries) {
        if (composeServiceKeys.has(e.key)) compose++;
        if (appfileServiceKeys.has(e.key)) appfile++;
        // Compose ports are strings or numbers; an Appfile's `ports` are maps with `port`.
        if (e.key === 'ports' && e.value.kind === 'seq' && e.value.items.some((i) => i.kind === 'scalar')) listPorts = true;
        if (e.key === 'build' && e.value.kind === 'map' && e.value.entries.some((b) => b.key === 'context' || b.key === 'dockerfile')) compose++;
      }
    }
  }
  if (appfile > 0) return 'appfile';
  if (compose > 0 || listPorts) return 'compose';
  return get(root, 'name') === undefined ? 'compose' : 'appfile';
}
