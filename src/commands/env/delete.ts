import { Args, BaseCommand, formatEnvDeleted } from '../../cli/index.js';

export default class EnvDelete extends BaseCommand<typeof EnvDelete> {
  static override summary = 'Delete a deployment environment (not its namespace or anything in the cluster).';
  static override description = `Removes the environment from $VELA_HOME/envs.json; if it was current, no environment is current afterwards.`;
  static override examples = ['<%= config.bin %> env delete staging'];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'the environment name', required: true }) };

  async run(): Promise<unknown> {
    const { envDelete } = await import('../../pipeline/cluster.js');
    return this.print(formatEnvDeleted(await envDelete(this.args.name)));
  }
}
