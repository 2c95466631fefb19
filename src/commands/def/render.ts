import { Args, BaseCommand, Flags, defContext } from '../../cli/index.js';
import { definitionsFlag } from './flags.js';

export default class DefRender extends BaseCommand<typeof DefRender> {
  static override summary = 'Show what a definition produces: the manifests of a component or trait, the stored object of a policy or workflow step.';
  static override description = `Renders FILE as a one-component Application through the same pipeline as vela dry-run: a component with the parameters of --parameters, or a trait with them on a webservice of image nginx. FILE is searched before every other definition, so it may be a changed copy of an installed one. The manifests are printed as YAML.
A policy or workflow step is run by KubeVela's controller, so vela does not render it: the parameters of --parameters are checked against its parameter block, and the object vela def apply writes is printed.`;
  static override examples = ['<%= config.bin %> def render my-service.cue', { description: 'With parameters', command: '<%= config.bin %> def render my-service.cue --parameters params.yaml' }];
  static override enableJsonFlag = true;
  static override args = { file: Args.string({ description: 'the definition file (.cue or .yaml)', required: true }) };
  static override flags = {
    parameters: Flags.string({ char: 'p', description: 'a YAML file with the parameters (the properties)', helpValue: 'FILE.yaml' }),
    namespace: Flags.string({ char: 'n', description: 'the namespace the manifests are rendered for', default: 'default' }),
    definitions: definitionsFlag,
  };

  async run(): Promise<unknown> {
    const { renderDefinition } = await import('../../pipeline/def-local.js');
    const r = await renderDefinition(defContext(this.env, this.flags.definitions), { file: this.args.file, parameters: this.flags.parameters, namespace: this.flags.namespace });
    if (r.warnings.length) {
      const reporter = await this.reporter();
      for (const w of r.warnings) reporter.warn(w);
    }
    this.write(r.text);
    return { name: r.name, type: r.type, manifests: r.manifests };
  }
}
