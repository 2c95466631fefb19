import { BaseCommand, Flags } from '../cli/index.js';
import { renderFlags, renderOptions, printWarnings, emitManifests } from './shared/render-flags.js';

export default class Up extends BaseCommand<typeof Up> {
  static override summary = 'Build, render and deliver the app: to the cluster, or to a folder with --output.';
  static override description = `Builds and pushes the images of services with a build section (Docker Engine API), renders every service through its capability definitions, then applies the manifests to the cluster of the kubeconfig (server-side apply, field manager vela) or writes them to --output DIR.`;
  static override examples = [
    '<%= config.bin %> up',
    { description: 'Write the manifests to a folder instead of a cluster', command: '<%= config.bin %> up --output out/' },
    { description: 'Render without building (images keep their computed tags)', command: '<%= config.bin %> up --output out/ --skip-build' },
  ];
  static override enableJsonFlag = true;
  static override flags = {
    ...renderFlags,
    'skip-build': Flags.boolean({ description: 'do not build or push images; use the tags their builds would get' }),
    push: Flags.boolean({ description: 'push built images to their registry', default: true, allowNo: true }),
  };

  async run(): Promise<unknown> {
    const { buildAndRender } = await import('../pipeline/up.js');
    const reporter = await this.reporter();
    const r = await buildAndRender({ ...renderOptions(this.flags), build: !this.flags['skip-build'], push: this.flags.push, reporter });
    printWarnings(this, r.warnings, []);
    if (this.flags.output) return emitManifests(this, r.rendered, this.flags);
    const { deliverToCluster } = await import('../pipeline/deliver.js');
    return deliverToCluster(r.rendered, { reporter, json: this.jsonEnabled() });
  }
}
