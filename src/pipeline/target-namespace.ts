/**
 * The namespace an explicit choice names: `-n`, else `--env` (or the current
 * vela environment). Undefined when there is none: then the Appfile's
 * namespace wins over the kubeconfig context's. `vela up --output` asks the
 * same question as `vela up`, so a preview lands where the deploy would.
 */
import { resolveEnv, type ClusterOptions } from '../deploy/index.js';

export async function explicitNamespace(cluster: ClusterOptions): Promise<string | undefined> {
  if (cluster.namespace !== undefined) return cluster.namespace;
  const env = await resolveEnv(cluster.envName, { fs: cluster.fs, env: cluster.environment });
  return env?.namespace;
}
