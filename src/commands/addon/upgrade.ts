import { BaseCommand, addonContext, formatAddonDryRun, formatAddonEnabled, withInterrupt, withoutRepeats } from '../../cli/index.js';
import { DiagnosticError, error } from '../../source/index.js';
import { enableFlags, enableOptions } from './flags.js';

export default class AddonUpgrade extends BaseCommand<typeof AddonUpgrade> {
  static override summary = 'Upgrade an enabled addon: a new version (or new parameters) applied, and what it no longer has pruned.';
  static override description = `Enables the addon again from where it came (its registry, or its folder), at --version or the newest, with the parameters it was enabled with changed by --set (KEY=null removes one). Objects the new version no longer renders are deleted through the addon's inventory, and its definitions are replaced whole.`;
  static override examples = [
    '<%= config.bin %> addon upgrade keda',
    { description: 'To a version, changing one parameter', command: '<%= config.bin %> addon upgrade keda --version 2.13.0 --set replicas=3' },
  ];
  static override usage = 'addon upgrade NAME [KEY=VALUE...] [FLAGS]';
  static override enableJsonFlag = true;
  static override strict = false;
  static override flags = enableFlags;

  async run(): Promise<unknown> {
    const [target, ...pairs] = this.positional;
    if (!target) throw new DiagnosticError([error('give the name of an enabled addon', undefined, { code: 'cli/usage', hint: 'see `vela addon list`' })]);
    const { enableAddon, addonDryRunText } = await import('../../pipeline/addon-enable.js');
    const reporter = withoutRepeats(await this.reporter());
    return withInterrupt(async (signal) => {
      const result = await enableAddon({ ...enableOptions(addonContext(this.env, signal), target, pairs, this.flags, true), reporter });
      const color = this.useColor(process.stderr);
      if (this.flags['dry-run']) return this.print(formatAddonDryRun(result, addonDryRunText(result, this.flags.format), { color }));
      return this.print(formatAddonEnabled(result, { color, verb: 'upgraded' }));
    }, 'interrupted: vela addon upgrade stopped part-way; run it again to converge');
  }
}
