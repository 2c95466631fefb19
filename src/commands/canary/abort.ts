import { Args, BaseCommand, appfileFlags, Flags, clusterFlags, clusterOptions, formatCanaryMove, parseDuration, withInterrupt } from '../../cli/index.js';

export default class CanaryAbort extends BaseCommand<typeof CanaryAbort> {
  static override summary = "Put the canary back on the stable Deployment's images, and wait for it to roll out.";
  static override description = `<service>-canary takes the images of the stable Deployment <service>, by server-side apply as vela; it is marked with the release it was taken off, so that the next vela up of the same Appfile keeps it off (a new release in the Appfile goes to the canary again).
Exit codes: 0 done (or nothing to do), 1 no such canary, 2 the cluster failed, 3 not rolled out before --timeout.`;
  static override examples = [
    '<%= config.bin %> canary abort express-server',
    { description: 'Without waiting for the rollout', command: '<%= config.bin %> canary abort express-server --no-wait' },
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
    const { abort } = await import('../../pipeline/canary.js');
    return withInterrupt(async (signal) => {
      const r = await abort(this.args.service, { cwd: process.cwd(), file: this.flags.file }, clusterOptions(this.flags, signal), { wait: this.flags.wait, timeoutMs });
      return this.print(formatCanaryMove('aborted', r));
    });
  }
}
