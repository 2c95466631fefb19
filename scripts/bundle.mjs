#!/usr/bin/env node
// Build step (after tsc): bundle the CLI into dist/bundle/ with esbuild, code
// splitting on the dynamic imports, so start-up loads a few files instead of
// hundreds of modules. The Docker and Kubernetes clients stay in node_modules.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: without a clean folder, every build would leave the last one's chunks behind.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: { vela: 'dist/commands/entry.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Packages that load native code or are large and only needed by one command.
  // typescript: oclif requires it only to run commands from TypeScript sources (bin/dev.js does not bundle).
  // tar-stream and @balena/dockerignore are CommonJS imported dynamically by name: bundled, their named exports would be lost.
  external: ['dockerode', '@kubernetes/client-node', 'ssh2', 'cpu-features', 'ajv', 'ajv/*', 'typescript', 'tar-stream', '@balena/dockerignore'],
  // CommonJS packages inside an ESM bundle call require().
  banner: { js: "import { createRequire as __velaCreateRequire } from 'node:module'; const require = __velaCreateRequire(import.meta.url);" },
  // yaml's "node" entry is CommonJS, whose names a dynamic import() would lose in a bundle; its ESM build is the same code.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  logLevel: 'warning',
  legalComments: 'none',
  // Smaller sources compile faster at every start.
  minify: true,
  // No keepNames: it wraps every function and class, including closures made in the evaluator's hot loops, in a
  // defineProperty call for `.name`, which nothing of vela reads (oclif's commands have explicit ids).
});
console.error('bundled the CLI into dist/bundle/');

// The dashboard's front end, beside the CLI bundle.
const { bundleDashboard } = await import('./bundle-dashboard.mjs');
await bundleDashboard();
console.error('bundled the dashboard into dist/dashboard-web/');
