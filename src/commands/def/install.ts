import { Args, BaseCommand, Flags, defContext, formatInstalled, withInterrupt } from '../../cli/index.js';

export default class DefInstall extends BaseCommand<typeof DefInstall> {
  static override summary = "Install definitions into the project from a file, folder, git repository or URL, recorded in .vela/definitions.lock.";
  static override description = `Copies the source's definition files (.cue, .yaml; from a .tgz URL, those in the archive) into .vela/definitions/ and records in .vela/definitions.lock where they came from (for git, the commit) and each file's sha256. Every file is checked first: a source with a bad definition installs nothing. Installing the same source (by --name) again takes its current files and removes those it no longer has.
Without SRC, the lock file is restored: each source fetched again (git at the locked commit) and each file compared with its recorded sha256; a file that changed is an error that names it. Every command checks the installed files against the lock before using them.`;
  static override examples = [
    '<%= config.bin %> def install ./platform/definitions',
    { description: 'A folder of a git repository, at a tag', command: '<%= config.bin %> def install https://github.com/acme/platform.git#v1.2.0:definitions' },
    { description: 'One file from a URL, under a name', command: '<%= config.bin %> def install https://example.com/defs/redis.cue --name redis' },
    { description: 'A package of definitions (a gzipped tar) from a URL', command: '<%= config.bin %> def install https://example.com/platform-1.2.0.tgz --name platform' },
    { description: 'In CI: exactly what the lock file says', command: '<%= config.bin %> def install' },
  ];
  static override enableJsonFlag = true;
  static override args = { source: Args.string({ description: 'a file, folder, git URL (URL#REF:SUBDIR) or HTTP(S) URL (of one file or a .tgz); none to restore the lock file' }) };
  static override flags = { name: Flags.string({ description: 'the name to record it under (default: from the source)' }) };

  async run(): Promise<unknown> {
    const { installDefinitions } = await import('../../pipeline/def-install.js');
    return withInterrupt(async (signal) => {
      const r = await installDefinitions(defContext(this.env, [], signal), this.args.source, { name: this.flags.name });
      return this.print(formatInstalled(r));
    }, 'interrupted: vela def install stopped part-way; run it again');
  }
}
