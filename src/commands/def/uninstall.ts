import { Args, BaseCommand, defContext, formatUninstalled } from '../../cli/index.js';

export default class DefUninstall extends BaseCommand<typeof DefUninstall> {
  static override summary = 'Remove an installed source: its files from .vela/definitions/ and its entry from the lock file.';
  static override description = 'Removes the files `vela def install` put into .vela/definitions/ for the source NAME, and its entry from .vela/definitions.lock (the lock file goes when no source is left).';
  static override examples = ['<%= config.bin %> def uninstall redis'];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'the source, as vela def install named it', required: true }) };

  async run(): Promise<unknown> {
    const { uninstallDefinitions } = await import('../../pipeline/def-install.js');
    return this.print(formatUninstalled(await uninstallDefinitions(defContext(this.env), this.args.name)));
  }
}
