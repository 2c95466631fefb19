import { Args, BaseCommand, appfileFlags, Flags, clusterFlags, clusterOptions, formatCanaryStatus, withInterrupt } from '../../cli/index.js';

export default class CanaryStatus extends BaseCommand<typeof CanaryStatus> {
  static override summary = "Show each canary: the stable and canary Deployments' images and ready pods, and how requests reach the canary.";
  static override description = `Reads the cluster, not the Appfile: a service's Deployment <service> is the stable one, <service>-canary (label app.oam.dev/track=canary) the canary, both made by the canary trait. Without SERVICE, every canary in the namespace (of the Appfile's app, when there is one).`;
  static override examples = [
    '<%= config.bin %> canary status',
    { description: 'One service, as JSON', command: '<%= config.bin %> canary status express-server --json' },
  ];
  static override enableJsonFlag = true;
  static override args = {
    service: Args.string({ description: 'the service (default: every service with a canary)', required: false }),
  };
  static override flags = {
    ...appfileFlags,
    file: Flags.string({ char: 'f', description: 'the Appfile naming the app and its namespace (default: ./vela.yaml when there is one)' }),
    ...clusterFlags,
  };

  async run(): Promise<unknown> {
    const { canaryStatusOf } = await import('../../pipeline/canary.js');
    return withInterrupt(async (signal) => {
      const r = await canaryStatusOf(this.args.service, { cwd: process.cwd(), file: this.flags.file }, clusterOptions(this.flags, signal));
      return this.print(formatCanaryStatus(r, { color: this.useColor(process.stdout) }));
    });
  }
}
