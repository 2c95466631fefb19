import { BaseCommand, Flags, formatApplication, formatRendered, renderFlags, renderOptions } from '../cli/index.js';

export default class DryRun extends BaseCommand<typeof DryRun> {
  static override summary = 'Render the app to Kubernetes manifests, without a cluster and without Docker.';
  static override description = `Reads the Appfile (vela.yaml; or a compose file, or a KubeVela Application), resolves every service and trait against the capability definitions, evaluates their CUE templates and prints the manifests (YAML by default), or writes one file per object with --output DIR.
Services with a build section get the image tag their build would produce; nothing is built.`;
  static override examples = [
    '<%= config.bin %> dry-run',
    { description: 'Render an example app to a folder', command: '<%= config.bin %> dry-run -f examples/shop/vela.yaml --output out/' },
    { description: 'Print JSON for another namespace', command: '<%= config.bin %> dry-run -o json -n staging' },
    { description: 'Render for an older cluster (API versions follow it)', command: '<%= config.bin %> dry-run --cluster-version 1.20' },
    { description: 'A folder per environment for Flux or Argo CD', command: '<%= config.bin %> dry-run --output deploy/ --layout gitops --env prod' },
    { description: 'The KubeVela Application instead, for a cluster that runs KubeVela', command: '<%= config.bin %> dry-run --emit application | kubectl apply -f -' },
  ];
  static override enableJsonFlag = true;
  static override args = {};
  static override flags = {
    ...renderFlags,
    'build-artifacts': Flags.string({ description: 'pin the images this file names (written by `vela build --file-output`); default: .vela/images.json beside the Appfile, where it matches the build inputs', helpValue: 'FILE' }),
    layout: Flags.option({ description: 'with --output: flat (numbered files, the default) or gitops (a folder per environment with stable names and a kustomization.yaml; see vela export)', options: ['flat', 'gitops'] as const, dependsOn: ['output'] })(),
    env: Flags.string({ description: "render into this vela environment's namespace (-n wins); with --layout gitops, the folder's name", env: 'VELA_ENV' }),
    emit: Flags.option({ description: 'what to print: the rendered manifests, or the KubeVela Application (for clusters that run KubeVela)', options: ['manifests', 'application'] as const, default: 'manifests' as const })(),
  };

  async run(): Promise<unknown> {
    const options = {
      ...renderOptions(this.flags),
      ...(this.flags.env !== undefined ? { envName: this.flags.env } : {}),
      ...(this.flags['build-artifacts'] !== undefined ? { buildArtifacts: this.flags['build-artifacts'] } : {}),
      output: { format: this.flags.format, dir: this.flags.output, ...(this.flags.layout ? { layout: this.flags.layout } : {}) },
    };
    const style = { color: this.useColor(process.stderr) };
    if (this.flags.emit === 'application') {
      const { applicationFor } = await import('../pipeline/convert.js');
      return this.print(formatApplication(await applicationFor(options), style));
    }
    const { dryRun } = await import('../pipeline/dry-run.js');
    const result = await dryRun(options);
    return this.print(formatRendered(result, { ...style }));
  }
}
