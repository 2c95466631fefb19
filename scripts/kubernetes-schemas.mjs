#!/usr/bin/env node
// Build step: the Kubernetes OpenAPI validators vela checks rendered objects
// with (src/pipeline/kubernetes-schemas.ts), one small ES module per
// apiVersion and kind in dist/kubernetes-schemas/ (`apps.v1.Deployment.mjs`),
// bundled by esbuild from the ajv code the kubernetes-models package (a
// devDependency) ships, sharing chunks, with its validation runtime replaced
// by scripts/kubernetes-validate-shim.mjs. Nothing of kubernetes-models is
// needed at run time.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const models = dirname(createRequire(import.meta.url).resolve('kubernetes-models/package.json'));
const outdir = join(root, 'dist/kubernetes-schemas');

/** Every kind with an apiVersion (a class with a type-meta guard), lists left out. */
function kinds() {
  const out = [];
  for (const group of readdirSync(models, { withFileTypes: true })) {
    if (!group.isDirectory() || group.name.startsWith('_')) continue;
    const versions = group.name === 'v1' ? [['', 'v1']] : readdirSync(join(models, group.name), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => [group.name, d.name]);
    for (const [g, version] of versions) {
      const dir = join(models, g, version);
      for (const file of readdirSync(dir)) {
        if (!file.endsWith('.mjs') || file === 'index.mjs' || file.endsWith('List.mjs')) continue;
        const source = readFileSync(join(dir, file), 'utf8');
        if (!source.includes('createTypeMetaGuard')) continue;
        out.push({ group: g, version, kind: file.slice(0, -'.mjs'.length), path: join(dir, file) });
      }
    }
  }
  return out;
}

const list = kinds();
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: Object.fromEntries(list.map((k) => [`${k.group || 'core'}.${k.version}.${k.kind}`, k.path])),
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[hash]',
  alias: { '@kubernetes-models/validate': join(root, 'scripts/kubernetes-validate-shim.mjs') },
  logLevel: 'warning',
  legalComments: 'none',
});
writeFileSync(join(outdir, 'kinds.json'), JSON.stringify(list.map((k) => `${k.group ? `${k.group}/` : ''}${k.version}/${k.kind}`).sort(), null, 1) + '\n');
console.error(`bundled ${list.length} Kubernetes schema validators into dist/kubernetes-schemas/`);
