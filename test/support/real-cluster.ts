/**
 * The real kube-apiserver of scripts/cluster.sh, for the end-to-end suites:
 * where its kubeconfig is, and whether it is usable. In CI (.ci/run sets
 * VELA_E2E_REQUIRED=1) a missing cluster fails the suite instead of skipping it.
 */
import { existsSync } from 'node:fs';
import { clusterVersion } from '../../src/deploy/index.js';

export const kubeconfig = process.env.VELA_TEST_KUBECONFIG ?? '/tmp/vela-cluster/kubeconfig';
export const noRightsKubeconfig = process.env.VELA_TEST_KUBECONFIG_NORIGHTS ?? '/tmp/vela-cluster/kubeconfig-norights';

/** Why the real cluster cannot be used ('' when it can); says so on stderr, or throws when it is required. */
export async function realClusterUnavailable(suite: string): Promise<string> {
  let why = '';
  if (!existsSync(kubeconfig)) why = `no kubeconfig at ${kubeconfig}`;
  else {
    try {
      const v = await clusterVersion({ kubeconfig, retry: { retries: 0 } });
      if (v.minor !== '20') why = `expected Kubernetes 1.20, found ${v.gitVersion}`;
    } catch (e) {
      why = (e as Error).message.split('\n')[0]!;
    }
  }
  if (why && process.env.VELA_E2E_REQUIRED === '1') throw new Error(`the real kube-apiserver is required (VELA_E2E_REQUIRED=1) but not usable: ${why}`);
  // Said out loud: a skipped file alone does not tell why in the default reporter.
  if (why) console.warn(`${suite} skipped: ${why}; run scripts/cluster.sh build && scripts/cluster.sh start`);
  return why;
}
