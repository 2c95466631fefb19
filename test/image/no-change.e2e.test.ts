/**
 * A run where nothing changed asks the engine two plain HTTP questions and
 * never loads dockerode (about a second of start-up): the warm `vela up`
 * must stay close to `vela dry-run`. Own file: vitest gives each file its own
 * process, so the module cache tells what this run loaded.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAndPush } from '../../src/image/index.js';
import { testApp } from './app-model.js';
import { copyFixture, dockerUnavailable, engineSocket } from './docker-env.js';

const skipReason = await dockerUnavailable();
if (skipReason) console.warn(`[build no-change e2e] skipped: ${skipReason}`);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(skipReason !== undefined)('a run with nothing to build', () => {
  it('does not load dockerode', async () => {
    const dir = copyFixture('shop');
    dirs.push(dir);
    const spec = { name: 'worker', image: 'vela-e2e/nochange', build: { context: 'worker' } };
    // Build it first in another process, so this one starts clean.
    const script = join(dir, 'prebuild.mts');
    writeFileSync(
      script,
      `import { buildAndPush } from ${JSON.stringify(join(import.meta.dirname, '../../src/image/index.js'))};\n` +
        `import { testApp } from ${JSON.stringify(join(import.meta.dirname, 'app-model.js'))};\n` +
        `await buildAndPush(testApp(${JSON.stringify(dir)}, [${JSON.stringify(spec)}]), { push: false, docker: { socketPath: ${JSON.stringify(engineSocket())} } });\n`,
    );
    const code = await new Promise<number | null>((resolve, reject) => {
      const p = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
      p.on('error', reject);
      p.on('close', resolve);
    });
    expect(code).toBe(0);

    const [r] = await buildAndPush(testApp(dir, [spec]), { push: false, docker: { socketPath: engineSocket() } });
    expect(r!.built).toBe(false);
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/node_modules/dockerode/'));
    expect(loaded).toEqual([]);
  });
});
