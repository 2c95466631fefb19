import { Args, BaseCommand, Flags, addonContext, clusterOptions, formatAddonStatus } from '../../cli/index.js';
import { addonClusterFlags } from './flags.js';

export default class AddonStatus extends BaseCommand<typeof AddonStatus> {
  static override summary = "Show an addon's state: version, source, definitions, and the health of its Application.";
  static override description = 'For an addon enabled on a cluster, the health of each component of its Application (addon-NAME), read from the cluster like `vela status`. --verbose adds the parameters it was enabled with (they may hold secrets).';
  static override examples = ['<%= config.bin %> addon status fluxcd'];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'the addon', required: true }) };
  static override flags = { ...addonClusterFlags, verbose: Flags.boolean({ char: 'v', description: 'also show the parameters it was enabled with' }) };

  async run(): Promise<unknown> {
    const { addonStatus } = await import('../../pipeline/addon-manage.js');
    const r = await addonStatus(addonContext(this.env), this.args.name, clusterOptions(this.flags), { verbose: this.flags.verbose });
    this.write(formatAddonStatus(r, { color: this.useColor(process.stdout) }));
    return r;
  }
}
