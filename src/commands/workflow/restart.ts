import { Args, BaseCommand, appfileFlags, Flags, clusterFlags, clusterOptions, formatWorkflowChanged, withInterrupt } from '../../cli/index.js';

export default class WorkflowRestart extends BaseCommand<typeof WorkflowRestart> {
  static override summary = "Run an app's workflow again from its first step.";
  static override description = `Every step becomes pending. A \`vela up\` waiting in the workflow starts over; with none, the next \`vela up\` runs it from the start (approvals included). The state is the app's, in its cluster: this works from any machine. Without APP, the app is the one of the Appfile in the current folder (or -f).`;
  static override examples = ['<%= config.bin %> workflow restart shop'];
  static override enableJsonFlag = true;
  static override args = { app: Args.string({ description: "the app's name (default: the Appfile's name)", required: false }) };
  static override flags = { ...appfileFlags, file: Flags.string({ char: 'f', description: 'the Appfile naming the app, when APP is not given' }), ...clusterFlags };

  async run(): Promise<unknown> {
    const { workflowRestart } = await import('../../pipeline/workflow.js');
    return withInterrupt(async (signal) => this.print(formatWorkflowChanged('restarted', await workflowRestart({ app: this.args.app, cwd: process.cwd(), file: this.flags.file }, clusterOptions(this.flags, signal)))));
  }
}
