import { Args, BaseCommand, Flags, defContext } from '../../cli/index.js';

export default class DefInit extends BaseCommand<typeof DefInit> {
  static override summary = 'Scaffold a CUE definition, empty or from an existing manifest.';
  static override description = `Prints a KubeVela CUE definition (a header NAME: {type, description, attributes, ...} and a template: {...} block) to stdout, or writes it with --output. With --template-yaml the manifest's first document becomes a component's output and the others its outputs (a trait's are all outputs); parameter is left for you to fill in.`;
  static override examples = [
    '<%= config.bin %> def init my-service --type component --desc "My service" > my-service.cue',
    { description: 'From a manifest you already have', command: '<%= config.bin %> def init redis --type component --template-yaml redis.yaml --output definitions/redis.cue' },
  ];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'the definition name', required: true }) };
  static override flags = {
    type: Flags.option({ char: 't', description: 'the definition type', options: ['component', 'trait', 'policy', 'workflow-step'] as const, required: true })(),
    desc: Flags.string({ description: 'its description' }),
    'template-yaml': Flags.string({ description: 'a manifest (YAML, several documents allowed) to build the template from', helpValue: 'FILE' }),
    output: Flags.string({ char: 'o', description: 'write to this file instead of stdout (refused when it exists)', helpValue: 'FILE' }),
  };

  async run(): Promise<unknown> {
    const { initDefinition } = await import('../../pipeline/def-local.js');
    const r = await initDefinition(defContext(this.env), { name: this.args.name, type: this.flags.type, description: this.flags.desc, templateYaml: this.flags['template-yaml'], output: this.flags.output });
    return this.print(r.file ? { stderr: `wrote ${r.file}\n`, json: r } : { stdout: r.cue, json: r });
  }
}
