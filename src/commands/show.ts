import { Args, BaseCommand, Flags, discoveryOptions, formatReference } from '../cli/index.js';
import type { DefinitionReference } from '../pipeline/discovery.js';

export default class Show extends BaseCommand<typeof Show> {
  static override summary = 'Show the parameters of a component type, trait, policy or workflow step.';
  static override description = `Prints the reference of NAME's parameters: a table of the top-level parameters (NAME, DESCRIPTION, TYPE, REQUIRED, DEFAULT), then one table per nested struct, titled with its path (ports[] for the items of the list ports, livenessProbe.httpGet for a struct inside a struct).
Descriptions come from the definition's +usage comments; fields marked +ignore are left out unless --all is given. With --json the JSON Schema of the parameters is printed instead, the one Appfile values are validated against.
The first line says what NAME is: a component's workload (or Terraform module); a trait's KubeVela attributes (what it applies to, conflictsWith, stage, podDisruptive, workloadRefPath, manageWorkload, revisionEnabled).
NAME is looked up like \`vela components\` and \`vela traits\` do, policy and workflow-step definitions too; an unknown name exits with code 1.`;
  static override examples = [
    '<%= config.bin %> show webservice',
    { description: 'A Markdown reference, e.g. for docs', command: '<%= config.bin %> show gateway --format markdown > docs/gateway.md' },
    { description: 'The JSON Schema of the parameters', command: '<%= config.bin %> show scaler --json' },
    { description: 'A definition of your own', command: '<%= config.bin %> show my-trait --definitions ./platform/definitions' },
  ];
  static override enableJsonFlag = true;
  static override args = {
    name: Args.string({ description: 'a component type, trait, policy or workflow step, e.g. webservice or gateway', required: true }),
  };
  static override flags = {
    format: Flags.option({ description: 'how to print the reference', options: ['table', 'markdown'] as const, default: 'table' as const })(),
    all: Flags.boolean({ description: 'also show the fields marked +ignore' }),
    definitions: Flags.string({ description: 'also look up definitions in this folder (repeatable, searched first)', multiple: true, helpValue: 'DIR' }),
  };

  async run(): Promise<DefinitionReference['schema']> {
    const { showDefinition } = await import('../pipeline/discovery.js');
    const ref = await showDefinition(this.args.name, { ...discoveryOptions(this.env, this.flags.definitions), includeHidden: this.flags.all });
    this.write(formatReference(ref, this.flags.format, { color: this.useColor(process.stdout) }));
    return ref.schema;
  }
}
