import { Args, BaseCommand, addonContext, clusterOptions, formatAddonDisabled, withInterrupt } from '../../cli/index.js';
import { addonClusterFlags } from './flags.js';

export default class AddonDisable extends BaseCommand<typeof AddonDisable> {
  static override summary = "Disable an addon: delete its objects through its inventory, then remove its definitions.";
  static override description = 'Refused while another enabled addon depends on it. When its Application is already gone from the cluster, its definitions are still removed, with a warning.';
  static override examples = ['<%= config.bin %> addon disable keda'];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'the enabled addon', required: true }) };
  static override flags = { ...addonClusterFlags };

  async run(): Promise<unknown> {
    const { disableAddon } = await import('../../pipeline/addon-manage.js');
    return withInterrupt(async (signal) => {
      const r = await disableAddon(addonContext(this.env, signal), this.args.name, clusterOptions(this.flags, signal));
      return this.print(formatAddonDisabled(r, { color: this.useColor(process.stderr) }));
    }, 'interrupted: vela addon disable stopped part-way; run it again to finish');
  }
}
