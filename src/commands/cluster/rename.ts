import { Args, BaseCommand, formatClusterChanged } from '../../cli/index.js';

export default class ClusterRename extends BaseCommand<typeof ClusterRename> {
  static override summary = 'Rename a joined cluster.';
  static override description = 'Topology policies that name the old name must be changed too. A copied kubeconfig moves with the cluster.';
  static override examples = ['<%= config.bin %> cluster rename staging staging-eu'];
  static override enableJsonFlag = true;
  static override args = {
    old: Args.string({ description: 'the current name', required: true }),
    new: Args.string({ description: 'the new name (a DNS label; not "local")', required: true }),
  };

  async run(): Promise<unknown> {
    const { clusterRename } = await import('../../pipeline/clusters.js');
    return this.print(formatClusterChanged('renamed', await clusterRename(this.args.old, this.args.new), this.args.old));
  }
}
