import { BaseCommand, addonContext, formatAddonDryRun, formatAddonEnabled, withInterrupt, withoutRepeats } from '../../cli/index.js';
import { DiagnosticError, error } from '../../source/index.js';
import { enableFlags, enableOptions } from './flags.js';

export default class AddonEnable extends BaseCommand<typeof AddonEnable> {
  static override summary = 'Enable an addon: render its Application, apply it with its own inventory, then install its definitions.';
  static override description = `Reads the addon (by name from the registries, or from a folder or .tgz package), enables its dependencies first, evaluates its template with its parameters, renders the Application through vela's pipeline and applies it to the cluster with an inventory of its own (app addon-NAME), so that \`vela addon disable\` removes exactly what it applied. Only then are its definitions installed into $VELA_HOME/addons/NAME/definitions (or .vela/addons/NAME with --local), where every vela command finds them.
Parameters are given as --set key=value (or as KubeVela's KEY=VALUE words after the name); a.b=1 sets b inside a.`;
  static override examples = [
    '<%= config.bin %> addon enable fluxcd',
    { description: 'With parameters and a version', command: '<%= config.bin %> addon enable keda --set replicas=2 --version 2.12.0' },
    { description: 'From a folder (its siblings and the registries give its dependencies)', command: '<%= config.bin %> addon enable ./catalog/addons/keda' },
    { description: 'Show what would be applied, changing nothing', command: '<%= config.bin %> addon enable keda --dry-run' },
    { description: 'Only install the definitions (no cluster; for CI and dry runs)', command: '<%= config.bin %> addon enable fluxcd --definitions-only' },
  ];
  static override usage = 'addon enable NAME|PATH [KEY=VALUE...] [FLAGS]';
  static override enableJsonFlag = true;
  static override strict = false;
  static override flags = enableFlags;

  async run(): Promise<unknown> {
    const [target, ...pairs] = this.positional;
    if (!target) throw new DiagnosticError([error('give the addon: a name, or its folder or .tgz package', undefined, { code: 'cli/usage', hint: 'see `vela addon list`' })]);
    const { enableAddon, addonDryRunText } = await import('../../pipeline/addon-enable.js');
    const reporter = withoutRepeats(await this.reporter());
    return withInterrupt(async (signal) => {
      const result = await enableAddon({ ...enableOptions(addonContext(this.env, signal), target, pairs, this.flags, false), reporter });
      const color = this.useColor(process.stderr);
      if (this.flags['dry-run']) return this.print(formatAddonDryRun(result, addonDryRunText(result, this.flags.format), { color }));
      return this.print(formatAddonEnabled(result, { color, verb: 'enabled' }));
    }, 'interrupted: vela addon enable stopped part-way; run it again to converge');
  }
}
