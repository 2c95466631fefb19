import { BaseCommand, Flags, discoveryOptions, formatComponentList, terminalWidth } from '../cli/index.js';
import type { ComponentSummary } from '../pipeline/discovery.js';

export default class Components extends BaseCommand<typeof Components> {
  static override summary = 'List the component types an Appfile service can use.';
  static override description = `Shows every component type on the definition lookup path, first match by name winning: --definitions folders (in order), the project's .vela/definitions/, $VELA_HOME/definitions/ (default ~/.vela/definitions/), then the definitions built into vela.
ORIGIN (\`origin\` and \`path\` in --json) says where each one came from (and its file, unless it is built in); WORKLOAD is the Kubernetes resource it produces. Use \`vela show NAME\` for a type's parameters.`;
  static override examples = [
    '<%= config.bin %> components',
    { description: 'Include the definitions of another folder', command: '<%= config.bin %> components --definitions ./platform/definitions' },
    { description: 'As JSON, e.g. for a script', command: '<%= config.bin %> components --json' },
  ];
  static override enableJsonFlag = true;
  static override flags = {
    definitions: Flags.string({ description: 'also look up definitions in this folder (repeatable, searched first)', multiple: true, helpValue: 'DIR' }),
  };

  async run(): Promise<ComponentSummary[]> {
    // The registry (CUE engine, YAML parser) loads only when the command runs.
    const { listComponents } = await import('../pipeline/discovery.js');
    const { definitions, warnings } = await listComponents(discoveryOptions(this.env, this.flags.definitions));
    if (warnings.length) {
      const reporter = await this.reporter();
      for (const w of warnings) reporter.warn(w);
    }
    this.write(formatComponentList(definitions, { color: this.useColor(process.stdout), width: terminalWidth() }));
    return [...definitions];
  }
}
