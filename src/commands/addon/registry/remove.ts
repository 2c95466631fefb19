import { Args, BaseCommand, addonContext } from '../../../cli/index.js';

export default class AddonRegistryRemove extends BaseCommand<typeof AddonRegistryRemove> {
  static override summary = 'Remove an addon registry (enabled addons stay enabled).';
  static override description = 'Forgets a configured registry. Addons enabled from it stay enabled; `vela addon upgrade NAME --registry SRC` names another source for them.';
  static override examples = ['<%= config.bin %> addon registry remove mirror'];
  static override aliases = ['addon:registry:rm'];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'the registry', required: true }) };

  async run(): Promise<unknown> {
    const { registryRemove } = await import('../../../pipeline/addon-manage.js');
    const r = await registryRemove(addonContext(this.env), this.args.name);
    return this.print({ stderr: `addon registry ${r.name} removed (${r.source})\n`, json: r });
  }
}
