import { Args, BaseCommand, formatEnvCurrent } from '../../cli/index.js';

export default class EnvSet extends BaseCommand<typeof EnvSet> {
  static override summary = 'Make an environment the current one.';
  static override description = `Cluster commands without --env use the current environment's namespace and context (flags still override them).`;
  static override examples = ['<%= config.bin %> env set staging'];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'the environment name', required: true }) };

  async run(): Promise<unknown> {
    const { envSet } = await import('../../pipeline/cluster.js');
    return this.print(formatEnvCurrent(await envSet(this.args.name)));
  }
}
