import { Args, BaseCommand, appfileFlags, Flags, clusterFlags, clusterOptions, formatWorkflowStatus, withInterrupt } from '../../cli/index.js';

export default class WorkflowStatus extends BaseCommand<typeof WorkflowStatus> {
  static override summary = "Show an app's workflow: its phase and each step's phase, reason, targets and message.";
  static override description = `The state is kept in the cluster, in the ConfigMap workflow-APP beside the app's inventory, so this works from any machine. Without APP, the app is the one of the Appfile in the current folder (or -f).`;
  static override examples = ['<%= config.bin %> workflow status shop', { description: 'As JSON', command: '<%= config.bin %> workflow status shop -n shop --json' }];
  static override enableJsonFlag = true;
  static override args = { app: Args.string({ description: "the app's name (default: the Appfile's name)", required: false }) };
  static override flags = { ...appfileFlags, file: Flags.string({ char: 'f', description: 'the Appfile naming the app, when APP is not given' }), ...clusterFlags };

  async run(): Promise<unknown> {
    const { workflowStatus } = await import('../../pipeline/workflow.js');
    return withInterrupt(async (signal) => this.print(formatWorkflowStatus(await workflowStatus({ app: this.args.app, cwd: process.cwd(), file: this.flags.file }, clusterOptions(this.flags, signal)), { color: this.useColor(process.stdout) })));
  }
}
