import { BaseCommand, Flags, clusterOptions, defContext, formatSync } from '../../cli/index.js';
import { DiagnosticError, error } from '../../source/index.js';
import { defClusterFlags, defNamespaceFlag } from './flags.js';

export default class DefSync extends BaseCommand<typeof DefSync> {
  static override summary = "Copy a cluster's definitions (components, traits, policies, workflow steps) into the local cache, where every command finds them.";
  static override description = `Reads the ComponentDefinitions, TraitDefinitions, PolicyDefinitions and WorkflowStepDefinitions of the namespace and writes each as a CUE file into $VELA_HOME/definitions/cluster/ (on the lookup path after $VELA_HOME/definitions/), making the folder match: added, updated and removed are reported. Definitions whose template vela cannot read, and one of two definitions of different kinds sharing a name (the component, trait, policy, workflow step first), are left out with the reason.`;
  static override examples = ['<%= config.bin %> def sync --from-cluster', { description: 'Another namespace, another context', command: '<%= config.bin %> def sync --from-cluster -n my-platform --context prod' }];
  static override enableJsonFlag = true;
  static override flags = { 'from-cluster': Flags.boolean({ description: "read the cluster's definitions (the only source today)" }), namespace: defNamespaceFlag, ...defClusterFlags };

  async run(): Promise<unknown> {
    if (!this.flags['from-cluster']) throw new DiagnosticError([error('say where to sync from: --from-cluster', undefined, { code: 'cli/usage' })]);
    const { syncFromCluster } = await import('../../pipeline/def-cluster.js');
    const r = await syncFromCluster(defContext(this.env), clusterOptions({ kubeconfig: this.flags.kubeconfig, context: this.flags.context, env: this.flags.env }), { namespace: this.flags.namespace });
    return this.print(formatSync(r, { color: this.useColor(process.stderr) }));
  }
}
