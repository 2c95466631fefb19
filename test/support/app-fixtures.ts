/**
 * Rendered apps for deploy tests, shaped like the renderer's output (labels,
 * origins, Appfile spans) without running the renderer.
 */
import { SourceFile, span } from '../../src/source/index.js';
import type { Manifest, RenderedApp, RenderedService } from '../../src/render/types.js';
import type { JsonObject } from '../../src/appfile/model.js';

export interface FixtureService {
  readonly name: string;
  readonly image?: string;
  readonly replicas?: number;
  readonly port?: number;
  readonly dependsOn?: readonly string[];
  /** Extra objects of the service (e.g. ConfigMaps), as trait outputs. */
  readonly configMaps?: number;
  readonly kind?: 'Deployment' | 'Pod';
  readonly healthPolicy?: string;
  readonly customStatus?: string;
  /** Replace the workload object entirely. */
  readonly workload?: JsonObject;
}

/** An Appfile text with one line per service, so each service has a real span. */
export function fixtureAppfile(name: string, services: readonly FixtureService[]): SourceFile {
  const lines = [`name: ${name}`, 'services:'];
  for (const s of services) lines.push(`  ${s.name}:`, `    image: ${s.image ?? 'nginx:1.25'}`);
  return new SourceFile('vela.yaml', lines.join('\n') + '\n');
}

export function makeApp(name: string, namespace: string, services: readonly FixtureService[]): RenderedApp {
  const file = fixtureAppfile(name, services);
  const manifests: Manifest[] = [];
  const rendered: RenderedService[] = [];
  for (const s of services) {
    const at = file.text.indexOf(`  ${s.name}:`);
    const sp = span(file, at + 2, at + 2 + s.name.length);
    const labels = { 'app.oam.dev/name': name, 'app.oam.dev/component': s.name, 'app.kubernetes.io/managed-by': 'vela' };
    const selector = { 'app.oam.dev/name': name, 'app.oam.dev/component': s.name };
    const container = { name: s.name, image: s.image ?? 'nginx:1.25', ...(s.port ? { ports: [{ containerPort: s.port }] } : {}) };
    const workload: JsonObject =
      s.workload ??
      (s.kind === 'Pod'
        ? { apiVersion: 'v1', kind: 'Pod', metadata: { name: s.name, namespace, labels: { ...labels, 'workload.oam.dev/type': 'pod' } }, spec: { containers: [container] } }
        : {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: s.name, namespace, labels: { ...labels, 'workload.oam.dev/type': 'webservice' } },
            spec: { replicas: s.replicas ?? 1, selector: { matchLabels: selector }, template: { metadata: { labels: selector }, spec: { containers: [container] } } },
          });
    manifests.push({ object: workload, origin: { service: s.name, definition: 'webservice', span: sp } });
    if (s.port) {
      manifests.push({
        object: { apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace, labels: { ...labels, 'trait.oam.dev/type': 'expose' } }, spec: { selector, ports: [{ port: s.port, targetPort: s.port }] } },
        origin: { service: s.name, definition: 'webservice', trait: 'expose', outputName: 'service', span: sp },
      });
    }
    for (let i = 0; i < (s.configMaps ?? 0); i++) {
      manifests.push({
        object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${s.name}-cfg-${i}`, namespace, labels }, data: { index: String(i) } },
        origin: { service: s.name, definition: 'webservice', outputName: `cfg${i}`, span: sp },
      });
    }
    rendered.push({ name: s.name, type: 'webservice', dependsOn: s.dependsOn ?? [], span: sp, status: s.healthPolicy || s.customStatus ? { healthPolicy: s.healthPolicy, customStatus: s.customStatus } : undefined });
  }
  return { name, namespace, manifests, services: rendered };
}
