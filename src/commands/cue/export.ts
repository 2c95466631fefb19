import { Args, BaseCommand, Flags } from '../../cli/index.js';

export default class CueExport extends BaseCommand<typeof CueExport> {
  static override summary = 'Evaluate CUE files and print the result as JSON or YAML, like `cue export`.';
  static override description = `All files are unified into one value, which must be concrete. Errors are printed as file:line:col with the offending line, and the exit code is 1.
Use - as a file name to read from standard input.`;
  static override examples = [
    '<%= config.bin %> cue export app.cue',
    { description: 'Print one field as YAML', command: '<%= config.bin %> cue export app.cue schema.cue -e output --out yaml' },
    { description: 'Read CUE from standard input', command: 'echo \'a: 1 + 1\' | <%= config.bin %> cue export -' },
  ];
  static override strict = false;
  static override args = {
    file: Args.string({ description: 'CUE file(s) to evaluate (- for standard input)', required: true }),
  };
  static override flags = {
    expression: Flags.string({ char: 'e', description: 'export this expression instead of the whole value' }),
    out: Flags.option({ description: 'output format', options: ['json', 'yaml'] as const, default: 'json' as const })(),
  };

  async run(): Promise<void> {
    const { cueExport } = await import('../../pipeline/cue.js');
    const { text } = await cueExport(this.positional, { expression: this.flags.expression, out: this.flags.out });
    this.write(text);
  }
}
