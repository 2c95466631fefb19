/**
 * watchFiles with paths that do not exist (yet): `vela dev` watches
 * `~/.vela/definitions` and the project's `.vela/definitions`, usually absent.
 * chokidar given such a path lost about half of the saves made just after its
 * `ready`; each save must be reported, and a folder created later is watched.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchFiles } from '../../src/host/index.js';

const next = (seen: string[][], count: number) =>
  new Promise<void>((done, fail) => {
    const deadline = Date.now() + 5000;
    const poll = () => (seen.length >= count ? done() : Date.now() > deadline ? fail(new Error(`only ${seen.length} batches: ${JSON.stringify(seen)}`)) : setTimeout(poll, 10));
    poll();
  });

describe('watchFiles', () => {
  it('reports a save made right after ready, every time, beside paths that do not exist', async () => {
    for (let round = 0; round < 12; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'vela-watch-'));
      writeFileSync(join(dir, 'vela.yaml'), 'image: nginx:1.27\n');
      const seen: string[][] = [];
      const watch = await watchFiles([dir, join(dir, '.vela/definitions'), join(dir, 'home/.vela/definitions')], { debounceMs: 20, onChange: (paths) => seen.push([...paths]) });
      try {
        await watch.ready;
        writeFileSync(join(dir, 'vela.yaml'), 'image: nginx:1.28\n');
        await next(seen, 1);
        expect(seen[0]).toEqual([join(dir, 'vela.yaml')]);
      } finally {
        await watch.close();
      }
    }
  }, 60_000);

  it('watches a missing folder once it is created, and nothing else under the ancestor that stands in for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-watch-'));
    const defs = join(dir, 'home/.vela/definitions');
    mkdirSync(join(dir, 'home'));
    const seen: string[][] = [];
    const watch = await watchFiles([defs], { debounceMs: 20, onChange: (paths) => seen.push([...paths]) });
    try {
      await watch.ready;
      writeFileSync(join(dir, 'home/unrelated.txt'), 'x');
      mkdirSync(defs, { recursive: true });
      await next(seen, 1);
      await new Promise((r) => setTimeout(r, 300));
      writeFileSync(join(defs, 'mine.cue'), 'x: 1\n');
      await next(seen, 2);
      const all = seen.flat();
      expect(all).toContain(join(defs, 'mine.cue'));
      expect(all).not.toContain(join(dir, 'home/unrelated.txt'));
    } finally {
      await watch.close();
    }
  }, 30_000);
});
