import { BaseCommand, Flags, clusterFlags, clusterOptions, formatAppList, withInterrupt } from '../cli/index.js';

export default class Ls extends BaseCommand<typeof Ls> {
  static override summary = 'List the apps vela deployed to a namespace (or to every namespace).';
  static override description = `Lists the apps whose inventories (ApplySet parents written by vela) are in the namespace of -n, the environment, or the kubeconfig context; -A looks in every namespace.`;
  static override examples = ['<%= config.bin %> ls', { description: 'Every namespace', command: '<%= config.bin %> ls -A' }, { description: 'As JSON', command: '<%= config.bin %> ls --json' }];
  static override enableJsonFlag = true;
  static override flags = {
    ...clusterFlags,
    'all-namespaces': Flags.boolean({ char: 'A', description: 'list the apps of every namespace' }),
  };

  async run(): Promise<unknown> {
    const { clusterList } = await import('../pipeline/cluster.js');
    return withInterrupt(async (signal) => {
      const all = this.flags['all-namespaces'];
      const apps = await clusterList(clusterOptions(this.flags, signal), all);
      this.write(formatAppList(apps, all ? 'in any namespace' : 'in the namespace'));
      return { apps };
    });
  }
}
