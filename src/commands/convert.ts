import { Args, BaseCommand, appfileFlags, Flags, formatConversion } from '../cli/index.js';

export default class Convert extends BaseCommand<typeof Convert> {
  static override summary = 'Write the Appfile equivalent to a compose file or a KubeVela Application.';
  static override description = `Reads FILE (default: compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml), converts it the way \`vela up -f FILE\` would, and prints the equivalent Appfile, or writes it with -o. Comments name the line each service came from and list what was not carried over (the warnings, also printed on stderr).
An existing file is never overwritten without --force. Variables are interpolated from the environment and .env, so the Appfile holds their values: check it for secrets before committing it.
Exit codes: 0 converted, 1 the input is wrong (or -o exists without --force).`;
  static override examples = [
    '<%= config.bin %> convert',
    { description: 'Switch for good: write vela.yaml from the compose file', command: '<%= config.bin %> convert docker-compose.yml -o vela.yaml' },
    { description: 'With a compose profile active', command: '<%= config.bin %> convert compose.yaml --profile debug' },
    { description: 'From a KubeVela Application', command: '<%= config.bin %> convert app.yaml -o vela.yaml --force' },
  ];
  static override enableJsonFlag = true;
  static override args = {
    file: Args.string({ description: 'the compose file or Application to convert (- for stdin)' }),
  };
  static override flags = {
    ...appfileFlags,
    output: Flags.string({ char: 'o', description: 'write the Appfile to this file instead of stdout', helpValue: 'FILE' }),
    force: Flags.boolean({ description: 'overwrite the output file when it exists' }),
    profile: Flags.string({ description: 'activate a compose profile (repeatable)', multiple: true }),
    definitions: Flags.string({ description: 'also look up definitions in this folder (repeatable, searched first)', multiple: true, helpValue: 'DIR' }),
  };

  async run(): Promise<unknown> {
    const { convertToAppfile } = await import('../pipeline/convert.js');
    const result = await convertToAppfile({
      cwd: process.cwd(),
      file: this.args.file,
      definitionDirs: this.flags.definitions,
      output: this.flags.output,
      force: this.flags.force,
      profiles: this.flags.profile,
    });
    return this.print(formatConversion(result, { color: this.useColor(process.stderr) }));
  }
}
