import { BaseCommand, addonContext, formatRegistryList } from '../../../cli/index.js';

export default class AddonRegistryList extends BaseCommand<typeof AddonRegistryList> {
  static override summary = 'List the addon registries.';
  static override aliases = ['addon:registry:ls'];
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { registryList } = await import('../../../pipeline/addon-manage.js');
    const list = await registryList(addonContext(this.env));
    this.write(formatRegistryList(list));
    return list;
  }
}
