import { BaseCommand, formatEnvList } from '../../cli/index.js';

export default class EnvLs extends BaseCommand<typeof EnvLs> {
  static override summary = 'List the deployment environments; the current one is marked with *.';
  static override description = `Shows every environment of $VELA_HOME/envs.json (default ~/.vela): its namespace and kubeconfig context.`;
  static override examples = ['<%= config.bin %> env ls', { description: 'As JSON', command: '<%= config.bin %> env ls --json' }];
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { envList } = await import('../../pipeline/cluster.js');
    const list = await envList();
    this.write(formatEnvList(list));
    return list;
  }
}
