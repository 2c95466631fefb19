import { Args, BaseCommand, appfileFlags, Flags, clusterFlags, targetClusterFlag, clusterOptions, parseDuration, withInterrupt } from '../cli/index.js';

export default class Logs extends BaseCommand<typeof Logs> {
  static override summary = "Print the logs of an app's pods.";
  static override description = `Finds the pods of the app's workloads (of one SERVICE when given) and prints their logs; lines are prefixed with [pod/container] when there is more than one source. With -f it follows every pod of the app until Ctrl-C, pods that start later (a rollout, a new replica) joining as they start.
The app is the one of the Appfile in the current folder (or -f FILE), unless --app names another. The older form \`vela logs APP --svc SERVICE\` still works.`;
  static override examples = [
    '<%= config.bin %> logs web',
    { description: 'Follow the last 10 minutes of every service', command: '<%= config.bin %> logs -f --since 10m' },
    { description: 'The last 50 lines of one container of another app', command: '<%= config.bin %> logs web --app shop -c proxy --tail 50' },
  ];
  static override args = {
    service: Args.string({ description: 'only this service (default: every service)', required: false }),
  };
  static override flags = {
    ...appfileFlags,
    ...clusterFlags,
    ...targetClusterFlag,
    app: Flags.string({ char: 'a', description: "the app's name (default: the Appfile's name; see `vela ls`)" }),
    file: Flags.string({ description: 'the Appfile naming the app, when --app is not given' }),
    svc: Flags.string({ char: 's', description: 'only this service (the older form: vela logs APP --svc SERVICE)', hidden: true }),
    container: Flags.string({ char: 'c', description: 'only this container (default: every container)' }),
    follow: Flags.boolean({ char: 'f', description: 'keep printing new lines, from pods that start later too, until Ctrl-C' }),
    since: Flags.string({ description: 'only lines newer than this (30s, 10m, 1h)' }),
    tail: Flags.integer({ description: 'only the last N lines of each container', min: 0 }),
  };

  async run(): Promise<void> {
    const flags = this.flags;
    const sinceSeconds = flags.since === undefined ? undefined : Math.max(1, Math.round(parseDuration(flags.since, 'since') / 1000));
    // `vela logs APP --svc S`, from before SERVICE was the argument: the argument is then the app.
    const olderForm = flags.svc !== undefined;
    const app = olderForm ? (flags.app ?? this.args.service) : flags.app;
    const service = olderForm ? flags.svc : this.args.service;
    const { clusterLogs } = await import('../pipeline/cluster.js');
    await withInterrupt((signal) =>
      clusterLogs({ app, cwd: process.cwd(), file: flags.file, cluster: this.flags.cluster }, clusterOptions(flags, signal), {
        service,
        container: flags.container,
        follow: flags.follow,
        sinceSeconds,
        tailLines: flags.tail,
        out: process.stdout,
      }),
    );
  }
}
