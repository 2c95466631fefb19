import { Args, BaseCommand, Flags } from '../cli/index.js';
import { DiagnosticError, error } from '../source/index.js';
import { clusterFlags, clusterOptions, parseDuration, withInterrupt } from './shared/cluster-flags.js';

export default class Delete extends BaseCommand<typeof Delete> {
  static override summary = 'Delete a deployed app: every object of its inventory, then the inventory.';
  static override description = `Deletes every object that belongs to the app's ApplySet (Namespaces and CRDs last), then the ApplySet parent. On a terminal it asks first unless --yes is given. With --wait it returns only when the objects are gone (finalizers done).`;
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
    yes: Flags.boolean({ char: 'y', description: 'do not ask for confirmation' }),
    wait: Flags.boolean({ description: 'wait until the deleted objects are gone' }),
    timeout: Flags.string({ description: 'how long to wait with --wait (30s, 5m, 1h)', default: '5m' }),
  };

  async run(): Promise<unknown> {
    const f = this.flags;
    const timeoutMs = parseDuration(f.timeout, 'timeout');
    if (!f.yes && process.stdin.isTTY === true && process.stderr.isTTY === true && !this.jsonEnabled()) {
      const { confirm } = await import('@inquirer/prompts');
      const ok = await confirm({ message: `Delete app ${this.args.app} and every object it owns${f.namespace ? ` in namespace ${f.namespace}` : ''}?`, default: false }, { output: process.stderr });
      if (!ok) throw new DiagnosticError([error('not deleted', undefined, { code: 'cli/cancelled' })], 1);
    }
    const { clusterDelete } = await import('../pipeline/cluster.js');
    return withInterrupt(async (signal) => {
      const r = await clusterDelete({ app: this.args.app, cwd: process.cwd() }, clusterOptions(f, signal), { wait: f.wait, timeoutMs });
      this.write(`deleted app ${r.app} from namespace ${r.namespace}: ${r.deleted.length} object${r.deleted.length === 1 ? '' : 's'}\n`, process.stderr);
      return { app: r.app, namespace: r.namespace, deleted: r.deleted.map((d) => ({ apiVersion: d.apiVersion, kind: d.kind, name: d.name, ...(d.namespace && { namespace: d.namespace }) })) };
    });
  }
}
