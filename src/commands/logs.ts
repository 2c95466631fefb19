import { Args, BaseCommand, Flags, clusterFlags, targetClusterFlag, clusterOptions, parseDuration, withInterrupt } from '../cli/index.js';

export default class Logs extends BaseCommand<typeof Logs> {
  static override summary = "Print the logs of an app's pods.";
  static override description = `Finds the pods of the app's workloads (of one service with --svc) and prints their logs; lines are prefixed with [pod/container] when there is more than one source. With -f it follows until Ctrl-C.`;
  static override examples = [
    '<%= config.bin %> logs shop --svc web',
    { description: 'Follow the last 10 minutes of every service', command: '<%= config.bin %> logs shop -f --since 10m' },
    { description: 'The last 50 lines of one container', command: '<%= config.bin %> logs shop --svc web -c proxy --tail 50' },
  ];
  static override args = {
    app: Args.string({ description: "the app's name (see `vela ls`)", required: true }),
  };
  static override flags = {
    ...clusterFlags,
    ...targetClusterFlag,
    svc: Flags.string({ char: 's', description: 'only this service' }),
    container: Flags.string({ char: 'c', description: 'only this container (default: every container)' }),
    follow: Flags.boolean({ char: 'f', description: 'keep printing new lines until Ctrl-C' }),
    since: Flags.string({ description: 'only lines newer than this (30s, 10m, 1h)' }),
    tail: Flags.integer({ description: 'only the last N lines of each container', min: 0 }),
  };

  async run(): Promise<void> {
    const flags = this.flags;
    const sinceSeconds = flags.since === undefined ? undefined : Math.max(1, Math.round(parseDuration(flags.since, 'since') / 1000));
    const { clusterLogs } = await import('../pipeline/cluster.js');
    await withInterrupt((signal) =>
      clusterLogs({ app: this.args.app, cwd: process.cwd(), cluster: this.flags.cluster }, clusterOptions(flags, signal), {
        service: flags.svc,
        container: flags.container,
        follow: flags.follow,
        sinceSeconds,
        tailLines: flags.tail,
        out: process.stdout,
      }),
    );
  }
}
