import { Args, BaseCommand, completionScript, completionSpec, shells, type Shell } from '../cli/index.js';

export default class Completion extends BaseCommand<typeof Completion> {
  static override summary = 'Print a shell completion script for bash, zsh or fish.';
  static override description = `The script completes command names, flags and their fixed values, and the names vela knows at run time: \`vela show <TAB>\` gives the component types and traits, \`vela build <TAB>\` the services of ./vela.yaml (or of the -f file on the line), \`--type <TAB>\` the component types. Those names come from \`vela __complete\`, run on each <TAB>.
\`vela autocomplete\` (oclif's plugin) installs a cached script for bash, zsh and PowerShell instead; it completes commands and flags only.`;
  static override examples = [
    { description: 'bash: load it now (add the line to ~/.bashrc to keep it)', command: 'source <(<%= config.bin %> completion bash)' },
    { description: 'zsh: install it where compinit finds it', command: '<%= config.bin %> completion zsh > "${fpath[1]}/_<%= config.bin %>"' },
    { description: 'fish', command: '<%= config.bin %> completion fish > ~/.config/fish/completions/<%= config.bin %>.fish' },
  ];
  static override args = {
    shell: Args.string({ description: 'the shell', options: [...shells], required: true }),
  };

  async run(): Promise<void> {
    this.write(completionScript(this.args.shell as Shell, completionSpec(this.config)));
  }
}
