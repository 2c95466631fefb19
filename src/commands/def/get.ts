import { Args, BaseCommand, Flags, clusterOptions, defContext, formatDefinitionGot } from '../../cli/index.js';
import { defClusterFlags, defNamespaceFlag, defTypeFlag } from './flags.js';

export default class DefGet extends BaseCommand<typeof DefGet> {
  static override summary = "Print a cluster's definition, as a CUE definition file (or the object as YAML).";
  static override description = "Finds NAME among the ComponentDefinitions, TraitDefinitions, PolicyDefinitions and WorkflowStepDefinitions of the namespace (default vela-system) and prints it as a CUE definition file (the header from its annotations, labels and spec; the template as stored), which `vela def apply` takes back unchanged. -o yaml prints the object without the server's bookkeeping.";
  static override examples = ['<%= config.bin %> def get webservice', { description: 'The object itself', command: '<%= config.bin %> def get my-trait -o yaml' }];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'the definition', required: true }) };
  static override flags = {
    namespace: defNamespaceFlag,
    type: defTypeFlag,
    output: Flags.option({ char: 'o', description: 'what to print', options: ['cue', 'yaml'] as const, default: 'cue' as const })(),
    ...defClusterFlags,
  };

  async run(): Promise<unknown> {
    const { getDefinition } = await import('../../pipeline/def-cluster.js');
    const r = await getDefinition(defContext(this.env), this.args.name, clusterOptions({ kubeconfig: this.flags.kubeconfig, context: this.flags.context, env: this.flags.env }), { namespace: this.flags.namespace, type: this.flags.type });
    return this.print(formatDefinitionGot(r, this.flags.output));
  }
}
