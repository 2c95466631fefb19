import { Args, BaseCommand, Flags } from '../cli/index.js';
import { renderFlags, renderOptions, printWarnings, emitManifests } from './shared/render-flags.js';

export default class DryRun extends BaseCommand<typeof DryRun> {
  static override summary = 'Render the app to Kubernetes manifests, without a cluster and without Docker.';
  static override description = `Reads the Appfile (vela.yaml; or a compose file, or a KubeVela Application), resolves every service and trait against the capability definitions, evaluates their CUE templates and prints the manifests (YAML by default), or writes one file per object with --output DIR.
Services with a build section get the image tag their build would produce; nothing is built.`;
  static override examples = [
    '<%= config.bin %> dry-run',
    { description: 'Render an example app to a folder', command: '<%= config.bin %> dry-run -f examples/shop/vela.yaml --output out/' },
    { description: 'Print JSON for another namespace', command: '<%= config.bin %> dry-run -o json -n staging' },
    { description: 'Render for an older cluster (API versions follow it)', command: '<%= config.bin %> dry-run --cluster-version 1.20' },
    { description: 'The KubeVela Application instead, for a cluster that runs KubeVela', command: '<%= config.bin %> dry-run --emit application | kubectl apply -f -' },
  ];
  static override enableJsonFlag = true;
  static override args = {};
  static override flags = {
    ...renderFlags,
    emit: Flags.option({ description: 'what to print: the rendered manifests, or the KubeVela Application (for clusters that run KubeVela)', options: ['manifests', 'application'] as const, default: 'manifests' as const })(),
  };

  async run(): Promise<unknown> {
    if (this.flags.emit === 'application') return this.emitApplication();
    const { dryRun } = await import('../pipeline/dry-run.js');
    const r = await dryRun(renderOptions(this.flags));
    printWarnings(this, r.warnings, r.unbuilt);
    return emitManifests(this, r.rendered, this.flags);
  }

  private async emitApplication(): Promise<unknown> {
    const { applicationFor } = await import('../pipeline/convert.js');
    const r = await applicationFor(renderOptions(this.flags));
    printWarnings(this, r.warnings, r.unbuilt);
    const text = this.flags.format === 'json' ? JSON.stringify(r.application, null, 2) + '\n' : r.text;
    if (this.flags.output) {
      const [{ join }, { nodeFileSystem }] = await Promise.all([import('node:path'), import('../host/fs.js')]);
      const file = join(this.flags.output, `application.${this.flags.format}`);
      await nodeFileSystem.writeFileAtomic(file, text);
      if (!this.jsonEnabled()) process.stderr.write(`wrote the Application of ${r.source} to ${file}\n`);
      return { application: r.application, file };
    }
    this.write(text);
    return { application: r.application };
  }
}
void Args;
void Flags;
