import { Args, BaseCommand, Flags } from '../cli/index.js';
import { renderFlags, renderOptions, printWarnings, emitManifests } from './shared/render-flags.js';

export default class DryRun extends BaseCommand<typeof DryRun> {
  static override summary = 'Render the app to Kubernetes manifests, without a cluster and without Docker.';
  static override description = `Reads the Appfile (vela.yaml), resolves every service and trait against the capability definitions, evaluates their CUE templates and prints the manifests (YAML by default), or writes one file per object with --output DIR.
Services with a build section get the image tag their build would produce; nothing is built.`;
  static override examples = [
    '<%= config.bin %> dry-run',
    { description: 'Render an example app to a folder', command: '<%= config.bin %> dry-run -f examples/shop/vela.yaml --output out/' },
    { description: 'Print JSON for another namespace', command: '<%= config.bin %> dry-run -o json -n staging' },
    { description: 'Render for an older cluster (API versions follow it)', command: '<%= config.bin %> dry-run --cluster-version 1.20' },
  ];
  static override enableJsonFlag = true;
  static override args = {};
  static override flags = { ...renderFlags };

  async run(): Promise<unknown> {
    const { dryRun } = await import('../pipeline/dry-run.js');
    const r = await dryRun(renderOptions(this.flags));
    printWarnings(this, r.warnings, r.unbuilt);
    return emitManifests(this, r.rendered, this.flags);
  }
}
void Args;
void Flags;
