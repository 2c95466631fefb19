import { BaseCommand, Flags, formatRendered, renderFlags, renderOptions } from '../cli/index.js';

export default class Export extends BaseCommand<typeof Export> {
  static override summary = 'Write the app\'s manifests for GitOps: a folder per environment with a kustomization.yaml, for Flux or Argo CD.';
  static override description = `Renders like \`vela dry-run\` (no cluster, no Docker) into DIR/<environment>/ (the --env name, else the namespace): one file per object named <kind>-<name>.yaml and a kustomization.yaml listing them in apply order. A re-run rewrites only the files whose text changed and removes the files of objects that left the Appfile; other files in the folder are left alone. With --build-artifacts (or .vela/images.json written by \`vela build\`, when it matches the current build inputs) images are pinned by digest.`;
  static override examples = [
    '<%= config.bin %> export --gitops deploy/',
    { description: 'One folder per environment', command: '<%= config.bin %> export --gitops deploy/ --env staging && <%= config.bin %> export --gitops deploy/ --env prod' },
    { description: 'Pin the images a CI build pushed', command: '<%= config.bin %> build --file-output build.json && <%= config.bin %> export --gitops deploy/ --build-artifacts build.json' },
  ];
  static override enableJsonFlag = true;
  static override flags = {
    gitops: Flags.string({ description: 'the GitOps folder; the environment\'s folder is made inside it', required: true, helpValue: 'DIR' }),
    env: Flags.string({ description: "render into this vela environment's namespace (-n wins) and name its folder after it", env: 'VELA_ENV' }),
    'build-artifacts': Flags.string({ description: 'pin the images this file names (written by `vela build --file-output`); default: .vela/images.json beside the Appfile, where it matches the build inputs', helpValue: 'FILE' }),
    file: renderFlags.file,
    format: renderFlags.format,
    definitions: renderFlags.definitions,
    namespace: renderFlags.namespace,
    'cluster-version': renderFlags['cluster-version'],
    verbose: renderFlags.verbose,
    profile: renderFlags.profile,
    values: renderFlags.values,
    set: renderFlags.set,
    'set-string': renderFlags['set-string'],
    'set-file': renderFlags['set-file'],
  };

  async run(): Promise<unknown> {
    const { dryRun } = await import('../pipeline/dry-run.js');
    const result = await dryRun({
      ...renderOptions(this.flags),
      ...(this.flags.env !== undefined ? { envName: this.flags.env } : {}),
      ...(this.flags['build-artifacts'] !== undefined ? { buildArtifacts: this.flags['build-artifacts'] } : {}),
      output: { format: this.flags.format, dir: this.flags.gitops, layout: 'gitops' },
    });
    return this.print(formatRendered(result, { color: this.useColor(process.stderr) }));
  }
}
