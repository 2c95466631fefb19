import { BaseCommand, addonContext, formatRegistryList } from '../../../cli/index.js';

export default class AddonRegistryList extends BaseCommand<typeof AddonRegistryList> {
  static override summary = 'List the addon registries.';
  static override description = 'The configured registries (NAME, SOURCE), from $VELA_HOME/addon-registries.json; `vela addon list` reads addons from all of them.';
  static override examples = ['<%= config.bin %> addon registry list', { description: 'As JSON', command: '<%= config.bin %> addon registry list --json' }];
  static override aliases = ['addon:registry:ls'];
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { registryList } = await import('../../../pipeline/addon-manage.js');
    const list = await registryList(addonContext(this.env));
    this.write(formatRegistryList(list));
    return list;
  }
}
