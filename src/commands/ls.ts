import { BaseCommand, Flags, clusterFlags, clusterOptions, formatAppList, formatAppListEverywhere, targetClusterFlag, withInterrupt } from '../cli/index.js';

export default class Ls extends BaseCommand<typeof Ls> {
  static override summary = 'List the apps vela deployed, in a namespace (or every namespace), in every cluster.';
  static override description = `Lists the apps whose inventories (ApplySet parents written by vela) are in the namespace of -n, the environment, or the kubeconfig context; -A looks in every namespace. With clusters registered (\`vela cluster join\`), every cluster is listed (four at a time), with a CLUSTER column: \`local\`, each registered cluster (in the namespace of -n, else its context's), and each managed cluster of an OCM hub (the ManifestWorks vela wrote for it); --cluster NAME lists one. A cluster that cannot be read is named on stderr and the others are listed; when none can be read, the exit code is 2.`;
  static override examples = [
    '<%= config.bin %> ls',
    { description: 'Every namespace', command: '<%= config.bin %> ls -A' },
    { description: 'One registered cluster', command: '<%= config.bin %> ls --cluster prod-eu' },
    { description: 'As JSON', command: '<%= config.bin %> ls --json' },
  ];
  static override enableJsonFlag = true;
  static override flags = {
    ...clusterFlags,
    ...targetClusterFlag,
    'all-namespaces': Flags.boolean({ char: 'A', description: 'list the apps of every namespace' }),
  };

  async run(): Promise<unknown> {
    const { clusterList } = await import('../pipeline/cluster.js');
    const { listEverywhere } = await import('../pipeline/cluster-targets.js');
    return withInterrupt(async (signal) => {
      const all = this.flags['all-namespaces'];
      const where = all ? 'in any namespace' : 'in the namespace';
      const options = clusterOptions(this.flags, signal);
      const clusters = await listEverywhere(options, { allNamespaces: all, ...(this.flags.cluster !== undefined && { only: this.flags.cluster }) });
      // Only `local`, and no --cluster: the plain table of before.
      if (!clusters) {
        const apps = await clusterList(options, all);
        this.write(formatAppList(apps, where));
        return { apps };
      }
      return this.print(formatAppListEverywhere(clusters, where));
    });
  }
}
