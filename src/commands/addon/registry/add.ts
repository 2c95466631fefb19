import { Args, BaseCommand, addonContext } from '../../../cli/index.js';

export default class AddonRegistryAdd extends BaseCommand<typeof AddonRegistryAdd> {
  static override summary = 'Add (or replace) an addon registry: a folder, a git repository or an HTTP(S) catalog.';
  static override description = `SRC is a catalog folder (addons/NAME/... or NAME/...), a git repository (https://host/repo.git#REF:SUBDIR, git+URL, git://, ssh://, user@host:repo; REF a branch or tag, SUBDIR the catalog's folder), an HTTP(S) catalog serving index.yaml like a Helm chart repository, or one .tgz package. Kept in $VELA_HOME/addon-registries.json.`;
  static override examples = [
    '<%= config.bin %> addon registry add local ./catalog',
    { description: "KubeVela's catalog on GitHub", command: '<%= config.bin %> addon registry add kubevela https://github.com/kubevela/catalog.git#master:addons' },
    { description: 'An HTTP catalog', command: '<%= config.bin %> addon registry add mirror https://addons.example.com/' },
  ];
  static override enableJsonFlag = true;
  static override args = {
    name: Args.string({ description: 'a name for it (lower case letters, digits, -)', required: true }),
    source: Args.string({ description: 'folder, git URL or HTTP(S) URL', required: true }),
  };

  async run(): Promise<unknown> {
    const { registryAdd } = await import('../../../pipeline/addon-manage.js');
    const r = await registryAdd(addonContext(this.env), this.args.name, this.args.source);
    return this.print({ stderr: `addon registry ${r.name} ${r.replaced ? 'replaced' : 'added'}: ${r.source}\n`, json: r });
  }
}
