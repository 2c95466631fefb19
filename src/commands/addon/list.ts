import { BaseCommand, addonContext, formatAddonList } from '../../cli/index.js';
import { registryFlag } from './flags.js';

export default class AddonList extends BaseCommand<typeof AddonList> {
  static override summary = 'List the addons of the registries, and which are enabled.';
  static override description = 'NAME, REGISTRY, DESCRIPTION, AVAILABLE-VERSIONS and STATUS (disabled, enabled or definitions only, with the version). Addons marked invisible are listed only when enabled; enabled addons no registry offers (from a folder) are listed too.';
  static override examples = ['<%= config.bin %> addon list', { description: 'One registry, or any source', command: '<%= config.bin %> addon list --registry ./catalog' }];
  static override aliases = ['addon:ls'];
  static override enableJsonFlag = true;
  static override flags = { registry: registryFlag };

  async run(): Promise<unknown> {
    const { listAddons } = await import('../../pipeline/addon-manage.js');
    const r = await listAddons(addonContext(this.env), { registry: this.flags.registry });
    this.write(formatAddonList(r));
    return r.addons;
  }
}
