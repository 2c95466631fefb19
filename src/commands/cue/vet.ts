import { Args, BaseCommand } from '../../cli/index.js';
import { DiagnosticError } from '../../source/index.js';
import { readInputs } from './read-inputs.js';

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
    const files = await readInputs(this.positional);
    const { vetFiles } = await import('../../cue/index.js');
    const diagnostics = vetFiles(files);
    // Warnings alone do not fail the check, but they are shown.
    if (diagnostics.some((d) => d.severity === 'error')) throw new DiagnosticError(diagnostics);
    if (diagnostics.length > 0) {
      const reporter = await this.reporter();
      for (const d of diagnostics) reporter.warn(d);
    }
  }
}
