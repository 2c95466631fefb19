/**
 * bench/up: a warm, no-change `vela up --output DIR` of an app with build
 * sections (nothing to rebuild, nothing to push: the engine has the images and
 * the registry has the tags) against its `vela dry-run --output DIR`, in one
 * run, interleaved, medians. Target: at most 1.5×. Needs the Docker engine and
 * registry of scripts/docker-daemons.sh and the shipped build (npm run build).
 *
 *   scripts/docker-daemons.sh start && npx tsx bench/up.ts [runs]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyFixture, dockerUnavailable, REGISTRY } from '../test/image/docker-env.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 7);
const why = await dockerUnavailable();
if (why) {
  process.stderr.write(`bench/up: ${why}\n`);
  process.exit(2);
}
const dir = copyFixture('shop');
const ns = `bench-up-${process.pid}`;
writeFileSync(
  join(dir, 'vela.yaml'),
  `name: shop\nservices:\n  web:\n    image: ${REGISTRY}/${ns}/web\n    build:\n      docker: {context: web}\n    ports: [{port: 80, expose: true}]\n  worker:\n    type: worker\n    image: ${REGISTRY}/${ns}/worker\n    build:\n      docker: {context: worker}\n`,
);
const env = { ...process.env, CI: '1', DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///tmp/vela-docker.sock' };
const vela = (args: string[]) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bin/vela.js'), ...args], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`vela ${args.join(' ')} failed:\n${r.stderr.toString()}`);
  return performance.now() - t;
};

const cold = vela(['up', '--output', 'out-up']);
const up: number[] = [];
const dry: number[] = [];
for (let i = 0; i < runs; i++) {
  up.push(vela(['up', '--output', 'out-up']));
  dry.push(vela(['dry-run', '--output', 'out-dry']));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const lines = [
  `bench/up: app with 2 build sections, ${runs} interleaved runs each, medians, one run`,
  `  vela up --output (cold: build + push)   ${cold.toFixed(0)} ms`,
  `  vela up --output (warm, no change)      ${median(up).toFixed(0)} ms`,
  `  vela dry-run --output                   ${median(dry).toFixed(0)} ms`,
  `  ratio warm up / dry-run                 ${(median(up) / median(dry)).toFixed(2)}   (target ≤ 1.5)`,
];
process.stdout.write(lines.join('\n') + '\n');
