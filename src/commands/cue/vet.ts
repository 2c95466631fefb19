import { Args, BaseCommand } from '../../cli/index.js';

export default class CueVet extends BaseCommand<typeof CueVet> {
  static override summary = 'Check that CUE files are valid, like `cue vet`.';
  static override description = `The files are unified into one value; any conflict or violated constraint is printed as file:line:col with the offending line, and the exit code is 1. Prints nothing when the files are valid.
Use - as a file name to read from standard input.`;
  static override examples = ['<%= config.bin %> cue vet definitions/webservice.cue', '<%= config.bin %> cue vet schema.cue data.cue'];
  static override strict = false;
  static override args = {
    file: Args.string({ description: 'CUE file(s) to check (- for standard input)', required: true }),
  };

  async run(): Promise<void> {
    const { cueVet } = await import('../../pipeline/cue.js');
    const { warnings } = await cueVet(this.positional);
    // Warnings alone do not fail the check, but they are shown.
    if (warnings.length > 0) {
      const reporter = await this.reporter();
      for (const w of warnings) reporter.warn(w);
    }
  }
}
