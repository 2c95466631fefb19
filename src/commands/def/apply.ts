import { Args, BaseCommand, Flags, clusterOptions, defContext, formatDefinitionsApplied, withInterrupt } from '../../cli/index.js';
import { defClusterFlags, defNamespaceFlag } from './flags.js';

export default class DefApply extends BaseCommand<typeof DefApply> {
  static override summary = 'Apply definition files to a cluster that runs KubeVela.';
  static override description = `Each CUE definition becomes the object KubeVela stores (ComponentDefinition, TraitDefinition, PolicyDefinition or WorkflowStepDefinition, core.oam.dev/v1beta1): description and alias as annotations, attributes as spec, the template as spec.schematic.cue.template. YAML files hold such objects already. Every file is checked, then every object by the server (a dry run), before the first is written; then they are applied server-side.`;
  static override examples = [
    '<%= config.bin %> def apply my-trait.cue',
    { description: 'A folder, to another namespace', command: '<%= config.bin %> def apply definitions/ -n my-platform' },
    { description: 'See the objects, write nothing', command: '<%= config.bin %> def apply definitions/ --dry-run' },
  ];
  static override enableJsonFlag = true;
  static override args = { path: Args.string({ description: 'a definition file or a folder of them', required: true }) };
  static override flags = { namespace: defNamespaceFlag, 'dry-run': Flags.boolean({ description: 'print the objects; apply nothing' }), ...defClusterFlags };

  async run(): Promise<unknown> {
    const { applyDefinitions } = await import('../../pipeline/def-cluster.js');
    return withInterrupt(async (signal) => {
      const r = await applyDefinitions(defContext(this.env, [], signal), this.args.path, clusterOptions({ kubeconfig: this.flags.kubeconfig, context: this.flags.context, env: this.flags.env }, signal), {
        dryRun: this.flags['dry-run'],
        namespace: this.flags.namespace,
      });
      return this.print(formatDefinitionsApplied(r));
    }, 'interrupted: vela def apply stopped part-way; run it again to converge');
  }
}
