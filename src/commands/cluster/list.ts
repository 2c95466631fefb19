import { BaseCommand, Flags, formatClusterList, parseDuration, withInterrupt } from '../../cli/index.js';

export default class ClusterList extends BaseCommand<typeof ClusterList> {
  static override summary = 'List the clusters vela knows: local, the joined ones, and the managed clusters of OCM hubs.';
  static override description = `NAME | TYPE | SERVER | LABELS | REACHABLE | VERSION. "local" is the current kubeconfig context (--kubeconfig, --context and --env choose it as for every cluster command). Every cluster is asked for its version at once, each within --timeout; why one does not answer is said on stderr. A managed cluster's REACHABLE is its hub's view (ManagedClusterConditionAvailable).`;
  static override examples = ['<%= config.bin %> cluster list', { description: 'As JSON', command: '<%= config.bin %> cluster list --json' }];
  static override enableJsonFlag = true;
  static override flags = {
    kubeconfig: Flags.string({ description: 'the kubeconfig of "local" (default: $KUBECONFIG, else ~/.kube/config)', helpGroup: 'CLUSTER' }),
    context: Flags.string({ description: 'the context of "local" (default: the environment\'s, else the current one)', helpGroup: 'CLUSTER' }),
    env: Flags.string({ description: 'a vela environment, for the context of "local"', helpGroup: 'CLUSTER' }),
    timeout: Flags.string({ description: 'how long each cluster may take to answer', default: '5s' }),
  };

  async run(): Promise<unknown> {
    const { clusterListAll } = await import('../../pipeline/clusters.js');
    const timeoutMs = parseDuration(this.flags.timeout, 'timeout');
    return withInterrupt(async (signal) =>
      this.print(
        formatClusterList(
          await clusterListAll({
            ...(this.flags.kubeconfig ? { kubeconfig: this.flags.kubeconfig } : {}),
            ...(this.flags.context ? { context: this.flags.context } : {}),
            ...(this.flags.env ? { envName: this.flags.env } : {}),
            timeoutMs,
            signal,
          }),
          { color: this.useColor(process.stdout) },
        ),
      ),
    );
  }
}
