import { Args, BaseCommand, appfileFlags, Flags, clusterFlags, clusterOptions, formatWorkflowChanged, withInterrupt } from '../../cli/index.js';

export default class WorkflowResume extends BaseCommand<typeof WorkflowResume> {
  static override summary = "Let a suspended workflow go on: every step waiting at a suspend or an approval (or --step).";
  static override description = `A \`vela up\` waiting at that step goes on at once; with none waiting, the next \`vela up\` continues from here. It is an error when nothing waits. The state is the app's, in its cluster: this works from any machine. Without APP, the app is the one of the Appfile in the current folder (or -f).`;
  static override examples = ['<%= config.bin %> workflow resume shop'];
  static override enableJsonFlag = true;
  static override args = { app: Args.string({ description: "the app's name (default: the Appfile's name)", required: false }) };
  static override flags = { ...appfileFlags, step: Flags.string({ description: 'resume only this step' }), file: Flags.string({ char: 'f', description: 'the Appfile naming the app, when APP is not given' }), ...clusterFlags };

  async run(): Promise<unknown> {
    const { workflowResume } = await import('../../pipeline/workflow.js');
    return withInterrupt(async (signal) => this.print(formatWorkflowChanged('resumed', await workflowResume({ app: this.args.app, cwd: process.cwd(), file: this.flags.file }, clusterOptions(this.flags, signal), this.flags.step))));
  }
}
