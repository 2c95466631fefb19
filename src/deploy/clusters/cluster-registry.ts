/**
 * Changing the cluster registry (registry-file.ts): join, label, rename and
 * detach. Names are DNS-1123 labels; `local` is reserved for the current
 * kubeconfig context and can be neither joined nor changed. Joining reads the
 * kubeconfig and pins its context (`--context`, else the file's current one),
 * so a later `kubectl config use-context` does not move the cluster.
 */
import { dirname, join } from 'node:path';
import { DiagnosticError, didYouMean, error } from '../../source/index.js';
import { nodeFileSystem } from '../../host/index.js';
import { loadClusterTarget } from '../kubeconfig.js';
import { selfContainedKubeconfig } from './copy-kubeconfig.js';
import { readRegistry, registryPaths, writeRegistry, type RegisteredCluster, type RegistryDeps } from './registry-file.js';

/** The name of the cluster of the current kubeconfig context. */
export const LOCAL = 'local';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface JoinRequest {
  /** Absolute path of the kubeconfig file. */
  readonly kubeconfig: string;
  readonly context?: string;
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Copy the context's credentials into `$VELA_HOME/clusters/NAME.kubeconfig` (mode 0600). */
  readonly copy?: boolean;
  /** The cluster is an Open Cluster Management hub. */
  readonly ocmHub?: boolean;
}

const userError = (message: string, hint?: string, code = 'cluster/invalid') => new DiagnosticError([error(message, undefined, { code, ...(hint ? { hint } : {}) })]);

function checkName(name: string): void {
  if (name === LOCAL) throw userError(`"${LOCAL}" is the cluster of the current kubeconfig context; choose another name`, 'for example `--name staging`');
  if (!DNS_LABEL.test(name) || name.length > 63) throw userError(`invalid cluster name "${name}": must be a DNS-1123 label (lower case letters, digits and '-', at most 63)`);
}

function find(clusters: readonly RegisteredCluster[], name: string): RegisteredCluster {
  if (name === LOCAL) throw userError(`"${LOCAL}" is the current kubeconfig context, not a registered cluster`, 'switch it with `kubectl config use-context`, or pass --kubeconfig/--context');
  const found = clusters.find((c) => c.name === name);
  if (!found) {
    const names = clusters.map((c) => c.name);
    throw userError(`no cluster named "${name}"`, didYouMean(name, names) ?? (names.length ? `clusters: ${names.join(', ')}` : 'join one with `vela cluster join KUBECONFIG --name NAME`'), 'cluster/unknown');
  }
  return found;
}

const copyPath = (deps: RegistryDeps, name: string) => join(registryPaths(deps).copies, `${name}.kubeconfig`);

/** `vela cluster join`: the new entry, after the kubeconfig and its context were read. */
export async function joinCluster(req: JoinRequest, deps: RegistryDeps = {}): Promise<RegisteredCluster> {
  checkName(req.name);
  const fs = deps.fs ?? nodeFileSystem;
  const clusters = await readRegistry(deps);
  if (clusters.some((c) => c.name === req.name)) throw userError(`a cluster named "${req.name}" is already joined`, `choose another name, or \`vela cluster detach ${req.name}\` first`, 'cluster/exists');
  const target = await loadClusterTarget({ kubeconfig: req.kubeconfig, ...(req.context ? { context: req.context } : {}), fs, ...(deps.env ? { env: deps.env } : {}) });
  let kubeconfig = req.kubeconfig;
  let context = target.context;
  if (req.copy) {
    kubeconfig = copyPath(deps, req.name);
    context = req.name;
    await fs.writeFileAtomic(kubeconfig, await selfContainedKubeconfig(target, req.name, fs), { mode: 0o600 });
  }
  const entry: RegisteredCluster = { name: req.name, kubeconfig, context, server: target.server, labels: { ...(req.labels ?? {}) }, copied: req.copy === true, ocmHub: req.ocmHub === true };
  await writeRegistry([...clusters, entry], deps);
  return entry;
}

/** `vela cluster labels add|del`: labels merged in, then keys removed. */
export async function labelCluster(name: string, change: { add?: Readonly<Record<string, string>>; remove?: readonly string[] }, deps: RegistryDeps = {}): Promise<RegisteredCluster> {
  const clusters = await readRegistry(deps);
  const entry = find(clusters, name);
  const labels = { ...entry.labels, ...(change.add ?? {}) };
  for (const key of change.remove ?? []) delete labels[key];
  const next = { ...entry, labels };
  await writeRegistry(clusters.map((c) => (c === entry ? next : c)), deps);
  return next;
}

/** `vela cluster rename OLD NEW`: a copied kubeconfig moves with it. */
export async function renameCluster(from: string, to: string, deps: RegistryDeps = {}): Promise<RegisteredCluster> {
  const fs = deps.fs ?? nodeFileSystem;
  const clusters = await readRegistry(deps);
  const entry = find(clusters, from);
  checkName(to);
  if (clusters.some((c) => c.name === to)) throw userError(`a cluster named "${to}" is already joined`, undefined, 'cluster/exists');
  let next: RegisteredCluster = { ...entry, name: to };
  if (entry.copied) {
    // The copy's context is named after the cluster too, so the file is written anew rather than moved.
    const copied = await loadClusterTarget({ kubeconfig: entry.kubeconfig, context: entry.context, fs, ...(deps.env ? { env: deps.env } : {}) });
    next = { ...next, kubeconfig: copyPath(deps, to), context: to };
    await fs.writeFileAtomic(next.kubeconfig, await selfContainedKubeconfig(copied, to, fs), { mode: 0o600 });
  }
  await writeRegistry(clusters.map((c) => (c === entry ? next : c)), deps);
  if (entry.copied) await fs.remove(entry.kubeconfig);
  return next;
}

/** `vela cluster detach NAME`: the entry goes, and its copied credentials with it. */
export async function detachCluster(name: string, deps: RegistryDeps = {}): Promise<RegisteredCluster> {
  const fs = deps.fs ?? nodeFileSystem;
  const clusters = await readRegistry(deps);
  const entry = find(clusters, name);
  await writeRegistry(clusters.filter((c) => c !== entry), deps);
  // Only a file vela made, in its own folder.
  if (entry.copied && dirname(entry.kubeconfig) === registryPaths(deps).copies) await fs.remove(entry.kubeconfig);
  return entry;
}
