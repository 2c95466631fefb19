import { Args, BaseCommand, appfileFlags, Flags, clusterFlags, targetClusterFlag, clusterOptions, withInterrupt, withTerminalStdin } from '../cli/index.js';
import { DiagnosticError, error } from '../source/index.js';

export default class Exec extends BaseCommand<typeof Exec> {
  static override summary = "Run a command in a running pod of an app's service.";
  static override description = `Runs CMD in the first running pod of the service (its first container unless -c), and exits with the command's exit code. -i passes stdin; -t allocates a terminal (raw mode when stdin is one).`;
  static override examples = [
    '<%= config.bin %> exec shop --svc web -- ls /app',
    { description: 'An interactive shell', command: '<%= config.bin %> exec shop --svc web -i -t -- sh' },
  ];
  static override strict = false;
  static override args = {
    app: Args.string({ description: "the app's name (see `vela ls`)", required: true }),
  };
  static override flags = {
    ...appfileFlags,
    ...clusterFlags,
    ...targetClusterFlag,
    svc: Flags.string({ char: 's', description: 'the service (required when the app has more than one)' }),
    container: Flags.string({ char: 'c', description: 'the container (default: the first)' }),
    stdin: Flags.boolean({ char: 'i', description: 'pass stdin to the command' }),
    tty: Flags.boolean({ char: 't', description: 'allocate a terminal' }),
  };

  async run(): Promise<void> {
    const flags = this.flags;
    const command = this.positional.slice(1);
    if (!command.length) {
      throw new DiagnosticError([error('no command to run', undefined, { code: 'cli/usage', hint: 'put it after --, e.g. `vela exec APP --svc web -- ls /`' })]);
    }
    const { clusterExec } = await import('../pipeline/cluster.js');
    const terminal = { attach: flags.stdin, raw: flags.tty && flags.stdin && process.stdin.isTTY === true };
    const code = await withTerminalStdin(terminal, () =>
      withInterrupt((signal) =>
        clusterExec({ app: this.args.app, cwd: process.cwd(), cluster: this.flags.cluster }, clusterOptions(flags, signal), {
          service: flags.svc,
          container: flags.container,
          command,
          stdin: flags.stdin ? process.stdin : null,
          stdout: process.stdout,
          stderr: process.stderr,
          tty: flags.tty,
        }),
      ),
    );
    if (code !== 0) this.exit(code);
  }
}
