/**
 * Which cluster to talk to: the kubeconfig from `--kubeconfig`, `KUBECONFIG`
 * (several files merged the way kubectl merges them: the first file to set a
 * name or the current context wins) or `~/.kube/config`, then `--context` and
 * the namespace. Credentials (token, client certificates, exec plugins) are
 * whatever client-node supports; TLS verification stays on unless the
 * kubeconfig itself says `insecure-skip-tls-verify`.
 *
 * The kubeconfig files and the environment are read through the host, so
 * tests can use the in-memory one. (Files the kubeconfig points to, such as a
 * `certificate-authority` path, are read by client-node when it connects.)
 */
import { delimiter, dirname, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { clientNode } from './client-node.js';
import { EnvironmentError, nodeEnvironment, nodeFileSystem, type Environment, type FileSystem } from '../host/index.js';

export interface KubeconfigOptions {
  /** `--kubeconfig`: one file, used alone. */
  readonly kubeconfig?: string;
  /** `--context`: a context name from the kubeconfig. */
  readonly context?: string;
  /** `-n/--namespace`: overrides the context's namespace. */
  readonly namespace?: string;
  /** Where `KUBECONFIG` and the home folder come from (default: the process). */
  readonly env?: Environment;
  /** Where the kubeconfig files are read from (default: the disk). */
  readonly fs?: FileSystem;
}

/** A resolved target: one context of one kubeconfig. */
export interface ClusterTarget {
  readonly kubeConfig: KubeConfig;
  readonly context: string;
  readonly server: string;
  /** The namespace to use: `--namespace`, else the context's, else `default`. */
  readonly namespace: string;
  /** The kubeconfig files that were read, for messages. */
  readonly files: readonly string[];
}

/** The kubeconfig files to read, in order. */
export function kubeconfigFiles(opts: KubeconfigOptions): string[] {
  if (opts.kubeconfig) return [opts.kubeconfig];
  const env = opts.env ?? nodeEnvironment();
  const fromEnv = env.get('KUBECONFIG');
  if (fromEnv) return fromEnv.split(delimiter).filter((f) => f.length > 0);
  return [join(env.homeDir, '.kube', 'config')];
}

async function readOne(fs: FileSystem, file: string): Promise<KubeConfig> {
  const { KubeConfig } = await clientNode();
  const config = new KubeConfig();
  try {
    config.loadFromString(await fs.readText(file));
    // Relative certificate and key paths are relative to the kubeconfig's folder, as kubectl reads them.
    config.makePathsAbsolute(dirname(file));
  } catch (err) {
    throw new EnvironmentError(`cannot read kubeconfig ${file}: ${(err as Error).message}`, {
      code: 'kube/kubeconfig',
      cause: err,
    });
  }
  return config;
}

/** Merge kubeconfigs as kubectl does: the first definition of a name wins, and the first current-context. */
async function merge(configs: KubeConfig[]): Promise<KubeConfig> {
  const { KubeConfig } = await clientNode();
  const clusters = new Map<string, unknown>();
  const users = new Map<string, unknown>();
  const contexts = new Map<string, unknown>();
  let current = '';
  for (const config of configs) {
    for (const entry of config.getClusters()) if (!clusters.has(entry.name)) clusters.set(entry.name, entry);
    for (const user of config.getUsers()) if (!users.has(user.name)) users.set(user.name, user);
    for (const entry of config.getContexts()) if (!contexts.has(entry.name)) contexts.set(entry.name, entry);
    if (!current && config.getCurrentContext()) current = config.getCurrentContext();
  }
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext: current,
  });
  return out;
}

/** Load and resolve the kubeconfig; a missing file or context is an EnvironmentError (exit 2). */
export async function loadClusterTarget(opts: KubeconfigOptions = {}): Promise<ClusterTarget> {
  const fs = opts.fs ?? nodeFileSystem;
  const wanted = kubeconfigFiles(opts);
  const present = await Promise.all(wanted.map((file) => fs.exists(file)));
  // kubectl ignores missing files in KUBECONFIG, but not a missing --kubeconfig.
  const files = opts.kubeconfig ? wanted : wanted.filter((_, index) => present[index]);
  if (opts.kubeconfig && !present[0]) {
    throw new EnvironmentError(`kubeconfig ${opts.kubeconfig} does not exist`, { code: 'kube/kubeconfig' });
  }
  if (files.length === 0) {
    throw new EnvironmentError(`no kubeconfig found (looked at ${wanted.join(', ')})`, {
      code: 'kube/kubeconfig',
      hint: 'pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config',
    });
  }
  const configs = await Promise.all(files.map((file) => readOne(fs, file)));
  const config = configs.length === 1 ? configs[0]! : await merge(configs);
  const contextName = opts.context ?? config.getCurrentContext();
  if (!contextName) {
    throw new EnvironmentError(`the kubeconfig (${files.join(', ')}) has no current context`, {
      code: 'kube/context',
      hint: 'pass --context NAME',
    });
  }
  const context = config.getContextObject(contextName);
  if (!context) {
    const names = config.getContexts().map((entry) => entry.name);
    throw new EnvironmentError(`no context "${contextName}" in the kubeconfig (${files.join(', ')})`, {
      code: 'kube/context',
      hint: names.length ? `known contexts: ${names.join(', ')}` : undefined,
    });
  }
  config.setCurrentContext(contextName);
  const cluster = config.getCurrentCluster();
  if (!cluster?.server) {
    throw new EnvironmentError(`context "${contextName}" names no cluster with a server address`, { code: 'kube/context' });
  }
  return {
    kubeConfig: config,
    context: contextName,
    server: cluster.server,
    namespace: opts.namespace ?? context.namespace ?? 'default',
    files,
  };
}
