import { Args, BaseCommand, formatClusterChanged } from '../../../cli/index.js';

export default class ClusterLabelsDel extends BaseCommand<typeof ClusterLabelsDel> {
  static override summary = 'Remove labels from a joined cluster.';
  static override description = `Keys, k[,k...] (k=v is accepted; the value is not checked). A key it does not have is not an error. Labels of managed clusters are their ManagedCluster's, on the hub.`;
  static override examples = ['<%= config.bin %> cluster labels del staging region'];
  static override enableJsonFlag = true;
  static override strict = false;
  static override args = {
    name: Args.string({ description: 'the cluster', required: true }),
    keys: Args.string({ description: 'k[,k...]', required: true }),
  };

  async run(): Promise<unknown> {
    const { clusterLabels } = await import('../../../pipeline/clusters.js');
    return this.print(formatClusterChanged('labels', await clusterLabels('del', this.args.name, this.positional.slice(1))));
  }
}
