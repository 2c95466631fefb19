import { Args, BaseCommand, appfileFlags, Flags, clusterFlags, clusterOptions, formatCanaryMove, parseDuration, withInterrupt } from '../../cli/index.js';

export default class CanaryPromote extends BaseCommand<typeof CanaryPromote> {
  static override summary = "Move the stable Deployment to the canary's images, and wait for it to roll out.";
  static override description = `The stable Deployment <service> takes the images of <service>-canary, by server-side apply as vela of what vela up applied (nothing else changes); the next vela up reads the promoted images from the cluster and keeps them. Works from any machine: what is stable and what is the canary is read from the cluster.
Exit codes: 0 done (or nothing to do), 1 no such canary, 2 the cluster failed, 3 not rolled out before --timeout.`;
  static override examples = [
    '<%= config.bin %> canary promote express-server',
    { description: 'Without waiting for the rollout', command: '<%= config.bin %> canary promote express-server --no-wait' },
  ];
  static override enableJsonFlag = true;
  static override args = {
    service: Args.string({ description: 'the service whose canary it is', required: true }),
  };
  static override flags = {
    ...appfileFlags,
    file: Flags.string({ char: 'f', description: 'the Appfile naming the app and its namespace (default: ./vela.yaml when there is one)' }),
    ...clusterFlags,
    wait: Flags.boolean({ description: 'wait until the Deployment has rolled out', default: true, allowNo: true }),
    timeout: Flags.string({ description: 'how long to wait (30s, 5m, 1h)', default: '5m' }),
  };

  async run(): Promise<unknown> {
    const timeoutMs = parseDuration(this.flags.timeout, 'timeout');
    const { promote } = await import('../../pipeline/canary.js');
    return withInterrupt(async (signal) => {
      const r = await promote(this.args.service, { cwd: process.cwd(), file: this.flags.file }, clusterOptions(this.flags, signal), { wait: this.flags.wait, timeoutMs });
      return this.print(formatCanaryMove('promoted', r));
    });
  }
}
