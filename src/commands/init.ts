import { BaseCommand, Flags, discoveryOptions, formatInit, isPromptCancelled, terminalAsk } from '../cli/index.js';
import { DiagnosticError, error } from '../source/index.js';

export default class Init extends BaseCommand<typeof Init> {
  static override summary = 'Write a first Appfile (vela.yaml), by questions at a terminal or from flags.';
  static override description = `At a terminal, a wizard asks for the app name, its services, each service's component type (from \`vela components\`), the type's parameters (required ones first, defaults shown, checked as you type) and optional traits. A Dockerfile in the folder can become a build section; a compose file in the folder can be converted instead (as \`vela convert\` does).
Without a terminal (a pipe, CI=true), with --yes or with --json, the answers come from the flags and defaults: the app name defaults to the folder name, the type to webservice; a required parameter without a flag is an error naming the flag to pass (--image, or --set NAME=VALUE for other parameters).
An existing file is never overwritten without asking, or without --force.`;
  static override examples = [
    { description: 'Answer questions at a terminal', command: '<%= config.bin %> init' },
    { description: 'In CI: a web service from an existing image', command: '<%= config.bin %> init --yes --name shop --image nginx:1.27 --port 80' },
    { description: 'A scheduled job, with a parameter that has no flag of its own', command: "<%= config.bin %> init --yes --type cron-task --image busybox --set 'schedule=*/5 * * * *'" },
    { description: 'Build the image from ./Dockerfile', command: '<%= config.bin %> init --yes --build --image localhost:5000/shop/web --port 8080' },
  ];
  static override enableJsonFlag = true;
  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'ask nothing: take every answer from the flags and defaults' }),
    force: Flags.boolean({ description: 'overwrite an existing file without asking' }),
    file: Flags.string({ char: 'f', description: 'where to write the Appfile', default: 'vela.yaml', helpValue: 'PATH' }),
    name: Flags.string({ description: 'the app name (default: the folder name, made a DNS-1123 label)' }),
    service: Flags.string({ description: 'the name of the first service (default: the app name)' }),
    type: Flags.string({ char: 't', description: 'the component type of the first service (default: webservice)' }),
    image: Flags.string({ char: 'i', description: 'the container image of the first service' }),
    port: Flags.integer({ char: 'p', description: 'the port the first service listens on (exposed as a Service)', min: 1, max: 65535 }),
    build: Flags.boolean({ description: 'build the image from the Dockerfile in this folder (--image names the repository)' }),
    set: Flags.string({ description: 'another parameter of the first service (repeatable)', multiple: true, helpValue: 'NAME=VALUE' }),
    definitions: Flags.string({ description: 'also look up definitions in this folder (repeatable, searched first)', multiple: true, helpValue: 'DIR' }),
  };

  async run(): Promise<unknown> {
    const { runInit } = await import('../pipeline/init.js');
    const interactive = !this.flags.yes && !this.jsonEnabled() && !this.env.get('CI') && process.stdin.isTTY === true && process.stdout.isTTY === true;
    const { cwd, definitionDirs, velaHome } = discoveryOptions(this.env, this.flags.definitions);
    try {
      const result = await runInit({
        cwd,
        definitionDirs,
        velaHome,
        file: this.flags.file,
        force: this.flags.force,
        ...(interactive && { ask: terminalAsk() }),
        name: this.flags.name,
        service: this.flags.service,
        type: this.flags.type,
        image: this.flags.image,
        port: this.flags.port,
        build: this.flags.build,
        set: this.flags.set,
      });
      return this.print(formatInit(result, this.config.bin, { color: this.useColor(process.stderr) }));
    } catch (err) {
      if (interactive && isPromptCancelled(err)) throw new DiagnosticError([error('cancelled; nothing was written', undefined, { code: 'init/cancelled' })]);
      throw err;
    }
  }
}
