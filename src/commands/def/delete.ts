import { Args, BaseCommand, clusterOptions, defContext } from '../../cli/index.js';
import { defClusterFlags, defNamespaceFlag, defTypeFlag } from './flags.js';

export default class DefDelete extends BaseCommand<typeof DefDelete> {
  static override summary = "Delete a definition from a cluster that runs KubeVela.";
  static override description = 'Deletes the ComponentDefinition, TraitDefinition, PolicyDefinition or WorkflowStepDefinition NAME from the namespace (default vela-system). When several kinds share the name, --type says which; an unknown name is exit 1, a cluster without KubeVela exit 2.';
  static override examples = ['<%= config.bin %> def delete my-trait', { description: 'When a component and a trait share the name', command: '<%= config.bin %> def delete redis --type component' }];
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'the definition', required: true }) };
  static override flags = { namespace: defNamespaceFlag, type: defTypeFlag, ...defClusterFlags };

  async run(): Promise<unknown> {
    const { deleteDefinition } = await import('../../pipeline/def-cluster.js');
    const r = await deleteDefinition(defContext(this.env), this.args.name, clusterOptions({ kubeconfig: this.flags.kubeconfig, context: this.flags.context, env: this.flags.env }), { namespace: this.flags.namespace, type: this.flags.type });
    return this.print({ stderr: `${r.kind} ${r.name} deleted from namespace ${r.namespace}\n`, json: r });
  }
}
