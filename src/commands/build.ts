import { Args, BaseCommand, appfileFlags, Flags, formatBuild, overrideFlags, overrideOptions } from '../cli/index.js';

export default class Build extends BaseCommand<typeof Build> {
  static override summary = 'Build (and push) the images of services that have a build section.';
  static override description = `Builds through the Docker Engine API (DOCKER_HOST, else the active docker context, else /var/run/docker.sock), sending the build context as a tar that honours .dockerignore.
When a service's image has no tag, the tag is a digest of the build inputs: an unchanged context is neither rebuilt nor pushed again. Registry credentials come from ~/.docker/config.json (auths, credsStore, credHelpers).`;
  static override examples = [
    '<%= config.bin %> build',
    { description: 'Build one service without pushing', command: '<%= config.bin %> build frontend --no-push' },
  ];
  static override strict = false;
  static override enableJsonFlag = true;
  static override args = { service: Args.string({ description: 'services to build (default: all with a build section)' }) };
  static override flags = {
    ...appfileFlags,
    file: Flags.string({ char: 'f', description: 'the Appfile (default: ./vela.yaml, vela.yml, vela.json or Appfile)' }),
    push: Flags.boolean({ description: 'push the images to their registry', default: true, allowNo: true }),
    definitions: Flags.string({ description: 'also look up definitions in this folder (repeatable)', multiple: true }),
    concurrency: Flags.integer({ description: 'services built at the same time', default: 2, min: 1 }),
    'file-output': Flags.string({ description: 'write what was built and pushed (tag@sha256:…) here, for `vela export/dry-run --build-artifacts` (default: .vela/images.json beside the Appfile)', helpValue: 'FILE' }),
    ...overrideFlags,
  };

  async run(): Promise<unknown> {
    const { build } = await import('../pipeline/build.js');
    const result = await build({
      cwd: process.cwd(),
      file: this.flags.file,
      definitionDirs: this.flags.definitions,
      ...overrideOptions(this.flags),
      only: this.positional,
      push: this.flags.push,
      concurrency: this.flags.concurrency,
      ...(this.flags['file-output'] !== undefined ? { fileOutput: this.flags['file-output'] } : {}),
      reporter: await this.reporter(),
    });
    return this.print(formatBuild(result));
  }
}
