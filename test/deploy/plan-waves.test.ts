/** The order of an apply, decided before anything is sent. */
import { describe, expect, it } from 'vitest';
import { planWaves, type Wave } from '../../src/deploy/index.js';
import type { Manifest } from '../../src/render/types.js';

const manifest = (service: string, kind: string, name = service, apiVersion = 'v1'): Manifest => ({ object: { apiVersion, kind, metadata: { name } }, origin: { service, definition: 'webservice' } });
const service = (name: string, dependsOn: string[] = []) => ({ name, dependsOn });
/** A wave in one line: `title [waits for] objects (+establish)`. */
const show = (w: Wave) => `${w.title}${w.waitFor.length ? ` [${w.waitFor.join(',')}: ${w.waitPurpose}]` : ''}: ${w.manifests.map((m) => `${m.object.kind}/${(m.object.metadata as { name: string }).name}`).join(' ')}${w.establish ? ' +establish' : ''}`;

describe('planWaves', () => {
  it('applies Namespaces and CRDs first, then services by dependsOn level, one service per wave in Appfile order', () => {
    const waves = planWaves({
      services: [service('web', ['api']), service('api', ['db']), service('db'), service('docs')],
      manifests: [
        manifest('web', 'Deployment'),
        manifest('web', 'Service'),
        manifest('api', 'Deployment'),
        manifest('db', 'StatefulSet'),
        manifest('db', 'Namespace', 'data'),
        manifest('docs', 'CustomResourceDefinition', 'pages.docs.io', 'apiextensions.k8s.io/v1'),
        manifest('docs', 'Page', 'home', 'docs.io/v1'),
      ],
    });
    expect(waves.map(show)).toEqual([
      'namespaces and CRDs: Namespace/data CustomResourceDefinition/pages.docs.io +establish',
      'db: StatefulSet/db',
      'docs: Page/home',
      'api [db: before api]: Deployment/api',
      'web [api: before web]: Deployment/web Service/web',
    ]);
  });

  it('waits for a dependency once, before the first wave of the level that needs it', () => {
    const waves = planWaves({
      services: [service('db'), service('cache'), service('api', ['db', 'cache']), service('worker', ['db']), service('web', ['api', 'db'])],
      manifests: ['db', 'cache', 'api', 'worker', 'web'].map((name) => manifest(name, 'Deployment')),
    });
    expect(waves.map(show)).toEqual([
      'db: Deployment/db',
      'cache: Deployment/cache',
      'api [db,cache: before api, worker]: Deployment/api',
      'worker: Deployment/worker',
      'web [api: before web]: Deployment/web',
    ]);
  });

  it('keeps a wave with no objects only when it waits', () => {
    const waves = planWaves({
      services: [service('db'), service('ns-only', ['db']), service('idle')],
      manifests: [manifest('db', 'Deployment'), manifest('ns-only', 'Namespace', 'extra')],
    });
    expect(waves.map(show)).toEqual(['namespaces and CRDs: Namespace/extra', 'db: Deployment/db', 'ns-only [db: before ns-only]: ']);
  });

  it('puts objects of no known service last, and every manifest in exactly one wave', () => {
    const manifests = [manifest('web', 'Deployment'), manifest('ghost', 'ConfigMap', 'left-over'), manifest('web', 'Namespace', 'web-ns'), manifest('ghost', 'Namespace', 'ghost-ns')];
    const waves = planWaves({ services: [service('web')], manifests });
    expect(waves.map(show)).toEqual(['namespaces and CRDs: Namespace/web-ns Namespace/ghost-ns', 'web: Deployment/web', 'other objects: ConfigMap/left-over']);
    expect(waves.flatMap((w) => w.manifests).sort((a, b) => manifests.indexOf(a) - manifests.indexOf(b))).toEqual(manifests);
  });

  it('does not wait for unknown services, and does not loop on a cycle', () => {
    const waves = planWaves({ services: [service('a', ['b']), service('b', ['a']), service('c', ['nope'])], manifests: ['a', 'b', 'c'].map((name) => manifest(name, 'Deployment')) });
    expect(waves.flatMap((w) => w.manifests)).toHaveLength(3);
    expect(waves.flatMap((w) => w.waitFor).filter((name) => name === 'nope')).toEqual([]);
  });

  it('is empty for an app with nothing to apply', () => {
    expect(planWaves({ services: [], manifests: [] })).toEqual([]);
  });
});
