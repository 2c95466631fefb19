/**
 * `npm run bench [-- NAME...]`: builds, then runs the benchmarks under bench/ one after the other (all of them, or
 * the named ones: `npm run bench -- render cli`), each in its own process so none warms another. Each prints its
 * own ratios; this prints which ran and how each ended. Benchmarks that need the test daemons (a Docker engine, the
 * kube-apiservers: see scripts/docker-daemons.sh and scripts/cluster.sh) say so and end with a non-zero code when
 * they are missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort();
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(1);
}
execFileSync('npm', ['run', 'build'], { cwd: join(dir, '..'), stdio: ['ignore', 'ignore', 'inherit'] });
const ended: string[] = [];
for (const name of asked.length > 0 ? asked : all) {
  console.log(`\n== bench/${name}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(dir, `${name}.ts`)], { stdio: 'inherit' });
  ended.push(`${name}: ${run.status === 0 ? 'ok' : `exit ${run.status ?? run.signal}`}`);
}
console.log(`\n${ended.join('\n')}`);
process.exitCode = ended.every((line) => line.endsWith(': ok')) ? 0 : 1;
