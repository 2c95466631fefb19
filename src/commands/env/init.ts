import { Args, BaseCommand, Flags, formatEnvCreated } from '../../cli/index.js';

export default class EnvInit extends BaseCommand<typeof EnvInit> {
  static override summary = 'Create (or update) a deployment environment: a namespace and optionally a kubeconfig context.';
  static override description = `Environments live in $VELA_HOME/envs.json (default ~/.vela). Cluster commands take --env NAME; without it, the current environment supplies the namespace and context, and flags override it. The first environment created becomes the current one.`;
  static override examples = [
    '<%= config.bin %> env init staging --namespace shop-staging',
    { description: 'Bound to a kubeconfig context', command: '<%= config.bin %> env init prod --namespace shop --context prod-cluster' },
  ];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'the environment name (a DNS label)', required: true }) };
  static override flags = {
    namespace: Flags.string({ char: 'n', description: 'the namespace apps of this environment go to', required: true }),
    context: Flags.string({ description: 'the kubeconfig context (default: the current context at the time of use)' }),
  };

  async run(): Promise<unknown> {
    const { envInit } = await import('../../pipeline/cluster.js');
    return this.print(formatEnvCreated(await envInit({ name: this.args.name, namespace: this.flags.namespace, context: this.flags.context })));
  }
}
