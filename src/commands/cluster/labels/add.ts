import { Args, BaseCommand, formatClusterChanged } from '../../../cli/index.js';

export default class ClusterLabelsAdd extends BaseCommand<typeof ClusterLabelsAdd> {
  static override summary = 'Add or change labels of a joined cluster.';
  static override description = `k=v[,k=v...]: a key already there gets the new value. Labels of managed clusters are their ManagedCluster's, on the hub.`;
  static override examples = ['<%= config.bin %> cluster labels add staging region=eu,tier=2'];
  static override enableJsonFlag = true;
  static override strict = false;
  static override args = {
    name: Args.string({ description: 'the cluster', required: true }),
    labels: Args.string({ description: 'k=v[,k=v...]', required: true }),
  };

  async run(): Promise<unknown> {
    const { clusterLabels } = await import('../../../pipeline/clusters.js');
    return this.print(formatClusterChanged('labels', await clusterLabels('add', this.args.name, this.positional.slice(1))));
  }
}
