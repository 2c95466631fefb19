import { Args, BaseCommand, appfileFlags, Flags, clusterFlags, clusterOptions, formatWorkflowChanged, withInterrupt } from '../../cli/index.js';

export default class WorkflowTerminate extends BaseCommand<typeof WorkflowTerminate> {
  static override summary = "Stop an app's workflow: a waiting step fails, the steps not yet run are skipped.";
  static override description = `A step delivering right now finishes first. Steps with \`if: always\` still run. The state is the app's, in its cluster: this works from any machine. Without APP, the app is the one of the Appfile in the current folder (or -f).`;
  static override examples = ['<%= config.bin %> workflow terminate shop'];
  static override enableJsonFlag = true;
  static override args = { app: Args.string({ description: "the app's name (default: the Appfile's name)", required: false }) };
  static override flags = { ...appfileFlags, file: Flags.string({ char: 'f', description: 'the Appfile naming the app, when APP is not given' }), ...clusterFlags };

  async run(): Promise<unknown> {
    const { workflowTerminate } = await import('../../pipeline/workflow.js');
    return withInterrupt(async (signal) => this.print(formatWorkflowChanged('terminated', await workflowTerminate({ app: this.args.app, cwd: process.cwd(), file: this.flags.file }, clusterOptions(this.flags, signal)))));
  }
}
