/**
 * The cluster registry: `$VELA_HOME/clusters.yaml` (default `~/.vela`), the
 * clusters `vela cluster join` made known by name. Each entry refers to a
 * kubeconfig file and a context in it — the user's own file, or a copy of
 * that one context in `$VELA_HOME/clusters/NAME.kubeconfig` (mode 0600) made
 * with `--copy`. Credentials are never in this file, and never printed.
 *
 * Written atomically through the host's file system, entries sorted by name,
 * so the same registry gives the same bytes. A broken file is an error at its
 * line, never silently replaced.
 */
import { join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { DiagnosticError, error, SourceFile, type Span } from '../../source/index.js';
import { nodeEnvironment, nodeFileSystem, velaHome, type Environment, type FileSystem } from '../../host/index.js';

export interface RegisteredCluster {
  readonly name: string;
  /** Absolute path of the kubeconfig file (the copy, for a copied cluster). */
  readonly kubeconfig: string;
  /** The context of that file, pinned at join time. */
  readonly context: string;
  /** The API server's URL, as the kubeconfig said when joining. */
  readonly server: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The credentials were copied into `$VELA_HOME` (`--copy`): detach removes the copy. */
  readonly copied: boolean;
  /** An Open Cluster Management hub: its managed clusters are clusters too. */
  readonly ocmHub: boolean;
}

export interface RegistryDeps {
  readonly fs?: FileSystem;
  readonly env?: Environment;
}

/** Where the registry of `deps` lives, and where copied credentials go. */
export function registryPaths(deps: RegistryDeps = {}): { file: string; copies: string } {
  const home = velaHome(deps.env ?? nodeEnvironment());
  return { file: join(home, 'clusters.yaml'), copies: join(home, 'clusters') };
}

const HEADER = '# vela cluster registry: written by `vela cluster join|labels|rename|detach`.\n# Credentials are not here: each cluster names a kubeconfig file and a context in it.\n';
const ENTRY_KEYS = ['kubeconfig', 'context', 'server', 'labels', 'copied', 'ocmHub'] as const;

/** Every registered cluster, sorted by name; none when the file does not exist. */
export async function readRegistry(deps: RegistryDeps = {}): Promise<RegisteredCluster[]> {
  const fs = deps.fs ?? nodeFileSystem;
  const { file } = registryPaths(deps);
  let text: string;
  try {
    text = await fs.readText(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return parseRegistry(new SourceFile(file, text));
}

export function parseRegistry(src: SourceFile): RegisteredCluster[] {
  const doc = parseDocument(src.text, { uniqueKeys: true });
  const at = (range: readonly number[] | null | undefined): Span => ({ file: src, start: range?.[0] ?? 0, end: range?.[1] ?? 0 });
  const broken = (message: string, span: Span) =>
    new DiagnosticError([error(message, span, { code: 'cluster/registry', hint: 'fix the file, or remove it and join the clusters again' })]);
  if (doc.errors.length) throw broken(doc.errors[0]!.message.split('\n')[0]!, at(doc.errors[0]!.pos));
  const data = doc.toJS() as unknown;
  if (data === null || data === undefined) return [];
  const clusters = (data as { clusters?: unknown }).clusters;
  if (typeof data !== 'object' || Array.isArray(data) || (clusters !== undefined && clusters !== null && (typeof clusters !== 'object' || Array.isArray(clusters)))) {
    throw broken('the cluster registry must be a map with `clusters: {NAME: {...}}`', at(doc.contents?.range));
  }
  const out: RegisteredCluster[] = [];
  for (const [name, raw] of Object.entries((clusters ?? {}) as Record<string, unknown>)) {
    const node = doc.getIn(['clusters', name], true) as { range?: number[] } | undefined;
    const span = at(node?.range);
    const e = (raw ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(e).filter((k) => !(ENTRY_KEYS as readonly string[]).includes(k));
    if (unknown.length) throw broken(`cluster ${name}: unknown key "${unknown[0]}"`, span);
    for (const key of ['kubeconfig', 'context', 'server'] as const) {
      if (typeof e[key] !== 'string' || e[key] === '') throw broken(`cluster ${name}: ${key} must be a non-empty string`, span);
    }
    const labels = e.labels ?? {};
    if (typeof labels !== 'object' || Array.isArray(labels) || Object.values(labels as object).some((v) => typeof v !== 'string')) throw broken(`cluster ${name}: labels must be a map of strings`, span);
    out.push({
      name,
      kubeconfig: e.kubeconfig as string,
      context: e.context as string,
      server: e.server as string,
      labels: labels as Record<string, string>,
      copied: e.copied === true,
      ocmHub: e.ocmHub === true,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Replaces the registry with `clusters` (sorted by name, labels by key). */
export async function writeRegistry(clusters: readonly RegisteredCluster[], deps: RegistryDeps = {}): Promise<void> {
  const fs = deps.fs ?? nodeFileSystem;
  const sorted = [...clusters].sort((a, b) => a.name.localeCompare(b.name));
  const entries = Object.fromEntries(
    sorted.map((c) => [
      c.name,
      {
        kubeconfig: c.kubeconfig,
        context: c.context,
        server: c.server,
        ...(Object.keys(c.labels).length ? { labels: Object.fromEntries(Object.entries(c.labels).sort(([a], [b]) => a.localeCompare(b))) } : {}),
        ...(c.copied ? { copied: true } : {}),
        ...(c.ocmHub ? { ocmHub: true } : {}),
      },
    ]),
  );
  await fs.writeFileAtomic(registryPaths(deps).file, HEADER + stringify({ clusters: entries }, { lineWidth: 0 }));
}
