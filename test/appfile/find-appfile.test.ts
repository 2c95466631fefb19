import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAppfile as findWith, type FindAppfileOptions } from '../../src/appfile/index.js';
import { nodeFileSystem } from '../../src/host/index.js';
import { show } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vela-find-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** On the disk, as the pipeline calls it. */
const findAppfile = (cwd: string, file?: string, opts: Partial<FindAppfileOptions> = {}) => findWith(cwd, file, { fs: nodeFileSystem, stdin: process.stdin, ...opts });
const errorOf = (r: Awaited<ReturnType<typeof findAppfile>>) => ('error' in r ? show(r.error) : `found ${r.path}`);

describe('findAppfile', () => {
  it('looks for vela.yaml, vela.yml, vela.json, Appfile in that order', async () => {
    const d = join(dir, 'order');
    await mkdir(d);
    expect(errorOf(await findAppfile(d))).toBe(
      `no Appfile found in ${d} [create vela.yaml (\`vela init\`), or pass one with -f PATH (looked for vela.yaml, vela.yml, vela.json, Appfile, compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml)]`,
    );
    await writeFile(join(d, 'Appfile'), 'name: a\n');
    expect(await findAppfile(d)).toEqual({ path: 'Appfile', text: 'name: a\n' });
    await writeFile(join(d, 'vela.json'), '{}');
    expect(await findAppfile(d)).toEqual({ path: 'vela.json', text: '{}' });
    await writeFile(join(d, 'vela.yml'), 'name: yml\n');
    expect(await findAppfile(d)).toMatchObject({ path: 'vela.yml' });
    await writeFile(join(d, 'vela.yaml'), 'name: yaml\n');
    expect(await findAppfile(d)).toMatchObject({ path: 'vela.yaml', text: 'name: yaml\n' });
  });

  it('reads -f PATH, shown relative to the working directory when inside it', async () => {
    await mkdir(join(dir, 'sub'), { recursive: true });
    await writeFile(join(dir, 'sub', 'app.yaml'), 'name: sub\n');
    expect(await findAppfile(dir, 'sub/app.yaml')).toEqual({ path: join('sub', 'app.yaml'), text: 'name: sub\n' });
    expect(await findAppfile(join(dir, 'order'), join(dir, 'sub', 'app.yaml'))).toMatchObject({ path: join(dir, 'sub', 'app.yaml') });
    expect(errorOf(await findAppfile(dir, 'nope.yaml'))).toBe('cannot read nope.yaml: no such file');
    expect(errorOf(await findAppfile(dir, 'sub'))).toBe(`sub is a folder, not an Appfile [try -f ${join('sub', 'vela.yaml')}]`);
  });

  it('drops a byte-order mark, so columns stay right', async () => {
    await writeFile(join(dir, 'bom.yaml'), '\ufeffname: bom\n');
    expect(await findAppfile(dir, 'bom.yaml')).toEqual({ path: 'bom.yaml', text: 'name: bom\n' });
  });

  it('refuses a file over the size limit without reading it', async () => {
    await writeFile(join(dir, 'big.yaml'), 'x'.repeat(3 * 1024 * 1024));
    expect(errorOf(await findAppfile(dir, 'big.yaml'))).toBe(
      'big.yaml is too large (3 MiB; the limit is 1 MiB) [an Appfile this large is almost certainly not one; check the file name]',
    );
    expect(await findAppfile(dir, 'big.yaml', { maxBytes: 4 * 1024 * 1024 })).toMatchObject({ path: 'big.yaml' });
  });

  it('reads standard input for -f -, with the same limit', async () => {
    async function* chunks(...cs: string[]) {
      for (const c of cs) yield new TextEncoder().encode(c);
    }
    expect(await findAppfile(dir, '-', { stdin: chunks('name: ', 'in\n') })).toEqual({ path: '<stdin>', text: 'name: in\n' });
    expect(errorOf(await findAppfile(dir, '-', { stdin: chunks('x'.repeat(600_000), 'y'.repeat(600_000)) }))).toBe(
      '<stdin> is over the 1 MiB limit [an Appfile this large is almost certainly not one; check the file name]',
    );
  });
});
