import { Args, BaseCommand, ExitError, Flags, discoveryOptions, formatCandidates } from '../cli/index.js';
import { completionKinds, type CompletionKind } from '../pipeline/complete-kinds.js';

/** What completion scripts call on <TAB>; hidden, and silent on every error (a broken Appfile completes nothing). */
export default class Complete extends BaseCommand<typeof Complete> {
  static override summary = 'Print completion candidates, one per line (used by the completion scripts).';
  static override description = `KIND is services (of ./vela.yaml, or of --file), apps (the Appfile's app name), components, traits or definitions (components and traits). Errors are not printed: a missing or broken file gives no candidates.`;
  static override examples = ['<%= config.bin %> __complete services', '<%= config.bin %> __complete definitions --descriptions'];
  static override hidden = true;
  static override hiddenAliases = ['__complete'];
  static override args = {
    kind: Args.string({ description: 'what to list', options: [...completionKinds], required: true }),
  };
  static override flags = {
    file: Flags.string({ char: 'f', description: 'the Appfile whose services to list' }),
    descriptions: Flags.boolean({ description: 'print NAME<TAB>DESCRIPTION' }),
    definitions: Flags.string({ description: 'also look up definitions in this folder', multiple: true }),
  };

  async run(): Promise<void> {
    const { completionCandidates } = await import('../pipeline/complete.js');
    const kind = this.args.kind as CompletionKind;
    const found = await completionCandidates(kind, { ...discoveryOptions(this.env, this.flags.definitions), file: this.flags.file });
    this.write(formatCandidates(found, { descriptions: this.flags.descriptions }));
  }

  /** Never an error message on the user's command line in the middle of a <TAB>. */
  override async catch(): Promise<never> {
    throw new ExitError(1);
  }
}
