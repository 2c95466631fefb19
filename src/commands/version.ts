import { BaseCommand, formatVersion } from '../cli/index.js';

export default class Version extends BaseCommand<typeof Version> {
  static override summary = 'Print the version of vela, Node.js, the CUE engine and the built-in definitions.';
  static override description = `The definitions digest is a SHA-256 over the built-in definitions' names and texts: two installations with the same digest render an Appfile alike. \`vela --version\` prints the short form.`;
  static override examples = ['<%= config.bin %> version', { description: 'For a bug report or a CI log', command: '<%= config.bin %> version --json' }];
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { versionInfo } = await import('../pipeline/version-info.js');
    const info = await versionInfo({ version: this.config.version });
    this.write(formatVersion(info));
    return info;
  }
}
