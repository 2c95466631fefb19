import { Args, BaseCommand, appfileFlags, Flags, clusterFlags, targetClusterFlag, clusterOptions, formatStatus, formatStatusEverywhere, withInterrupt } from '../cli/index.js';

export default class Status extends BaseCommand<typeof Status> {
  static override summary = 'Show the health of a deployed app, per service.';
  static override description = `Reads the app's inventory from the cluster (no Appfile needed when APP is given) and prints, per service: its type, health (built-in rules for Deployments, StatefulSets, DaemonSets and Jobs, and the definition's health policy), ready/desired replicas, endpoints from its Services and Ingresses, and the definition's status message.
Without APP, the app is the one of the Appfile in the current folder (or -f), in the Appfile's namespace unless -n or an environment says otherwise.`;
  static override examples = [
    '<%= config.bin %> status',
    { description: 'Another app, in another namespace', command: '<%= config.bin %> status shop -n staging' },
    { description: 'As JSON', command: '<%= config.bin %> status shop --json' },
    { description: 'One cluster of an app delivered to several', command: '<%= config.bin %> status shop --cluster prod-eu' },
    { description: 'Print it again whenever it changes, until Ctrl-C', command: '<%= config.bin %> status --watch' },
  ];
  static override enableJsonFlag = true;
  static override args = {
    app: Args.string({ description: "the app's name (default: the Appfile's name)", required: false }),
  };
  static override flags = {
    ...appfileFlags,
    file: Flags.string({ char: 'f', description: 'the Appfile naming the app, when APP is not given' }),
    ...clusterFlags,
    ...targetClusterFlag,
    watch: Flags.boolean({ char: 'w', description: 'print the status again each time it changes (watching the cluster, not polling), until Ctrl-C' }),
  };

  async run(): Promise<unknown> {
    const { clusterStatus, clusterStatusWatch } = await import('../pipeline/cluster.js');
    const { statusEverywhere } = await import('../pipeline/cluster-targets.js');
    if (this.flags.watch) {
      let shown = '';
      return withInterrupt((signal) =>
        clusterStatusWatch({ app: this.args.app, cwd: process.cwd(), file: this.flags.file, cluster: this.flags.cluster }, clusterOptions(this.flags, signal), (status) => {
          const text = formatStatus(status, { color: this.useColor(process.stdout) });
          if (text === shown) return;
          // Each change is a new table under a timestamp line; --json prints one document per change.
          if (this.jsonEnabled()) process.stdout.write(JSON.stringify(status) + '\n');
          else this.write(`${shown ? '\n' : ''}# ${new Date().toISOString().slice(11, 19)}\n${text}`);
          shown = text;
        }),
      );
    }
    return withInterrupt(async (signal) => {
      const ref = { app: this.args.app, cwd: process.cwd(), cluster: this.flags.cluster, file: this.flags.file };
      // An app a workflow delivered: every cluster its state names, unless --cluster picks one.
      const everywhere = this.flags.cluster === undefined ? await statusEverywhere(ref, clusterOptions(this.flags, signal)) : undefined;
      if (everywhere) {
        this.write(formatStatusEverywhere(everywhere, { color: this.useColor(process.stdout) }));
        return everywhere;
      }
      const status = await clusterStatus(ref, clusterOptions(this.flags, signal));
      this.write(formatStatus(status, { color: this.useColor(process.stdout) }));
      return status;
    });
  }
}
