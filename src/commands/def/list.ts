import { BaseCommand, Flags, defContext, formatDefinitionList } from '../../cli/index.js';
import type { DefinitionSummary } from '../../pipeline/discovery.js';
import { definitionsFlag } from './flags.js';

export default class DefList extends BaseCommand<typeof DefList> {
  static override summary = 'List the definitions every command finds: components, traits, policies and workflow steps, and where each came from.';
  static override description = `The lookup path, first match by name winning: --definitions folders, the project's .vela/definitions/ (where vela def install puts them), enabled addons' definitions, $VELA_HOME/definitions/ and what vela def sync --from-cluster copied, then the built-in ones.`;
  static override examples = ['<%= config.bin %> def list', { description: 'Only traits, as JSON', command: '<%= config.bin %> def list --type trait --json' }];
  static override aliases = ['def:ls'];
  static override enableJsonFlag = true;
  static override flags = {
    type: Flags.option({ char: 't', description: 'only this type', options: ['component', 'trait', 'policy', 'workflow-step'] as const })(),
    definitions: definitionsFlag,
  };

  async run(): Promise<DefinitionSummary[]> {
    const { listDefinitions } = await import('../../pipeline/def-local.js');
    const r = await listDefinitions(defContext(this.env, this.flags.definitions), { type: this.flags.type });
    if (r.warnings.length) {
      const reporter = await this.reporter();
      for (const w of r.warnings) reporter.warn(w);
    }
    this.write(formatDefinitionList(r.definitions, { color: this.useColor(process.stdout) }));
    return r.definitions;
  }
}
