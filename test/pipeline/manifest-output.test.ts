/**
 * Where `vela dry-run` and `vela up --output` put manifests: stdout text or a
 * folder of numbered files, written through the host file system (here the
 * in-memory one), with the folder's index removing only what an earlier run of
 * the same app wrote.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryFileSystem } from '../../src/host/index.js';
import { applicationFor } from '../../src/pipeline/convert.js';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { outputManifests } from '../../src/pipeline/manifest-output.js';
import { OUTPUT_INDEX, writeManifests } from '../../src/pipeline/write-manifests.js';

const root = join(import.meta.dirname, '../..');
const hello = { cwd: root, file: 'examples/hello/vela.yaml' };

describe('outputManifests', () => {
  it('gives the manifests as YAML documents or a JSON List when there is no folder', async () => {
    const { rendered } = await dryRun(hello);
    const yaml = await outputManifests(rendered, { format: 'yaml' });
    expect(yaml.kind).toBe('text');
    expect(yaml.kind === 'text' && yaml.text).toMatch(/^# service hello, component webservice\napiVersion: apps\/v1\nkind: Deployment\n/);
    expect(yaml.kind === 'text' && yaml.text.split('\n---\n')).toHaveLength(2);
    const json = await outputManifests(rendered, { format: 'json' });
    expect(json.kind === 'text' && JSON.parse(json.text)).toMatchObject({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Deployment' }, { kind: 'Service' }] });
  });

  it('writes one numbered file per object into a folder, and an index of them', async () => {
    const fs = memoryFileSystem();
    const r = await dryRun({ ...hello, output: { format: 'yaml', dir: '/out', fs } });
    expect(r.output).toEqual({ kind: 'folder', dir: '/out', files: ['01-hello-deployment-hello.yaml', '02-hello-service-hello.yaml'], removed: [] });
    expect(await fs.readText('/out/01-hello-deployment-hello.yaml')).toMatch(/^# service hello, component webservice\napiVersion: apps\/v1\nkind: Deployment\n/);
    expect(JSON.parse(await fs.readText(`/out/${OUTPUT_INDEX}`))).toEqual({ app: 'hello', files: ['01-hello-deployment-hello.yaml', '02-hello-service-hello.yaml'] });
  });
});

describe('writeManifests', () => {
  it('removes the files of an earlier run of the same app that are gone now, and nothing else', async () => {
    const { rendered } = await dryRun(hello);
    const [deployment, service] = rendered.manifests;
    const fs = memoryFileSystem({ '/out/notes.txt': 'mine', '/out/99-other.yaml': 'kept' });
    await writeManifests('/out', 'hello', [deployment!, service!], 'yaml', fs);
    const second = await writeManifests('/out', 'hello', [deployment!], 'yaml', fs);
    expect(second.removed).toEqual(['02-hello-service-hello.yaml']);
    expect(await fs.list('/out')).toEqual([OUTPUT_INDEX, '01-hello-deployment-hello.yaml', '99-other.yaml', 'notes.txt']);
  });

  it('leaves files of another app alone, and never follows an index entry out of the folder', async () => {
    const { rendered } = await dryRun(hello);
    const fs = memoryFileSystem({
      [`/out/${OUTPUT_INDEX}`]: JSON.stringify({ app: 'shop', files: ['01-web-deployment-web.yaml'] }),
      '/out/01-web-deployment-web.yaml': 'shop',
      '/secret.yaml': 'outside',
    });
    const first = await writeManifests('/out', 'hello', rendered.manifests, 'json', fs);
    expect(first.removed).toEqual([]);
    expect(await fs.readText('/out/01-web-deployment-web.yaml')).toBe('shop');
    await fs.writeFileAtomic(`/out/${OUTPUT_INDEX}`, JSON.stringify({ app: 'hello', files: ['../secret.yaml', '.hidden'] }));
    const second = await writeManifests('/out', 'hello', rendered.manifests, 'json', fs);
    expect(second.removed).toEqual([]);
    expect(await fs.exists('/secret.yaml')).toBe(true);
  });
});

describe('applicationFor', () => {
  it('writes the Application into the folder in the asked format', async () => {
    const fs = memoryFileSystem();
    const json = await applicationFor({ ...hello, output: { format: 'json', dir: '/out', fs } });
    expect(json.file).toBe('/out/application.json');
    expect(JSON.parse(await fs.readText('/out/application.json'))).toEqual(json.application);
    expect(json.application).toMatchObject({ apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', metadata: { name: 'hello' } });
    const yaml = await applicationFor(hello);
    expect(yaml.file).toBeUndefined();
    expect(yaml.text).toMatch(/^apiVersion: core\.oam\.dev\/v1beta1\nkind: Application\n/);
  });
});
