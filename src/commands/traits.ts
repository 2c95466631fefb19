import { BaseCommand, Flags, discoveryOptions, formatTraitList, terminalWidth } from '../cli/index.js';
import type { TraitSummary } from '../pipeline/discovery.js';

export default class Traits extends BaseCommand<typeof Traits> {
  static override summary = 'List the traits an Appfile service can use.';
  static override description = `Shows every trait on the definition lookup path, first match by name winning: --definitions folders (in order), the project's .vela/definitions/, $VELA_HOME/definitions/ (default ~/.vela/definitions/), then the definitions built into vela.
APPLIES-TO lists the workloads or component types a trait can be attached to (* for any); ORIGIN (\`origin\` and \`path\` in --json) says where it came from (and its file, unless it is built in). Use \`vela show NAME\` for a trait's parameters.`;
  static override examples = [
    '<%= config.bin %> traits',
    { description: 'Include the definitions of another folder', command: '<%= config.bin %> traits --definitions ./platform/definitions' },
    { description: 'The names of the traits that apply to any workload', command: '<%= config.bin %> traits --json | jq -r \'.[] | select(.appliesTo == ["*"]) | .name\'' },
  ];
  static override enableJsonFlag = true;
  static override flags = {
    definitions: Flags.string({ description: 'also look up definitions in this folder (repeatable, searched first)', multiple: true, helpValue: 'DIR' }),
  };

  async run(): Promise<TraitSummary[]> {
    const { listTraits } = await import('../pipeline/discovery.js');
    const { definitions, warnings } = await listTraits(discoveryOptions(this.env, this.flags.definitions));
    if (warnings.length) {
      const reporter = await this.reporter();
      for (const w of warnings) reporter.warn(w);
    }
    this.write(formatTraitList(definitions, { color: this.useColor(process.stdout), width: terminalWidth() }));
    return [...definitions];
  }
}
