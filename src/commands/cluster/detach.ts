import { Args, BaseCommand, formatClusterChanged } from '../../cli/index.js';

export default class ClusterDetach extends BaseCommand<typeof ClusterDetach> {
  static override summary = 'Forget a joined cluster (nothing in the cluster changes).';
  static override description = 'Removes it from $VELA_HOME/clusters.yaml, and its copied credentials if it was joined with --copy. Your own kubeconfig files are never touched.';
  static override examples = ['<%= config.bin %> cluster detach staging'];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'the cluster', required: true }) };

  async run(): Promise<unknown> {
    const { clusterDetach } = await import('../../pipeline/clusters.js');
    return this.print(formatClusterChanged('detached', await clusterDetach(this.args.name)));
  }
}
