import { BaseCommand, defContext, formatVet } from '../../cli/index.js';
import { DiagnosticError, error } from '../../source/index.js';

export default class DefVet extends BaseCommand<typeof DefVet> {
  static override summary = 'Check definition files: syntax, header, template.';
  static override description = 'Reads each file as every vela command would (CUE or YAML; components and traits with their template compiled, policies and workflow steps with their parameter block derived into a schema, as vela show does). Every problem of every file is printed at its line and column; exit 1 when there is one.';
  static override examples = ['<%= config.bin %> def vet my-trait.cue', '<%= config.bin %> def vet definitions/*.cue'];
  static override enableJsonFlag = true;
  static override strict = false;
  static override usage = 'def vet FILE...';

  async run(): Promise<unknown> {
    const files = this.positional;
    if (!files.length) throw new DiagnosticError([error('give the files to check', undefined, { code: 'cli/usage', hint: 'vela def vet FILE...' })]);
    const { vetDefinitions } = await import('../../pipeline/def-local.js');
    const r = await vetDefinitions(defContext(this.env), files);
    if (r.diagnostics.length) throw new DiagnosticError(r.diagnostics);
    return this.print(formatVet(r.files));
  }
}
