import { Args, BaseCommand, Flags, clusterFlags, targetClusterFlag, clusterOptions, confirmAtTerminal, formatDeleted, formatDeletedEverywhere, lockFlags, lockOptions, parseDuration, withInterrupt } from '../cli/index.js';
import { DiagnosticError, error } from '../source/index.js';

export default class Delete extends BaseCommand<typeof Delete> {
  static override summary = 'Delete a deployed app: every object of its inventory, then the inventory.';
  static override description = `Deletes every object that belongs to the app's ApplySet and that vela created or adopted (Namespaces and CRDs last), then the ApplySet parent; a Namespace vela did not create is never deleted, only released (kept, no longer the app's). Another vela run of the same app is waited for (--lock-timeout). On a terminal it asks first unless --yes is given. With --wait it returns only when the objects are gone (finalizers done).`;
  static override examples = [
    '<%= config.bin %> delete shop',
    { description: 'Without asking, and wait until the objects are gone', command: '<%= config.bin %> delete shop --yes --wait' },
    { description: 'In another namespace', command: '<%= config.bin %> delete shop -n staging --yes' },
  ];
  static override enableJsonFlag = true;
  static override args = {
    app: Args.string({ description: "the app's name (see `vela ls`)", required: true }),
  };
  static override flags = {
    ...clusterFlags,
    ...targetClusterFlag,
    yes: Flags.boolean({ char: 'y', description: 'do not ask for confirmation' }),
    wait: Flags.boolean({ description: 'wait until the deleted objects are gone' }),
    timeout: Flags.string({ description: 'bound on the whole run, --wait included (30s, 5m, 1h)', default: '5m' }),
    ...lockFlags,
  };

  async run(): Promise<unknown> {
    const flags = this.flags;
    const timeoutMs = parseDuration(flags.timeout, 'timeout');
    if (!flags.yes && this.canAsk()) {
      const where = flags.namespace ? ` in namespace ${flags.namespace}` : '';
      if (!(await confirmAtTerminal(`Delete app ${this.args.app} and every object it owns${where}?`))) {
        throw new DiagnosticError([error('not deleted', undefined, { code: 'cli/cancelled' })], 1);
      }
    }
    const { clusterDelete } = await import('../pipeline/cluster.js');
    const { deleteEverywhere } = await import('../pipeline/cluster-targets.js');
    return withInterrupt(async (signal) => {
      const deleteOptions = { wait: flags.wait, timeoutMs, ...lockOptions(flags), reporter: await this.reporter() };
      if (flags.cluster === undefined) {
        // An app a workflow delivered: deleted in every cluster its state names, then the state.
        const everywhere = await deleteEverywhere({ app: this.args.app, cwd: process.cwd() }, clusterOptions(flags, signal), deleteOptions);
        if (everywhere) {
          const out = this.print(formatDeletedEverywhere(this.args.app, everywhere));
          if (everywhere.some((t) => !t.ok)) throw new DiagnosticError([error(`${this.args.app} was not deleted from every cluster`, undefined, { code: 'workflow/delete-partial', hint: 'bring the cluster back, then run `vela delete` again' })], 2);
          return out;
        }
      }
      const result = await clusterDelete({ app: this.args.app, cwd: process.cwd(), cluster: this.flags.cluster }, clusterOptions(flags, signal), deleteOptions);
      return this.print(formatDeleted(result));
    });
  }
}
